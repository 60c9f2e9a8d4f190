import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { DescribeLogStreamsCommandInput, InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';
import { MAX_BYTES_PER_STREAM, MAX_EVENTS_PER_STREAM } from './events.js';

const ACCOUNT = '000000000024';
const GROUP = '/ecs-lab/web';
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}`;
const MINUTE = 60_000;

let sandbox: RunningSandbox;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  logs = new CloudWatchLogsClient(clientConfig(sandbox.url, ACCOUNT));
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
});
afterAll(async () => {
  logs.destroy();
  await sandbox.close();
});

async function streamNames(input: Partial<DescribeLogStreamsCommandInput>): Promise<string[]> {
  const out = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, ...input }));
  return out.logStreams!.map((s) => s.logStreamName!);
}

function put(stream: string, logEvents: InputLogEvent[], group = GROUP) {
  return logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
}

/** `n` events one second apart, ending a minute ago, messages `${label}-0` …. */
function events(n: number, label: string, end = Date.now() - MINUTE): InputLogEvent[] {
  return Array.from({ length: n }, (_, i) => ({ timestamp: end - (n - 1 - i) * 1000, message: `${label}-${i}` }));
}

describe('CreateLogStream and DescribeLogStreams', () => {
  it('creates a stream and describes it as AWS does', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'web/app/1' }));
    const [stream, ...rest] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }))).logStreams!;
    expect(rest).toEqual([]);
    expect(stream).toEqual({
      logStreamName: 'web/app/1',
      creationTime: expect.any(Number),
      arn: `${GROUP_ARN}:log-stream:web/app/1`,
      storedBytes: 0,
    });
    expect(Math.abs(stream!.creationTime! - Date.now())).toBeLessThan(MINUTE);
  });

  it('refuses a repeat, a missing group and an invalid name with the AWS errors', async () => {
    await expect(logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'web/app/1' }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log stream already exists',
    });
    await expect(logs.send(new CreateLogStreamCommand({ logGroupName: '/nope', logStreamName: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    for (const bad of ['a:b', 'a*', 'x'.repeat(513)]) {
      await expect(logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: bad }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    }
    await expect(logs.send(new DescribeLogStreamsCommand({ logGroupName: '/nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('orders by name or last event time, either way, and pages with limit and nextToken', async () => {
    for (const name of ['web/app/3', 'web/app/2', 'worker/1']) await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: name }));
    expect(await streamNames({})).toEqual(['web/app/1', 'web/app/2', 'web/app/3', 'worker/1']);
    expect(await streamNames({ descending: true })).toEqual(['worker/1', 'web/app/3', 'web/app/2', 'web/app/1']);
    expect(await streamNames({ logStreamNamePrefix: 'web/' })).toEqual(['web/app/1', 'web/app/2', 'web/app/3']);

    // Last events: app/2 oldest, app/1 newest; app/3 and worker/1 have none and come first.
    await put('web/app/2', [{ timestamp: Date.now() - 3 * MINUTE, message: 'two' }]);
    await put('web/app/1', [{ timestamp: Date.now() - MINUTE, message: 'one' }]);
    expect(await streamNames({ orderBy: 'LastEventTime' })).toEqual(['web/app/3', 'worker/1', 'web/app/2', 'web/app/1']);
    expect((await streamNames({ orderBy: 'LastEventTime', descending: true })).slice(0, 2)).toEqual(['web/app/1', 'web/app/2']);

    const first = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 3 }));
    expect(first.logStreams!.map((s) => s.logStreamName)).toEqual(['web/app/1', 'web/app/2', 'web/app/3']);
    const second = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 3, nextToken: first.nextToken }));
    expect(second.logStreams!.map((s) => s.logStreamName)).toEqual(['worker/1']);
    expect(second.nextToken).toBeUndefined();
  });

  it('finds the group by logGroupIdentifier (name or ARN) and rejects what AWS rejects', async () => {
    expect(await streamNames({ logGroupName: undefined, logGroupIdentifier: GROUP_ARN, logStreamNamePrefix: 'worker' })).toEqual(['worker/1']);
    expect(await streamNames({ logGroupName: undefined, logGroupIdentifier: `${GROUP_ARN}:*`, logStreamNamePrefix: 'worker' })).toEqual(['worker/1']);
    expect(await streamNames({ logGroupName: undefined, logGroupIdentifier: GROUP, logStreamNamePrefix: 'worker' })).toEqual(['worker/1']);
    const invalid: Partial<DescribeLogStreamsCommandInput>[] = [
      { orderBy: 'LastEventTime', logStreamNamePrefix: 'web/' },
      { limit: 51 },
      { limit: 0 },
      { orderBy: 'CreationTime' as never },
      { nextToken: 'not-a-token' },
      { logGroupIdentifier: GROUP_ARN },
      { logGroupName: undefined },
    ];
    for (const input of invalid) await expect(logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, ...input }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: 'LastEventTime', logStreamNamePrefix: 'web/' }))).rejects.toMatchObject({
      message: 'Cannot order by LastEventTime with a logStreamNamePrefix.',
    });
    const otherRegion = GROUP_ARN.replace('us-east-1', 'eu-west-1');
    await expect(logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: otherRegion }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('deletes a stream, and a missing one is ResourceNotFoundException', async () => {
    await logs.send(new DeleteLogStreamCommand({ logGroupName: GROUP, logStreamName: 'worker/1' }));
    expect(await streamNames({ logStreamNamePrefix: 'worker' })).toEqual([]);
    await expect(logs.send(new DeleteLogStreamCommand({ logGroupName: GROUP, logStreamName: 'worker/1' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    await expect(logs.send(new DeleteLogStreamCommand({ logGroupName: '/nope', logStreamName: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });
});

describe('PutLogEvents and GetLogEvents', () => {
  beforeAll(async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'events' }));
  });

  it('stores events in timestamp order and updates the stream', async () => {
    const now = Date.now();
    const first = await put('events', [{ timestamp: now - 5 * MINUTE, message: 'b' }, { timestamp: now - 2 * MINUTE, message: 'd' }]);
    expect(first.nextSequenceToken).toMatch(/^[0-9]{56}$/);
    expect(first.rejectedLogEventsInfo).toBeUndefined();
    // A later batch may hold older events: they take their place by timestamp.
    const second = await put('events', [{ timestamp: now - 6 * MINUTE, message: 'a' }, { timestamp: now - 3 * MINUTE, message: 'c' }]);
    expect(second.nextSequenceToken).not.toBe(first.nextSequenceToken);
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', startFromHead: true }));
    expect(out.events!.map((e) => e.message)).toEqual(['a', 'b', 'c', 'd']);
    expect(out.events![0]).toEqual({ timestamp: now - 6 * MINUTE, message: 'a', ingestionTime: expect.any(Number) });
    const [stream] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'events' }))).logStreams!;
    expect(stream).toMatchObject({ firstEventTimestamp: now - 6 * MINUTE, lastEventTimestamp: now - 2 * MINUTE, uploadSequenceToken: second.nextSequenceToken, storedBytes: 0 });
    expect(stream!.lastIngestionTime).toBeGreaterThanOrEqual(out.events![0]!.ingestionTime!);
  });

  it('pages forward and backward with the tokens, returning the same token at the end', async () => {
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', startFromHead: true, limit: 3 }));
    expect(head.events!.map((e) => e.message)).toEqual(['a', 'b', 'c']);
    expect(head.nextForwardToken).toMatch(/^f\/[0-9]{56}\/s$/);
    expect(head.nextBackwardToken).toMatch(/^b\/[0-9]{56}\/s$/);
    const next = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', startFromHead: true, limit: 3, nextToken: head.nextForwardToken }));
    expect(next.events!.map((e) => e.message)).toEqual(['d']);
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', startFromHead: true, nextToken: next.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(next.nextForwardToken);
    // New events appear after the token a reader holds.
    await put('events', [{ timestamp: Date.now() - MINUTE, message: 'e' }]);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', startFromHead: true, nextToken: end.nextForwardToken }));
    expect(tail.events!.map((e) => e.message)).toEqual(['e']);
    const back = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', limit: 2, nextToken: next.nextBackwardToken }));
    expect(back.events!.map((e) => e.message)).toEqual(['b', 'c']);
  });

  it('returns the newest events by default, within startTime and endTime', async () => {
    const latest = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', limit: 2 }));
    expect(latest.events!.map((e) => e.message)).toEqual(['d', 'e']);
    const all = (await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', startFromHead: true }))).events!;
    const window = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', startFromHead: true, startTime: all[1]!.timestamp, endTime: all[3]!.timestamp }),
    );
    expect(window.events!.map((e) => e.message)).toEqual(['b', 'c']);
    const byArn = await logs.send(new GetLogEventsCommand({ logGroupIdentifier: GROUP_ARN, logStreamName: 'events', limit: 1 }));
    expect(byArn.events!.map((e) => e.message)).toEqual(['e']);
  });

  it('rejects what AWS rejects', async () => {
    const now = Date.now();
    await expect(put('events', [{ timestamp: now, message: 'late' }, { timestamp: now - MINUTE, message: 'early' }])).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
    await expect(put('events', [{ timestamp: now - 25 * 60 * MINUTE, message: 'old' }, { timestamp: now, message: 'new' }])).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    });
    const big = 'x'.repeat(300_000);
    await expect(put('events', [1, 2, 3, 4].map(() => ({ timestamp: now, message: big })))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `Upload too large: ${4 * (300_000 + 26)} bytes exceeds limit of 1048576`,
    });
    await expect(put('events', [])).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(put('no-such-stream', [{ timestamp: now, message: 'x' }])).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    await expect(put('events', [{ timestamp: now, message: 'x' }], '/nope')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'no-such-stream' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', nextToken: 'f/123' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events', limit: 10_001 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    // Nothing of the refused batches was stored.
    expect((await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'events' }))).events).toHaveLength(5);
  });

  it('reports events too old, expired or too new, and stores the rest', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/short' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ecs-lab/short', retentionInDays: 1 }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs-lab/short', logStreamName: 's' }));
    const now = Date.now();
    const day = 24 * 60 * MINUTE;
    const out = await put(
      's',
      [
        { timestamp: now - 2 * day, message: 'expired' },
        { timestamp: now - MINUTE, message: 'kept' },
        { timestamp: now + 3 * 60 * MINUTE, message: 'future' },
      ],
      '/ecs-lab/short',
    );
    expect(out.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1, tooNewLogEventStartIndex: 2 });
    const old = await put('events', [{ timestamp: now - 15 * day, message: 'ancient' }, { timestamp: now - 15 * day + 1, message: 'ancient-2' }]);
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    expect((await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs-lab/short', logStreamName: 's' }))).events!.map((e) => e.message)).toEqual(['kept']);
  });
});

describe('the per-stream cap', () => {
  it(`keeps the newest ${MAX_EVENTS_PER_STREAM} events`, async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'busy' }));
    const end = Date.now() - MINUTE;
    await put('busy', events(700, 'first', end - 700_000));
    await put('busy', events(700, 'second', end));
    const kept = (await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'busy', startFromHead: true }))).events!;
    expect(kept).toHaveLength(MAX_EVENTS_PER_STREAM);
    expect(kept[0]!.message).toBe('first-400');
    expect(kept.at(-1)!.message).toBe('second-699');
    // The stream still reports its first event.
    const [stream] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'busy' }))).logStreams!;
    expect(stream!.firstEventTimestamp).toBe(end - 700_000 - 699_000);
  });

  it(`keeps at most ${MAX_BYTES_PER_STREAM} bytes of events`, async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'large' }));
    const body = 'y'.repeat(1000);
    const batch = events(300, 'big').map((e) => ({ ...e, message: `${e.message}${body}`.slice(0, 1000) }));
    await put('large', batch);
    const kept = (await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'large' }))).events!;
    expect(kept).toHaveLength(Math.floor(MAX_BYTES_PER_STREAM / 1026));
    expect(kept.at(-1)!.message).toMatch(/^big-299y+$/);
  });
});

describe('FilterLogEvents', () => {
  beforeAll(async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/filter' }));
    for (const s of ['api-1', 'api-2', 'db']) await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs-lab/filter', logStreamName: s }));
    const t = Date.now() - 10 * MINUTE;
    await put('api-1', [{ timestamp: t, message: 'GET /health 200' }, { timestamp: t + 3000, message: 'ERROR timeout calling db' }], '/ecs-lab/filter');
    await put('api-2', [{ timestamp: t + 1000, message: 'GET /orders 500' }, { timestamp: t + 4000, message: 'WARN slow request' }], '/ecs-lab/filter');
    await put('db', [{ timestamp: t + 2000, message: 'ERROR connection refused' }], '/ecs-lab/filter');
  });

  const filter = async (input: Record<string, unknown>) =>
    (await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs-lab/filter', ...input }))).events!.map((e) => `${e.logStreamName}:${e.message}`);

  it('interleaves the streams by time and matches terms, phrases, ?alternatives and -exclusions', async () => {
    expect(await filter({})).toEqual(['api-1:GET /health 200', 'api-2:GET /orders 500', 'db:ERROR connection refused', 'api-1:ERROR timeout calling db', 'api-2:WARN slow request']);
    expect(await filter({ filterPattern: 'ERROR' })).toEqual(['db:ERROR connection refused', 'api-1:ERROR timeout calling db']);
    expect(await filter({ filterPattern: 'error' })).toEqual([]);
    expect(await filter({ filterPattern: 'ERROR db' })).toEqual(['api-1:ERROR timeout calling db']);
    expect(await filter({ filterPattern: '"connection refused"' })).toEqual(['db:ERROR connection refused']);
    expect(await filter({ filterPattern: '?WARN ?500' })).toEqual(['api-2:GET /orders 500', 'api-2:WARN slow request']);
    expect(await filter({ filterPattern: 'GET -200' })).toEqual(['api-2:GET /orders 500']);
    expect(await filter({ logStreamNamePrefix: 'api-', filterPattern: 'ERROR' })).toEqual(['api-1:ERROR timeout calling db']);
    expect(await filter({ logStreamNames: ['db', 'api-2'] })).toEqual(['api-2:GET /orders 500', 'db:ERROR connection refused', 'api-2:WARN slow request']);
  });

  it('pages with limit and nextToken, and gives every event an id', async () => {
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs-lab/filter', limit: 3 }));
    expect(first.events).toHaveLength(3);
    const second = await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs-lab/filter', limit: 3, nextToken: first.nextToken }));
    expect(second.events!.map((e) => e.message)).toEqual(['ERROR timeout calling db', 'WARN slow request']);
    expect(second.nextToken).toBeUndefined();
    const ids = [...first.events!, ...second.events!].map((e) => e.eventId!);
    expect(new Set(ids).size).toBe(5);
    expect(ids.every((id) => /^[0-9]{56}$/.test(id))).toBe(true);
  });

  it('rejects what AWS rejects', async () => {
    await expect(filter({ logStreamNames: ['db'], logStreamNamePrefix: 'api' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(filter({ filterPattern: '{ $.level = }' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(filter({ filterPattern: '[ip, user' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(filter({ filterPattern: '[ip, status > x]' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(filter({ nextToken: 'bogus' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: '/nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('DeleteLogGroup', () => {
  it('deletes the group\'s streams and their events', async () => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/ecs-lab/filter' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/filter' }));
    expect((await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs-lab/filter' }))).logStreams).toEqual([]);
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: '/ecs-lab/filter', logStreamName: 'db' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('IAM on log streams', () => {
  it('authorises stream calls on the stream ARN, so a log-group:<name>:* grant covers them', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/denied' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs-lab/denied', logStreamName: 's' }));
    const grant = { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:GetLogEvents'], Resource: `${GROUP_ARN}:*` };
    const credentials = await roleSession(sandbox.url, ACCOUNT, 'log-writer', JSON.stringify({ Version: '2012-10-17', Statement: [grant] }), 'writer');
    const writer = new CloudWatchLogsClient({ ...clientConfig(sandbox.url, ACCOUNT), credentials });
    try {
      await writer.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'by-role' }));
      await writer.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 'by-role', logEvents: [{ timestamp: Date.now(), message: 'hello' }] }));
      expect((await writer.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'by-role' }))).events!.map((e) => e.message)).toEqual(['hello']);
      const denied = { name: 'AccessDeniedException', message: expect.stringContaining(`logs:PutLogEvents on resource: arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs-lab/denied:log-stream:s`) };
      await expect(writer.send(new PutLogEventsCommand({ logGroupName: '/ecs-lab/denied', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'x' }] }))).rejects.toMatchObject(denied);
      await expect(writer.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      writer.destroy();
    }
  });
});

describe('persistence', () => {
  it('keeps streams and events across a restart with the same data dir', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      await client.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/kept' }));
      await client.send(new CreateLogStreamCommand({ logGroupName: '/ecs-lab/kept', logStreamName: 'app' }));
      await client.send(new CreateLogStreamCommand({ logGroupName: '/ecs-lab/kept', logStreamName: 'gone' }));
      await client.send(new PutLogEventsCommand({ logGroupName: '/ecs-lab/kept', logStreamName: 'app', logEvents: events(3, 'boot') }));
      await client.send(new PutLogEventsCommand({ logGroupName: '/ecs-lab/kept', logStreamName: 'app', logEvents: events(1, 'ready', Date.now()) }));
      await client.send(new DeleteLogStreamCommand({ logGroupName: '/ecs-lab/kept', logStreamName: 'gone' }));
      const before = (await client.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs-lab/kept' }))).logStreams;
      client.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs-lab/kept' }))).logStreams).toEqual(before);
      const got = await client.send(new GetLogEventsCommand({ logGroupName: '/ecs-lab/kept', logStreamName: 'app', startFromHead: true }));
      expect(got.events!.map((e) => e.message)).toEqual(['boot-0', 'boot-1', 'boot-2', 'ready-0']);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });

  it('journals nothing for a read, and only the stream for PutLogEvents', async () => {
    const tmp = tempDir();
    try {
      const box = await startTestSandbox({ dataDir: tmp.dir });
      const client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      try {
        await client.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/quiet', tags: { team: 'blue' } }));
        await client.send(new CreateLogGroupCommand({ logGroupName: '/ecs-lab/other', tags: { team: 'red' } }));
        await client.send(new CreateLogStreamCommand({ logGroupName: '/ecs-lab/quiet', logStreamName: 'app' }));
        const journal = join(tmp.dir, 'accounts', `${ACCOUNT}.journal.jsonl`);
        const lines = () => readFileSync(journal, 'utf8').split('\n').filter(Boolean);
        const before = lines().length;
        await client.send(new PutLogEventsCommand({ logGroupName: '/ecs-lab/quiet', logStreamName: 'app', logEvents: events(1, 'x') }));
        const written = lines().slice(before);
        expect(written).toHaveLength(1);
        // Neither group's tags, nor the other group: the stream alone.
        expect(written[0]).not.toContain('/ecs-lab/other');
        expect(written[0]).not.toContain('"tags"');
        const afterPut = lines().length;
        await client.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs-lab/quiet' }));
        await client.send(new GetLogEventsCommand({ logGroupName: '/ecs-lab/quiet', logStreamName: 'app' }));
        await client.send(new FilterLogEventsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs-lab/quiet` }));
        expect(lines().length).toBe(afterPut);
      } finally {
        client.destroy();
        await box.close();
      }
    } finally {
      tmp.remove();
    }
  });

  it('adds streams to state saved before the sandbox had them', async () => {
    const tmp = tempDir();
    try {
      // A snapshot as an older sandbox wrote it: log groups, no streams map.
      const group = { logGroupName: '/old', creationTime: Date.now(), logGroupClass: 'STANDARD', tags: {} };
      mkdirSync(join(tmp.dir, 'accounts'), { recursive: true });
      const snapshot = { version: 1, state: { regional: { 'us-east-1': { logs: { groups: { '/old': group } } } }, global: {} } };
      writeFileSync(join(tmp.dir, 'accounts', `${ACCOUNT}.json`), JSON.stringify(snapshot));
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new DescribeLogStreamsCommand({ logGroupName: '/old' }))).logStreams).toEqual([]);
      await client.send(new CreateLogStreamCommand({ logGroupName: '/old', logStreamName: 'new' }));
      await client.send(new PutLogEventsCommand({ logGroupName: '/old', logStreamName: 'new', logEvents: events(1, 'x') }));
      client.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new CloudWatchLogsClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new GetLogEventsCommand({ logGroupName: '/old', logStreamName: 'new' }))).events!.map((e) => e.message)).toEqual(['x-0']);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});
