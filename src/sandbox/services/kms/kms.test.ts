import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { awsCli, clientConfig, hasAwsCli, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000031';
let sandbox: RunningSandbox;
let kms: KMSClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  kms = new KMSClient(clientConfig(sandbox.url, ACCOUNT));
});
afterAll(async () => {
  kms?.destroy();
  await sandbox?.close();
});

const newKey = async (description = 'lab key') => (await kms.send(new CreateKeyCommand({ Description: description }))).KeyMetadata!;

describe('KMS keys', () => {
  it('creates a symmetric customer managed key and describes it by id, ARN, alias and alias ARN', async () => {
    const key = await newKey();
    expect(key).toMatchObject({
      AWSAccountId: ACCOUNT,
      Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${key.KeyId}`,
      Enabled: true,
      Description: 'lab key',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    });
    expect(key.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/lab-secrets', TargetKeyId: key.Arn }));
    for (const id of [key.KeyId!, key.Arn!, 'alias/lab-secrets', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/lab-secrets`]) {
      expect((await kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyId).toBe(key.KeyId);
    }
  });

  it('answers NotFoundException in AWS words for an unknown key or alias', async () => {
    await expect(kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Key 'arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555' does not exist`,
    });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/nope is not found.`,
    });
  });

  it('lists keys in pages', async () => {
    const other = new KMSClient(clientConfig(sandbox.url, '000000000032'));
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await other.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
      const first = await other.send(new ListKeysCommand({ Limit: 2 }));
      expect(first.Keys).toHaveLength(2);
      expect(first.Truncated).toBe(true);
      const rest = await other.send(new ListKeysCommand({ Limit: 2, Marker: first.NextMarker }));
      expect(rest.Truncated).toBe(false);
      expect([...first.Keys!, ...rest.Keys!].map((k) => k.KeyId).sort()).toEqual([...ids].sort());
      expect(rest.Keys![0]!.KeyArn).toBe(`arn:aws:kms:us-east-1:000000000032:key/${rest.Keys![0]!.KeyId}`);
      await expect(other.send(new ListKeysCommand({ Marker: 'not-a-marker' }))).rejects.toMatchObject({ name: 'InvalidMarkerException' });
    } finally {
      other.destroy();
    }
  });

  it('disables, enables, schedules and cancels deletion with the key states AWS reports', async () => {
    const key = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    await kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 6 }))).rejects.toMatchObject({ name: 'ValidationException' });
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: key.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
    await expect(kms.send(new EnableKeyCommand({ KeyId: key.KeyId }))).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: key.KeyId }))).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    expect(await kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }))).toMatchObject({ KeyId: key.Arn });
    // A cancelled deletion leaves the key disabled, as in AWS.
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    await expect(kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }))).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
  });

  it('turns automatic rotation on and off; a disabled key refuses it', async () => {
    const key = await newKey();
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).toMatchObject({ KeyRotationEnabled: false, KeyId: key.Arn });
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 30 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 180 }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });
    expect(status.NextRotationDate!.getTime() - Date.now()).toBeGreaterThan(179 * 86_400_000);
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }))).rejects.toMatchObject({ name: 'DisabledException' });
  });

  it('keeps AWS default key policy, replaces it with PutKeyPolicy and refuses a malformed one', async () => {
    const key = await newKey();
    const policy = await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }));
    expect(policy.PolicyName).toBe('default');
    expect(JSON.parse(policy.Policy!).Statement[0]).toEqual({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' });
    await expect(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: '{not json' }))).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    const replaced = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: replaced }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy).toBe(replaced);
  });

  it('tags keys, pages the tags and refuses the aws: prefix', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'ecs-lab:managed', TagValue: 'true' }] }))).KeyMetadata!;
    await kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'team', TagValue: 'orders' }] }));
    const first = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Limit: 1 }));
    expect(first).toMatchObject({ Tags: [{ TagKey: 'ecs-lab:managed', TagValue: 'true' }], Truncated: true });
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId, Marker: first.NextMarker }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'orders' }]);
    await kms.send(new UntagResourceCommand({ KeyId: key.KeyId, TagKeys: ['team'] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags).toEqual([{ TagKey: 'ecs-lab:managed', TagValue: 'true' }]);
    await expect(kms.send(new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] }))).rejects.toMatchObject({ name: 'TagException' });
  });
});

describe('KMS aliases', () => {
  it('creates, lists, retargets and deletes aliases; AWS predefined aliases list without a target', async () => {
    const [a, b] = [await newKey('a'), await newKey('b')];
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: a.KeyId }));
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: b.KeyId }))).rejects.toMatchObject({ name: 'AlreadyExistsException' });
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: b.KeyId }))).rejects.toMatchObject({ name: 'InvalidAliasNameException' });
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'orders', TargetKeyId: b.KeyId }))).rejects.toMatchObject({ name: 'InvalidAliasNameException' });
    // TargetKeyId takes a key id or key ARN, never another alias.
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/other', TargetKeyId: 'alias/orders' }))).rejects.toMatchObject({ name: 'NotFoundException' });

    const all = (await kms.send(new ListAliasesCommand({}))).Aliases!;
    expect(all.find((x) => x.AliasName === 'alias/orders')).toMatchObject({ AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/orders`, TargetKeyId: a.KeyId });
    const predefined = all.find((x) => x.AliasName === 'alias/aws/secretsmanager')!;
    expect(predefined.AliasArn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/secretsmanager`);
    expect(predefined.TargetKeyId).toBeUndefined();
    expect((await kms.send(new ListAliasesCommand({ KeyId: a.KeyId }))).Aliases!.map((x) => x.AliasName)).toEqual(['alias/orders']);

    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: b.Arn }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/orders' }))).KeyMetadata!.KeyId).toBe(b.KeyId);
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/orders' }));
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/orders' }))).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(kms.send(new DeleteAliasCommand({ AliasName: 'alias/orders' }))).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('KMS permissions and Secrets Manager customer keys', () => {
  it('authorises a role session on the key ARN, through an alias too, and applies the key policy', async () => {
    const account = '000000000033';
    const root = new KMSClient(clientConfig(sandbox.url, account));
    try {
      const [allowed, other] = [(await root.send(new CreateKeyCommand({}))).KeyMetadata!, (await root.send(new CreateKeyCommand({}))).KeyMetadata!];
      await root.send(new CreateAliasCommand({ AliasName: 'alias/allowed', TargetKeyId: allowed.KeyId }));
      const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: allowed.Arn }] });
      const session = new KMSClient({ ...clientConfig(sandbox.url), credentials: await roleSession(sandbox.url, account, 'key-reader', policy) });
      try {
        expect((await session.send(new DescribeKeyCommand({ KeyId: 'alias/allowed' }))).KeyMetadata!.KeyId).toBe(allowed.KeyId);
        await expect(session.send(new DescribeKeyCommand({ KeyId: other.KeyId }))).rejects.toMatchObject({
          name: 'AccessDeniedException',
          message: expect.stringContaining(`is not authorized to perform: kms:DescribeKey on resource: ${other.Arn}`),
        });
        // An explicit Deny in the key policy wins over the identity policy's Allow.
        const deny = JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
            { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${account}:role/key-reader` }, Action: 'kms:DescribeKey', Resource: '*' },
          ],
        });
        await root.send(new PutKeyPolicyCommand({ KeyId: allowed.KeyId, Policy: deny }));
        await expect(session.send(new DescribeKeyCommand({ KeyId: allowed.KeyId }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
      } finally {
        session.destroy();
      }
    } finally {
      root.destroy();
    }
  });

  it('gives IAM policies no effect on a key whose policy does not allow the account; the key policy\'s own grants still count', async () => {
    const account = '000000000037';
    const root = new KMSClient(clientConfig(sandbox.url, account));
    const sm = new SecretsManagerClient(clientConfig(sandbox.url, account));
    try {
      const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
      const grants = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
      const keyPolicy = grants(
        { Sid: 'Key administrators', Effect: 'Allow', Principal: { AWS: role('key-admin') }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Readers', Effect: 'Allow', Principal: { AWS: role('reader') }, Action: ['kms:DescribeKey', 'kms:Decrypt'], Resource: '*' },
      );
      const key = (await root.send(new CreateKeyCommand({ Policy: keyPolicy }))).KeyMetadata!;
      await sm.send(new CreateSecretCommand({ Name: 'lab/strict', SecretString: 'strict-value', KmsKeyId: key.Arn }));
      const everything = grants({ Effect: 'Allow', Action: ['kms:*', 'secretsmanager:GetSecretValue'], Resource: '*' });
      const nothing = grants({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' });
      const iamOnlyCredentials = await roleSession(sandbox.url, account, 'iam-only', everything);
      const iamOnly = new KMSClient({ ...clientConfig(sandbox.url), credentials: iamOnlyCredentials });
      const iamOnlySecrets = new SecretsManagerClient({ ...clientConfig(sandbox.url), credentials: iamOnlyCredentials });
      const reader = new SecretsManagerClient({ ...clientConfig(sandbox.url), credentials: await roleSession(sandbox.url, account, 'reader', nothing) });
      try {
        // kms:* in an identity policy is not enough: the key policy does not delegate to IAM.
        await expect(iamOnly.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).rejects.toMatchObject({
          name: 'AccessDeniedException',
          message: expect.stringContaining(`kms:DescribeKey on resource: ${key.Arn} because no resource-based policy allows the kms:DescribeKey action`),
        });
        await expect(iamOnlySecrets.send(new GetSecretValueCommand({ SecretId: 'lab/strict' }))).rejects.toMatchObject({ name: 'AccessDeniedException', message: 'Access to KMS is not allowed' });
        // The key policy's grant to the role is enough on its own.
        expect((await reader.send(new GetSecretValueCommand({ SecretId: 'lab/strict' }))).SecretString).toBe('strict-value');
        // Adding the account statement delegates to IAM: now the identity policy counts.
        const delegated = grants({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });
        await root.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: delegated }));
        expect((await iamOnly.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyId).toBe(key.KeyId);
        expect((await iamOnlySecrets.send(new GetSecretValueCommand({ SecretId: 'lab/strict' }))).SecretString).toBe('strict-value');
      } finally {
        for (const c of [iamOnly, iamOnlySecrets, reader]) c.destroy();
      }
    } finally {
      root.destroy();
      sm.destroy();
    }
  });

  it('lets a role read a secret under a customer key only with kms:Decrypt on that key, and only while the key is enabled', async () => {
    const account = '000000000034';
    const root = new KMSClient(clientConfig(sandbox.url, account));
    const sm = new SecretsManagerClient(clientConfig(sandbox.url, account));
    const iam = new IAMClient(clientConfig(sandbox.url, account));
    try {
      const key = (await root.send(new CreateKeyCommand({}))).KeyMetadata!;
      await root.send(new CreateAliasCommand({ AliasName: 'alias/orders-db', TargetKeyId: key.KeyId }));
      const secret = await sm.send(new CreateSecretCommand({ Name: 'lab/orders/db', SecretString: 's3cret', KmsKeyId: 'alias/orders-db' }));
      const managed = await sm.send(new CreateSecretCommand({ Name: 'lab/orders/managed', SecretString: 'other', KmsKeyId: 'alias/aws/secretsmanager' }));
      const readSecrets = { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [secret.ARN, managed.ARN] };
      const credentials = await roleSession(sandbox.url, account, 'exec', JSON.stringify({ Version: '2012-10-17', Statement: [readSecrets] }));
      const session = new SecretsManagerClient({ ...clientConfig(sandbox.url), credentials });
      try {
        await expect(session.send(new GetSecretValueCommand({ SecretId: 'lab/orders/db' }))).rejects.toMatchObject({ name: 'AccessDeniedException', message: 'Access to KMS is not allowed' });
        // The AWS managed key needs no grant.
        expect((await session.send(new GetSecretValueCommand({ SecretId: 'lab/orders/managed' }))).SecretString).toBe('other');
        const decrypt = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.Arn };
        await iam.send(new PutRolePolicyCommand({ RoleName: 'exec', PolicyName: 'main', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [readSecrets, decrypt] }) }));
        expect((await session.send(new GetSecretValueCommand({ SecretId: 'lab/orders/db' }))).SecretString).toBe('s3cret');
        await root.send(new DisableKeyCommand({ KeyId: key.KeyId }));
        await expect(session.send(new GetSecretValueCommand({ SecretId: 'lab/orders/db' }))).rejects.toMatchObject({ name: 'DecryptionFailure' });
        await expect(sm.send(new GetSecretValueCommand({ SecretId: 'lab/orders/db' }))).rejects.toMatchObject({ name: 'DecryptionFailure' });
      } finally {
        session.destroy();
      }
    } finally {
      for (const c of [root, sm, iam]) c.destroy();
    }
  });

  it('records KMS calls as CloudTrail events of kms.amazonaws.com', async () => {
    const account = '000000000035';
    const root = new KMSClient(clientConfig(sandbox.url, account));
    const trail = new CloudTrailClient(clientConfig(sandbox.url, account));
    try {
      await root.send(new CreateKeyCommand({ Description: 'audited' }));
      const events = (await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] }))).Events!;
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!.CloudTrailEvent!)).toMatchObject({ eventSource: 'kms.amazonaws.com', eventName: 'CreateKey', readOnly: false });
    } finally {
      root.destroy();
      trail.destroy();
    }
  });
});

describe('KMS state on disk', () => {
  it('keeps keys, aliases, policies, rotation and tags across a restart', async () => {
    const tmp = tempDir();
    try {
      let running = await startTestSandbox({ dataDir: tmp.dir });
      let client = new KMSClient(clientConfig(running.url, ACCOUNT));
      const key = (await client.send(new CreateKeyCommand({ Description: 'kept', Tags: [{ TagKey: 'k', TagValue: 'v' }] }))).KeyMetadata!;
      await client.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: key.KeyId }));
      await client.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
      client.destroy();
      await running.close();

      running = await startTestSandbox({ dataDir: tmp.dir });
      client = new KMSClient(clientConfig(running.url, ACCOUNT));
      try {
        expect((await client.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata).toMatchObject({ KeyId: key.KeyId, Description: 'kept', KeyState: 'Enabled' });
        expect((await client.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).KeyRotationEnabled).toBe(true);
        expect((await client.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags).toEqual([{ TagKey: 'k', TagValue: 'v' }]);
      } finally {
        client.destroy();
        await running.close();
      }
    } finally {
      tmp.remove();
    }
  });
});

const cliAvailable = await hasAwsCli();
describe.skipIf(!cliAvailable)('the real AWS CLI against KMS', { timeout: 60_000 }, () => {
  const aws = awsCli(() => sandbox.url, '000000000036');
  it('creates a key and an alias, and describes the key by its alias', async () => {
    const created = await aws('kms', 'create-key', '--description', 'cli key', '--tags', 'TagKey=ecs-lab:managed,TagValue=true');
    expect(created.code).toBe(0);
    const keyId = JSON.parse(created.stdout).KeyMetadata.KeyId as string;
    expect((await aws('kms', 'create-alias', '--alias-name', 'alias/cli', '--target-key-id', keyId)).code).toBe(0);
    const described = await aws('kms', 'describe-key', '--key-id', 'alias/cli');
    expect(JSON.parse(described.stdout).KeyMetadata).toMatchObject({ KeyId: keyId, Description: 'cli key', KeyState: 'Enabled' });
    const missing = await aws('kms', 'describe-key', '--key-id', 'alias/missing');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(NotFoundException)');
  });
});
