/**
 * Worker-thread entry of the lab host. Checks, the sandbox and SQLite all run here, so their CPU
 * work and synchronous I/O never hold up the Slack thread's acknowledgements.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { createLabHost, toLabError } from './host.js';
import type { LabApi, LabConfig } from './types.js';

export interface WorkerRequest {
  id: number;
  method: keyof LabApi;
  args: unknown[];
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'fatal'; code: string; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; code: string; message: string };

const port = parentPort!;
const config = (workerData as { config: LabConfig }).config;
// Sandbox warnings go to stderr; it never logs a secret (see sandbox/keys.ts).
const logger = pino({ level: process.env.ECS_LAB_SANDBOX_LOG_LEVEL ?? 'warn', base: { component: 'sandbox' } }, pino.destination(2));

try {
  const host = await createLabHost(config, logger);
  port.on('message', (req: WorkerRequest) => {
    const fn = host[req.method] as (...args: unknown[]) => Promise<unknown>;
    fn(...req.args).then(
      (value) => port.postMessage({ type: 'result', id: req.id, ok: true, value } satisfies WorkerReply),
      (err: unknown) => {
        const e = toLabError(err);
        port.postMessage({ type: 'result', id: req.id, ok: false, code: e.code, message: e.message } satisfies WorkerReply);
      },
    );
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (err) {
  const e = toLabError(err);
  port.postMessage({ type: 'fatal', code: e.code, message: e.message } satisfies WorkerReply);
}
