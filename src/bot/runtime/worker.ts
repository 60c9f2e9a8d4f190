/**
 * Worker-thread entry of the bot runtime: checks, the sandbox, SQLite and every outgoing Slack
 * call run here, so the Slack thread does nothing but verify and acknowledge.
 */
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import type { AuditEntry } from '../audit.js';
import { AccessConfigError } from '../access.js';
import { toLabError } from '../lab/host.js';
import { createRuntime, type Runtime, type RuntimeConfig } from './index.js';

/** A call from the Slack thread; without `id` it is fire-and-forget. */
export interface WorkerRequest {
  id?: number;
  method: keyof Runtime;
  args: unknown[];
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'fatal'; code: string; message: string }
  | { type: 'audit'; entry: AuditEntry }
  | { type: 'log'; level: 'warn' | 'error'; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; code: string; message: string };

/**
 * On Linux, lowers this thread's scheduling priority (nice 10): on a busy machine the Slack
 * thread's acknowledgements go first, lab work second. Linux sets nice per thread; elsewhere
 * (or without /proc) this is skipped.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) os.setPriority(tid, Math.max(os.getPriority(tid), 10));
  } catch {
    /* not Linux, or not allowed: run at the process's priority */
  }
}

lowerThreadPriority();
const port = parentPort!;
const post = (msg: WorkerReply) => port.postMessage(msg);
const config = (workerData as { config: RuntimeConfig }).config;
// Sandbox warnings go to stderr; it never logs a secret (see sandbox/keys.ts).
const sandboxLogger = pino({ level: process.env.ECS_LAB_SANDBOX_LOG_LEVEL ?? 'warn', base: { component: 'sandbox' } }, pino.destination(2));

try {
  const runtime = await createRuntime(config, { audit: (entry) => post({ type: 'audit', entry }), log: (level, message) => post({ type: 'log', level, message }) }, sandboxLogger);
  port.on('message', (req: WorkerRequest) => {
    const fn = runtime[req.method] as (...args: unknown[]) => unknown;
    const id = req.id;
    Promise.resolve()
      .then(() => fn(...req.args))
      .then(
        (value) => id !== undefined && post({ type: 'result', id, ok: true, value }),
        (err: unknown) => {
          const e = toLabError(err);
          if (id !== undefined) post({ type: 'result', id, ok: false, code: e.code, message: e.message });
          else post({ type: 'log', level: 'error', message: `${req.method}: ${e.message}` });
        },
      );
  });
  post({ type: 'ready' });
} catch (err) {
  if (err instanceof AccessConfigError) post({ type: 'fatal', code: 'ACCESS_CONFIG', message: err.message });
  else {
    const e = toLabError(err);
    post({ type: 'fatal', code: e.code, message: e.message });
  }
}
