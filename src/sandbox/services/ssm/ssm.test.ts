import { CreateLaunchTemplateCommand, DescribeImagesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ssm: SSMClient;

const AL2023 = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended';

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ssm = new SSMClient(clientConfig(sandbox.url, '000000000022'));
});
afterAll(async () => {
  ssm.destroy();
  await sandbox.close();
});

describe('SSM public ECS-optimized AMI parameters', () => {
  it('serves the recommended AL2023 AMI as JSON and per field, equal to the image EC2 seeds', async () => {
    const json = JSON.parse((await ssm.send(new GetParameterCommand({ Name: AL2023 }))).Parameter!.Value!);
    expect(json).toMatchObject({ schema_version: 1, os: 'Amazon Linux 2023', image_name: expect.stringMatching(/^al2023-ami-ecs-hvm-.*-x86_64$/) });
    expect(Object.keys(json).sort()).toEqual(['ecs_agent_version', 'ecs_runtime_version', 'image_id', 'image_name', 'os', 'schema_version', 'source_image_name']);
    const id = (await ssm.send(new GetParameterCommand({ Name: `${AL2023}/image_id` }))).Parameter!;
    expect(id.Value).toBe(json.image_id);
    expect(id.ARN).toBe(`arn:aws:ssm:us-east-1::parameter${AL2023}/image_id`);
    const ec2 = new EC2Client(clientConfig(sandbox.url, '000000000022'));
    const images = await ec2.send(new DescribeImagesCommand({ ImageIds: [json.image_id] }));
    expect(images.Images?.[0]?.Name).toBe(json.image_name);
    ec2.destroy();
  });

  it('serves arm64 and Amazon Linux 2 variants, older per-name parameters, and reads them by path', async () => {
    const names = [`${AL2023.replace('/recommended', '/arm64/recommended')}`, '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended', '/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended'];
    const got = await ssm.send(new GetParametersCommand({ Names: [...names, '/aws/service/ecs/optimized-ami/nope'] }));
    expect(got.Parameters!.map((p) => JSON.parse(p.Value!).image_name as string)).toEqual([
      expect.stringMatching(/arm64$/),
      expect.stringMatching(/^amzn2-ami-ecs-hvm-.*-x86_64-ebs$/),
      expect.stringMatching(/^amzn2-ami-ecs-hvm-.*-arm64-ebs$/),
    ]);
    expect(got.InvalidParameters).toEqual(['/aws/service/ecs/optimized-ami/nope']);
    const old = await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2/amzn2-ami-ecs-hvm-2.0.20240109-x86_64-ebs/image_id' }));
    expect(old.Parameter?.Value).toMatch(/^ami-[0-9a-f]{17}$/);
    const byPath = await ssm.send(new GetParametersByPathCommand({ Path: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended' }));
    expect(byPath.Parameters!.map((p) => p.Name!.split('/').pop())).toContain('image_id');
  });

  it('is read-only and answers unknown public names with ParameterNotFound', async () => {
    await expect(ssm.send(new PutParameterCommand({ Name: AL2023, Value: 'x', Type: 'String', Overwrite: true }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new DeleteParameterCommand({ Name: AL2023 }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/nope' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('is what EC2 launch templates resolve with resolve:ssm:', async () => {
    const ec2 = new EC2Client(clientConfig(sandbox.url, '000000000022'));
    const arm = (await ssm.send(new GetParameterCommand({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id' }))).Parameter!.Value!;
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'arm-hosts', LaunchTemplateData: { ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id' } }));
    const out = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'arm-hosts', ResolveAlias: true }));
    expect(out.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId).toBe(arm);
    await ssm.send(new PutParameterCommand({ Name: '/lab/golden-ami', Value: arm, Type: 'String', DataType: 'aws:ec2:image' }));
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'golden', LaunchTemplateData: { ImageId: 'resolve:ssm:/lab/golden-ami' } }));
    const golden = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'golden', ResolveAlias: true }));
    expect(golden.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId).toBe(arm);
    ec2.destroy();
  });
});

describe('SSM parameters: put and get', () => {
  it('creates String, StringList and SecureString parameters with versions', async () => {
    expect(await ssm.send(new PutParameterCommand({ Name: '/lab/auth/db-host', Value: 'db.internal', Type: 'String', Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }))).toMatchObject({ Version: 1, Tier: 'Standard' });
    await ssm.send(new PutParameterCommand({ Name: '/lab/auth/hosts', Value: 'a,b,c', Type: 'StringList' }));
    await ssm.send(new PutParameterCommand({ Name: '/lab/auth/db-password', Value: 'hunter2', Type: 'SecureString' }));
    const v2 = await ssm.send(new PutParameterCommand({ Name: '/lab/auth/db-host', Value: 'db2.internal', Overwrite: true }));
    expect(v2.Version).toBe(2);
    const got = (await ssm.send(new GetParameterCommand({ Name: '/lab/auth/db-host' }))).Parameter!;
    expect(got).toMatchObject({ Name: '/lab/auth/db-host', Type: 'String', Value: 'db2.internal', Version: 2, DataType: 'text', ARN: 'arn:aws:ssm:us-east-1:000000000022:parameter/lab/auth/db-host' });
    expect((await ssm.send(new GetParameterCommand({ Name: '/lab/auth/db-host:1' }))).Parameter).toMatchObject({ Value: 'db.internal', Selector: ':1', Version: 1 });
  });

  it('reads a parameter by ARN (as ECS valueFrom gives it), in this account only', async () => {
    const arn = 'arn:aws:ssm:us-east-1:000000000022:parameter/lab/auth/db-host';
    expect((await ssm.send(new GetParameterCommand({ Name: arn }))).Parameter?.Value).toBe('db2.internal');
    expect((await ssm.send(new GetParametersCommand({ Names: [`${arn}:1`] }))).Parameters?.[0]?.Value).toBe('db.internal');
    await expect(ssm.send(new GetParameterCommand({ Name: arn.replace('000000000022', '000000000099') }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('refuses duplicates, reserved names, tags with overwrite and unknown versions', async () => {
    await expect(ssm.send(new PutParameterCommand({ Name: '/lab/auth/db-host', Value: 'x', Type: 'String' }))).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
    await expect(ssm.send(new PutParameterCommand({ Name: 'ssm-thing', Value: 'x', Type: 'String' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new PutParameterCommand({ Name: 'a/b', Value: 'x', Type: 'String' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new PutParameterCommand({ Name: `/${'x/'.repeat(15)}y`, Value: 'x', Type: 'String' }))).rejects.toMatchObject({ name: 'HierarchyLevelLimitExceededException' });
    await expect(ssm.send(new PutParameterCommand({ Name: '/lab/auth/db-host', Value: 'x', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new PutParameterCommand({ Name: '/lab/x', Value: 'x', Type: 'SecureString', KeyId: 'not a key' }))).rejects.toMatchObject({ name: 'InvalidKeyId' });
    await expect(ssm.send(new GetParameterCommand({ Name: '/lab/auth/db-host:9' }))).rejects.toMatchObject({ name: 'ParameterVersionNotFound' });
    await expect(ssm.send(new GetParameterCommand({ Name: '/lab/none' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('returns SecureString values encrypted unless WithDecryption is set, with the default key alias/aws/ssm', async () => {
    const hidden = (await ssm.send(new GetParameterCommand({ Name: '/lab/auth/db-password' }))).Parameter!;
    expect(hidden.Type).toBe('SecureString');
    expect(hidden.Value).not.toContain('hunter2');
    expect(hidden.Value).toMatch(/^AQICAH[A-Za-z0-9+/=]+$/);
    expect((await ssm.send(new GetParameterCommand({ Name: '/lab/auth/db-password', WithDecryption: true }))).Parameter!.Value).toBe('hunter2');
    const meta = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/lab/auth/db-password'] }] }));
    expect(meta.Parameters?.[0]).toMatchObject({ Type: 'SecureString', KeyId: 'alias/aws/ssm', Version: 1 });
  });

  it('gets several parameters and lists the invalid ones', async () => {
    const out = await ssm.send(new GetParametersCommand({ Names: ['/lab/auth/hosts', '/lab/auth/db-password', '/lab/missing', '/lab/auth/hosts:7'], WithDecryption: true }));
    expect(out.Parameters!.map((p) => [p.Name, p.Value])).toEqual([
      ['/lab/auth/hosts', 'a,b,c'],
      ['/lab/auth/db-password', 'hunter2'],
    ]);
    expect(out.InvalidParameters).toEqual(['/lab/missing', '/lab/auth/hosts:7']);
    await expect(ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('gets parameters by path, one level or recursively, with pagination', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/lab/auth/deep/one', Value: '1', Type: 'String' }));
    const names = async (recursive: boolean) => {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await ssm.send(new GetParametersByPathCommand({ Path: '/lab/auth', Recursive: recursive, MaxResults: 2, NextToken: token }));
        out.push(...page.Parameters!.map((p) => p.Name!));
        token = page.NextToken;
      } while (token);
      return out;
    };
    expect(await names(false)).toEqual(['/lab/auth/db-host', '/lab/auth/db-password', '/lab/auth/hosts']);
    expect(await names(true)).toEqual(['/lab/auth/db-host', '/lab/auth/db-password', '/lab/auth/deep/one', '/lab/auth/hosts']);
    const secure = await ssm.send(new GetParametersByPathCommand({ Path: '/lab', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }] }));
    expect(secure.Parameters!.map((p) => p.Name)).toEqual(['/lab/auth/db-password']);
    await expect(ssm.send(new GetParametersByPathCommand({ Path: '/lab', MaxResults: 11 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new GetParametersByPathCommand({ Path: '/lab', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'InvalidFilterKey' });
    await expect(ssm.send(new GetParametersByPathCommand({ Path: '/lab', NextToken: 'bogus' }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });

  it('keeps the history of every version', async () => {
    const out = await ssm.send(new GetParameterHistoryCommand({ Name: '/lab/auth/db-host' }));
    expect(out.Parameters!.map((p) => [p.Version, p.Value])).toEqual([
      [1, 'db.internal'],
      [2, 'db2.internal'],
    ]);
    expect(out.Parameters![0]!.LastModifiedUser).toBe('arn:aws:iam::000000000022:root');
    await expect(ssm.send(new GetParameterHistoryCommand({ Name: '/lab/none' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });
});

describe('SSM parameters: describe, tags, delete', () => {
  it('describes with Name BeginsWith, Path, Type and tag filters', async () => {
    const names = async (filters: { Key: string; Option?: string; Values?: string[] }[]) =>
      (await ssm.send(new DescribeParametersCommand({ ParameterFilters: filters }))).Parameters!.map((p) => p.Name);
    expect(await names([{ Key: 'Name', Option: 'BeginsWith', Values: ['/lab/auth/db'] }])).toEqual(['/lab/auth/db-host', '/lab/auth/db-password']);
    expect(await names([{ Key: 'Path', Option: 'Recursive', Values: ['/lab/auth'] }, { Key: 'Type', Values: ['StringList'] }])).toEqual(['/lab/auth/hosts']);
    expect(await names([{ Key: 'tag:ecs-lab:managed', Values: ['true'] }])).toEqual(['/lab/auth/db-host']);
    expect(await names([{ Key: 'tag:ecs-lab:managed' }])).toEqual(['/lab/auth/db-host']);
    await expect(names([{ Key: 'Colour', Values: ['x'] }])).rejects.toMatchObject({ name: 'InvalidFilterKey' });
    await expect(names([{ Key: 'Name', Option: 'Recursive', Values: ['x'] }])).rejects.toMatchObject({ name: 'InvalidFilterOption' });
  });

  it('pages DescribeParameters', async () => {
    const first = await ssm.send(new DescribeParametersCommand({ MaxResults: 2 }));
    expect(first.Parameters).toHaveLength(2);
    const second = await ssm.send(new DescribeParametersCommand({ MaxResults: 50, NextToken: first.NextToken }));
    expect(second.Parameters!.map((p) => p.Name)).not.toContain(first.Parameters![0]!.Name);
    await expect(ssm.send(new DescribeParametersCommand({ MaxResults: 51 }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('adds, lists and removes tags on a Parameter', async () => {
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/auth/hosts', Tags: [{ Key: 'team', Value: 'auth' }, { Key: 'env', Value: 'dev' }] }));
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/auth/hosts', TagKeys: ['env'] }));
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/auth/hosts' }))).TagList).toEqual([{ Key: 'team', Value: 'auth' }]);
    await expect(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/none' }))).rejects.toMatchObject({ name: 'InvalidResourceId' });
    await expect(ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Document', ResourceId: 'x', Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({ name: 'InvalidResourceType' });
    await expect(
      ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/auth/hosts', Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })),
    ).rejects.toMatchObject({ name: 'TooManyTagsError' });
    await expect(ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/lab/none', TagKeys: ['a'] }))).rejects.toMatchObject({ name: 'InvalidResourceId' });
  });

  it('deletes one parameter, then several, reporting the ones it did not find', async () => {
    await ssm.send(new DeleteParameterCommand({ Name: '/lab/auth/deep/one' }));
    await expect(ssm.send(new DeleteParameterCommand({ Name: '/lab/auth/deep/one' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    const out = await ssm.send(new DeleteParametersCommand({ Names: ['/lab/auth/hosts', '/lab/nope'] }));
    expect(out).toMatchObject({ DeletedParameters: ['/lab/auth/hosts'], InvalidParameters: ['/lab/nope'] });
    await expect(ssm.send(new DeleteParametersCommand({ Names: [] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
