import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, fakeAuth, rawRequest, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let s3: S3Client;
let west: S3Client;
let other: S3Client;

const s3Client = (key: string, region = 'us-east-1') => new S3Client({ ...clientConfig(sandbox.url, key, region), forcePathStyle: true });
const policy = (bucket: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` },
      { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/AWSLogs/000000000024/*` },
    ],
  });

beforeAll(async () => {
  sandbox = await startTestSandbox();
  s3 = s3Client('000000000024');
  west = s3Client('000000000024', 'eu-west-1');
  other = s3Client('000000000025');
});
afterAll(async () => {
  for (const c of [s3, west, other]) c.destroy();
  await sandbox.close();
});

describe('S3 buckets: create, head, list, location', () => {
  it('creates a bucket in us-east-1 without a LocationConstraint', async () => {
    const out = await s3.send(new CreateBucketCommand({ Bucket: 'lab-audit-000000000024' }));
    expect(out.Location).toBe('/lab-audit-000000000024');
    // Legacy behaviour AWS documents for North Virginia: re-creating your own bucket is 200 OK.
    await s3.send(new CreateBucketCommand({ Bucket: 'lab-audit-000000000024' }));
  });

  it('needs a matching LocationConstraint outside us-east-1', async () => {
    const out = await west.send(new CreateBucketCommand({ Bucket: 'lab-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect(out.Location).toBe('http://lab-west.s3.amazonaws.com/');
    await expect(west.send(new CreateBucketCommand({ Bucket: 'lab-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }))).rejects.toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
      $metadata: { httpStatusCode: 409 },
    });
    // The SDK fills LocationConstraint in from its Region; the CLI and raw callers may not.
    const raw = await rawRequest(sandbox.url, { method: 'PUT', path: '/lab-west-2', headers: { authorization: fakeAuth('s3', '000000000024', 'eu-west-1') } });
    expect(raw.status).toBe(400);
    expect(raw.body).toContain('<Code>IllegalLocationConstraintException</Code>');
    await expect(west.send(new CreateBucketCommand({ Bucket: 'lab-west-2', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }))).rejects.toMatchObject({
      name: 'IllegalLocationConstraintException',
    });
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'lab-east-2', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } }))).rejects.toMatchObject({
      name: 'InvalidLocationConstraint',
    });
  });

  it('keeps bucket names global across accounts, and validates them', async () => {
    await expect(other.send(new CreateBucketCommand({ Bucket: 'lab-audit-000000000024' }))).rejects.toMatchObject({ name: 'BucketAlreadyExists', $metadata: { httpStatusCode: 409 } });
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))).rejects.toMatchObject({ name: 'InvalidBucketName' });
    await expect(s3.send(new CreateBucketCommand({ Bucket: '192.168.0.1' }))).rejects.toMatchObject({ name: 'InvalidBucketName' });
  });

  it('heads a bucket: its Region for the owner, 403 for others, 404 when missing', async () => {
    expect((await west.send(new HeadBucketCommand({ Bucket: 'lab-west' }))).BucketRegion).toBe('eu-west-1');
    await expect(other.send(new HeadBucketCommand({ Bucket: 'lab-west' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket-here' }))).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });

  it('lists the account\'s buckets in every Region, and only those', async () => {
    const out = await s3.send(new ListBucketsCommand({}));
    expect(out.Buckets!.map((b) => [b.Name, b.BucketRegion])).toEqual([
      ['lab-audit-000000000024', 'us-east-1'],
      ['lab-west', 'eu-west-1'],
    ]);
    expect(out.Buckets![0]!.CreationDate).toBeInstanceOf(Date);
    expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect((await other.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const paged = await s3.send(new ListBucketsCommand({ MaxBuckets: 1 }));
    expect(paged.Buckets).toHaveLength(1);
    expect(paged.ContinuationToken).toBeTruthy();
    await expect(s3.send(new ListBucketsCommand({ ContinuationToken: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidArgument' });
  });

  it('gets a bucket location (empty for us-east-1)', async () => {
    expect((await west.send(new GetBucketLocationCommand({ Bucket: 'lab-west' }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'lab-audit-000000000024' }))).LocationConstraint ?? '').toBe('');
    await expect(s3.send(new GetBucketLocationCommand({ Bucket: 'no-such-bucket-here' }))).rejects.toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
  });
});

describe('S3 bucket policy and tagging', () => {
  it('puts, gets and deletes a bucket policy', async () => {
    const bucket = 'lab-audit-000000000024';
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy', $metadata: { httpStatusCode: 404 } });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket) }));
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!)).toEqual(JSON.parse(policy(bucket)));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
    await expect(s3.send(new DeleteBucketPolicyCommand({ Bucket: 'no-such-bucket-here' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('rejects malformed policies and policies about other buckets', async () => {
    const bucket = 'lab-audit-000000000024';
    await expect(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: 'not json' }))).rejects.toMatchObject({ name: 'MalformedPolicy', $metadata: { httpStatusCode: 400 } });
    await expect(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy('someone-else') }))).rejects.toMatchObject({ name: 'MalformedPolicy' });
    await expect(other.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket) }))).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(s3.send(new PutBucketPolicyCommand({ Bucket: 'no-such-bucket-here', Policy: policy('no-such-bucket-here') }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('puts, gets and deletes bucket tags', async () => {
    const bucket = 'lab-audit-000000000024';
    await expect(s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchTagSet', $metadata: { httpStatusCode: 404 } });
    const TagSet = [{ Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: 'task-roles' }];
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toEqual(TagSet);
    await expect(s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } }))).rejects.toMatchObject({
      name: 'InvalidTag',
    });
    await expect(s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] } }))).rejects.toMatchObject({ name: 'InvalidTag' });
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
    await expect(s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchTagSet' });
    await expect(s3.send(new DeleteBucketTaggingCommand({ Bucket: 'no-such-bucket-here' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});

describe('S3 objects and bucket deletion', () => {
  const bucket = 'lab-audit-000000000024';

  it('puts objects and lists them with prefix, delimiter and pagination', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'AWSLogs/000000000024/CloudTrail/a.json.gz', Body: 'hello' }));
    expect(put.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    for (const key of ['AWSLogs/000000000024/CloudTrail/b.json.gz', 'AWSLogs/000000000024/vpcflowlogs/c.log.gz', 'top.txt']) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array([1, 2, 3]) }));
    }
    const all = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(all.KeyCount).toBe(4);
    expect(all.Contents!.map((o) => o.Key)).toEqual(['AWSLogs/000000000024/CloudTrail/a.json.gz', 'AWSLogs/000000000024/CloudTrail/b.json.gz', 'AWSLogs/000000000024/vpcflowlogs/c.log.gz', 'top.txt']);
    expect(all.Contents![0]).toMatchObject({ Size: 5, StorageClass: 'STANDARD' });
    const folders = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'AWSLogs/000000000024/', Delimiter: '/' }));
    expect(folders.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['AWSLogs/000000000024/CloudTrail/', 'AWSLogs/000000000024/vpcflowlogs/']);
    expect(folders.Contents).toBeUndefined();
    const page1 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 3 }));
    expect(page1).toMatchObject({ IsTruncated: true, KeyCount: 3 });
    const page2 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 3, ContinuationToken: page1.NextContinuationToken }));
    expect(page2.Contents!.map((o) => o.Key)).toEqual(['top.txt']);
    expect(page2.IsTruncated).toBe(false);
    await expect(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket-here' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('lists each object of an unversioned bucket as its null version, by pages of keys', async () => {
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 3 }));
    expect(first).toMatchObject({ IsTruncated: true, NextKeyMarker: 'AWSLogs/000000000024/vpcflowlogs/c.log.gz', NextVersionIdMarker: 'null' });
    expect(first.Versions![0]).toMatchObject({ Key: 'AWSLogs/000000000024/CloudTrail/a.json.gz', VersionId: 'null', IsLatest: true, Size: 5 });
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: first.NextKeyMarker, VersionIdMarker: first.NextVersionIdMarker }));
    expect(rest.Versions!.map((v) => v.Key)).toEqual(['top.txt']);
    expect(rest.IsTruncated).toBe(false);
  });

  it('decodes a streamed (aws-chunked, trailing checksum) upload', async () => {
    const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'streamed.txt', Body: Readable.from([Buffer.from('hello '), Buffer.from('world')]), ContentLength: 11 }));
    expect(out.ETag).toBe('"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'streamed.txt' }));
  });

  it('refuses to delete a bucket that holds objects', async () => {
    await expect(s3.send(new DeleteBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'BucketNotEmpty', $metadata: { httpStatusCode: 409 } });
  });

  it('deletes objects one by one and in bulk, then the bucket', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'top.txt' }));
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'AWSLogs/000000000024/CloudTrail/a.json.gz' }, { Key: 'AWSLogs/000000000024/CloudTrail/b.json.gz' }, { Key: 'AWSLogs/000000000024/vpcflowlogs/c.log.gz' }] },
      }),
    );
    expect(out.Deleted).toHaveLength(3);
    await expect(s3.send(new DeleteObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(s3.send(new DeleteObjectsCommand({ Bucket: 'no-such-bucket-here', Delete: { Objects: [{ Key: 'k' }] } }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
    // The name is free again, for anyone.
    await other.send(new CreateBucketCommand({ Bucket: bucket }));
    await other.send(new DeleteBucketCommand({ Bucket: bucket }));
  });
});

describe('S3 wire format', () => {
  it('answers errors in S3\'s XML shape, naming the bucket', async () => {
    const res = await rawRequest(sandbox.url, { method: 'GET', path: '/no-such-bucket-here?policy', headers: { authorization: fakeAuth('s3', '000000000024') } });
    expect(res.status).toBe(404);
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>no-such-bucket-here<\/BucketName><RequestId>[^<]+<\/RequestId>/);
    expect(res.headers.get('x-amz-request-id')).toBeTruthy();
  });

  it('answers an unsigned request as S3 answers an anonymous caller', async () => {
    const res = await rawRequest(sandbox.url, { method: 'GET', path: '/lab-west?list-type=2' });
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>AccessDenied</Code>');
  });

  it('rejects a method no operation has', async () => {
    const res = await rawRequest(sandbox.url, { method: 'PATCH', path: '/lab-west', headers: { authorization: fakeAuth('s3', '000000000024') } });
    expect(res.status).toBe(405);
    expect(res.body).toContain('<Code>MethodNotAllowed</Code>');
  });
});
