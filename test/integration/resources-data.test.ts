/** Integration tests of the `logs-log-group`, `s3-bucket`, `secretsmanager-secret` and `ssm-parameter` kinds against moto_server. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResourceContext } from '../../src/resources/index.js';
import { logsLogGroup } from '../../src/resources/logs-log-group.js';
import { s3Bucket } from '../../src/resources/s3-bucket.js';
import { secretsmanagerSecret } from '../../src/resources/secretsmanager-secret.js';
import { ssmParameter } from '../../src/resources/ssm-parameter.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { resourceCtx, writesSince as writesSinceFor } from '../helpers/resources.js';

const SCENARIO = 'secrets';
const ACCOUNT = '123456789012';
const LAB_TAGS = { 'ecs-lab:managed': 'true', 'ecs-lab:scenario': SCENARIO };
let moto: Moto;
let ctx: ResourceContext;

function newCtx(scenario: string | null = SCENARIO): ResourceContext {
  return resourceCtx(moto.endpoint, scenario);
}

function writesSince(before: Record<string, number>): string[] {
  return writesSinceFor(ctx, before);
}

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  ctx = newCtx();
});

describe('logs-log-group', () => {
  const spec = { type: 'logs-log-group' as const, name: '/ecs-lab/tasks', retentionDays: 7 as const };

  it('creates the group with tags and retention, then finds it without writing', async () => {
    const created = await logsLogGroup.ensure(ctx, spec);
    expect(created).toMatchObject({ status: 'created', arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs-lab/tasks` });
    const logs = await ctx.aws.logs();
    const g = (await logs.describeLogGroups({ logGroupNamePrefix: '/ecs-lab/tasks' })).logGroups?.[0];
    expect(g?.retentionInDays).toBe(7);
    expect((await logs.listTagsForResource({ resourceArn: created.arn })).tags).toEqual(LAB_TAGS);

    const before = { ...ctx.aws.stats.byAction };
    expect(await logsLogGroup.ensure(ctx, spec)).toMatchObject({ status: 'found' });
    expect(writesSince(before)).toEqual([]);
  });

  it('finds and removes only lab-tagged groups; an untagged same-prefix group stays', async () => {
    const logs = await ctx.aws.logs();
    await logs.createLogGroup({ logGroupName: '/ecs-lab/tasks-mine' });
    await logsLogGroup.ensure(ctx, spec);
    const lab = await logsLogGroup.findLabTagged(ctx);
    expect(lab.map((g) => g.name)).toEqual(['/ecs-lab/tasks']);
    await logsLogGroup.remove(ctx, lab[0]!);
    expect((await logs.describeLogGroups({})).logGroups?.map((g) => g.logGroupName)).toEqual(['/ecs-lab/tasks-mine']);
  });

  it('refuses a name taken by an untagged group', async () => {
    const logs = await ctx.aws.logs();
    await logs.createLogGroup({ logGroupName: '/ecs-lab/tasks' });
    await expect(logsLogGroup.ensure(ctx, spec)).rejects.toMatchObject({ code: 'NOT_LAB_MANAGED' });
    expect(await logsLogGroup.lookup!(ctx, '/ecs-lab/tasks')).toMatchObject({ tags: {} });
  });

  it('accepts only the retention periods CloudWatch Logs allows', () => {
    expect(logsLogGroup.schema.safeParse({ ...spec, retentionDays: 10 }).success).toBe(false);
    expect(logsLogGroup.schema.safeParse({ ...spec, retentionDays: 365 }).success).toBe(true);
  });
});

describe('s3-bucket', () => {
  const spec = { type: 's3-bucket' as const, name: `lab-audit-${ACCOUNT}` };

  it('creates the bucket and tags it, then finds it without writing', async () => {
    const created = await s3Bucket.ensure(ctx, spec);
    expect(created).toMatchObject({ status: 'created', arn: `arn:aws:s3:::lab-audit-${ACCOUNT}` });
    const s3 = await ctx.aws.s3();
    expect((await s3.getBucketTagging({ Bucket: spec.name })).TagSet).toEqual(expect.arrayContaining([{ Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: SCENARIO }]));
    await expect(s3.getBucketPolicy({ Bucket: spec.name })).rejects.toMatchObject({ code: 'NoSuchBucketPolicy' });

    const before = { ...ctx.aws.stats.byAction };
    expect(await s3Bucket.ensure(ctx, spec)).toMatchObject({ status: 'found' });
    expect(writesSince(before)).toEqual([]);
  });

  it('finds only tagged buckets, and removes a lab bucket with its objects and versions', async () => {
    const s3 = await ctx.aws.s3();
    await s3.createBucket({ Bucket: 'my-bucket' }); // untagged: NoSuchTagSet
    await s3.putObject({ Bucket: 'my-bucket', Key: 'keep.txt', Body: 'x' });
    await s3Bucket.ensure(ctx, spec);
    await s3.putBucketVersioning({ Bucket: spec.name, VersioningConfiguration: { Status: 'Enabled' } });
    await s3.putObject({ Bucket: spec.name, Key: 'AWSLogs/a.json', Body: '1' });
    await s3.putObject({ Bucket: spec.name, Key: 'AWSLogs/a.json', Body: '2' });
    await s3.deleteObject({ Bucket: spec.name, Key: 'AWSLogs/a.json' }); // leaves a delete marker

    const lab = await s3Bucket.findLabTagged(ctx);
    expect(lab.map((b) => b.name)).toEqual([spec.name]);
    const removed = await s3Bucket.remove(ctx, lab[0]!);
    expect(removed).toEqual([`3 object version(s) in bucket ${spec.name}`, `bucket ${spec.name}`]);
    expect((await s3.listBuckets({})).Buckets?.map((b) => b.Name)).toEqual(['my-bucket']);
    expect((await s3.listObjectsV2({ Bucket: 'my-bucket' })).KeyCount).toBe(1);
  });

  it('refuses a name taken by an untagged bucket', async () => {
    const s3 = await ctx.aws.s3();
    await s3.createBucket({ Bucket: spec.name });
    await expect(s3Bucket.ensure(ctx, spec)).rejects.toMatchObject({ code: 'NOT_LAB_MANAGED' });
    expect((await s3.getBucketTagging({ Bucket: spec.name }).catch((e: { code: string }) => e.code))).toBe('NoSuchTagSet');
  });
});

describe('secretsmanager-secret', () => {
  const VALUE = 'decoy-value-9f3a';
  const spec = { type: 'secretsmanager-secret' as const, name: 'lab/other-team/api-key', secretString: VALUE, description: 'decoy' };

  it('creates the tagged secret without echoing its value, then finds it without writing or reading the value', async () => {
    const created = await secretsmanagerSecret.ensure(ctx, spec);
    expect(created.status).toBe('created');
    expect(created.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:lab\/other-team\/api-key-/);
    expect(JSON.stringify(created)).not.toContain(VALUE);
    const sm = await ctx.aws.secretsManager();
    const d = await sm.describeSecret({ SecretId: spec.name });
    expect(d.Description).toBe('decoy');
    expect(d.Tags).toEqual(expect.arrayContaining([{ Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: SCENARIO }]));
    expect((await sm.getSecretValue({ SecretId: spec.name })).SecretString).toBe(VALUE);

    const before = { ...ctx.aws.stats.byAction };
    const again = await secretsmanagerSecret.ensure(ctx, spec);
    expect(again).toMatchObject({ status: 'found', arn: created.arn });
    expect(JSON.stringify(await secretsmanagerSecret.findLabTagged(ctx))).not.toContain(VALUE);
    expect(writesSince(before)).toEqual([]);
    expect(ctx.aws.stats.byAction['secretsmanager:GetSecretValue']).toBe(before['secretsmanager:GetSecretValue']);
  });

  it('finds and force-deletes only lab-tagged secrets', async () => {
    const sm = await ctx.aws.secretsManager();
    await sm.createSecret({ Name: 'my-secret', SecretString: 'mine' });
    await secretsmanagerSecret.ensure(ctx, spec);
    const lab = await secretsmanagerSecret.findLabTagged(ctx);
    expect(lab.map((s) => s.name)).toEqual([spec.name]);
    await secretsmanagerSecret.remove(ctx, lab[0]!);
    await expect(sm.describeSecret({ SecretId: spec.name })).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    expect((await sm.describeSecret({ SecretId: 'my-secret' })).DeletedDate).toBeUndefined();
    // Forced, not scheduled: the name is free for the next start at once.
    expect((await secretsmanagerSecret.ensure(ctx, spec)).status).toBe('created');
  });

  it('brings back its own secret when it is scheduled for deletion (the name is still taken)', async () => {
    const sm = await ctx.aws.secretsManager();
    const created = await secretsmanagerSecret.ensure(ctx, spec);
    await sm.deleteSecret({ SecretId: spec.name, RecoveryWindowInDays: 7 });
    expect(await secretsmanagerSecret.ensure(ctx, spec)).toMatchObject({ status: 'created', arn: created.arn });
    expect((await sm.describeSecret({ SecretId: spec.name })).DeletedDate).toBeUndefined();
  });

  it('refuses a name taken by an untagged secret', async () => {
    const sm = await ctx.aws.secretsManager();
    await sm.createSecret({ Name: spec.name, SecretString: 'theirs' });
    await expect(secretsmanagerSecret.ensure(ctx, spec)).rejects.toMatchObject({ code: 'NOT_LAB_MANAGED' });
    expect((await sm.getSecretValue({ SecretId: spec.name })).SecretString).toBe('theirs');
  });
});

describe('ssm-parameter', () => {
  const spec = { type: 'ssm-parameter' as const, name: '/lab/auth/db-password', parameterType: 'SecureString' as const, value: 'p4ss', description: 'db' };

  it('creates the tagged parameter, then finds it without writing', async () => {
    const created = await ssmParameter.ensure(ctx, spec);
    expect(created).toMatchObject({ status: 'created', arn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/auth/db-password` });
    expect(JSON.stringify(created)).not.toContain('p4ss');
    const ssm = await ctx.aws.ssm();
    const p = (await ssm.getParameter({ Name: spec.name, WithDecryption: true })).Parameter;
    expect(p).toMatchObject({ Type: 'SecureString', Value: 'p4ss' });
    expect((await ssm.listTagsForResource({ ResourceType: 'Parameter', ResourceId: spec.name })).TagList).toEqual(
      expect.arrayContaining([{ Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: SCENARIO }]),
    );

    const before = { ...ctx.aws.stats.byAction };
    expect(await ssmParameter.ensure(ctx, spec)).toMatchObject({ status: 'found' });
    expect(writesSince(before)).toEqual([]);
  });

  it('finds and removes only lab-tagged parameters', async () => {
    const ssm = await ctx.aws.ssm();
    await ssm.putParameter({ Name: '/lab/auth/mine', Type: 'String', Value: 'x' });
    await ssmParameter.ensure(ctx, spec);
    await ssmParameter.ensure(ctx, { ...spec, name: 'lab-plain', parameterType: 'String' });
    const lab = await ssmParameter.findLabTagged(ctx);
    expect(lab.map((p) => [p.name, p.arn]).sort()).toEqual([
      ['/lab/auth/db-password', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/auth/db-password`],
      ['lab-plain', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab-plain`],
    ]);
    for (const p of lab) await ssmParameter.remove(ctx, p);
    expect((await ssm.describeParameters({})).Parameters?.map((p) => p.Name)).toEqual(['/lab/auth/mine']);
  });

  it('refuses a name taken by an untagged parameter, leaving its value', async () => {
    const ssm = await ctx.aws.ssm();
    await ssm.putParameter({ Name: spec.name, Type: 'String', Value: 'theirs' });
    await expect(ssmParameter.ensure(ctx, spec)).rejects.toMatchObject({ code: 'NOT_LAB_MANAGED' });
    expect((await ssm.getParameter({ Name: spec.name })).Parameter?.Value).toBe('theirs');
  });
});
