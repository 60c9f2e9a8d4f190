import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { issueKey, startSandbox } from '../../index.js';
import { clientConfig, hasAwsCli, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '222233334444';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const cliAvailable = await hasAwsCli();

let sandbox: RunningSandbox;
let sts: STSClient;

function client<T>(Client: new (config: object) => T, credentials: Creds, url = sandbox.url): T {
  return new Client({ ...clientConfig(url, ACCOUNT), credentials });
}

async function sessionToken(from: STSClient = sts, input: ConstructorParameters<typeof GetSessionTokenCommand>[0] = {}): Promise<Creds & { expiration: Date }> {
  const { Credentials: c } = await from.send(new GetSessionTokenCommand(input));
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken!, expiration: c!.Expiration! };
}

/** Seconds between now and an expiration, rounded (the response carries whole seconds). */
function lifetime(expiration: Date): number {
  return Math.round((expiration.getTime() - Date.now()) / 1000);
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sts = new STSClient(clientConfig(sandbox.url, ACCOUNT));
});
afterAll(async () => {
  sts.destroy();
  await sandbox.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sts:GetSessionToken', () => {
  it('issues ASIA credentials that act as the caller, the account root', async () => {
    const creds = await sessionToken();
    expect(creds.accessKeyId).toMatch(new RegExp(`^ASIA${ACCOUNT}[A-Z0-9]{4}$`));
    expect(creds.secretAccessKey).toHaveLength(40);
    expect(creds.sessionToken!.length).toBeGreaterThan(100);
    const who = await client(STSClient, creds).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: ACCOUNT, Arn: ROOT, UserId: ACCOUNT });
    // A follow-up call in another protocol family acts in the root's account, unevaluated.
    const ecs = client(ECSClient, creds);
    await ecs.send(new CreateClusterCommand({ clusterName: 'via-session-token' }));
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toContain(`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/via-session-token`);
    ecs.destroy();
  });

  it('lets the session assume a role that trusts the root, as the root could', async () => {
    const iam = new IAMClient(clientConfig(sandbox.url, ACCOUNT));
    await iam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }) }));
    iam.destroy();
    const out = await client(STSClient, await sessionToken()).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/ops`, RoleSessionName: 'from-token' }));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/ops/from-token`);
  });

  it('gives the root an hour at most: the 12-hour default and longer requests become one hour', async () => {
    expect(lifetime((await sessionToken()).expiration)).toBeCloseTo(3600, -1);
    expect(lifetime((await sessionToken(sts, { DurationSeconds: 7200 })).expiration)).toBeCloseTo(3600, -1);
    expect(lifetime((await sessionToken(sts, { DurationSeconds: 129600 })).expiration)).toBeCloseTo(3600, -1);
    expect(lifetime((await sessionToken(sts, { DurationSeconds: 900 })).expiration)).toBeCloseTo(900, -1);
  });

  it('bounds DurationSeconds by 900..129600 with STS validation messages', async () => {
    await expect(sessionToken(sts, { DurationSeconds: 899 })).rejects.toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(sessionToken(sts, { DurationSeconds: 129601 })).rejects.toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
    });
  });

  it('accepts an MFA serial number and token code (not checked: the sandbox has no MFA devices)', async () => {
    const creds = await sessionToken(sts, { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`, TokenCode: '123456' });
    await expect(client(STSClient, creds).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: ROOT });
  });

  it('refuses session credentials, from GetSessionToken and from AssumeRole alike', async () => {
    const refusal = { name: 'AccessDenied', message: 'Cannot call GetSessionToken with session credentials', $metadata: { httpStatusCode: 403 } };
    await expect(sessionToken(client(STSClient, await sessionToken()))).rejects.toMatchObject(refusal);
    const iam = new IAMClient(clientConfig(sandbox.url, ACCOUNT));
    await iam.send(new CreateRoleCommand({ RoleName: 'no-perms', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) }));
    // Even a role allowed everything is refused: the credential kind decides, not a policy.
    await iam.send(new PutRolePolicyCommand({ RoleName: 'no-perms', PolicyName: 'all', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    iam.destroy();
    const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/no-perms`, RoleSessionName: 's1' }))).Credentials!;
    const roleCreds = { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken! };
    await expect(sessionToken(client(STSClient, roleCreds))).rejects.toMatchObject(refusal);
  });

  it('rejects the session key with a wrong secret, a wrong token or no token, per protocol family', async () => {
    const creds = await sessionToken();
    await expect(client(STSClient, { ...creds, secretAccessKey: 'forged' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(client(STSClient, { ...creds, sessionToken: 'other' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
    await expect(client(STSClient, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    await expect(client(ECSClient, { ...creds, secretAccessKey: 'forged' }).send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    await expect(client(ECSClient, { ...creds, sessionToken: 'other' }).send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('expires: ExpiredToken (query) / ExpiredTokenException (JSON)', async () => {
    const creds = await sessionToken(sts, { DurationSeconds: 900 });
    await expect(client(STSClient, creds).send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 16 * 60_000);
    await expect(client(STSClient, creds).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(client(ECSClient, creds).send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'ExpiredTokenException', $metadata: { httpStatusCode: 400 } });
  });

  it('is a CloudTrail write event whose credentials are redacted', async () => {
    const creds = await sessionToken();
    const trails = new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT));
    const events = (await trails.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetSessionToken' }] }))).Events ?? [];
    trails.destroy();
    // The response (with the new key id) is recorded, as for any call that is not read-only.
    const event = events.find((e) => e.CloudTrailEvent?.includes(creds.accessKeyId));
    expect(event).toBeDefined();
    expect(event?.ReadOnly).toBe('false');
    expect(event?.CloudTrailEvent).not.toContain(creds.secretAccessKey);
    expect(event?.CloudTrailEvent).not.toContain(creds.sessionToken);
  });
});

describe('GetSessionToken sessions across a restart', () => {
  it('keeps working with the same data dir, like AssumeRole sessions', async () => {
    const data = tempDir();
    try {
      let persistent = await startTestSandbox({ dataDir: data.dir });
      const root = new STSClient(clientConfig(persistent.url, ACCOUNT));
      const iam = new IAMClient(clientConfig(persistent.url, ACCOUNT));
      await iam.send(new CreateRoleCommand({ RoleName: 'keeper', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }) }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'keeper', PolicyName: 'who', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }) }));
      iam.destroy();
      // An AssumeRole session first, so that the STS state exists when GetSessionToken adds to it.
      const assumed = (await root.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/keeper`, RoleSessionName: 'kept' }))).Credentials!;
      const roleCreds = { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken! };
      const creds = await sessionToken(root);
      root.destroy();
      await persistent.close();

      persistent = await startTestSandbox({ dataDir: data.dir });
      try {
        await expect(client(STSClient, roleCreds, persistent.url).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/keeper/kept` });
        await expect(client(STSClient, creds, persistent.url).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: ROOT, UserId: ACCOUNT });
        await expect(client(STSClient, { ...creds, sessionToken: 'other' }, persistent.url).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
      } finally {
        await persistent.close();
      }
    } finally {
      data.remove();
    }
  });
});

describe('GetSessionToken under --auth sigv4', () => {
  it('issues session credentials to an issued key; their signatures are verified', async () => {
    const strict = await startSandbox({ port: 0, auth: 'sigv4' });
    try {
      const key = issueKey(strict);
      const config = { endpoint: strict.url, region: 'us-east-1', maxAttempts: 1 };
      const creds = await sessionToken(new STSClient({ ...config, credentials: key }));
      const who = await new STSClient({ ...config, credentials: creds }).send(new GetCallerIdentityCommand({}));
      expect(who).toMatchObject({ Account: key.account, Arn: `arn:aws:iam::${key.account}:root` });
      await expect(new STSClient({ ...config, credentials: { ...creds, secretAccessKey: 'forged' } }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
      await expect(sessionToken(new STSClient({ ...config, credentials: creds }))).rejects.toMatchObject({ name: 'AccessDenied' });
    } finally {
      await strict.close();
    }
  });

  it.skipIf(!cliAvailable)('works for the real AWS CLI: get-session-token, then AWS_SESSION_TOKEN', { timeout: 60_000 }, async () => {
    const strict = await startSandbox({ port: 0, auth: 'sigv4' });
    try {
      const key = issueKey(strict);
      const aws = async (credentials: Creds, ...args: string[]) => {
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_PAGER: '',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        };
        delete env.AWS_SESSION_TOKEN;
        delete env.AWS_PROFILE;
        if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
        const { stdout } = await promisify(execFile)('aws', ['--endpoint-url', strict.url, '--output', 'json', ...args], { env, timeout: 30_000 });
        return JSON.parse(stdout) as Record<string, Record<string, string>>;
      };
      const out = await aws(key, 'sts', 'get-session-token', '--duration-seconds', '900');
      const c = out.Credentials!;
      expect(c.AccessKeyId).toMatch(/^ASIA/);
      const who = await aws({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }, 'sts', 'get-caller-identity');
      expect(who).toMatchObject({ Account: key.account, Arn: `arn:aws:iam::${key.account}:root` });
    } finally {
      await strict.close();
    }
  });
});
