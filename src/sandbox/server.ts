/**
 * The node:http listener: reads bodies (bounded), answers control endpoints, routes and
 * dispatches AWS requests, and makes sure every request gets exactly one response with an
 * `x-amzn-RequestId`, whatever the client sent.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { CONTROL_PREFIX, handleControl } from './control.js';
import type { DispatchDeps } from './dispatch.js';
import { dispatch } from './dispatch.js';
import { AwsError } from './errors.js';
import type { KeyStore } from './keys.js';
import { KEYS_PATH, handleKeyControl } from './keys.js';
import type { WireRequest, WireResponse } from './protocols/types.js';
import { Router, isRouteFailure } from './router.js';
import { uuid } from './services/ids.js';
import type { ServiceModule } from './services/types.js';
import { silentLogger } from './store.js';

const MAX_BODY = 16 * 1024 * 1024;
/** An oversized body is read and discarded up to here (so the client can read the 413), then the connection is cut. */
const MAX_DISCARD = 256 * 1024 * 1024;

/** A request body, or the fact that it was too large (and was discarded). */
type Body = { readonly tooLarge: false; readonly bytes: Buffer } | { readonly tooLarge: true };

function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DISCARD) {
        req.destroy();
        return;
      }
      if (size > MAX_BODY) {
        // Keep reading without keeping: answering before the upload ends would reset the connection.
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? { tooLarge: true } : { tooLarge: false, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
    req.on('error', reject);
    req.on('close', () => reject(new Error('request closed before its body ended'))); // no-op once resolved
  });
}

function send(res: ServerResponse, response: WireResponse, method: string): void {
  if (res.headersSent) return;
  // A string body goes out in one write with the headers (a Buffer would take a writev).
  res.writeHead(response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(response.body, 'utf8')) });
  res.end(method === 'HEAD' ? undefined : response.body);
}

function plainError(status: number, code: string, message: string, requestId: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  };
}

/** What the server needs: dispatch's dependencies, plus the issued keys it serves under `/_ecs-lab/keys`. */
export interface ServerDeps extends DispatchDeps {
  readonly keys?: KeyStore;
}

/** Creates the HTTP server for a service list. */
export function createSandboxServer(services: readonly ServiceModule[], deps: ServerDeps): Server {
  const router = new Router(services);
  const names = services.map((s) => s.name);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = uuid();
    const method = req.method ?? 'GET';
    let body: Body;
    try {
      body = await readBody(req);
    } catch {
      return; // the client went away mid-body: nobody is left to answer
    }
    // JSON and query protocol requests all go to `/`: no URL to parse.
    const url = req.url === '/' || req.url === undefined ? { pathname: '/', searchParams: new URLSearchParams() } : new URL(req.url, 'http://sandbox.invalid');
    if (deps.keys && (url.pathname === KEYS_PATH || url.pathname.startsWith(`${KEYS_PATH}/`))) {
      const bytes = body.tooLarge ? Buffer.alloc(0) : body.bytes;
      send(res, handleKeyControl(method, url.pathname, bytes, deps.keys, (account) => deps.store.hasAccount(account), req.socket.remoteAddress, requestId), method);
      return;
    }
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      send(res, handleControl(method, url.pathname, deps.store, names, requestId), method);
      return;
    }
    const wire: WireRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: body.tooLarge ? Buffer.alloc(0) : body.bytes,
      remoteAddress: req.socket.remoteAddress,
    };
    const routing = router.route(wire);
    const routed = routing instanceof Promise ? await routing : routing;
    if (body.tooLarge) {
      // Answer in the protocol the headers point to (the body is gone, so route on them alone).
      const protocol = isRouteFailure(routed) ? routed.protocol : routed.service.protocol;
      const error = new AwsError('RequestEntityTooLarge', `Request body larger than ${MAX_BODY} bytes.`, 413);
      send(res, protocol ? protocol.encodeError(error, requestId) : plainError(error.status, error.code, error.message, requestId), method);
      return;
    }
    if (isRouteFailure(routed)) {
      const { error, protocol } = routed;
      send(res, protocol ? protocol.encodeError(error, requestId) : plainError(error.status, error.code, error.message, requestId), method);
      return;
    }
    if (deps.logger !== silentLogger) deps.logger.debug({ service: routed.service.name, operation: routed.operation, requestId }, 'sandbox: request');
    let after: (() => void) | undefined;
    const response = await dispatch(routed, deps, requestId, (work) => (after = work));
    try {
      send(res, response, method);
    } finally {
      // Reporting the call (CloudTrail) waits until the answer is on its way, in this same turn.
      after?.();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((cause: unknown) => {
      const requestId = uuid();
      deps.logger.error({ err: cause instanceof Error ? cause.stack : String(cause) }, 'sandbox: request failed');
      const error = new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
      send(res, plainError(error.status, error.code, error.message, requestId), req.method ?? 'GET');
    });
  });
  // Never hang on a slow or silent client.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  // Bytes that are not HTTP: there is no protocol to answer in, so a plain JSON error (with a request id).
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const code = tooLarge ? 'RequestHeaderFieldsTooLarge' : 'BadRequest';
    const body = JSON.stringify({ __type: code, message: 'The request is not valid HTTP.' });
    socket.end(
      `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json\r\nx-amzn-RequestId: ${uuid()}\r\n` +
        `x-amzn-ErrorType: ${code}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
  return server;
}
