import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedKey, RunningSandbox } from './index.js';
import { deleteKey, issueKey, lookupKey, rotateKey, startSandbox } from './index.js';
import { fakeAuth, rawRequest, startTestSandbox, tempDir } from './test-helpers.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function config(url: string, credentials: Creds, extra: { systemClockOffset?: number } = {}) {
  return { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra };
}

const clients = {
  json: (url: string, c: Creds, extra?: { systemClockOffset?: number }) => new ECSClient(config(url, c, extra)),
  query: (url: string, c: Creds, extra?: { systemClockOffset?: number }) => new IAMClient(config(url, c, extra)),
  sts: (url: string, c: Creds, extra?: { systemClockOffset?: number }) => new STSClient(config(url, c, extra)),
  ec2: (url: string, c: Creds, extra?: { systemClockOffset?: number }) => new EC2Client(config(url, c, extra)),
  s3: (url: string, c: Creds, extra?: { systemClockOffset?: number }) => new S3Client({ ...config(url, c, extra), forcePathStyle: true }),
};

/** One call per protocol family, so a test can ask "what does each family answer". */
async function call(family: keyof typeof clients, url: string, c: Creds, extra?: { systemClockOffset?: number }): Promise<unknown> {
  const client = clients[family](url, c, extra);
  try {
    if (family === 'json') return await (client as ECSClient).send(new ListClustersCommand({}));
    if (family === 'query') return await (client as IAMClient).send(new ListRolesCommand({}));
    if (family === 'sts') return await (client as STSClient).send(new GetCallerIdentityCommand({}));
    if (family === 'ec2') return await (client as EC2Client).send(new DescribeVpcsCommand({}));
    return await (client as S3Client).send(new ListBucketsCommand({}));
  } finally {
    client.destroy();
  }
}

describe('--auth sigv4', () => {
  let sandbox: RunningSandbox;
  let data: ReturnType<typeof tempDir>;
  let key: IssuedKey;

  beforeAll(async () => {
    data = tempDir();
    sandbox = await startSandbox({ port: 0, dataDir: data.dir, auth: 'sigv4' });
    key = issueKey(sandbox, '123456789012');
  });
  afterAll(async () => {
    await sandbox.close();
    data.remove();
  });

  it('accepts requests signed with an issued key, in every protocol family', async () => {
    const good = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    await expect(call('json', sandbox.url, good)).resolves.toMatchObject({ clusterArns: [] });
    await expect(call('query', sandbox.url, good)).resolves.toMatchObject({ Roles: [] });
    await expect(call('sts', sandbox.url, good)).resolves.toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root' });
    await expect(call('ec2', sandbox.url, good)).resolves.toMatchObject({ Vpcs: [expect.objectContaining({ IsDefault: true })] });
    await expect(call('s3', sandbox.url, good)).resolves.toMatchObject({ Buckets: [] });
  });

  it('verifies S3 object calls whose keys need escaping', async () => {
    const s3 = clients.s3(sandbox.url, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
    await s3.send(new CreateBucketCommand({ Bucket: 'lab-signed' }));
    const Key = 'reports/2026 Q4/résumé+notes (final).txt';
    await s3.send(new PutObjectCommand({ Bucket: 'lab-signed', Key, Body: 'hello' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'lab-signed', Prefix: 'reports/2026 Q4/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([Key]);
    s3.destroy();
  });

  it('answers a wrong secret with each protocol family\'s code and status', async () => {
    const bad = { accessKeyId: key.accessKeyId, secretAccessKey: 'wrong-secret' };
    await expect(call('json', sandbox.url, bad)).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    await expect(call('query', sandbox.url, bad)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(call('sts', sandbox.url, bad)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(call('ec2', sandbox.url, bad)).rejects.toMatchObject({ name: 'AuthFailure', $metadata: { httpStatusCode: 401 } });
    await expect(call('s3', sandbox.url, bad)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
  });

  it('answers an unknown key with InvalidClientTokenId / UnrecognizedClientException / InvalidAccessKeyId', async () => {
    const unknown = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
    await expect(call('json', sandbox.url, unknown)).rejects.toMatchObject({ name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    await expect(call('query', sandbox.url, unknown)).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
    await expect(call('ec2', sandbox.url, unknown)).rejects.toMatchObject({ name: 'AuthFailure' });
    await expect(call('s3', sandbox.url, unknown)).rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    // A 12-digit key is an account in open mode only.
    await expect(call('sts', sandbox.url, { accessKeyId: '123456789012', secretAccessKey: 'test' })).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('rejects a request signed more than 15 minutes off the server clock', async () => {
    const skewed = { systemClockOffset: -20 * 60_000 };
    const good = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    await expect(call('json', sandbox.url, good, skewed)).rejects.toMatchObject({ name: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/) });
    await expect(call('sts', sandbox.url, good, skewed)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', message: expect.stringContaining('Signature expired') });
    await expect(call('ec2', sandbox.url, good, skewed)).rejects.toMatchObject({ name: 'RequestExpired' });
    await expect(call('s3', sandbox.url, good, skewed)).rejects.toMatchObject({ name: 'RequestTimeTooSkewed', $metadata: { httpStatusCode: 403 } });
    await expect(call('json', sandbox.url, good, { systemClockOffset: 20 * 60_000 })).rejects.toMatchObject({ message: expect.stringContaining('Signature not yet current') });
    // Within the window is fine.
    await expect(call('json', sandbox.url, good, { systemClockOffset: -10 * 60_000 })).resolves.toBeDefined();
  });

  it('answers an unsigned request with MissingAuthenticationToken(Exception)', async () => {
    const json = await rawRequest(sandbox.url, { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' }, body: '{}' });
    expect(json.status).toBe(400);
    expect(JSON.parse(json.body)).toMatchObject({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    const query = await rawRequest(sandbox.url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListRoles&Version=2010-05-08' });
    expect(query.status).toBe(403);
    expect(query.body).toContain('<Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message>');
    const ec2 = await rawRequest(sandbox.url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeVpcs&Version=2016-11-15' });
    expect(ec2.body).toContain('<Response><Errors><Error><Code>MissingAuthenticationToken</Code>');
    // S3 serves anonymous callers; the sandbox's buckets are all private.
    const s3 = await rawRequest(sandbox.url, { method: 'GET', path: '/' });
    expect(s3.status).toBe(403);
    expect(s3.body).toContain('<Code>AccessDenied</Code>');
    // A signature the server cannot read is malformed, not missing.
    const garbled = await rawRequest(sandbox.url, { headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 nonsense' }, body: 'Action=ListRoles&Version=2010-05-08' });
    expect(garbled.body).toContain('<Code>IncompleteSignature</Code>');
  });

  it('exempts the unsigned STS operations', async () => {
    const res = await rawRequest(sandbox.url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/x&RoleSessionName=s&WebIdentityToken=t',
    });
    expect(res.body).not.toContain('MissingAuthenticationToken');
  });

  it('rejects a forged signature that reuses a valid one with another body', async () => {
    // Sign a real request, then replay its headers with a different body.
    let captured: Record<string, string> = {};
    let body = '';
    const client = new IAMClient(config(sandbox.url, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string>; body: string };
        captured = { ...request.headers };
        body = String(request.body);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'capture' },
    );
    await client.send(new ListRolesCommand({}));
    client.destroy();
    const { host: _host, 'content-length': _length, ...headers } = captured;
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    // The same bytes again verify (the server recomputes the signature from the wire request)...
    expect((await rawRequest(sandbox.url, { headers, body })).status).toBe(200);
    // ...another body does not.
    const replay = await rawRequest(sandbox.url, { headers, body: 'Action=ListRoles&Version=2010-05-08&MaxItems=1' });
    expect(replay.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('issued keys', () => {
  let sandbox: RunningSandbox;
  let data: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    data = tempDir();
    sandbox = await startSandbox({ port: 0, dataDir: data.dir, auth: 'sigv4' });
  });
  afterAll(async () => {
    await sandbox.close();
    data.remove();
  });

  it('issues, rotates and deletes keys through the control endpoint', async () => {
    const issued = await rawRequest(sandbox.url, { path: '/_ecs-lab/keys', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: '210987654321' }) });
    expect(issued.status).toBe(201);
    const key = JSON.parse(issued.body) as IssuedKey;
    expect(key).toMatchObject({ accessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/), account: '210987654321' });
    expect(key.secretAccessKey).toHaveLength(40);
    await expect(call('sts', sandbox.url, key)).resolves.toMatchObject({ Account: '210987654321' });

    const rotated = JSON.parse((await rawRequest(sandbox.url, { path: `/_ecs-lab/keys/${key.accessKeyId}/rotate` })).body) as IssuedKey;
    expect(rotated.accessKeyId).toBe(key.accessKeyId);
    expect(rotated.secretAccessKey).not.toBe(key.secretAccessKey);
    await expect(call('sts', sandbox.url, key)).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await expect(call('sts', sandbox.url, rotated)).resolves.toMatchObject({ Account: '210987654321' });

    const listed = JSON.parse((await rawRequest(sandbox.url, { method: 'GET', path: '/_ecs-lab/keys' })).body) as { keys: Record<string, string>[] };
    expect(listed.keys).toEqual([expect.objectContaining({ accessKeyId: key.accessKeyId, account: '210987654321' })]);
    expect(JSON.stringify(listed)).not.toContain(rotated.secretAccessKey);

    expect((await rawRequest(sandbox.url, { method: 'DELETE', path: `/_ecs-lab/keys/${key.accessKeyId}` })).status).toBe(200);
    expect((await rawRequest(sandbox.url, { method: 'DELETE', path: `/_ecs-lab/keys/${key.accessKeyId}` })).status).toBe(404);
    await expect(call('sts', sandbox.url, rotated)).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('issues a key for a new account when none is named, and validates the body', async () => {
    const res = await rawRequest(sandbox.url, { path: '/_ecs-lab/keys' });
    const key = JSON.parse(res.body) as IssuedKey;
    expect(key.account).toMatch(/^[1-9][0-9]{11}$/);
    expect((await rawRequest(sandbox.url, { path: '/_ecs-lab/keys', body: '{"account":"12"}' })).status).toBe(400);
    expect((await rawRequest(sandbox.url, { path: '/_ecs-lab/keys', body: 'not json' })).status).toBe(400);
  });

  it('keeps keys across restarts in a file only its owner can read', async () => {
    const key = issueKey(sandbox, '333333333333');
    const file = join(data.dir, 'keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(key.accessKeyId);
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, dataDir: data.dir, auth: 'sigv4' });
    await expect(call('sts', sandbox.url, key)).resolves.toMatchObject({ Account: '333333333333' });
    expect(lookupKey(sandbox, key.accessKeyId)).toEqual({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, account: '333333333333' });
    const rotated = rotateKey(sandbox, key.accessKeyId)!;
    await expect(call('sts', sandbox.url, rotated)).resolves.toBeDefined();
    expect(lookupKey(sandbox, key.accessKeyId)?.secretAccessKey).toBe(rotated.secretAccessKey);
    expect(deleteKey(sandbox, key.accessKeyId)).toBe(true);
    expect(rotateKey(sandbox, key.accessKeyId)).toBeUndefined();
    expect(lookupKey(sandbox, key.accessKeyId)).toBeUndefined();
    expect(() => issueKey(sandbox, 'not-an-account')).toThrow(/12 digits/);
  });
});

describe('--auth open', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('accepts any key and signature; 12-digit keys select the account', async () => {
    await expect(call('sts', sandbox.url, { accessKeyId: '444455556666', secretAccessKey: 'anything' })).resolves.toMatchObject({ Account: '444455556666' });
    await expect(call('sts', sandbox.url, { accessKeyId: 'test', secretAccessKey: 'test' })).resolves.toMatchObject({ Account: '000000000000' });
    const forged = await rawRequest(sandbox.url, { headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: fakeAuth('iam') }, body: 'Action=ListRoles&Version=2010-05-08' });
    expect(forged.status).toBe(200);
  });

  it('maps an issued key to its account without checking its signature', async () => {
    const key = issueKey(sandbox, '777788889999');
    await expect(call('sts', sandbox.url, { accessKeyId: key.accessKeyId, secretAccessKey: 'not-the-secret' })).resolves.toMatchObject({ Account: '777788889999' });
  });

  it('still rejects a session key that AssumeRole never issued', async () => {
    await expect(call('json', sandbox.url, { accessKeyId: 'ASIA000000000000ABCD', secretAccessKey: 'x', sessionToken: 'y' })).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });
});
