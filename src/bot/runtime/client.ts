/**
 * Starts the bot runtime: in a worker thread (the default), or in this thread (`inline`, for
 * comparison in bench/bot). Either way the Slack thread sees the same {@link Runtime}.
 */
import { Worker } from 'node:worker_threads';
import { LabError } from '../lab/types.js';
import { createRuntime, type Runtime, type RuntimeConfig, type RuntimeSinks } from './index.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

export interface StartRuntimeOptions {
  inline?: boolean;
  /** Called once if the worker dies while the bot runs (every later call fails). */
  onFatal?: (err: Error) => void;
}

/** Methods that return nothing: posted without waiting for a reply. */
const FIRE_AND_FORGET = new Set<keyof Runtime>(['dispatch', 'refuse', 'homeOpened', 'credentials']);

/**
 * The worker next to this module. Under the TypeScript sources (tests, benchmarks via tsx) the
 * worker registers tsx first, since a worker does not inherit the parent's module loader.
 */
function spawnWorker(config: RuntimeConfig): Worker {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    const file = new URL('./worker.ts', self).href;
    const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file)}); })`;
    return new Worker(code, { eval: true, workerData: { config } });
  }
  return new Worker(new URL('./worker.js', self), { workerData: { config } });
}

export async function startRuntime(config: RuntimeConfig, sinks: RuntimeSinks, opts: StartRuntimeOptions = {}): Promise<Runtime> {
  if (opts.inline) return createRuntime(config, sinks);
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

  const onMessage = (msg: WorkerReply) => {
    if (msg.type === 'audit') sinks.audit(msg.entry);
    else if (msg.type === 'log') sinks.log(msg.level, msg.message);
    else if (msg.type === 'result') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new LabError(msg.code, msg.message));
    }
  };

  await new Promise<void>((resolve, reject) => {
    const onStart = (msg: WorkerReply) => {
      if (msg.type === 'ready') resolve();
      else if (msg.type === 'fatal') reject(new LabError(msg.code, msg.message));
      else return;
      worker.off('message', onStart);
    };
    worker.on('message', onStart);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new LabError('TARGET', `the bot worker exited during start-up (code ${code})`)));
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });

  worker.on('message', onMessage);
  worker.on('error', (err) => failAll(new LabError('INTERNAL', `the bot worker failed: ${err.message}`)));
  worker.on('exit', (code) => failAll(new LabError('INTERNAL', `the bot worker exited (code ${code})`)));

  const call = (method: keyof Runtime, args: unknown[]): Promise<unknown> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });
  };
  const notify = (method: keyof Runtime, args: unknown[]): void => {
    if (dead) sinks.log('error', `${method} dropped: ${dead.message}`);
    else worker.postMessage({ method, args } satisfies WorkerRequest);
  };

  return new Proxy({} as Runtime, {
    get(_t, method: string) {
      if (method === 'then') return undefined; // not a thenable
      if (method === 'close') {
        return async () => {
          if (!dead) await call('close', []).catch(() => undefined);
          dead ??= new LabError('INTERNAL', 'the bot runtime is closed');
          worker.removeAllListeners('exit');
          await worker.terminate();
        };
      }
      const m = method as keyof Runtime;
      return FIRE_AND_FORGET.has(m) ? (...args: unknown[]) => notify(m, args) : (...args: unknown[]) => call(m, args);
    },
  });
}
