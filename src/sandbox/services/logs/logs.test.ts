import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let logs: CloudWatchLogsClient;
const ARN = 'arn:aws:logs:us-east-1:000000000023:log-group:/ecs-lab/tasks';

beforeAll(async () => {
  sandbox = await startTestSandbox();
  logs = new CloudWatchLogsClient(clientConfig(sandbox.url, '000000000023'));
});
afterAll(async () => {
  logs.destroy();
  await sandbox.close();
});

describe('CloudWatch Logs log groups', () => {
  it('creates a log group with tags and describes it', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/tasks', tags: { 'ecs-lab:managed': 'true' } }));
    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs-lab/' }));
    expect(out.logGroups).toHaveLength(1);
    expect(out.logGroups![0]).toMatchObject({ logGroupName: '/ecs-lab/tasks', arn: `${ARN}:*`, logGroupArn: ARN, storedBytes: 0, logGroupClass: 'STANDARD' });
    expect(Math.abs(out.logGroups![0]!.creationTime! - Date.now())).toBeLessThan(60_000);
    expect(out.logGroups![0]!.retentionInDays).toBeUndefined();
  });

  it('refuses a duplicate and an invalid name', async () => {
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/tasks' }))).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: 'has spaces' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('pages DescribeLogGroups in name order', async () => {
    for (const n of ['c', 'a', 'b']) await logs.send(new CreateLogGroupCommand({ logGroupName: `/vpc/flow-${n}` }));
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/vpc/', limit: 2 }));
    expect(first.logGroups!.map((g) => g.logGroupName)).toEqual(['/vpc/flow-a', '/vpc/flow-b']);
    const second = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/vpc/', limit: 2, nextToken: first.nextToken }));
    expect(second.logGroups!.map((g) => g.logGroupName)).toEqual(['/vpc/flow-c']);
    expect(second.nextToken).toBeUndefined();
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'flow-b' }))).logGroups!.map((g) => g.logGroupName)).toEqual(['/vpc/flow-b']);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'FLOW' }))).logGroups).toEqual([]);
    await expect(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/x', logGroupNamePattern: 'x' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(logs.send(new DescribeLogGroupsCommand({ nextToken: 'nope' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('puts and deletes a retention policy', async () => {
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ecs-lab/tasks', retentionInDays: 30 }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs-lab/tasks' }))).logGroups![0]!.retentionInDays).toBe(30);
    await expect(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ecs-lab/tasks', retentionInDays: 31 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/nope', retentionInDays: 30 }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/ecs-lab/tasks' }));
    await expect(logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs-lab/tasks' }))).logGroups![0]!.retentionInDays).toBeUndefined();
  });

  it('tags by ARN (TagResource / UntagResource / ListTagsForResource)', async () => {
    await logs.send(new TagResourceCommand({ resourceArn: ARN, tags: { team: 'platform', env: 'prod' } }));
    await logs.send(new UntagResourceCommand({ resourceArn: ARN, tagKeys: ['env'] }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: ARN }))).tags).toEqual({ 'ecs-lab:managed': 'true', team: 'platform' });
    await expect(logs.send(new ListTagsForResourceCommand({ resourceArn: `${ARN}-gone` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new TagResourceCommand({ resourceArn: 'arn:aws:s3:::bucket', tags: { a: 'b' } }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await expect(logs.send(new TagResourceCommand({ resourceArn: ARN, tags: many }))).rejects.toMatchObject({ name: 'TooManyTagsException' });
    await expect(logs.send(new UntagResourceCommand({ resourceArn: `${ARN}-gone`, tagKeys: ['a'] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('tags by name with the legacy TagLogGroup / UntagLogGroup / ListTagsLogGroup', async () => {
    await logs.send(new TagLogGroupCommand({ logGroupName: '/vpc/flow-a', tags: { owner: 'net' } }));
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/vpc/flow-a' }))).tags).toEqual({ owner: 'net' });
    await logs.send(new UntagLogGroupCommand({ logGroupName: '/vpc/flow-a', tags: ['owner'] }));
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/vpc/flow-a' }))).tags).toEqual({});
    await expect(logs.send(new ListTagsLogGroupCommand({ logGroupName: '/nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new TagLogGroupCommand({ logGroupName: '/nope', tags: { a: 'b' } }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new UntagLogGroupCommand({ logGroupName: '/nope', tags: ['a'] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('deletes a log group', async () => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/vpc/flow-c' }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/vpc/flow-c' }))).logGroups).toEqual([]);
    await expect(logs.send(new DeleteLogGroupCommand({ logGroupName: '/vpc/flow-c' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
