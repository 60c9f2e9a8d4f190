import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeSubscriptionFiltersCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { PutMetricFilterCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';
import { MAX_METRIC_FILTERS_PER_GROUP } from './metric-filters.js';

const ACCOUNT = '000000000062';
const TRAIL = 'CloudTrail/DefaultLogGroup';
const ASSUME_ROLE = '{ $.eventName = "AssumeRole" }';
const transformation = { metricName: 'AssumeRoleCount', metricNamespace: 'LabAudit', metricValue: '1', defaultValue: 0 };

let sandbox: RunningSandbox;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  logs = new CloudWatchLogsClient(clientConfig(sandbox.url, ACCOUNT));
  await logs.send(new CreateLogGroupCommand({ logGroupName: TRAIL }));
});
afterAll(async () => {
  logs.destroy();
  await sandbox.close();
});

function put(input: Partial<PutMetricFilterCommandInput> = {}) {
  return logs.send(new PutMetricFilterCommand({ logGroupName: TRAIL, filterName: 'assume-role', filterPattern: ASSUME_ROLE, metricTransformations: [transformation], ...input }));
}

describe('PutMetricFilter and DescribeMetricFilters', () => {
  it('stores a CloudTrail alarm filter and describes it as AWS does', async () => {
    await put();
    const { metricFilters } = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: TRAIL }));
    expect(metricFilters).toEqual([
      { filterName: 'assume-role', filterPattern: ASSUME_ROLE, metricTransformations: [transformation], creationTime: expect.any(Number), logGroupName: TRAIL, applyOnTransformedLogs: false },
    ]);
    expect(Math.abs(metricFilters![0]!.creationTime! - Date.now())).toBeLessThan(60_000);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: TRAIL }))).logGroups![0]!.metricFilterCount).toBe(1);
  });

  it('replaces a filter put again under its name, and filters the listing', async () => {
    const created = (await logs.send(new DescribeMetricFiltersCommand({ logGroupName: TRAIL }))).metricFilters![0]!.creationTime;
    await put({ filterPattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }' });
    await put({ filterName: 'console-login', filterPattern: 'ConsoleLogin', metricTransformations: [{ metricName: 'Logins', metricNamespace: 'LabAudit', metricValue: '1' }] });
    const all = (await logs.send(new DescribeMetricFiltersCommand({}))).metricFilters!;
    expect(all.map((f) => f.filterName)).toEqual(['assume-role', 'console-login']);
    expect(all[0]).toMatchObject({ filterPattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }', creationTime: created });
    expect((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: TRAIL, filterNamePrefix: 'console' }))).metricFilters!.map((f) => f.filterName)).toEqual(['console-login']);
    expect((await logs.send(new DescribeMetricFiltersCommand({ metricName: 'Logins', metricNamespace: 'LabAudit' }))).metricFilters!.map((f) => f.filterName)).toEqual(['console-login']);
    const page = await logs.send(new DescribeMetricFiltersCommand({ limit: 1 }));
    expect(page.metricFilters).toHaveLength(1);
    expect((await logs.send(new DescribeMetricFiltersCommand({ nextToken: page.nextToken }))).metricFilters!.map((f) => f.filterName)).toEqual(['console-login']);
  });

  it('rejects malformed patterns, bad transformations and unknown groups with AWS\'s errors', async () => {
    for (const filterPattern of ['{ $.eventName = }', '{ $.eventName = "AssumeRole"', '{ eventName = "x" }', '{ $.a < "x" }', '"unclosed', '{ ($.a = 1 }']) {
      await expect(put({ filterName: 'bad', filterPattern })).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid metric filter pattern' });
    }
    // Syntactically valid forms are accepted.
    for (const filterPattern of ['{ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS }', '{ $.sourceIPAddress = %^10\\.% }', '{ $.n >= 5 }', '[ip, user, ...]', '']) {
      await put({ filterName: 'ok', filterPattern });
    }
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: TRAIL, filterName: 'ok' }));
    await expect(put({ metricTransformations: [] })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(put({ metricTransformations: [transformation, transformation] })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(put({ metricTransformations: [{ ...transformation, metricNamespace: 'a:b' }] })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(put({ filterName: 'a:b' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(put({ logGroupName: '/nope' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new DescribeMetricFiltersCommand({ metricName: 'Logins' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: TRAIL }))).metricFilters!.map((f) => f.filterName)).toEqual(['assume-role', 'console-login']);
  });

  it(`allows ${MAX_METRIC_FILTERS_PER_GROUP} filters per log group (LimitExceededException)`, async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/many' }));
    for (let i = 0; i < MAX_METRIC_FILTERS_PER_GROUP; i++) await put({ logGroupName: '/ecs-lab/many', filterName: `f${i}` });
    await expect(put({ logGroupName: '/ecs-lab/many', filterName: 'one-too-many' })).rejects.toMatchObject({ name: 'LimitExceededException' });
    // Replacing an existing one is not a new filter.
    await put({ logGroupName: '/ecs-lab/many', filterName: 'f0', filterPattern: 'ERROR' });
  });
});

describe('DeleteMetricFilter and DeleteLogGroup', () => {
  it('deletes one filter, and a log group\'s filters with the group', async () => {
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: TRAIL, filterName: 'console-login' }));
    expect((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: TRAIL }))).metricFilters!.map((f) => f.filterName)).toEqual(['assume-role']);
    await expect(logs.send(new DeleteMetricFilterCommand({ logGroupName: TRAIL, filterName: 'console-login' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/ecs-lab/many' }));
    expect((await logs.send(new DescribeMetricFiltersCommand({}))).metricFilters!.map((f) => f.logGroupName)).toEqual([TRAIL]);
    // A group created again under the name starts without filters.
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/many' }));
    expect((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/ecs-lab/many' }))).metricFilters).toEqual([]);
  });
});

describe('TestMetricFilter, FilterLogEvents with JSON patterns, DescribeSubscriptionFilters', () => {
  const events = [
    JSON.stringify({ eventName: 'AssumeRole', userIdentity: { type: 'AWSService' }, n: 7 }),
    JSON.stringify({ eventName: 'GetParameter', userIdentity: { type: 'AssumedRole' }, n: 2 }),
    'not json AssumeRole',
  ];

  it('tests a pattern against messages', async () => {
    expect((await logs.send(new TestMetricFilterCommand({ filterPattern: ASSUME_ROLE, logEventMessages: events }))).matches).toEqual([
      { eventNumber: 1, eventMessage: events[0], extractedValues: {} },
    ]);
    const numeric = await logs.send(new TestMetricFilterCommand({ filterPattern: '{ $.n > 5 || $.userIdentity.type = "Assumed*" }', logEventMessages: events }));
    expect(numeric.matches!.map((m) => m.eventNumber)).toEqual([1, 2]);
    expect((await logs.send(new TestMetricFilterCommand({ filterPattern: 'AssumeRole', logEventMessages: events }))).matches!.map((m) => m.eventNumber)).toEqual([1, 3]);
    expect((await logs.send(new TestMetricFilterCommand({ filterPattern: '{ $.n NOT EXISTS || $.userIdentity.type IS NULL }', logEventMessages: events }))).matches).toEqual([]);
    expect((await logs.send(new TestMetricFilterCommand({ filterPattern: '{ $.missing NOT EXISTS && $.n <= 2 }', logEventMessages: events }))).matches!.map((m) => m.eventNumber)).toEqual([2]);
    await expect(logs.send(new TestMetricFilterCommand({ filterPattern: '{ $.n > }', logEventMessages: events }))).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid metric filter pattern' });
    await expect(logs.send(new TestMetricFilterCommand({ filterPattern: 'x', logEventMessages: [] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('filters CloudTrail-like events with a JSON pattern', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: TRAIL, logStreamName: `${ACCOUNT}_CloudTrail_us-east-1` }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: TRAIL, logStreamName: `${ACCOUNT}_CloudTrail_us-east-1`, logEvents: events.map((message, i) => ({ timestamp: now - 1000 + i, message })) }));
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: TRAIL, filterPattern: ASSUME_ROLE }));
    expect(out.events!.map((e) => e.message)).toEqual([events[0]]);
  });

  it('describes no subscription filters, and ResourceNotFoundException for an unknown group', async () => {
    expect((await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: TRAIL }))).subscriptionFilters).toEqual([]);
    await expect(logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
  });
});

describe('persistence', () => {
  it('keeps metric filters across a restart, also in state saved before the sandbox kept them', async () => {
    const tmp = tempDir();
    try {
      // A snapshot as an older sandbox wrote it: a Logs state without metricFilters.
      mkdirSync(join(tmp.dir, 'accounts'), { recursive: true });
      const group = { logGroupName: TRAIL, creationTime: 1, logGroupClass: 'STANDARD', tags: {} };
      const snapshot = { version: 1, state: { regional: { 'us-east-1': { logs: { groups: { [TRAIL]: group }, streams: {} } } }, global: {} } };
      writeFileSync(join(tmp.dir, 'accounts', `${ACCOUNT}.json`), JSON.stringify(snapshot));
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new DescribeMetricFiltersCommand({}))).metricFilters).toEqual([]);
      await client.send(new PutMetricFilterCommand({ logGroupName: TRAIL, filterName: 'assume-role', filterPattern: ASSUME_ROLE, metricTransformations: [transformation] }));
      const before = (await client.send(new DescribeMetricFiltersCommand({}))).metricFilters;
      client.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new DescribeMetricFiltersCommand({}))).metricFilters).toEqual(before);
      expect(before).toHaveLength(1);
      await client.send(new DeleteLogGroupCommand({ logGroupName: TRAIL }));
      client.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new DescribeMetricFiltersCommand({}))).metricFilters).toEqual([]);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});
