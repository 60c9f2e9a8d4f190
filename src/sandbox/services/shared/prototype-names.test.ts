import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, ListTagsLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, DeleteClusterCommand, DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';

// Names are the caller's: `constructor` or `__proto__` must be plain names, never Object.prototype members.
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('resources named after Object.prototype members', () => {
  it('are plain names in Secrets Manager and SSM', async () => {
    const sm = new SecretsManagerClient(clientConfig(sandbox.url, '000000000061'));
    const ssm = new SSMClient(clientConfig(sandbox.url, '000000000061'));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'constructor' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await sm.send(new CreateSecretCommand({ Name: 'constructor', SecretString: 'c' }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'constructor' }))).SecretString).toBe('c');
    await expect(ssm.send(new GetParameterCommand({ Name: 'constructor' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await ssm.send(new PutParameterCommand({ Name: '__proto__', Value: 'p', Type: 'String' }));
    expect((await ssm.send(new GetParameterCommand({ Name: '__proto__' }))).Parameter?.Value).toBe('p');
    sm.destroy();
    ssm.destroy();
  });

  it('are plain names in CloudWatch Logs, and never reach Object.prototype', async () => {
    const logs = new CloudWatchLogsClient(clientConfig(sandbox.url, '000000000061'));
    await expect(logs.send(new PutRetentionPolicyCommand({ logGroupName: '__proto__', retentionInDays: 7 }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '__proto__', tags: { __proto__: 'x', constructor: 'y' } as Record<string, string> }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '__proto__', retentionInDays: 7 }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups?.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([['__proto__', 7]]);
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '__proto__' }))).tags).toMatchObject({ constructor: 'y' });
    expect(({} as Record<string, unknown>).retentionInDays).toBeUndefined();
    logs.destroy();
  });

  it('are plain names in S3 buckets and object keys', async () => {
    const s3 = new S3Client({ ...clientConfig(sandbox.url, '000000000061'), forcePathStyle: true });
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'constructor' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await s3.send(new CreateBucketCommand({ Bucket: 'constructor' }));
    await s3.send(new PutObjectCommand({ Bucket: 'constructor', Key: '__proto__', Body: 'x' }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'constructor' }))).Contents?.map((o) => o.Key)).toEqual(['__proto__']);
    s3.destroy();
  });
});

describe('resources named after Object.prototype members, in state read back from disk', () => {
  it('are plain names to the changing and the reading requests after a restart', async () => {
    // A restart revives state maps with ordinary prototypes: each access must make them dictionaries again.
    const tmp = tempDir();
    let running = await startTestSandbox({ dataDir: tmp.dir });
    try {
      let ecs = new ECSClient(clientConfig(running.url, '000000000062'));
      await ecs.send(new CreateClusterCommand({ clusterName: 'first' }));
      ecs.destroy();
      await running.close();
      running = await startTestSandbox({ dataDir: tmp.dir });
      ecs = new ECSClient(clientConfig(running.url, '000000000062'));
      // A changing request first: it sees state through a tracking view.
      await expect(ecs.send(new DeleteClusterCommand({ cluster: 'toString' }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
      await ecs.send(new CreateClusterCommand({ clusterName: '__proto__' }));
      await ecs.send(new CreateClusterCommand({ clusterName: 'constructor' }));
      const described = await ecs.send(new DescribeClustersCommand({ clusters: ['__proto__', 'constructor', 'hasOwnProperty', 'first'] }));
      expect(described.clusters?.map((c) => c.clusterName)).toEqual(['__proto__', 'constructor', 'first']);
      expect(described.failures?.map((f) => f.reason)).toEqual(['MISSING']);
      ecs.destroy();
    } finally {
      await running.close();
      tmp.remove();
    }
  });
});
