import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SandboxStore } from './store.js';
import { tempDir } from './test-helpers.js';

const ACCOUNT = '000000000051';

function lines(dir: string): string[] {
  return readFileSync(join(dir, 'accounts', `${ACCOUNT}.events.jsonl`), 'utf8').split('\n').filter(Boolean);
}

describe('SandboxStore append-only logs', () => {
  it('keeps the newest records up to the cap, in memory and across a restart', () => {
    const tmp = tempDir();
    try {
      const store = new SandboxStore(tmp.dir);
      for (let i = 0; i < 25; i++) store.append(ACCOUNT, 'events', { n: i, at: new Date(1_000 * i) }, 10);
      expect(store.log<{ n: number }>(ACCOUNT, 'events').map((r) => r.n)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
      // The file is compacted once it holds twice the cap, so it never grows without bound.
      expect(lines(tmp.dir).length).toBeLessThanOrEqual(20);
      const again = new SandboxStore(tmp.dir);
      const records = again.log<{ n: number; at: Date }>(ACCOUNT, 'events');
      expect(records.map((r) => r.n).slice(-10)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
      expect(records.at(-1)!.at).toEqual(new Date(24_000));
    } finally {
      tmp.remove();
    }
  });

  it('drops a line a crash cut short and appends after it cleanly', () => {
    const tmp = tempDir();
    try {
      const store = new SandboxStore(tmp.dir);
      store.append(ACCOUNT, 'events', { n: 1 }, 10);
      appendFileSync(join(tmp.dir, 'accounts', `${ACCOUNT}.events.jsonl`), '{"n":2,"torn');
      const again = new SandboxStore(tmp.dir);
      expect(again.log<{ n: number }>(ACCOUNT, 'events')).toEqual([{ n: 1 }]);
      again.append(ACCOUNT, 'events', { n: 3 }, 10);
      expect(new SandboxStore(tmp.dir).log<{ n: number }>(ACCOUNT, 'events')).toEqual([{ n: 1 }, { n: 3 }]);
    } finally {
      tmp.remove();
    }
  });

  it('keeps the newest lines byte for byte when it trims the file, multi-byte text included', () => {
    const tmp = tempDir();
    try {
      const store = new SandboxStore(tmp.dir);
      const record = (i: number) => ({ n: i, text: `é${'€'.repeat(i % 4)}😀 ${i}`, at: new Date(i) });
      for (let i = 0; i < 20; i++) store.append(ACCOUNT, 'events', record(i), 10);
      // Lines the caller made itself go to the file as given.
      const more = [20, 21].map(record);
      store.appendMany(ACCOUNT, 'events', more, 10, more.map((r) => `${JSON.stringify({ ...r, at: { $date: r.at.getTime() } })}\n`));
      // 22 lines > 2 x 10: the file was cut to the newest 10, each line whole.
      expect(lines(tmp.dir)).toEqual(Array.from({ length: 10 }, (_, k) => {
        const r = record(12 + k);
        return JSON.stringify({ ...r, at: { $date: r.at.getTime() } });
      }));
      store.append(ACCOUNT, 'events', record(22), 10);
      const again = new SandboxStore(tmp.dir).log<{ n: number; text: string; at: Date }>(ACCOUNT, 'events');
      expect(again.map((r) => r.n)).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
      expect(again.at(-1)).toEqual(record(22));
    } finally {
      tmp.remove();
    }
  });

  it('starts a new line after a last line that lost its newline', () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'accounts', `${ACCOUNT}.events.jsonl`);
      const store = new SandboxStore(tmp.dir);
      store.append(ACCOUNT, 'events', { n: 1 }, 10);
      appendFileSync(file, '{"n":2}');
      const again = new SandboxStore(tmp.dir);
      again.append(ACCOUNT, 'events', { n: 3 }, 10);
      expect(lines(tmp.dir)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
      expect(new SandboxStore(tmp.dir).log<{ n: number }>(ACCOUNT, 'events')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    } finally {
      tmp.remove();
    }
  });

  it('drops an account\'s logs on reset', () => {
    const tmp = tempDir();
    try {
      const store = new SandboxStore(tmp.dir);
      store.append(ACCOUNT, 'events', { n: 1 }, 10);
      store.append('000000000052', 'events', { n: 2 }, 10);
      store.reset(ACCOUNT);
      expect(store.log(ACCOUNT, 'events')).toEqual([]);
      expect(readdirSync(join(tmp.dir, 'accounts'))).toEqual(['000000000052.events.jsonl']);
      expect(new SandboxStore(tmp.dir).log('000000000052', 'events')).toEqual([{ n: 2 }]);
    } finally {
      tmp.remove();
    }
  });

  it('keeps logs in memory when there is no data directory', () => {
    const store = new SandboxStore(undefined);
    store.append(ACCOUNT, 'events', { n: 1 }, 1);
    store.append(ACCOUNT, 'events', { n: 2 }, 1);
    expect(store.log(ACCOUNT, 'events')).toEqual([{ n: 2 }]);
  });
});

describe('SandboxStore logs kept in summary', () => {
  interface Full {
    n: number;
    text: string;
    at: Date;
  }
  const summarise = (r: Full): { n: number } => ({ n: r.n });
  /** A record whose line has multi-byte text of a size that varies with n (offsets are bytes). */
  const full = (n: number): Full => ({ n, text: `é€😀 "quoted" \n ${'x'.repeat(n % 7)} ${n}`, at: new Date(1_000 * n) });

  function summarised(dir: string | undefined): SandboxStore {
    const store = new SandboxStore(dir);
    store.summariseLog('events', summarise);
    return store;
  }

  it('keeps summaries in memory and reads whole records back from the file, through trims and restarts', () => {
    const tmp = tempDir();
    try {
      const store = summarised(tmp.dir);
      // Batches of uneven size, as the recorder writes them, past two trims of the file.
      let n = 0;
      for (const size of [1, 3, 7, 2, 9, 4, 11, 5]) {
        store.appendMany(ACCOUNT, 'events', Array.from({ length: size }, () => full(n++)), 10);
      }
      expect(n).toBe(42);
      expect(lines(tmp.dir).length).toBeLessThanOrEqual(20);
      const newest = Array.from({ length: 10 }, (_, i) => 32 + i);
      expect(store.log(ACCOUNT, 'events')).toEqual(newest.map((i) => ({ n: i })));
      expect(store.logRecords<Full>(ACCOUNT, 'events', [9, 0, 4])).toEqual([full(41), full(32), full(36)]);

      // A restart reads the file (up to twice the cap of lines): summaries again, and the same records.
      const again = summarised(tmp.dir);
      const summaries = again.log<{ n: number }>(ACCOUNT, 'events');
      expect(summaries.slice(-10)).toEqual(newest.map((i) => ({ n: i })));
      const all = summaries.map((_, i) => i);
      expect(again.logRecords<Full>(ACCOUNT, 'events', all)).toEqual(summaries.map((s) => full(s.n)));
      again.appendMany(ACCOUNT, 'events', [full(42), full(43)], 10);
      expect(again.logRecords<Full>(ACCOUNT, 'events', [again.log(ACCOUNT, 'events').length - 1])).toEqual([full(43)]);
    } finally {
      tmp.remove();
    }
  });

  it('reads the right records after a restart that dropped a torn line', () => {
    const tmp = tempDir();
    try {
      const store = summarised(tmp.dir);
      store.appendMany(ACCOUNT, 'events', [full(1), full(2)], 10);
      appendFileSync(join(tmp.dir, 'accounts', `${ACCOUNT}.events.jsonl`), '{"n":3,"torn');
      const again = summarised(tmp.dir);
      again.appendMany(ACCOUNT, 'events', [full(4)], 10);
      expect(again.log(ACCOUNT, 'events')).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
      expect(again.logRecords<Full>(ACCOUNT, 'events', [0, 1, 2])).toEqual([full(1), full(2), full(4)]);
    } finally {
      tmp.remove();
    }
  });

  it('keeps memory as it was when a write fails, so later records are read from their own lines', () => {
    const tmp = tempDir();
    try {
      const store = summarised(tmp.dir);
      store.appendMany(ACCOUNT, 'events', [full(1)], 10);
      const appendTo = vi.spyOn(store as unknown as { appendTo(file: string, data: string): void }, 'appendTo').mockImplementationOnce(() => {
        throw new Error('ENOSPC: no space left on device');
      });
      expect(() => store.appendMany(ACCOUNT, 'events', [full(2), full(3)], 10)).toThrow(/ENOSPC/);
      appendTo.mockRestore();
      store.appendMany(ACCOUNT, 'events', [full(4)], 10);
      expect(store.log(ACCOUNT, 'events')).toEqual([{ n: 1 }, { n: 4 }]);
      expect(store.logRecords(ACCOUNT, 'events', [0, 1])).toEqual([full(1), full(4)]);
    } finally {
      tmp.remove();
    }
  });

  it('keeps whole records without a data directory', () => {
    const store = summarised(undefined);
    store.appendMany(ACCOUNT, 'events', [full(1), full(2)], 10);
    expect(store.log(ACCOUNT, 'events')).toEqual([full(1), full(2)]);
    expect(store.logRecords(ACCOUNT, 'events', [1])).toEqual([full(2)]);
  });

  it('refuses an index outside the log, and a summary form given after the log was opened', () => {
    const tmp = tempDir();
    try {
      const store = new SandboxStore(tmp.dir);
      store.append(ACCOUNT, 'events', full(1), 10);
      expect(() => store.logRecords(ACCOUNT, 'events', [1])).toThrow(/no record 1/);
      expect(() => store.summariseLog('events', summarise)).toThrow(/open already/);
    } finally {
      tmp.remove();
    }
  });
});
