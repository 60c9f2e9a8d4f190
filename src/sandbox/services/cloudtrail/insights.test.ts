import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetInsightSelectorsCommand,
  ListEventDataStoresCommand,
  ListTrailsCommand,
  PutInsightSelectorsCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { awsCli, clientConfig, hasAwsCli, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000035';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/lab-insights`;
let sandbox: RunningSandbox;
let trails: CloudTrailClient;

/** A bucket CloudTrail may write to, and a trail on it. */
async function trailOn(url: string, bucket: string, name: string): Promise<void> {
  const config = clientConfig(url, ACCOUNT);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` },
          { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*` },
        ],
      }),
    }),
  );
  s3.destroy();
  const client = new CloudTrailClient(config);
  await client.send(new CreateTrailCommand({ Name: name, S3BucketName: bucket }));
  client.destroy();
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  trails = new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT));
  await trailOn(sandbox.url, 'lab-insights-logs', 'lab-insights');
});
afterAll(async () => {
  trails.destroy();
  await sandbox.close();
});

describe('cloudtrail Insights selectors', () => {
  it('GetInsightSelectors is InsightNotEnabledException until selectors are put', async () => {
    await expect(trails.send(new GetInsightSelectorsCommand({ TrailName: 'lab-insights' }))).rejects.toMatchObject({ name: 'InsightNotEnabledException', $metadata: { httpStatusCode: 400 } });
  });

  it('PutInsightSelectors stores both types, GetInsightSelectors and DescribeTrails show them, an empty list turns them off', async () => {
    const put = await trails.send(new PutInsightSelectorsCommand({ TrailName: 'lab-insights', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] }));
    expect(put).toMatchObject({ TrailARN: TRAIL_ARN, InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] });
    const got = await trails.send(new GetInsightSelectorsCommand({ TrailName: TRAIL_ARN }));
    expect(got.TrailARN).toBe(TRAIL_ARN);
    expect(got.InsightSelectors).toEqual([{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }]);
    expect((await trails.send(new DescribeTrailsCommand({ trailNameList: ['lab-insights'] }))).trailList![0]!.HasInsightSelectors).toBe(true);

    const off = await trails.send(new PutInsightSelectorsCommand({ TrailName: 'lab-insights', InsightSelectors: [] }));
    expect(off.InsightSelectors).toEqual([]);
    expect((await trails.send(new DescribeTrailsCommand({ trailNameList: ['lab-insights'] }))).trailList![0]!.HasInsightSelectors).toBe(false);
    await expect(trails.send(new GetInsightSelectorsCommand({ TrailName: 'lab-insights' }))).rejects.toMatchObject({ name: 'InsightNotEnabledException' });
  });

  it('rejects other Insights types, duplicates and unknown trails', async () => {
    await expect(trails.send(new PutInsightSelectorsCommand({ TrailName: 'lab-insights', InsightSelectors: [{ InsightType: 'ApiLatencyInsight' as never }] }))).rejects.toMatchObject({ name: 'InvalidInsightSelectorsException' });
    await expect(
      trails.send(new PutInsightSelectorsCommand({ TrailName: 'lab-insights', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiCallRateInsight' }] })),
    ).rejects.toMatchObject({ name: 'InvalidInsightSelectorsException' });
    await expect(trails.send(new PutInsightSelectorsCommand({ TrailName: 'no-such-trail', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    await expect(trails.send(new GetInsightSelectorsCommand({ TrailName: 'no-such-trail' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    // The rejected calls changed nothing.
    await expect(trails.send(new GetInsightSelectorsCommand({ TrailName: 'lab-insights' }))).rejects.toMatchObject({ name: 'InsightNotEnabledException' });
  });

  it('denies a session that may only read the trail', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:GetInsightSelectors', Resource: TRAIL_ARN }] });
    const creds = await roleSession(sandbox.url, ACCOUNT, 'lab-trail-reader', policy);
    const reader = new CloudTrailClient({ ...clientConfig(sandbox.url, ACCOUNT), credentials: creds });
    await expect(reader.send(new PutInsightSelectorsCommand({ TrailName: 'lab-insights', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    // Allowed, and answered by the service.
    await expect(reader.send(new GetInsightSelectorsCommand({ TrailName: 'lab-insights' }))).rejects.toMatchObject({ name: 'InsightNotEnabledException' });
    reader.destroy();
  });
});

describe('cloudtrail Lake reads', () => {
  it('lists no event data stores and finds none', async () => {
    expect((await trails.send(new ListEventDataStoresCommand({}))).EventDataStores).toEqual([]);
    await expect(trails.send(new GetEventDataStoreCommand({ EventDataStore: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' }))).rejects.toMatchObject({ name: 'EventDataStoreNotFoundException' });
    await expect(trails.send(new GetInsightSelectorsCommand({ EventDataStore: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' }))).rejects.toMatchObject({ name: 'EventDataStoreNotFoundException' });
  });

  it('ListTrails lists the trail', async () => {
    expect((await trails.send(new ListTrailsCommand({}))).Trails).toEqual([{ TrailARN: TRAIL_ARN, Name: 'lab-insights', HomeRegion: 'us-east-1' }]);
  });
});

describe('Insights selectors across a restart', () => {
  it('keeps them', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      await trailOn(box.url, 'lab-insights-persist', 'lab-persist');
      let client = new CloudTrailClient(clientConfig(box.url, ACCOUNT));
      await client.send(new PutInsightSelectorsCommand({ TrailName: 'lab-persist', InsightSelectors: [{ InsightType: 'ApiErrorRateInsight' }] }));
      client.destroy();
      await box.close();
      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new CloudTrailClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new GetInsightSelectorsCommand({ TrailName: 'lab-persist' }))).InsightSelectors).toEqual([{ InsightType: 'ApiErrorRateInsight' }]);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('with the AWS CLI', async () => {
  const cli = awsCli(() => sandbox.url, ACCOUNT);
  it.skipIf(!(await hasAwsCli()))('puts and gets Insights selectors, lists event data stores', async () => {
    const put = await cli('cloudtrail', 'put-insight-selectors', '--trail-name', 'lab-insights', '--insight-selectors', '[{"InsightType":"ApiCallRateInsight"}]');
    expect(put.code).toBe(0);
    expect(JSON.parse(put.stdout)).toEqual({ TrailARN: TRAIL_ARN, InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] });
    expect(JSON.parse((await cli('cloudtrail', 'get-insight-selectors', '--trail-name', 'lab-insights')).stdout).InsightSelectors).toEqual([{ InsightType: 'ApiCallRateInsight' }]);
    expect(JSON.parse((await cli('cloudtrail', 'list-event-data-stores')).stdout)).toEqual({ EventDataStores: [] });
    const missing = await cli('cloudtrail', 'get-event-data-store', '--event-data-store', 'nope-1234567890');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('EventDataStoreNotFoundException');
    await cli('cloudtrail', 'put-insight-selectors', '--trail-name', 'lab-insights', '--insight-selectors', '[]');
    const off = await cli('cloudtrail', 'get-insight-selectors', '--trail-name', 'lab-insights');
    expect(off.stderr).toContain('InsightNotEnabledException');
  });
});
