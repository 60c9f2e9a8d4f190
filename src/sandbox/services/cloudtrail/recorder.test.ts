import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { ApiCallRecord } from '../../dispatch.js';
import { SandboxStore } from '../../store.js';
import { tempDir } from '../../test-helpers.js';
import { rootPrincipal } from '../../auth.js';
import { CloudTrailRecorder, EVENT_LOG, RECORDER_BACKLOG, RECORDER_IDLE_MS, type EventSummary, type StoredEvent, summariseEvent } from './recorder.js';

const ACCOUNT = '000000000061';

function call(operation: string, n: number, input: Record<string, unknown>, output?: unknown): ApiCallRecord {
  return {
    requestId: `req-${n}`,
    time: new Date(Date.UTC(2026, 10, 30, 8, 0, n % 60)),
    account: ACCOUNT,
    region: 'us-east-1',
    service: 'ecs',
    eventSource: 'ecs.amazonaws.com',
    operation,
    readOnly: operation.startsWith('Describe'),
    principal: rootPrincipal(ACCOUNT, ACCOUNT),
    input,
    output,
    shape: undefined,
    global: false,
    userAgent: 'test',
    sourceIpAddress: '127.0.0.1',
    errorCode: undefined,
    errorMessage: undefined,
  };
}

/** A call made by a session of the role lab-task-role. */
function sessionCall(operation: string, n: number): ApiCallRecord {
  const principal = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/lab-task-role/s1`, userId: 'AROAEXAMPLE:s1', accessKeyId: 'ASIAEXAMPLE', account: ACCOUNT };
  return { ...call(operation, n, {}), principal: principal as ApiCallRecord['principal'] };
}

function fileEvents(dir: string): StoredEvent[] {
  const file = join(dir, 'accounts', `${ACCOUNT}.${EVENT_LOG}.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StoredEvent);
}

function params(e: StoredEvent): { requestParameters: unknown; responseElements: unknown } {
  const { requestParameters, responseElements } = JSON.parse(e.json) as { requestParameters: unknown; responseElements: unknown };
  return { requestParameters, responseElements };
}

/** A store on a temporary data directory (removed after the test) and a recorder that rethrows. */
function recording(dataDir: boolean): { dir: string; store: SandboxStore; recorder: CloudTrailRecorder } {
  let dir = '';
  if (dataDir) {
    const tmp = tempDir();
    onTestFinished(() => tmp.remove());
    dir = tmp.dir;
  }
  const store = new SandboxStore(dataDir ? dir : undefined);
  const recorder = new CloudTrailRecorder(store, (err) => {
    throw err;
  });
  return { dir, store, recorder };
}

describe('CloudTrailRecorder', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds calls off the request path and writes them once the sandbox is quiet', async () => {
    vi.useFakeTimers();
    const { dir, store, recorder } = recording(true);
    recorder.capture(call('CreateCluster', 1, { clusterName: 'lab-prod' }, { cluster: { clusterName: 'lab-prod' } }));
    recorder.capture(call('DescribeClusters', 2, { clusters: ['lab-prod'] }, { clusters: [] }));
    expect(fileEvents(dir)).toEqual([]);
    // Each call restarts the quiet period.
    await vi.advanceTimersByTimeAsync(RECORDER_IDLE_MS - 10);
    recorder.capture(call('DeleteCluster', 3, { cluster: 'lab-prod' }, { cluster: { clusterName: 'lab-prod' } }));
    await vi.advanceTimersByTimeAsync(RECORDER_IDLE_MS - 10);
    expect(fileEvents(dir)).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    const events = fileEvents(dir);
    expect(events.map((e) => e.name)).toEqual(['CreateCluster', 'DescribeClusters', 'DeleteCluster']);
    // Read-only calls carry no responseElements, as in CloudTrail.
    expect(params(events[1]!).responseElements).toBeNull();
    expect(params(events[0]!).responseElements).toEqual({ cluster: { clusterName: 'lab-prod' } });
    recorder.close();
    store.close();
  });

  it('hands every earlier call to a reader of the log, and keeps a mutating call as it was', () => {
    const { store, recorder } = recording(false);
    const input = { clusterName: 'lab-prod', tags: [{ key: 'team', value: 'a' }] };
    const output = { cluster: { clusterName: 'lab-prod', status: 'ACTIVE' } };
    recorder.capture(call('CreateCluster', 1, input, output));
    // State that shares objects with the call changes before the event is built.
    input.tags[0]!.value = 'changed';
    output.cluster.status = 'INACTIVE';
    const events = store.log<StoredEvent>(ACCOUNT, EVENT_LOG);
    expect(events).toHaveLength(1);
    expect(params(events[0]!)).toEqual({
      requestParameters: { clusterName: 'lab-prod', tags: [{ key: 'team', value: 'a' }] },
      responseElements: { cluster: { clusterName: 'lab-prod', status: 'ACTIVE' } },
    });
    recorder.close();
  });

  it('keeps a summary of each persisted event in memory, and the whole event in the file', () => {
    const { dir, store, recorder } = recording(true);
    recorder.capture(sessionCall('ListClusters', 1));
    recorder.capture(call('CreateCluster', 2, { clusterName: 'lab-prod' }, { cluster: { clusterName: 'lab-prod' } }));
    const summaries = store.log<EventSummary & { json?: string }>(ACCOUNT, EVENT_LOG);
    expect(summaries.map((e) => [e.name, e.issuer, e.json])).toEqual([
      ['ListClusters', `arn:aws:iam::${ACCOUNT}:role/lab-task-role`, undefined],
      ['CreateCluster', undefined, undefined],
    ]);
    expect(store.logRecords<StoredEvent>(ACCOUNT, EVENT_LOG, [0, 1])).toEqual(fileEvents(dir));
    recorder.close();
    store.close();
  });

  it('finds the issuer of an event written before summaries held it, in its JSON', () => {
    const { dir, store, recorder } = recording(true);
    recorder.capture(sessionCall('ListClusters', 1));
    recorder.close();
    store.close();
    const [written] = fileEvents(dir);
    const { issuer, ...legacy } = written!;
    expect(issuer).toBe(`arn:aws:iam::${ACCOUNT}:role/lab-task-role`);
    expect(summariseEvent(legacy as StoredEvent).issuer).toBe(issuer);
  });

  it('writes in batches when calls keep coming, and everything on close', () => {
    const { dir, store, recorder } = recording(true);
    for (let i = 0; i < RECORDER_BACKLOG + 5; i++) recorder.capture(call('DescribeClusters', i, { clusters: ['lab-prod'] }));
    expect(fileEvents(dir)).toHaveLength(RECORDER_BACKLOG);
    recorder.close();
    store.close();
    expect(fileEvents(dir)).toHaveLength(RECORDER_BACKLOG + 5);
    expect(new SandboxStore(dir).log<StoredEvent>(ACCOUNT, EVENT_LOG).at(-1)!.name).toBe('DescribeClusters');
  });

  it('writes the calls before a reset drops the history, so none outlives it', () => {
    const { dir, store, recorder } = recording(true);
    recorder.capture(call('CreateCluster', 1, { clusterName: 'lab-prod' }, {}));
    store.reset(ACCOUNT);
    recorder.close();
    expect(store.log<StoredEvent>(ACCOUNT, EVENT_LOG)).toEqual([]);
    expect(fileEvents(dir)).toEqual([]);
    store.close();
  });

  it('writes an element over 64 KB as omitted and an empty one as null, in the event JSON CloudTrail has', () => {
    const { store, recorder } = recording(false);
    recorder.capture(call('TagResource', 1, { resourceArn: 'arn:aws:ecs:us-east-1:000000000061:cluster/big', tags: [{ key: 'k', value: 'v'.repeat(70_000) }] }, {}));
    const [event] = store.log<StoredEvent>(ACCOUNT, EVENT_LOG);
    const parsed = JSON.parse(event!.json) as Record<string, unknown>;
    expect(parsed.requestParameters).toEqual({ omitted: true, reason: 'larger than 64 KB' });
    expect(parsed.responseElements).toBeNull();
    expect(Object.keys(parsed)).toEqual([
      'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
      'requestParameters', 'responseElements', 'requestID', 'eventID', 'readOnly', 'eventType', 'managementEvent', 'recipientAccountId', 'eventCategory',
    ]);
    expect(parsed.eventID).toBe(event!.id);
    recorder.close();
  });

  it('reports an event it cannot build and keeps recording the others', () => {
    const store = new SandboxStore(undefined);
    const errors: string[] = [];
    const recorder = new CloudTrailRecorder(store, (err) => errors.push(String(err)));
    const bad = call('CreateCluster', 1, { clusterName: 'x' });
    recorder.capture({ ...bad, principal: { ...bad.principal, arn: undefined as never } });
    recorder.capture(call('CreateCluster', 2, { clusterName: 'lab-prod' }, {}));
    expect(store.log<StoredEvent>(ACCOUNT, EVENT_LOG).map((e) => e.name)).toEqual(['CreateCluster']);
    expect(errors).toHaveLength(1);
    recorder.close();
  });
});
