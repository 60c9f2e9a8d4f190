/**
 * The node:http listener: reads bodies (bounded), answers control endpoints, routes and
 * dispatches AWS requests, and makes sure every request gets exactly one response with an
 * `x-amzn-RequestId`, whatever the client sent.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { CONTROL_PREFIX, handleControl } from './control.js';
import type { DispatchDeps } from './dispatch.js';
import { dispatch } from './dispatch.js';
import { AwsError } from './errors.js';
import type { WireRequest, WireResponse } from './protocols/types.js';
import { Router, isRouteFailure } from './router.js';
import type { ServiceModule } from './services/types.js';

const MAX_BODY = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: WireResponse, method: string): void {
  if (res.headersSent) return;
  const body = Buffer.from(response.body, 'utf8');
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
  res.end(method === 'HEAD' ? undefined : body);
}

function plainError(status: number, code: string, message: string, requestId: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  };
}

/** Creates the HTTP server for a service list. */
export function createSandboxServer(services: readonly ServiceModule[], deps: DispatchDeps): Server {
  const router = new Router(services);
  const names = services.map((s) => s.name);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLarge) send(res, plainError(413, 'RequestEntityTooLarge', 'Request body too large.', requestId), method);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      send(res, handleControl(method, url.pathname, deps.store, names, requestId), method);
      return;
    }
    const wire: WireRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body };
    const routed = router.route(wire);
    if (isRouteFailure(routed)) {
      const { error, protocol } = routed;
      send(res, protocol ? protocol.encodeError(error, requestId) : plainError(error.status, error.code, error.message, requestId), method);
      return;
    }
    deps.logger.debug({ service: routed.service.name, operation: routed.operation, requestId }, 'sandbox: request');
    send(res, await dispatch(routed, deps, requestId), method);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((cause: unknown) => {
      const requestId = randomUUID();
      deps.logger.error({ err: cause instanceof Error ? cause.stack : String(cause) }, 'sandbox: request failed');
      const error = new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
      send(res, plainError(error.status, error.code, error.message, requestId), req.method ?? 'GET');
    });
  });
  // Never hang on a slow or silent client.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
