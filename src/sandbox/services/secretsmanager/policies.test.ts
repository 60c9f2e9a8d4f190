import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  ValidateResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000051';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

let sandbox: RunningSandbox;
let sm: SecretsManagerClient;
let dbArn: string;
let decoyArn: string;

/** A Secrets Manager client acting as a session of a new role with `policy` as its only policy. */
async function asRole(name: string, policy: string): Promise<SecretsManagerClient> {
  return new SecretsManagerClient({ ...clientConfig(sandbox.url, ACCOUNT), credentials: await roleSession(sandbox.url, ACCOUNT, name, policy) });
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sm = new SecretsManagerClient(clientConfig(sandbox.url, ACCOUNT));
  dbArn = (await sm.send(new CreateSecretCommand({ Name: 'lab/orders/db-password', SecretString: 'orders-db-value' }))).ARN!;
  decoyArn = (await sm.send(new CreateSecretCommand({ Name: 'lab/other-team/api-key', SecretString: 'decoy-value' }))).ARN!;
});
afterAll(async () => {
  sm.destroy();
  await sandbox.close();
});

const denyRole = (role: string) => doc({ Effect: 'Deny', Principal: { AWS: roleArn(role) }, Action: 'secretsmanager:*', Resource: '*' });

describe('Secrets Manager resource policies', () => {
  it('puts, gets (as the JSON text given) and deletes a policy', async () => {
    const policy = denyRole('task-role');
    expect(await sm.send(new PutResourcePolicyCommand({ SecretId: 'lab/orders/db-password', ResourcePolicy: policy }))).toMatchObject({ ARN: dbArn, Name: 'lab/orders/db-password' });
    expect(await sm.send(new GetResourcePolicyCommand({ SecretId: dbArn }))).toMatchObject({ ARN: dbArn, Name: 'lab/orders/db-password', ResourcePolicy: policy });
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: 'lab/orders/db-password' }));
    const got = await sm.send(new GetResourcePolicyCommand({ SecretId: 'lab/orders/db-password' }));
    expect(got.ARN).toBe(dbArn);
    expect(got.ResourcePolicy).toBeUndefined();
    for (const command of [
      new PutResourcePolicyCommand({ SecretId: 'lab/ghost', ResourcePolicy: policy }),
      new GetResourcePolicyCommand({ SecretId: 'lab/ghost' }),
      new DeleteResourcePolicyCommand({ SecretId: 'lab/ghost' }),
    ]) {
      await expect(sm.send(command as never)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    }
  });

  it('refuses malformed policies with MalformedPolicyDocumentException', async () => {
    for (const bad of ['{not json', doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }), doc({ Effect: 'Maybe', Principal: '*', Action: 's:x', Resource: '*' })]) {
      await expect(sm.send(new PutResourcePolicyCommand({ SecretId: dbArn, ResourcePolicy: bad }))).rejects.toMatchObject({
        name: 'MalformedPolicyDocumentException',
        message: 'This policy has invalid syntax.',
      });
      await expect(sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: bad }))).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    }
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: dbArn }))).ResourcePolicy).toBeUndefined();
  });

  it('blocks broad access with BlockPublicPolicy, and ValidateResourcePolicy reports it', async () => {
    const everyone = doc({ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' });
    const everyoneAws = doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' });
    for (const policy of [everyone, everyoneAws]) {
      await expect(sm.send(new PutResourcePolicyCommand({ SecretId: dbArn, ResourcePolicy: policy, BlockPublicPolicy: true }))).rejects.toMatchObject({
        name: 'PublicPolicyException',
        message: expect.stringContaining('BlockPublicPolicy'),
      });
      const out = await sm.send(new ValidateResourcePolicyCommand({ SecretId: dbArn, ResourcePolicy: policy }));
      expect(out.PolicyValidationPassed).toBe(false);
      expect(out.ValidationErrors).toHaveLength(1);
    }
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: dbArn }))).ResourcePolicy).toBeUndefined();
    // Narrowed to the account, a Deny, or a named principal: not broad.
    const narrowed = doc({ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } });
    for (const policy of [narrowed, denyRole('x'), doc({ Effect: 'Allow', Principal: { AWS: roleArn('x') }, Action: 'secretsmanager:*', Resource: '*' })]) {
      expect(await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: policy }))).toMatchObject({ PolicyValidationPassed: true, ValidationErrors: [] });
      await sm.send(new PutResourcePolicyCommand({ SecretId: dbArn, ResourcePolicy: policy, BlockPublicPolicy: true }));
    }
    // Without BlockPublicPolicy AWS accepts a public policy ("By default, public policies aren't blocked").
    await sm.send(new PutResourcePolicyCommand({ SecretId: dbArn, ResourcePolicy: everyone }));
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: dbArn }));
  });
});

describe('Secrets Manager resource policy enforcement', () => {
  const readAll = doc({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:BatchGetSecretValue'], Resource: '*' });

  it('denies an assumed role that its identity policy allows when the secret policy denies it', async () => {
    const task = await asRole('task-role', readAll);
    expect((await task.send(new GetSecretValueCommand({ SecretId: dbArn }))).SecretString).toBe('orders-db-value');
    await sm.send(new PutResourcePolicyCommand({ SecretId: dbArn, ResourcePolicy: denyRole('task-role') }));
    for (const command of [new GetSecretValueCommand({ SecretId: dbArn }), new DescribeSecretCommand({ SecretId: 'lab/orders/db-password' }), new PutSecretValueCommand({ SecretId: dbArn, SecretString: 'x' })]) {
      await expect(task.send(command as never)).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringMatching(new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/task-role/alice is not authorized to perform: secretsmanager:\\w+ on resource: ${dbArn} with an explicit deny in a resource-based policy$`)),
      });
    }
    // Other secrets and other roles are untouched; the account root is never evaluated.
    expect((await task.send(new GetSecretValueCommand({ SecretId: decoyArn }))).SecretString).toBe('decoy-value');
    const exec = await asRole('exec-role', readAll);
    expect((await exec.send(new GetSecretValueCommand({ SecretId: dbArn }))).SecretString).toBe('orders-db-value');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: dbArn }))).SecretString).toBe('orders-db-value');
    task.destroy();
    exec.destroy();
  });

  it('grants same-account access through the secret policy alone', async () => {
    const none = await asRole('no-identity-grant', doc({ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }));
    await expect(none.send(new GetSecretValueCommand({ SecretId: decoyArn }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('because no identity-based policy allows the secretsmanager:GetSecretValue action'),
    });
    await sm.send(new PutResourcePolicyCommand({ SecretId: decoyArn, ResourcePolicy: doc({ Effect: 'Allow', Principal: { AWS: roleArn('no-identity-grant') }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }) }));
    expect((await none.send(new GetSecretValueCommand({ SecretId: decoyArn }))).SecretString).toBe('decoy-value');
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: decoyArn }));
    none.destroy();
  });

  it('authorises BatchGetSecretValue per secret, reporting a denied secret in Errors', async () => {
    const batch = await asRole('batch-role', readAll);
    await sm.send(new PutResourcePolicyCommand({ SecretId: dbArn, ResourcePolicy: denyRole('batch-role') }));
    const out = await batch.send(new BatchGetSecretValueCommand({ SecretIdList: [dbArn, decoyArn, 'lab/ghost'] }));
    expect(out.SecretValues!.map((v) => [v.ARN, v.SecretString])).toEqual([[decoyArn, 'decoy-value']]);
    expect(out.Errors!.map((e) => [e.SecretId, e.ErrorCode])).toEqual([
      [dbArn, 'AccessDeniedException'],
      ['lab/ghost', 'ResourceNotFoundException'],
    ]);
    const withoutGet = await asRole('batch-only', doc({ Effect: 'Allow', Action: 'secretsmanager:BatchGetSecretValue', Resource: '*' }));
    const none = await withoutGet.send(new BatchGetSecretValueCommand({ SecretIdList: [decoyArn] }));
    expect(none.SecretValues).toEqual([]);
    expect(none.Errors![0]).toMatchObject({ SecretId: decoyArn, ErrorCode: 'AccessDeniedException', Message: expect.stringContaining('secretsmanager:GetSecretValue') });
    // Filters also need secretsmanager:ListSecrets.
    await expect(withoutGet.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['lab/'] }] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('secretsmanager:ListSecrets'),
    });
    const noBatch = await asRole('get-only', doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }));
    await expect(noBatch.send(new BatchGetSecretValueCommand({ SecretIdList: [decoyArn] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    for (const c of [batch, withoutGet, noBatch]) c.destroy();
  });

  it('needs secretsmanager:PutResourcePolicy too for ValidateResourcePolicy', async () => {
    const validator = await asRole('validator', doc({ Effect: 'Allow', Action: 'secretsmanager:ValidateResourcePolicy', Resource: '*' }));
    await expect(validator.send(new ValidateResourcePolicyCommand({ ResourcePolicy: denyRole('x') }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('secretsmanager:PutResourcePolicy on resource: *'),
    });
    validator.destroy();
  });
});

describe('persistence of resource policies and version stages', () => {
  it('keeps a secret policy (still enforced) and moved stages across a restart', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new SecretsManagerClient(clientConfig(box.url, ACCOUNT));
      const first = (await client.send(new CreateSecretCommand({ Name: 'lab/kept', SecretString: 'one' }))).VersionId!;
      const second = (await client.send(new PutSecretValueCommand({ SecretId: 'lab/kept', SecretString: 'two' }))).VersionId!;
      await client.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/kept', VersionStage: 'AWSCURRENT', MoveToVersionId: first, RemoveFromVersionId: second }));
      const policy = doc({ Effect: 'Deny', Principal: { AWS: roleArn('kept-role') }, Action: 'secretsmanager:GetSecretValue', Resource: '*' });
      await client.send(new PutResourcePolicyCommand({ SecretId: 'lab/kept', ResourcePolicy: policy }));
      client.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new SecretsManagerClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new GetResourcePolicyCommand({ SecretId: 'lab/kept' }))).ResourcePolicy).toBe(policy);
      expect((await client.send(new DescribeSecretCommand({ SecretId: 'lab/kept' }))).VersionIdsToStages).toEqual({ [first]: ['AWSCURRENT'], [second]: ['AWSPREVIOUS'] });
      expect((await client.send(new GetSecretValueCommand({ SecretId: 'lab/kept' }))).SecretString).toBe('one');
      const previous = sandbox;
      sandbox = box;
      try {
        const kept = await asRole('kept-role', doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }));
        await expect(kept.send(new GetSecretValueCommand({ SecretId: 'lab/kept' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
        kept.destroy();
      } finally {
        sandbox = previous;
      }
      // A deleted secret's policy cannot be changed, as AWS refuses changes to it.
      await client.send(new DeleteSecretCommand({ SecretId: 'lab/kept', RecoveryWindowInDays: 7 }));
      await expect(client.send(new DeleteResourcePolicyCommand({ SecretId: 'lab/kept' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});
