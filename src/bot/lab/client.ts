/**
 * Starts the lab host: in a worker thread (the default), or in this thread (`inline`, for
 * comparison in the benchmark). Either way the bot sees the same async {@link LabApi}.
 */
import { Worker } from 'node:worker_threads';
import { createLabHost } from './host.js';
import type { LabApi, LabConfig } from './types.js';
import { LabError } from './types.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

/**
 * The worker next to this module. Under the TypeScript sources (tests, benchmarks via tsx) the
 * worker registers tsx first, since a worker does not inherit the parent's module loader.
 */
function spawnWorker(config: LabConfig): Worker {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    const file = new URL('./worker.ts', self).href;
    const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file)}); })`;
    return new Worker(code, { eval: true, workerData: { config } });
  }
  return new Worker(new URL('./worker.js', self), { workerData: { config } });
}

export interface StartLabOptions {
  inline?: boolean;
  /** Called once if the worker dies while the bot runs (every later call fails). */
  onFatal?: (err: Error) => void;
}

export async function startLab(config: LabConfig, opts: StartLabOptions = {}): Promise<LabApi> {
  if (opts.inline) return createLabHost(config);
  const worker = spawnWorker(config);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | undefined;

  const failAll = (err: Error) => {
    if (!dead) opts.onFatal?.(err);
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const onReady = (msg: WorkerReply) => {
      if (msg.type === 'ready') resolve();
      else if (msg.type === 'fatal') reject(new LabError(msg.code, msg.message));
      if (msg.type !== 'result') worker.off('message', onReady);
    };
    worker.on('message', onReady);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new LabError('TARGET', `the lab worker exited during start-up (code ${code})`)));
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });

  worker.on('message', (msg: WorkerReply) => {
    if (msg.type !== 'result') return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new LabError(msg.code, msg.message));
  });
  worker.on('error', (err) => failAll(new LabError('INTERNAL', `the lab worker failed: ${err.message}`)));
  worker.on('exit', (code) => failAll(new LabError('INTERNAL', `the lab worker exited (code ${code})`)));

  const call = (method: keyof LabApi, args: unknown[]): Promise<unknown> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });
  };

  return new Proxy({} as LabApi, {
    get(_t, method: string) {
      if (method === 'close') {
        return async () => {
          if (!dead) await call('close', []).catch(() => undefined);
          dead ??= new LabError('INTERNAL', 'the lab is closed');
          worker.removeAllListeners('exit');
          await worker.terminate();
        };
      }
      // Not a thenable: `await lab` must not call the worker.
      if (method === 'then') return undefined;
      return (...args: unknown[]) => call(method as keyof LabApi, args);
    },
  });
}
