/**
 * Control endpoints under `/_ecs-lab/` for tests and operators. They are matched on the path
 * before any AWS routing, and no AWS operation can reach them (AWS requests are `POST /` or S3
 * bucket paths, and `_` is not valid in a bucket name).
 */
import type { SandboxStore } from './store.js';
import type { WireResponse } from './protocols/types.js';

/** The control prefix. */
export const CONTROL_PREFIX = '/_ecs-lab/';

function json(status: number, value: unknown, requestId: string): WireResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(value) };
}

/** Handles one control request. */
export function handleControl(method: string, path: string, store: SandboxStore, services: readonly string[], requestId: string): WireResponse {
  const parts = path.slice(CONTROL_PREFIX.length).split('/').filter(Boolean);
  if (parts.length === 1 && parts[0] === 'health' && (method === 'GET' || method === 'HEAD')) {
    // `service` lets ecs-lab tell its own sandbox from anything else listening on the port
    return json(200, { status: 'ok', service: 'ecs-lab-sandbox', services }, requestId);
  }
  if (parts.length === 1 && parts[0] === 'accounts' && method === 'GET') {
    return json(200, { accounts: store.accountIds() }, requestId);
  }
  if (parts.length === 3 && parts[0] === 'accounts' && parts[2] === 'reset') {
    if (method !== 'POST') return json(405, { error: 'use POST' }, requestId);
    const account = parts[1]!;
    if (!/^[0-9]{12}$/.test(account)) return json(400, { error: 'account must be 12 digits' }, requestId);
    store.reset(account);
    return json(200, { reset: account }, requestId);
  }
  return json(404, { error: `no control endpoint ${method} ${path}` }, requestId);
}
