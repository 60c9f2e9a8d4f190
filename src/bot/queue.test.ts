import { describe, expect, it } from 'vitest';
import { Debouncer } from './debounce.js';
import { QueueFullError, WorkQueue } from './queue.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('starts nothing in the turn that queued it', async () => {
    const q = new WorkQueue(2);
    let ran = false;
    const p = q.push('a', async () => {
      ran = true;
    });
    expect(ran).toBe(false);
    await p;
    expect(ran).toBe(true);
  });

  it('runs one job at a time per key, in order, and at most `concurrency` overall', async () => {
    const q = new WorkQueue(2);
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const job = (name: string) => async () => {
      running++;
      peak = Math.max(peak, running);
      log.push(`start ${name}`);
      await new Promise<void>((r) => gates.push(r));
      log.push(`end ${name}`);
      running--;
    };
    const all = [q.push('u1', job('u1-a')), q.push('u1', job('u1-b')), q.push('u2', job('u2-a')), q.push('u3', job('u3-a'))];
    while (log.length < 8) {
      await tick();
      gates.shift()?.();
    }
    await Promise.all(all);
    expect(peak).toBe(2);
    expect(log.indexOf('end u1-a')).toBeLessThan(log.indexOf('start u1-b'));
    await q.idle();
    expect(q.size).toBe(0);
  });

  it('settles each job with its own result or error, and refuses work when full', async () => {
    const q = new WorkQueue(1, 2);
    const a = q.push('k', async () => 1);
    const b = q.push('k', async () => {
      throw new Error('boom');
    });
    expect(() => q.push('k', async () => 3)).toThrow(QueueFullError);
    await expect(a).resolves.toBe(1);
    await expect(b).rejects.toThrow('boom');
    await expect(q.push('k', async () => 4)).resolves.toBe(4);
  });
});

describe('Debouncer', () => {
  it('coalesces a burst into one run, and reruns once for touches during a run', async () => {
    const d = new Debouncer(5);
    let runs = 0;
    let release: () => void = () => {};
    const task = async () => {
      runs++;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    };
    for (let i = 0; i < 10; i++) d.touch('k', task);
    while (runs === 0) await new Promise((r) => setTimeout(r, 1));
    for (let i = 0; i < 10; i++) d.touch('k', task); // while running
    release();
    await d.settle();
    expect(runs).toBe(2);
  });

  it('now() runs at once and reports failures to the caller and the error hook', async () => {
    const errors: string[] = [];
    const d = new Debouncer(10_000, (key) => errors.push(key));
    await expect(
      d.now('k', async () => {
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(errors).toEqual(['k']);
    d.close();
  });
});
