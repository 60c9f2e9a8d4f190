import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeQueriesCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ResultField, StartQueryCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { awsCli, clientConfig, hasAwsCli, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';
import { MalformedQueryError, parseQuery } from './insights-query.js';

const ACCOUNT = '000000000036';
const TRAIL_GROUP = '/ecs-lab/cloudtrail';
const FLOW_GROUP = '/ecs-lab/flow-logs';
const APP_GROUP = '/ecs-lab/app';
const MINUTE = 60_000;
/** Events are written a few minutes back, a minute apart; queries cover the last hour. */
const T0 = Math.floor((Date.now() - 30 * MINUTE) / 1000) * 1000;
const HOUR_AGO = Math.floor(Date.now() / 1000) - 3600;
const NOW = Math.floor(Date.now() / 1000) + 60;

let sandbox: RunningSandbox;
let logs: CloudWatchLogsClient;

const trailEvent = (eventName: string, arn: string, errorCode?: string) =>
  JSON.stringify({ eventVersion: '1.09', eventSource: 'ssm.amazonaws.com', eventName, userIdentity: { type: 'AssumedRole', arn }, awsRegion: 'us-east-1', ...(errorCode ? { errorCode } : {}) });
const TASK = 'arn:aws:sts::000000000036:assumed-role/lab-task/t1';
const ADMIN = 'arn:aws:sts::000000000036:assumed-role/lab-admin/a1';
const flow = (src: string, dst: string, port: number, bytes: number, action: string) => `2 ${ACCOUNT} eni-0a1b2c3d ${src} ${dst} 49152 ${port} 6 10 ${bytes} 1700000000 1700000060 ${action} OK`;

async function put(group: string, stream: string, messages: string[], start = T0): Promise<void> {
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: messages.map((message, i) => ({ timestamp: start + i * MINUTE, message })) }));
}

/** Runs a query and returns its results as plain objects (field → value per row). */
async function query(queryString: string, input: Partial<StartQueryCommandInput> = {}) {
  const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: TRAIL_GROUP, startTime: HOUR_AGO, endTime: NOW, queryString, ...input }));
  const out = await logs.send(new GetQueryResultsCommand({ queryId }));
  return { queryId: queryId!, ...out, rows: out.results!.map((r) => Object.fromEntries(r.map((f) => [f.field, f.value]))) };
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  logs = new CloudWatchLogsClient(clientConfig(sandbox.url, ACCOUNT));
  for (const g of [TRAIL_GROUP, FLOW_GROUP, APP_GROUP]) await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  await put(TRAIL_GROUP, '000000000036_CloudTrail_us-east-1', [
    trailEvent('GetParameter', TASK),
    trailEvent('GetParameter', TASK),
    trailEvent('PutParameter', TASK, 'AccessDenied'),
    trailEvent('GetParameter', ADMIN),
    trailEvent('DeleteParameter', ADMIN),
  ]);
  await put(FLOW_GROUP, 'eni-0a1b2c3d-all', [
    flow('10.0.1.5', '10.0.2.9', 443, 1000, 'ACCEPT'),
    flow('10.0.1.5', '10.0.2.9', 443, 500, 'ACCEPT'),
    flow('203.0.113.7', '10.0.1.5', 22, 40, 'REJECT'),
    flow('10.0.1.6', '10.0.2.9', 5432, 300, 'ACCEPT'),
  ]);
  await put(APP_GROUP, 'web/1', ['GET /health 200 3ms', 'GET /login 500 120ms', 'POST /login 200 95ms']);
  // Outside every query's time range: two hours ago.
  await put(APP_GROUP, 'web/old', ['GET /old 200 1ms'], Date.now() - 2 * 3600 * 1000);
});
afterAll(async () => {
  logs.destroy();
  await sandbox.close();
});

describe('logs:StartQuery / GetQueryResults', () => {
  it('runs fields | filter | sort | limit over JSON events, Complete at once, with statistics and @ptr', async () => {
    const r = await query('fields @timestamp, eventName, userIdentity.arn | filter userIdentity.arn = "' + TASK + '" | sort @timestamp desc | limit 2');
    expect(r.status).toBe('Complete');
    expect(r.statistics).toMatchObject({ recordsMatched: 3, recordsScanned: 5 });
    expect(r.statistics!.bytesScanned).toBeGreaterThan(300);
    expect(r.results).toHaveLength(2);
    const first = r.results![0]!;
    expect(first.map((f: ResultField) => f.field)).toEqual(['@timestamp', 'eventName', 'userIdentity.arn', '@ptr']);
    expect(r.rows[0]).toMatchObject({ eventName: 'PutParameter', 'userIdentity.arn': TASK, '@timestamp': new Date(T0 + 2 * MINUTE).toISOString().replace('T', ' ').replace('Z', '') });
    expect(r.rows[1]!.eventName).toBe('GetParameter');
  });

  it('stats count(*) by a field, sorted by the count', async () => {
    const r = await query('stats count(*) as calls by userIdentity.arn | sort calls desc');
    expect(r.rows).toEqual([
      { 'userIdentity.arn': TASK, calls: '3' },
      { 'userIdentity.arn': ADMIN, calls: '2' },
    ]);
    expect(r.statistics!.recordsMatched).toBe(5);
    // Group rows carry no @ptr.
    expect(r.results![0]!.some((f) => f.field === '@ptr')).toBe(false);
  });

  it('filters with like, in, and/or/not, parentheses and ispresent', async () => {
    expect((await query('filter eventName like /^Get/ | stats count(*)')).rows).toEqual([{ 'count(*)': '3' }]);
    expect((await query('filter eventName like "Param" and not eventName in ["GetParameter"] | fields eventName | sort eventName')).rows.map((r) => r.eventName)).toEqual([
      'DeleteParameter',
      'PutParameter',
    ]);
    expect((await query('filter ispresent(errorCode) | fields eventName, errorCode')).rows).toEqual([{ eventName: 'PutParameter', errorCode: 'AccessDenied', '@ptr': expect.any(String) }]);
    const mixed = await query(`filter (eventName = "DeleteParameter" or errorCode = "AccessDenied") and userIdentity.arn != "${ADMIN}" | fields eventName`);
    expect(mixed.rows.map((r) => r.eventName)).toEqual(['PutParameter']);
    expect((await query('filter eventName not like /Parameter/')).rows).toEqual([]);
  });

  it('discovers VPC flow log fields: sum(bytes) by srcAddr, numeric comparisons', async () => {
    const top = await query('filter action = "ACCEPT" | stats sum(bytes) as total, count(*) as flows by srcAddr | sort total desc', { logGroupName: FLOW_GROUP });
    expect(top.rows).toEqual([
      { srcAddr: '10.0.1.5', total: '1500', flows: '2' },
      { srcAddr: '10.0.1.6', total: '300', flows: '1' },
    ]);
    const rejected = await query('fields srcAddr, dstPort, protocol, interfaceId, logStatus, startTime, endTime | filter action = "REJECT" and dstPort < 1024', { logGroupName: FLOW_GROUP });
    expect(rejected.rows).toEqual([{ srcAddr: '203.0.113.7', dstPort: '22', protocol: '6', interfaceId: 'eni-0a1b2c3d', logStatus: 'OK', startTime: '1700000000', endTime: '1700000060', '@ptr': expect.any(String) }]);
    const stats = await query('stats avg(bytes), min(bytes), max(bytes), count_distinct(dstPort)', { logGroupName: FLOW_GROUP });
    expect(stats.rows).toEqual([{ 'avg(bytes)': '460', 'min(bytes)': '40', 'max(bytes)': '1000', 'count_distinct(dstPort)': '3' }]);
  });

  it('parses plain messages with a glob pattern; the time range leaves older events out', async () => {
    const r = await query('parse @message "* * * *ms" as method, path, status, ms | filter status >= 500 | fields method, path, ms', { logGroupName: APP_GROUP });
    expect(r.rows).toEqual([{ method: 'GET', path: '/login', ms: '120', '@ptr': expect.any(String) }]);
    const all = await query('fields @message, @logStream, @log', { logGroupName: APP_GROUP });
    expect(all.statistics!.recordsScanned).toBe(3);
    expect(all.rows.map((x) => x['@message'])).toEqual(['POST /login 200 95ms', 'GET /login 500 120ms', 'GET /health 200 3ms']);
    expect(all.rows[0]).toMatchObject({ '@logStream': 'web/1', '@log': `${ACCOUNT}:${APP_GROUP}` });
    const wide = await query('stats count(*)', { logGroupName: APP_GROUP, startTime: HOUR_AGO - 7200 });
    expect(wide.rows).toEqual([{ 'count(*)': '4' }]);
  });

  it('queries several groups at once, and bins by time', async () => {
    const r = await query('stats count(*) by @log | sort @log', { logGroupName: undefined, logGroupNames: [APP_GROUP, FLOW_GROUP] });
    expect(r.rows).toEqual([
      { '@log': `${ACCOUNT}:${APP_GROUP}`, 'count(*)': '3' },
      { '@log': `${ACCOUNT}:${FLOW_GROUP}`, 'count(*)': '4' },
    ]);
    const binned = await query('stats count(*) by bin(1h)');
    expect(binned.rows.reduce((n, row) => n + Number(row['count(*)']), 0)).toBe(5);
    expect(binned.rows[0]!['bin(1h)']).toMatch(/^\d{4}-\d\d-\d\d \d\d:00:00\.000$/);
  });

  it('applies the request limit', async () => {
    expect((await query('fields eventName', { limit: 2 })).results).toHaveLength(2);
  });
});

describe('Insights errors', () => {
  it('answers MalformedQueryException for a syntax error, with the location of the offending text', async () => {
    await expect(logs.send(new StartQueryCommand({ logGroupName: TRAIL_GROUP, startTime: HOUR_AGO, endTime: NOW, queryString: 'fields eventName | filtr x = 1' }))).rejects.toMatchObject({
      name: 'MalformedQueryException',
      $metadata: { httpStatusCode: 400 },
      // The SDK deserialises the error's own member.
      queryCompileError: { location: { startCharOffset: 19, endCharOffset: 24 } },
    });
    for (const [q, start] of [
      ['fields eventName | filtr x = 1', 19],
      ['stats count(*) by', 17],
      ['filter eventName = "unterminated', 19],
      ['limit 0', 6],
    ] as const) {
      try {
        parseQuery(q);
        expect.unreachable(q);
      } catch (err) {
        expect(err).toBeInstanceOf(MalformedQueryError);
        expect((err as MalformedQueryError).queryCompileError.location.startCharOffset).toBe(start);
      }
    }
  });

  it('answers ResourceNotFoundException for an unknown group or query, InvalidParameterException for a bad range', async () => {
    await expect(query('fields @message', { logGroupName: '/no/such/group' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new GetQueryResultsCommand({ queryId: '00000000-0000-0000-0000-000000000000' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new StopQueryCommand({ queryId: '00000000-0000-0000-0000-000000000000' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(query('fields @message', { startTime: NOW, endTime: HOUR_AGO })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(query('fields @message', { logGroupNames: [APP_GROUP] })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('denies a session that may not read the group', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'logs:StartQuery', Resource: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${APP_GROUP}`, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${APP_GROUP}:*`] },
        { Effect: 'Allow', Action: 'logs:GetQueryResults', Resource: '*' },
      ],
    });
    const creds = await roleSession(sandbox.url, ACCOUNT, 'lab-app-reader', policy);
    const reader = new CloudWatchLogsClient({ ...clientConfig(sandbox.url, ACCOUNT), credentials: creds });
    const range = { startTime: HOUR_AGO, endTime: NOW, queryString: 'fields @message' };
    await expect(reader.send(new StartQueryCommand({ logGroupName: TRAIL_GROUP, ...range }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(reader.send(new StartQueryCommand({ logGroupNames: [APP_GROUP, FLOW_GROUP], ...range }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const { queryId } = await reader.send(new StartQueryCommand({ logGroupName: APP_GROUP, ...range }));
    expect((await reader.send(new GetQueryResultsCommand({ queryId }))).results).toHaveLength(3);
    reader.destroy();
  });
});

describe('logs:DescribeQueries / StopQuery', () => {
  it('lists queries newest first, filtered by group and status, paged; a completed query has nothing to stop', async () => {
    const a = await query('fields @message', { logGroupName: FLOW_GROUP });
    const b = await query('stats count(*)', { logGroupName: FLOW_GROUP });
    const { queries } = await logs.send(new DescribeQueriesCommand({ logGroupName: FLOW_GROUP }));
    expect(queries!.slice(0, 2)).toEqual([
      { queryLanguage: 'CWLI', queryId: b.queryId, queryString: 'stats count(*)', status: 'Complete', createTime: expect.any(Number), logGroupName: FLOW_GROUP },
      expect.objectContaining({ queryId: a.queryId, status: 'Complete' }),
    ]);
    // Queries of the trail group alone are left out (a query of several groups is listed under its first).
    expect(queries!.some((q) => q.logGroupName === TRAIL_GROUP)).toBe(false);
    expect(queries!.length).toBeGreaterThan(2);
    expect((await logs.send(new DescribeQueriesCommand({ status: 'Running' }))).queries).toEqual([]);
    const page = await logs.send(new DescribeQueriesCommand({ maxResults: 1 }));
    expect(page.queries).toHaveLength(1);
    expect(page.nextToken).toBeDefined();
    expect((await logs.send(new StopQueryCommand({ queryId: a.queryId }))).success).toBe(false);
  });
});

describe('Insights queries across a restart', () => {
  it('keeps a query and its results', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      await client.send(new CreateLogGroupCommand({ logGroupName: APP_GROUP }));
      await client.send(new CreateLogStreamCommand({ logGroupName: APP_GROUP, logStreamName: 's' }));
      await client.send(new PutLogEventsCommand({ logGroupName: APP_GROUP, logStreamName: 's', logEvents: [{ timestamp: T0, message: '{"level":"error"}' }] }));
      const { queryId } = await client.send(new StartQueryCommand({ logGroupName: APP_GROUP, startTime: HOUR_AGO, endTime: NOW, queryString: 'stats count(*) by level' }));
      client.destroy();
      await box.close();
      // The query is in the account's state files (not the event log, not merely in this process).
      const accounts = join(tmp.dir, 'accounts');
      const state = readdirSync(accounts).filter((f) => f === `${ACCOUNT}.json` || f === `${ACCOUNT}.journal.jsonl`).map((f) => readFileSync(join(accounts, f), 'utf8')).join('');
      expect(state).toContain(queryId);
      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      const out = await client.send(new GetQueryResultsCommand({ queryId }));
      expect(out.status).toBe('Complete');
      expect(out.results).toEqual([[{ field: 'level', value: 'error' }, { field: 'count(*)', value: '1' }]]);
      expect((await client.send(new DescribeQueriesCommand({}))).queries!.map((q) => q.queryId)).toEqual([queryId]);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('with the AWS CLI', async () => {
  const cli = awsCli(() => sandbox.url, ACCOUNT);
  it.skipIf(!(await hasAwsCli()))('starts a query and reads its results', async () => {
    const start = await cli('logs', 'start-query', '--log-group-name', FLOW_GROUP, '--start-time', String(HOUR_AGO), '--end-time', String(NOW), '--query-string', 'stats sum(bytes) as total by dstPort | sort total desc | limit 1');
    expect(start.code).toBe(0);
    const { queryId } = JSON.parse(start.stdout) as { queryId: string };
    const out = JSON.parse((await cli('logs', 'get-query-results', '--query-id', queryId)).stdout) as { status: string; results: ResultField[][] };
    expect(out.status).toBe('Complete');
    expect(out.results).toEqual([[{ field: 'dstPort', value: '443' }, { field: 'total', value: '1500' }]]);
    expect(JSON.parse((await cli('logs', 'describe-queries', '--log-group-name', FLOW_GROUP)).stdout).queries[0].queryId).toBe(queryId);
    expect(JSON.parse((await cli('logs', 'stop-query', '--query-id', queryId)).stdout)).toEqual({ success: false });
    const bad = await cli('logs', 'start-query', '--log-group-name', FLOW_GROUP, '--start-time', String(HOUR_AGO), '--end-time', String(NOW), '--query-string', 'fields | x');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('MalformedQueryException');
  });
});
