/**
 * The embedded AWS-compatible sandbox: one HTTP endpoint speaking the real AWS wire protocols for
 * the services the lab uses. See CONTRACT.md §5.
 */
import type { AddressInfo } from 'node:net';
import { createAuthenticator } from './auth-verify.js';
import { createAuthorizer } from './authz.js';
import { KeyStore, registerKeyStore } from './keys.js';
import { createSandboxServer } from './server.js';
import { CloudTrailRecorder } from './services/cloudtrail/index.js';
import { SERVICES } from './services/index.js';
import type { SandboxLogger } from './store.js';
import { SandboxStore, silentLogger } from './store.js';

export type { SandboxLogger } from './store.js';
export { DEFAULT_ACCOUNT } from './auth.js';
export { deleteKey, issueKey, lookupKey, rotateKey } from './keys.js';
export type { IssuedKey } from './keys.js';

/** Options for {@link startSandbox}. */
export interface SandboxOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Where state persists; undefined keeps it in memory only. */
  dataDir?: string;
  /**
   * `open` (default): any key, 12-digit keys select that account. `sigv4`: issued keys only
   * (`issueKey`, `POST /_ecs-lab/keys`), signatures verified. Session keys from AssumeRole are
   * verified in both modes, and their requests authorised against the role's policies.
   */
  auth?: 'open' | 'sigv4';
  /** pino-compatible logger; default silent. */
  logger?: SandboxLogger;
}

/** A running sandbox. */
export interface RunningSandbox {
  /** e.g. `http://127.0.0.1:4566`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. State is already on disk. */
  close(): Promise<void>;
}

/** Starts the sandbox and resolves once it is listening. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const logger = opts.logger ?? silentLogger;
  const mode = opts.auth ?? 'open';
  if (mode !== 'open' && mode !== 'sigv4') throw new Error(`sandbox: unknown auth mode ${String(mode)} (use open or sigv4)`);
  const store = new SandboxStore(opts.dataDir, logger);
  const keys = new KeyStore(opts.dataDir, logger);
  const recorder = new CloudTrailRecorder(store, (err, account) => logger.error({ err: String(err), account }, 'sandbox: could not record a CloudTrail event'));
  const server = createSandboxServer(SERVICES, {
    store,
    logger,
    keys,
    authenticate: createAuthenticator(mode, keys, store),
    authorize: createAuthorizer(store, logger),
    // Every call becomes a CloudTrail event of its account (CONTRACT.md §5), built off the
    // request path (CloudTrailRecorder); a recording failure never fails the call.
    onApiCall: (call) => recorder.capture(call),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  logger.info({ host, port, dataDir: opts.dataDir, auth: mode }, 'sandbox: listening');
  const running: RunningSandbox = {
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      // The recorder's held-back events are written before the files close.
      recorder.close();
      store.close();
    },
  };
  registerKeyStore(running, keys);
  return running;
}
