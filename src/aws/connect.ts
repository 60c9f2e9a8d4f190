/**
 * Opens a verified connection to the chosen target: resolves credentials, finds or starts the
 * local sandbox, fails fast on an unreachable endpoint and refuses non-allow-listed accounts.
 */
import { resolveCredentials } from './credentials.js';
import { AwsSession, type TargetInfo } from './session.js';
import { DEFAULT_LOCAL_PORT, resolveHome, type TargetSpec } from './target.js';
import path from 'node:path';

/** A verified connection to one target. */
export interface Connection {
  aws: AwsSession;
  target: TargetInfo;
  account: string;
  principal: string;
  enforcesIam: boolean;
  /** Stops what this connection started (an in-process sandbox); a no-op otherwise. */
  close(): Promise<void>;
  /** Set when the local sandbox was started in-process for this connection. */
  startedSandbox?: boolean;
}

type Env = Record<string, string | undefined>;

interface SandboxHandle {
  url: string;
  close(): Promise<void>;
}

/** Whether an ecs-lab sandbox answers at the URL. */
async function sandboxAnswers(url: string): Promise<'sandbox' | 'other' | 'none'> {
  try {
    const res = await fetch(new URL('/_ecs-lab/health', url), { signal: AbortSignal.timeout(1_500) });
    if (res.ok) {
      const body = (await res.json().catch(() => null)) as { service?: string } | null;
      return body?.service === 'ecs-lab-sandbox' ? 'sandbox' : 'other';
    }
    return 'other';
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    return code === 'ECONNREFUSED' ? 'none' : 'other';
  }
}

/**
 * Finds the local sandbox on 127.0.0.1:4566 (ECS_LAB_LOCAL_PORT), or starts the embedded one
 * in-process there (or on the next free port when something else holds it).
 */
export async function ensureLocalSandbox(env: Env): Promise<{ url: string; handle?: SandboxHandle }> {
  const port = Number(env.ECS_LAB_LOCAL_PORT) || DEFAULT_LOCAL_PORT;
  const url = `http://127.0.0.1:${port}`;
  const state = await sandboxAnswers(url);
  if (state === 'sandbox') return { url };
  // Loaded on demand: commands against other targets never pay for the sandbox.
  const { startSandbox } = await import('../sandbox/index.js');
  const dataDir = path.join(resolveHome(env), 'sandbox');
  const handle: SandboxHandle = await startSandbox({ port: state === 'none' ? port : 0, host: '127.0.0.1', dataDir, auth: 'open' });
  return { url: handle.url, handle };
}

/** Builds and verifies the session for a target. */
export async function connectTarget(spec: TargetSpec, learner: string, env: Env = process.env): Promise<Connection> {
  let handle: SandboxHandle | undefined;
  let endpoint = spec.endpoint;
  if (spec.kind === 'local') {
    const local = await ensureLocalSandbox(env);
    endpoint = local.url;
    handle = local.handle;
  }
  try {
    const credentials = await resolveCredentials({ ...spec, endpoint }, learner, spec.kind === 'local' ? {} : env);
    const aws = new AwsSession(spec, { endpoint, credentials, env });
    const id = await aws.verify();
    // An endpoint that is an ecs-lab sandbox enforces IAM on assumed-role sessions as the local
    // target does; moto and LocalStack's free tier do not.
    const enforcesIam = spec.kind !== 'endpoint' || (await sandboxAnswers(endpoint!)) === 'sandbox';
    return {
      aws,
      target: { kind: spec.kind, endpoint, account: id.account, region: spec.region },
      account: id.account,
      principal: id.arn,
      enforcesIam,
      startedSandbox: Boolean(handle),
      close: async () => {
        await handle?.close();
      },
    };
  } catch (err) {
    await handle?.close();
    throw err;
  }
}
