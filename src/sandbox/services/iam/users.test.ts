import { GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { issueKey, startSandbox } from '../../index.js';
import type { SessionCredentials as Creds } from '../../test-helpers.js';
import { clientConfig, roleSession, startTestSandbox } from '../../test-helpers.js';

const ACCOUNT = '333344445555';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

let sandbox: RunningSandbox;
let iam: IAMClient;

function iamAs(credentials: Creds): IAMClient {
  return new IAMClient({ ...clientConfig(sandbox.url, ACCOUNT), credentials });
}

/** A role trusted by the account, with one inline policy, and a session of it. */
async function sessionOf(name: string, statements: object[]): Promise<Creds> {
  return roleSession(sandbox.url, ACCOUNT, name, statements.length ? doc(...statements) : undefined, 'learner');
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  iam = new IAMClient(clientConfig(sandbox.url, ACCOUNT));
});
afterAll(async () => {
  iam.destroy();
  await sandbox.close();
});

describe('iam:GetUser', () => {
  it('describes the root for the account\'s own keys: its ARN, the account id, no UserName or Path', async () => {
    const { User } = await iam.send(new GetUserCommand({}));
    expect(User).toEqual({ UserId: ACCOUNT, Arn: ROOT, CreateDate: expect.any(Date) });
    // The same date every time.
    expect((await iam.send(new GetUserCommand({}))).User?.CreateDate).toEqual(User?.CreateDate);
  });

  it('describes the root for a GetSessionToken session of the root too', async () => {
    const sts = new STSClient(clientConfig(sandbox.url, ACCOUNT));
    const c = (await sts.send(new GetSessionTokenCommand({}))).Credentials!;
    sts.destroy();
    const client = iamAs({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    await expect(client.send(new GetUserCommand({}))).resolves.toMatchObject({ User: { UserId: ACCOUNT, Arn: ROOT } });
    client.destroy();
  });

  it('answers an assumed-role session without a UserName with IAM\'s ValidationError, whatever its policies', async () => {
    const error = { name: 'ValidationError', message: 'Must specify userName when calling with non-User credentials', $metadata: { httpStatusCode: 400 } };
    const bare = iamAs(await sessionOf('bare', []));
    await expect(bare.send(new GetUserCommand({}))).rejects.toMatchObject(error);
    const admin = iamAs(await sessionOf('admin', [{ Effect: 'Allow', Action: '*', Resource: '*' }]));
    await expect(admin.send(new GetUserCommand({}))).rejects.toMatchObject(error);
    bare.destroy();
    admin.destroy();
  });

  it('answers a named user with NoSuchEntity (404): the sandbox has no IAM users', async () => {
    await expect(iam.send(new GetUserCommand({ UserName: 'alice' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      Code: 'NoSuchEntity',
      message: 'The user with name alice cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('authorises a session\'s GetUser on the user ARN', async () => {
    const client = iamAs(await sessionOf('user-reader', [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/alice` }]));
    await expect(client.send(new GetUserCommand({ UserName: 'alice' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    await expect(client.send(new GetUserCommand({ UserName: 'bob' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/user-reader/learner is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${ACCOUNT}:user/bob because no identity-based policy allows the iam:GetUser action`,
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });
});

describe('iam:ListUsers', () => {
  it('lists no users, with or without PathPrefix and MaxItems', async () => {
    const listed = await iam.send(new ListUsersCommand({}));
    expect(listed.Users).toEqual([]);
    expect(listed.IsTruncated).toBe(false);
    expect(listed.Marker).toBeUndefined();
    await expect(iam.send(new ListUsersCommand({ PathPrefix: '/division_abc/', MaxItems: 5 }))).resolves.toMatchObject({ Users: [], IsTruncated: false });
  });

  it('reads Marker as ListRoles does: a marker it never issued is a ValidationError', async () => {
    await expect(iam.send(new ListUsersCommand({ Marker: 'not-a-marker' }))).rejects.toMatchObject({ name: 'ValidationError', message: 'Invalid Marker.', $metadata: { httpStatusCode: 400 } });
  });

  it('authorises a session\'s ListUsers on arn:aws:iam::<account>:user/, as AWS\'s denials name it', async () => {
    const bare = iamAs(await sessionOf('lister-none', []));
    await expect(bare.send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/lister-none/learner is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`,
    });
    const allowed = iamAs(await sessionOf('lister', [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: `arn:aws:iam::${ACCOUNT}:user/*` }]));
    await expect(allowed.send(new ListUsersCommand({}))).resolves.toMatchObject({ Users: [] });
    bare.destroy();
    allowed.destroy();
  });
});

describe('users under --auth sigv4', () => {
  it('describes the root of an issued key\'s account', async () => {
    const strict = await startSandbox({ port: 0, auth: 'sigv4' });
    try {
      const key = issueKey(strict);
      const client = new IAMClient({ endpoint: strict.url, region: 'us-east-1', maxAttempts: 1, credentials: key });
      await expect(client.send(new GetUserCommand({}))).resolves.toMatchObject({ User: { UserId: key.account, Arn: `arn:aws:iam::${key.account}:root` } });
      await expect(client.send(new ListUsersCommand({}))).resolves.toMatchObject({ Users: [] });
      client.destroy();
    } finally {
      await strict.close();
    }
  });
});
