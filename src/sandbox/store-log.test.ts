import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
