import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let sm: SecretsManagerClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sm = new SecretsManagerClient(clientConfig(sandbox.url, '000000000021'));
});
afterAll(async () => {
  sm.destroy();
  await sandbox.close();
});

const ARN = /^arn:aws:secretsmanager:us-east-1:000000000021:secret:lab\/orders\/db-password-[A-Za-z0-9]{6}$/;

describe('Secrets Manager: create, describe, get', () => {
  let arn: string;

  it('creates a secret with a six-character random ARN suffix and an AWSCURRENT version', async () => {
    const out = await sm.send(
      new CreateSecretCommand({ Name: 'lab/orders/db-password', SecretString: 's3cret', Description: 'orders DB', Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }),
    );
    expect(out.ARN).toMatch(ARN);
    expect(out.Name).toBe('lab/orders/db-password');
    expect(out.VersionId).toBeTruthy();
    arn = out.ARN!;
  });

  it('refuses a second secret with the same name', async () => {
    await expect(sm.send(new CreateSecretCommand({ Name: 'lab/orders/db-password', SecretString: 'x' }))).rejects.toMatchObject({ name: 'ResourceExistsException' });
    await expect(sm.send(new CreateSecretCommand({ Name: 'bad name!' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('finds a secret by name, full ARN and partial ARN', async () => {
    const partial = arn.slice(0, -7);
    for (const id of ['lab/orders/db-password', arn, partial]) {
      const out = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      expect(out).toMatchObject({ ARN: arn, SecretString: 's3cret', VersionStages: ['AWSCURRENT'] });
    }
    await expect(sm.send(new GetSecretValueCommand({ SecretId: `${arn.slice(0, -6)}XXXXXX` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('describes a secret with its tags and version stages', async () => {
    const out = await sm.send(new DescribeSecretCommand({ SecretId: arn }));
    expect(out).toMatchObject({ Name: 'lab/orders/db-password', Description: 'orders DB', RotationEnabled: false, Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] });
    expect(Object.values(out.VersionIdsToStages!)).toEqual([['AWSCURRENT']]);
    expect(out.CreatedDate).toBeInstanceOf(Date);
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'ghost' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('keeps binary secrets binary', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'lab/binary', SecretBinary: new Uint8Array([0, 1, 2, 255]) }));
    const out = await sm.send(new GetSecretValueCommand({ SecretId: 'lab/binary' }));
    expect([...out.SecretBinary!]).toEqual([0, 1, 2, 255]);
    expect(out.SecretString).toBeUndefined();
    await expect(sm.send(new CreateSecretCommand({ Name: 'lab/both', SecretString: 'a', SecretBinary: new Uint8Array([1]) }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

describe('Secrets Manager: versions', () => {
  let first: string;
  let second: string;

  it('moves AWSCURRENT to a put value and leaves AWSPREVIOUS behind', async () => {
    first = (await sm.send(new CreateSecretCommand({ Name: 'lab/rotating', SecretString: 'v1' }))).VersionId!;
    const put = await sm.send(new PutSecretValueCommand({ SecretId: 'lab/rotating', SecretString: 'v2' }));
    second = put.VersionId!;
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'lab/rotating' }));
    expect(described.VersionIdsToStages).toEqual({ [first]: ['AWSPREVIOUS'], [second]: ['AWSCURRENT'] });
    await expect(sm.send(new PutSecretValueCommand({ SecretId: 'lab/ghost', SecretString: 'x' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('gets a value by VersionStage and by VersionId', async () => {
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'lab/rotating', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('v1');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'lab/rotating', VersionId: first }))).SecretString).toBe('v1');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'lab/rotating', VersionId: second, VersionStage: 'AWSCURRENT' }))).SecretString).toBe('v2');
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'lab/rotating', VersionStage: 'AWSPENDING' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'lab/rotating', VersionId: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('is idempotent on a repeated ClientRequestToken and refuses to change that version', async () => {
    const token = 'a'.repeat(32);
    const a = await sm.send(new PutSecretValueCommand({ SecretId: 'lab/rotating', SecretString: 'v3', ClientRequestToken: token }));
    const b = await sm.send(new PutSecretValueCommand({ SecretId: 'lab/rotating', SecretString: 'v3', ClientRequestToken: token }));
    expect(b.VersionId).toBe(a.VersionId);
    await expect(sm.send(new PutSecretValueCommand({ SecretId: 'lab/rotating', SecretString: 'other', ClientRequestToken: token }))).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
  });

  it('updates the description and, with a value, the current version', async () => {
    const out = await sm.send(new UpdateSecretCommand({ SecretId: 'lab/rotating', Description: 'rotated', SecretString: 'v4' }));
    expect(out.VersionId).toBeTruthy();
    const got = await sm.send(new GetSecretValueCommand({ SecretId: 'lab/rotating' }));
    expect(got.SecretString).toBe('v4');
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'lab/rotating' }))).Description).toBe('rotated');
    await expect(sm.send(new UpdateSecretCommand({ SecretId: 'lab/ghost', Description: 'x' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers a secret without a value with ResourceNotFoundException', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'lab/empty' }));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'lab/empty' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('Secrets Manager: delete and restore', () => {
  it('schedules deletion with a recovery window; a deleted secret cannot be read', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'lab/other-team/api-key', SecretString: 'k' }));
    const out = await sm.send(new DeleteSecretCommand({ SecretId: 'lab/other-team/api-key', RecoveryWindowInDays: 7 }));
    const days = (out.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'lab/other-team/api-key' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(sm.send(new PutSecretValueCommand({ SecretId: 'lab/other-team/api-key', SecretString: 'x' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'lab/other-team/api-key' }))).DeletedDate).toBeInstanceOf(Date);
    await expect(sm.send(new CreateSecretCommand({ Name: 'lab/other-team/api-key' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('validates the recovery window options', async () => {
    await expect(sm.send(new DeleteSecretCommand({ SecretId: 'lab/rotating', RecoveryWindowInDays: 3 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(sm.send(new DeleteSecretCommand({ SecretId: 'lab/rotating', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(sm.send(new DeleteSecretCommand({ SecretId: 'lab/ghost' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('restores a scheduled secret', async () => {
    const out = await sm.send(new RestoreSecretCommand({ SecretId: 'lab/other-team/api-key' }));
    expect(out.Name).toBe('lab/other-team/api-key');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'lab/other-team/api-key' }))).SecretString).toBe('k');
    await expect(sm.send(new RestoreSecretCommand({ SecretId: 'lab/ghost' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('deletes at once with ForceDeleteWithoutRecovery, freeing the name', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'lab/temp', SecretString: 't' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'lab/temp', ForceDeleteWithoutRecovery: true }));
    await expect(sm.send(new DescribeSecretCommand({ SecretId: 'lab/temp' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await sm.send(new CreateSecretCommand({ Name: 'lab/temp', SecretString: 't2' }));
  });
});

describe('Secrets Manager: list and tags', () => {
  it('tags and untags a secret', async () => {
    await sm.send(new TagResourceCommand({ SecretId: 'lab/rotating', Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'env', Value: 'prod' }] }));
    await sm.send(new UntagResourceCommand({ SecretId: 'lab/rotating', TagKeys: ['env'] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'lab/rotating' }))).Tags).toEqual([{ Key: 'team', Value: 'orders' }]);
    await expect(sm.send(new TagResourceCommand({ SecretId: 'lab/ghost', Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(sm.send(new UntagResourceCommand({ SecretId: 'lab/ghost', TagKeys: ['a'] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(sm.send(new TagResourceCommand({ SecretId: 'lab/rotating', Tags: [{ Key: 'aws:x', Value: 'b' }] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('filters by name prefix, tag key, tag value and negation', async () => {
    const names = async (filters: { Key: 'name' | 'tag-key' | 'tag-value' | 'description' | 'all'; Values: string[] }[]) =>
      ((await sm.send(new ListSecretsCommand({ Filters: filters, SortOrder: 'asc', SortBy: 'name' }))).SecretList ?? []).map((s) => s.Name);
    expect(await names([{ Key: 'name', Values: ['lab/orders'] }])).toEqual(['lab/orders/db-password']);
    expect(await names([{ Key: 'tag-key', Values: ['ecs-lab:'] }])).toEqual(['lab/orders/db-password']);
    expect(await names([{ Key: 'tag-value', Values: ['orders'] }])).toEqual(['lab/rotating']);
    expect(await names([{ Key: 'name', Values: ['lab/'] }, { Key: 'name', Values: ['!lab/r', '!lab/b', '!lab/e', '!lab/t'] }])).toEqual(['lab/orders/db-password', 'lab/other-team/api-key']);
    expect(await names([{ Key: 'description', Values: ['ORDERS'] }])).toEqual(['lab/orders/db-password']);
    await expect(sm.send(new ListSecretsCommand({ Filters: [{ Key: 'colour' as never, Values: ['x'] }] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('hides secrets scheduled for deletion unless asked', async () => {
    await sm.send(new DeleteSecretCommand({ SecretId: 'lab/empty' }));
    const visible = (await sm.send(new ListSecretsCommand({}))).SecretList!.map((s) => s.Name);
    expect(visible).not.toContain('lab/empty');
    const all = (await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList!;
    expect(all.find((s) => s.Name === 'lab/empty')?.DeletedDate).toBeInstanceOf(Date);
  });

  it('pages with MaxResults and NextToken', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await sm.send(new ListSecretsCommand({ MaxResults: 2, NextToken: token, SortOrder: 'asc', SortBy: 'name' }));
      expect(page.SecretList!.length).toBeLessThanOrEqual(2);
      seen.push(...page.SecretList!.map((s) => s.Name!));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual([...seen].sort());
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    await expect(sm.send(new ListSecretsCommand({ NextToken: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });
});
