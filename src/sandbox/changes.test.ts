import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { types } from 'node:util';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { applyRecord, ChangeTracker, type ChangeRecord } from './changes.js';
import { COMPACT_FORCE_RATIO, COMPACT_IDLE_MS, COMPACT_MIN_BYTES, SandboxStore } from './store.js';
import { tempDir } from './test-helpers.js';
import { mulberry32 as rng } from './test-fixtures/fuzz-mutations.js';

type Svc = { clusters: Record<string, { name: string; tags: { key: string; value: string }[]; settings: { n: number } }>; families: Record<string, { rev: number; status: string }[]>; counter: number; when?: Date };

function initial(): Svc {
  return {
    clusters: { a: { name: 'a', tags: [{ key: 'k', value: 'v' }], settings: { n: 1 } }, __proto__x: { name: 'p', tags: [], settings: { n: 0 } } },
    families: { web: [{ rev: 1, status: 'ACTIVE' }] },
    counter: 0,
  };
}

const clone = <T>(v: T): T => structuredClone(v);

/** One random in-place mutation, the way handlers write state. */
function mutate(s: Svc, next: () => number): void {
  const names = Object.keys(s.clusters);
  const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(next() * xs.length)];
  switch (Math.floor(next() * 11)) {
    case 0: {
      const name = `c${Math.floor(next() * 6)}`;
      s.clusters[name] = { name, tags: [], settings: { n: 0 } };
      break;
    }
    case 1: {
      const name = pick(names);
      if (name) delete s.clusters[name];
      break;
    }
    case 2: {
      const c = s.clusters[pick(names) ?? ''];
      if (c) c.tags.push({ key: `t${Math.floor(next() * 5)}`, value: String(next()) });
      break;
    }
    case 3: {
      const c = s.clusters[pick(names) ?? ''];
      if (c) c.settings.n += 1;
      break;
    }
    case 4: {
      const c = s.clusters[pick(names) ?? ''];
      if (c && c.tags.length > 0) c.tags.splice(Math.floor(next() * c.tags.length), 1);
      break;
    }
    case 5: {
      const fam = `f${Math.floor(next() * 3)}`;
      (s.families[fam] ??= []).push({ rev: (s.families[fam]?.length ?? 0) + 1, status: 'ACTIVE' });
      break;
    }
    case 6: {
      const list = s.families[pick(Object.keys(s.families)) ?? ''];
      const rec = list?.[Math.floor(next() * list.length)];
      if (rec) rec.status = 'INACTIVE';
      break;
    }
    case 7:
      s.counter++;
      break;
    case 8:
      s.when = new Date(Math.floor(next() * 1e12));
      break;
    case 9: {
      // Moving a record between maps: a view must never end up inside state.
      const name = pick(names);
      if (name) s.clusters[`${name}-copy`] = s.clusters[name]!;
      break;
    }
    default: {
      const list = s.families[pick(Object.keys(s.families)) ?? ''];
      if (list && list.length > 0) list.pop();
    }
  }
}

function containsProxy(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  if (types.isProxy(value)) return true;
  seen.add(value);
  return Object.values(value).some((v) => containsProxy(v, seen));
}

describe('change tracking', () => {
  it('replaying the records of a request over the old state gives the new state (2,000 seeded requests)', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const next = rng(seed);
      const state = initial();
      // Earlier requests, through views as in the sandbox (so a moved record is a copy, never an alias).
      for (let warm = 0; warm < 5; warm++) mutate(new ChangeTracker().view('000000000001', 'us-east-1', 'svc', state, false, true), next);
      const before = clone(state);
      const tracker = new ChangeTracker();
      const view = tracker.view('000000000001', 'us-east-1', 'svc', state, false, true);
      const steps = 1 + Math.floor(next() * 4);
      for (let i = 0; i < steps; i++) mutate(view, next);
      expect(containsProxy(state), `seed ${seed}: a view leaked into state`).toBe(false);

      const records = tracker.records().get('000000000001') ?? [];
      // Through JSON, as on disk (Dates are revived by the store; compare them as ISO strings here).
      const onDisk = JSON.parse(JSON.stringify(records)) as ChangeRecord[];
      const bag: Record<string, unknown> = { svc: JSON.parse(JSON.stringify(before)) };
      for (const record of onDisk) expect(applyRecord(bag, record)).toBe(true);
      expect(bag.svc, `seed ${seed}`).toEqual(JSON.parse(JSON.stringify(state)));
      // Idempotent: replaying again changes nothing.
      for (const record of onDisk) applyRecord(bag, record);
      expect(bag.svc, `seed ${seed} (replayed twice)`).toEqual(JSON.parse(JSON.stringify(state)));
    }
  });

  it('records only what a request touched, not the whole state', () => {
    const state = initial();
    for (let i = 0; i < 1000; i++) state.families.web!.push({ rev: i + 2, status: 'ACTIVE' });
    const tracker = new ChangeTracker();
    const view = tracker.view('000000000001', 'us-east-1', 'svc', state, false, true);
    view.families.web!.push({ rev: 1002, status: 'ACTIVE' });
    const records = tracker.records().get('000000000001')!;
    expect(records.map((r) => r.p.join('/'))).toEqual(['families/web/1001', 'families/web/length']);
    expect(JSON.stringify(records).length).toBeLessThan(200);
  });

  it('marks nothing for a scan of primitive fields, but a record or a Date handed out in place', () => {
    const state = initial();
    for (let i = 0; i < 100; i++) state.clusters[`c${i}`] = { name: `c${i}`, tags: [], settings: { n: i } };
    state.when = new Date(0);
    const tracker = new ChangeTracker();
    const view = tracker.view('000000000001', 'us-east-1', 'svc', state, false, true);
    // A uniqueness check reads a string of every record: nothing changes, nothing is journaled.
    expect(Object.values(view.clusters).some((c) => c.name === 'nope')).toBe(false);
    expect(view.counter).toBe(0);
    expect(tracker.records().size).toBe(0);
    // What the handler could change in place is marked: a list below the depth limit, a Date.
    void view.clusters.c1!.tags;
    void view.when;
    expect(tracker.records().get('000000000001')!.map((r) => r.p.join('/')).sort()).toEqual(['clusters/c1/tags', 'when']);
  });

  it('records a state created by the request whole, and nothing for an untouched read', () => {
    const tracker = new ChangeTracker();
    tracker.view('000000000001', null, 'iam', { roles: {} }, true, false);
    tracker.view('000000000002', 'us-east-1', 'ecs', initial(), false, false);
    const records = tracker.records();
    expect([...records.keys()]).toEqual(['000000000001']);
    expect(records.get('000000000001')).toEqual([{ r: null, s: 'iam', p: [], v: { roles: {} } }]);
  });

  it('is safe for keys such as __proto__ on replay', () => {
    const bag: Record<string, unknown> = { svc: { roles: Object.create(null) as object } };
    applyRecord(bag, { r: null, s: 'svc', p: ['roles', '__proto__'], v: { polluted: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys((bag.svc as { roles: object }).roles)).toEqual(['__proto__']);
  });
});

describe('journal', () => {
  const ACCOUNT = '000000000077';
  const stateOf = (store: SandboxStore) => JSON.parse(JSON.stringify(store.account(ACCOUNT))) as unknown;

  /** One request: mutate through a view, then persist what it recorded. */
  function request(store: SandboxStore, fn: (s: Svc) => void): void {
    const tracker = new ChangeTracker();
    const { state, created } = store.serviceState(ACCOUNT, 'us-east-1', 'svc', initial);
    fn(tracker.view(ACCOUNT, 'us-east-1', 'svc', state, created, true));
    for (const [owner, records] of tracker.records()) store.record(owner, records);
  }

  const big = 'x'.repeat(4096);
  /** Requests that each rewrite one of 50 clusters with 4 kB: 300 of them outgrow COMPACT_MIN_BYTES. */
  function burst(store: SandboxStore, from: number, count: number): void {
    for (let i = from; i < from + count; i++) request(store, (s) => (s.clusters[`c${i % 50}`] = { name: big + String(i), tags: [], settings: { n: i } }));
  }

  /** A data directory removed after the test, with the paths of the account's journal and snapshot. */
  function dataDir(): { dir: string; journal: string; snapshot: string } {
    const tmp = tempDir();
    onTestFinished(() => tmp.remove());
    return { dir: tmp.dir, journal: join(tmp.dir, 'accounts', `${ACCOUNT}.journal.jsonl`), snapshot: join(tmp.dir, 'accounts', `${ACCOUNT}.json`) };
  }

  /** Fake timers for the store's compaction timers (setTimeout and setImmediate). */
  function fakeCompactionTimers(): void {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
  }

  it('restores the state after a restart from the snapshot plus the journal, Dates included', () => {
    const tmp = tempDir();
    try {
      const store = new SandboxStore(tmp.dir);
      const next = rng(7);
      for (let i = 0; i < 300; i++) request(store, (s) => mutate(s, next));
      request(store, (s) => (s.when = new Date(1_700_000_000_000)));
      const reopened = new SandboxStore(tmp.dir);
      expect(stateOf(reopened)).toEqual(stateOf(store));
      const svc = reopened.serviceState(ACCOUNT, 'us-east-1', 'svc', initial).state;
      expect(svc.when).toBeInstanceOf(Date);
    } finally {
      tmp.remove();
    }
  });

  it('logs a compaction that fails and keeps the journal, which still replays', async () => {
    fakeCompactionTimers();
    const { dir, journal, snapshot } = dataDir();
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (_obj: object, msg?: string) => errors.push(msg ?? '') };
    const store = new SandboxStore(dir, logger);
    burst(store, 0, 300);
    // The snapshot's place is taken (a directory): the compaction's rename fails.
    mkdirSync(snapshot);
    const expected = stateOf(store);
    const size = statSync(journal).size;
    await vi.advanceTimersByTimeAsync(COMPACT_IDLE_MS + 10);
    expect(errors).toEqual(['sandbox: could not compact the journal into a snapshot']);
    expect(statSync(journal).size).toBe(size);
    rmSync(snapshot, { recursive: true });
    expect(stateOf(new SandboxStore(dir))).toEqual(expected);
  });

  it('leaves a compaction not yet run to the next start when the store closes', async () => {
    const { dir, journal, snapshot } = dataDir();
    const store = new SandboxStore(dir);
    burst(store, 0, 300);
    const expected = stateOf(store);
    const size = statSync(journal).size;
    store.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(statSync(journal).size).toBe(size);
    expect(existsSync(snapshot)).toBe(false);
    expect(stateOf(new SandboxStore(dir))).toEqual(expected);
  });

  it('compacts a journal that outgrows its snapshot once changes pause, and skips a torn last line', async () => {
    fakeCompactionTimers();
    const { dir, journal, snapshot } = dataDir();
    const store = new SandboxStore(dir);
    // Outgrown (over 1 MB, no snapshot yet), but changes keep coming: no compaction.
    burst(store, 0, 300);
    expect(statSync(journal).size).toBeGreaterThan(COMPACT_MIN_BYTES);
    await vi.advanceTimersByTimeAsync(COMPACT_IDLE_MS - 10);
    burst(store, 300, 10);
    await vi.advanceTimersByTimeAsync(COMPACT_IDLE_MS - 10);
    expect(existsSync(snapshot)).toBe(false);
    // Quiet: compacted.
    await vi.advanceTimersByTimeAsync(20);
    expect(statSync(journal).size).toBe(0);
    expect(existsSync(snapshot)).toBe(true);
    // Changes that never pause: compacted right after the request that takes the journal past
    // COMPACT_FORCE_RATIO times the snapshot (~200 kB here, so 4 MB), before any quiet moment.
    let n = 1000;
    while (statSync(journal).size <= COMPACT_FORCE_RATIO * COMPACT_MIN_BYTES) burst(store, n++, 1);
    expect(statSync(journal).size).toBeGreaterThan(COMPACT_FORCE_RATIO * COMPACT_MIN_BYTES);
    await vi.advanceTimersByTimeAsync(1);
    expect(statSync(journal).size).toBe(0);
    expect(existsSync(snapshot)).toBe(true);
    expect(statSync(journal).size).toBeLessThan(1 << 20);
    const expected = stateOf(store);
    appendFileSync(journal, '{"c":[{"r":"us-east-1","s":"svc","p":["clusters","torn"],"v":{"na');
    const reopened = new SandboxStore(dir);
    expect(stateOf(reopened)).toEqual(expected);
    expect(readFileSync(journal, 'utf8')).toContain('"torn"');
  });
});
