import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  ListTrailsCommand,
  PutEventSelectorsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, fakeAuth, rawRequest, startTestSandbox } from '../../test-helpers.js';

const ACCOUNT = '000000000031';
let sandbox: RunningSandbox;
let trails: CloudTrailClient;
let trailsWest: CloudTrailClient;
let s3: S3Client;

/** The bucket policy AWS documents for CloudTrail (with an optional prefix). */
function trailPolicy(bucket: string, prefix = ''): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` },
      {
        Sid: 'AWSCloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${bucket}/${prefix}AWSLogs/${ACCOUNT}/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
    ],
  });
}

async function bucket(name: string, policy?: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  if (policy) await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policy }));
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  trails = new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT));
  trailsWest = new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT, 'eu-west-1'));
  s3 = new S3Client({ ...clientConfig(sandbox.url, ACCOUNT), forcePathStyle: true });
  await bucket('lab-trail-logs', trailPolicy('lab-trail-logs'));
  await bucket('lab-prefixed-logs', trailPolicy('lab-prefixed-logs', 'audit/'));
  await bucket('lab-no-policy');
  await bucket(
    'lab-acl-only',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::lab-acl-only' }] }),
  );
});
afterAll(async () => {
  trails.destroy();
  trailsWest.destroy();
  s3.destroy();
  await sandbox.close();
});

describe('CloudTrail CreateTrail', () => {
  it('fails when the bucket does not exist', async () => {
    await expect(trails.send(new CreateTrailCommand({ Name: 'lab-audit', S3BucketName: 'lab-missing-bucket' }))).rejects.toMatchObject({ name: 'S3BucketDoesNotExistException' });
  });

  it('fails when the bucket policy does not let CloudTrail write', async () => {
    await expect(trails.send(new CreateTrailCommand({ Name: 'lab-audit', S3BucketName: 'lab-no-policy' }))).rejects.toMatchObject({ name: 'InsufficientS3BucketPolicyException' });
    await expect(trails.send(new CreateTrailCommand({ Name: 'lab-audit', S3BucketName: 'lab-acl-only' }))).rejects.toMatchObject({ name: 'InsufficientS3BucketPolicyException' });
    // The policy allows writes under audit/ only: a trail without that prefix cannot deliver.
    await expect(trails.send(new CreateTrailCommand({ Name: 'lab-audit', S3BucketName: 'lab-prefixed-logs' }))).rejects.toMatchObject({ name: 'InsufficientS3BucketPolicyException' });
  });

  it('creates a multi-Region trail with tags when the policy allows CloudTrail', async () => {
    const out = await trails.send(
      new CreateTrailCommand({ Name: 'lab-audit', S3BucketName: 'lab-trail-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true, TagsList: [{ Key: 'team', Value: 'security' }] }),
    );
    expect(out).toMatchObject({
      Name: 'lab-audit',
      S3BucketName: 'lab-trail-logs',
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
      TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/lab-audit`,
    });
    const prefixed = await trails.send(new CreateTrailCommand({ Name: 'lab-prefixed', S3BucketName: 'lab-prefixed-logs', S3KeyPrefix: 'audit' }));
    expect(prefixed.S3KeyPrefix).toBe('audit');
    const tags = await trails.send(new ListTagsCommand({ ResourceIdList: [out.TrailARN!] }));
    expect(tags.ResourceTagList).toEqual([{ ResourceId: out.TrailARN, TagsList: [{ Key: 'team', Value: 'security' }] }]);
  });

  it('rejects duplicate and invalid names and a multi-Region trail without global events', async () => {
    await expect(trails.send(new CreateTrailCommand({ Name: 'lab-audit', S3BucketName: 'lab-trail-logs' }))).rejects.toMatchObject({ name: 'TrailAlreadyExistsException' });
    // The multi-Region trail's name is taken in every Region.
    await expect(trailsWest.send(new CreateTrailCommand({ Name: 'lab-audit', S3BucketName: 'lab-trail-logs' }))).rejects.toMatchObject({ name: 'TrailAlreadyExistsException' });
    for (const name of ['ab', '-lab', 'lab..x', '10.0.0.1', 'lab trail']) {
      await expect(trails.send(new CreateTrailCommand({ Name: name, S3BucketName: 'lab-trail-logs' }))).rejects.toMatchObject({ name: 'InvalidTrailNameException' });
    }
    await expect(
      trails.send(new CreateTrailCommand({ Name: 'lab-nog', S3BucketName: 'lab-trail-logs', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false })),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
  });
});

describe('CloudTrail trails across Regions', () => {
  it('shows a multi-Region trail in other Regions as a shadow trail', async () => {
    const home = await trails.send(new DescribeTrailsCommand({}));
    expect(home.trailList!.map((t) => t.Name).sort()).toEqual(['lab-audit', 'lab-prefixed']);
    const west = await trailsWest.send(new DescribeTrailsCommand({}));
    expect(west.trailList).toEqual([expect.objectContaining({ Name: 'lab-audit', HomeRegion: 'us-east-1', IsMultiRegionTrail: true })]);
    expect((await trailsWest.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList).toEqual([]);
    const byName = await trails.send(new DescribeTrailsCommand({ trailNameList: ['lab-prefixed', 'ghost'] }));
    expect(byName.trailList!.map((t) => t.Name)).toEqual(['lab-prefixed']);
  });

  it('reads a shadow trail by ARN only and changes it only in its home Region', async () => {
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/lab-audit`;
    expect((await trailsWest.send(new GetTrailCommand({ Name: arn }))).Trail?.HomeRegion).toBe('us-east-1');
    await expect(trailsWest.send(new GetTrailCommand({ Name: 'lab-audit' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    await expect(trailsWest.send(new StartLoggingCommand({ Name: arn }))).rejects.toMatchObject({ name: 'InvalidHomeRegionException' });
    await expect(trailsWest.send(new DeleteTrailCommand({ Name: arn }))).rejects.toMatchObject({ name: 'InvalidHomeRegionException' });
    await expect(trails.send(new GetTrailCommand({ Name: 'ghost-trail' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
  });
});

describe('CloudTrail logging and selectors', () => {
  it('starts and stops logging and reports the status', async () => {
    const before = await trails.send(new GetTrailStatusCommand({ Name: 'lab-audit' }));
    expect(before.IsLogging).toBe(false);
    expect(before.StartLoggingTime).toBeUndefined();
    await trails.send(new StartLoggingCommand({ Name: 'lab-audit' }));
    const logging = await trails.send(new GetTrailStatusCommand({ Name: 'lab-audit' }));
    expect(logging.IsLogging).toBe(true);
    expect(logging.StartLoggingTime).toBeInstanceOf(Date);
    expect(logging.LatestDeliveryTime!.getTime()).toBeGreaterThanOrEqual(logging.StartLoggingTime!.getTime());
    const shadow = await trailsWest.send(new GetTrailStatusCommand({ Name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/lab-audit` }));
    expect(shadow.IsLogging).toBe(true);
    await trails.send(new StopLoggingCommand({ Name: 'lab-prefixed' }));
    await trails.send(new StartLoggingCommand({ Name: 'lab-prefixed' }));
    await trails.send(new StopLoggingCommand({ Name: 'lab-prefixed' }));
    const stopped = await trails.send(new GetTrailStatusCommand({ Name: 'lab-prefixed' }));
    expect(stopped).toMatchObject({ IsLogging: false, StopLoggingTime: expect.any(Date) });
  });

  it('has a default selector for all management events, and takes classic and advanced selectors', async () => {
    const defaults = await trails.send(new GetEventSelectorsCommand({ TrailName: 'lab-audit' }));
    expect(defaults.EventSelectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    const put = await trails.send(new PutEventSelectorsCommand({ TrailName: 'lab-audit', EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }));
    expect(put.EventSelectors?.[0]?.ReadWriteType).toBe('WriteOnly');
    expect((await trails.send(new GetTrailCommand({ Name: 'lab-audit' }))).Trail?.HasCustomEventSelectors).toBe(true);
    await trails.send(
      new PutEventSelectorsCommand({
        TrailName: 'lab-prefixed',
        AdvancedEventSelectors: [{ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
      }),
    );
    const advanced = await trails.send(new GetEventSelectorsCommand({ TrailName: 'lab-prefixed' }));
    expect(advanced.EventSelectors).toBeUndefined();
    expect(advanced.AdvancedEventSelectors?.[0]?.FieldSelectors?.[0]).toEqual({ Field: 'eventCategory', Equals: ['Management'] });
  });

  it('rejects invalid selectors', async () => {
    const bad = [
      { TrailName: 'lab-audit', EventSelectors: [{ ReadWriteType: 'Sometimes' as never }] },
      { TrailName: 'lab-audit', AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'readOnly', Equals: ['true'] }] }] },
      { TrailName: 'lab-audit', AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'colour', Equals: ['red'] }] }] },
    ];
    for (const input of bad) await expect(trails.send(new PutEventSelectorsCommand(input))).rejects.toMatchObject({ name: 'InvalidEventSelectorsException' });
    await expect(
      trails.send(new PutEventSelectorsCommand({ TrailName: 'lab-audit', EventSelectors: [{}], AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
    await expect(trails.send(new PutEventSelectorsCommand({ TrailName: 'ghost-trail', EventSelectors: [{}] }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
  });
});

describe('CloudTrail updates, tags, listing and deletion', () => {
  it('re-checks the bucket policy when the bucket changes', async () => {
    await expect(trails.send(new UpdateTrailCommand({ Name: 'lab-prefixed', S3KeyPrefix: '' }))).rejects.toMatchObject({ name: 'InsufficientS3BucketPolicyException' });
    await expect(trails.send(new UpdateTrailCommand({ Name: 'lab-prefixed', S3BucketName: 'lab-missing-bucket' }))).rejects.toMatchObject({ name: 'S3BucketDoesNotExistException' });
    const moved = await trails.send(new UpdateTrailCommand({ Name: 'lab-prefixed', S3BucketName: 'lab-trail-logs', S3KeyPrefix: '', IsMultiRegionTrail: true }));
    expect(moved).toMatchObject({ S3BucketName: 'lab-trail-logs', IsMultiRegionTrail: true });
    expect(moved.S3KeyPrefix).toBeUndefined();
  });

  it('adds, lists and removes tags by trail ARN', async () => {
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/lab-prefixed`;
    await trails.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'env', Value: 'lab' }, { Key: 'owner', Value: 'sec' }] }));
    await trails.send(new RemoveTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'owner' }] }));
    expect((await trails.send(new ListTagsCommand({ ResourceIdList: [arn] }))).ResourceTagList?.[0]?.TagsList).toEqual([{ Key: 'env', Value: 'lab' }]);
    await expect(trails.send(new AddTagsCommand({ ResourceId: 'lab-prefixed', TagsList: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({ name: 'CloudTrailARNInvalidException' });
    await expect(
      trails.send(new ListTagsCommand({ ResourceIdList: [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/ghost-trail`] })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(trails.send(new AddTagsCommand({ ResourceId: arn, TagsList: many }))).rejects.toMatchObject({ name: 'TagsLimitExceededException' });
  });

  it('lists trails of every Region and deletes one', async () => {
    const listed = await trailsWest.send(new ListTrailsCommand({}));
    expect(listed.Trails!.map((t) => `${t.Name}@${t.HomeRegion}`).sort()).toEqual(['lab-audit@us-east-1', 'lab-prefixed@us-east-1']);
    await trails.send(new DeleteTrailCommand({ Name: 'lab-prefixed' }));
    await expect(trails.send(new GetTrailStatusCommand({ Name: 'lab-prefixed' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    await expect(trails.send(new DeleteTrailCommand({ Name: 'lab-prefixed' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
  });

  it('allows five trails per Region', async () => {
    for (let i = 1; i <= 4; i++) await trails.send(new CreateTrailCommand({ Name: `lab-extra-${i}`, S3BucketName: 'lab-trail-logs' }));
    await expect(trails.send(new CreateTrailCommand({ Name: 'lab-extra-5', S3BucketName: 'lab-trail-logs' }))).rejects.toMatchObject({ name: 'MaximumNumberOfTrailsExceededException' });
    for (let i = 1; i <= 4; i++) await trails.send(new DeleteTrailCommand({ Name: `lab-extra-${i}` }));
  });
});

describe('CloudTrail wire protocol', () => {
  it('accepts both X-Amz-Target spellings (SDK v3 and AWS CLI)', async () => {
    for (const target of ['CloudTrail_20131101.DescribeTrails', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails']) {
      const res = await rawRequest(sandbox.url, {
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: fakeAuth('cloudtrail', ACCOUNT) },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as { trailList: { Name: string }[] }).trailList.map((t) => t.Name)).toEqual(['lab-audit']);
    }
    const missing = await rawRequest(sandbox.url, {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.GetTrail', authorization: fakeAuth('cloudtrail', ACCOUNT) },
      body: '{}',
    });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).__type).toBe('InvalidTrailNameException');
  });
});
