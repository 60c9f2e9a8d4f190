import {
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';
import { canonicalId } from './state.js';

const ACCOUNT = '000000000063';
const BUCKET = `lab-audit-${ACCOUNT}`;
const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const SSE_S3 = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] };

let sandbox: RunningSandbox;
let s3: S3Client;
const s3Client = (url: string, account = ACCOUNT, credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => new S3Client({ ...clientConfig(url, account), ...(credentials ? { credentials } : {}), forcePathStyle: true });

beforeAll(async () => {
  sandbox = await startTestSandbox();
  s3 = s3Client(sandbox.url);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  s3.destroy();
  await sandbox.close();
});

describe('defaults of a new bucket', () => {
  it('has the owner\'s FULL_CONTROL ACL, all Block Public Access settings, SSE-S3 and no versioning', async () => {
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: BUCKET }));
    const id = canonicalId(ACCOUNT);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(acl.Owner).toEqual({ ID: id });
    expect(acl.Grants).toEqual([{ Grantee: { Type: 'CanonicalUser', ID: id }, Permission: 'FULL_CONTROL' }]);
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).PublicAccessBlockConfiguration).toEqual(ALL_ON);
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).ServerSideEncryptionConfiguration).toEqual(SSE_S3);
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    expect(versioning.Status).toBeUndefined();
    expect(versioning.MFADelete).toBeUndefined();
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: BUCKET }))).LocationConstraint).toBeUndefined();
  });

  it('answers NoSuchBucket for a bucket that does not exist and AccessDenied for another account\'s', async () => {
    await expect(s3.send(new GetBucketAclCommand({ Bucket: 'no-such-bucket-63' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'no-such-bucket-63' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    const other = s3Client(sandbox.url, '000000000064');
    await expect(other.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ name: 'AccessDenied' });
    other.destroy();
  });
});

describe('changes', () => {
  it('replaces, reads and deletes the Block Public Access configuration', async () => {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
      message: 'The public access block configuration was not found',
      $metadata: { httpStatusCode: 404 },
    });
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: ALL_ON }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).PublicAccessBlockConfiguration).toEqual(ALL_ON);
  });

  it('sets SSE-KMS default encryption, refuses what S3 refuses, and deletes back to SSE-S3', async () => {
    const kms = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'alias/lab' }, BucketKeyEnabled: true }] };
    await s3.send(new PutBucketEncryptionCommand({ Bucket: BUCKET, ServerSideEncryptionConfiguration: kms }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).ServerSideEncryptionConfiguration).toEqual(kms);
    await expect(
      s3.send(new PutBucketEncryptionCommand({ Bucket: BUCKET, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: 'alias/lab' } }] } })),
    ).rejects.toMatchObject({ name: 'InvalidArgument', message: 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse' });
    await expect(
      s3.send(new PutBucketEncryptionCommand({ Bucket: BUCKET, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'DES' as never } }] } })),
    ).rejects.toMatchObject({ name: 'MalformedXML' });
    await expect(s3.send(new PutBucketEncryptionCommand({ Bucket: BUCKET, ServerSideEncryptionConfiguration: { Rules: [] } }))).rejects.toMatchObject({ name: 'MalformedXML' });
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).ServerSideEncryptionConfiguration).toEqual(kms);
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: BUCKET }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).ServerSideEncryptionConfiguration).toEqual(SSE_S3);
  });

  it('enables and suspends versioning', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBe('Enabled');
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBe('Suspended');
    await expect(s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Off' as never } }))).rejects.toMatchObject({ name: 'MalformedXML' });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBe('Suspended');
  });
});

describe('authorisation', () => {
  it('checks S3\'s action names on the bucket ARN', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetBucketPublicAccessBlock', 's3:GetEncryptionConfiguration', 's3:PutBucketVersioning'], Resource: `arn:aws:s3:::${BUCKET}` }],
    });
    const auditor = s3Client(sandbox.url, ACCOUNT, await roleSession(sandbox.url, ACCOUNT, 'auditor', policy, 'auditor'));
    await auditor.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }));
    await auditor.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }));
    await auditor.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Suspended' } }));
    for (const command of [
      new DeletePublicAccessBlockCommand({ Bucket: BUCKET }),
      new DeleteBucketEncryptionCommand({ Bucket: BUCKET }),
      new GetBucketVersioningCommand({ Bucket: BUCKET }),
      new GetBucketAclCommand({ Bucket: BUCKET }),
    ]) {
      await expect(auditor.send(command as never)).rejects.toMatchObject({ name: 'AccessDenied' });
    }
    auditor.destroy();
  });
});

describe('persistence', () => {
  it('keeps the settings across a restart, and gives buckets saved before them the defaults', async () => {
    const tmp = tempDir();
    try {
      // A snapshot as an older sandbox wrote it: a bucket without the new fields.
      mkdirSync(join(tmp.dir, 'accounts'), { recursive: true });
      const old = { name: 'old-bucket-63', region: 'us-east-1', creationDate: new Date().toISOString(), objects: {} };
      const snapshot = { version: 1, state: { regional: {}, global: { s3: { buckets: { [old.name]: old } } } } };
      writeFileSync(join(tmp.dir, 'accounts', `${ACCOUNT}.json`), JSON.stringify(snapshot));
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = s3Client(box.url);
      expect((await client.send(new GetPublicAccessBlockCommand({ Bucket: old.name }))).PublicAccessBlockConfiguration).toEqual(ALL_ON);
      expect((await client.send(new GetBucketEncryptionCommand({ Bucket: old.name }))).ServerSideEncryptionConfiguration).toEqual(SSE_S3);
      await client.send(new DeletePublicAccessBlockCommand({ Bucket: old.name }));
      await client.send(new PutBucketVersioningCommand({ Bucket: old.name, VersioningConfiguration: { Status: 'Enabled' } }));
      const kms = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const }, BucketKeyEnabled: false }] };
      await client.send(new PutBucketEncryptionCommand({ Bucket: old.name, ServerSideEncryptionConfiguration: kms }));
      client.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = s3Client(box.url);
      await expect(client.send(new GetPublicAccessBlockCommand({ Bucket: old.name }))).rejects.toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration' });
      expect((await client.send(new GetBucketVersioningCommand({ Bucket: old.name }))).Status).toBe('Enabled');
      expect((await client.send(new GetBucketEncryptionCommand({ Bucket: old.name }))).ServerSideEncryptionConfiguration).toEqual(kms);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});
