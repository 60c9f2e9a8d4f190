/**
 * Test helpers: start a sandbox on a random loopback port and build real SDK v3 client configs
 * for it. Used by the sandbox's own tests and available to engine/e2e tests.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { ServiceRules } from './authz-table.js';
import { checksFor } from './authz.js';
import type { RunningSandbox, SandboxOptions } from './index.js';
import { startSandbox } from './index.js';

/** SDK v3 client configuration pointing at a sandbox. */
export interface SandboxClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

/** Client config for `url`, as `accessKeyId` (a 12-digit key selects that account). */
export function clientConfig(url: string, accessKeyId = 'test', region = 'us-east-1'): SandboxClientConfig {
  return { endpoint: url, region, credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 };
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'ecs-lab-sandbox-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Makes a data directory look like one an older sandbox wrote, before it kept the state members
 * named `keys`: they are removed wherever they occur in the snapshots, and journal records that
 * write inside them are dropped (an older sandbox never wrote those).
 */
export function forgetStateKeys(dir: string, keys: readonly string[]): void {
  const dropped = new Set(keys);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).filter(([k]) => !dropped.has(k)).map(([k, v]) => [k, strip(v)]));
  };
  const accounts = join(dir, 'accounts');
  for (const name of readdirSync(accounts)) {
    const file = join(accounts, name);
    if (name.endsWith('.journal.jsonl')) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const kept = lines.map((line) => {
        const { c } = JSON.parse(line) as { c: { p: string[] }[] };
        return JSON.stringify({ c: c.filter((r) => !r.p.some((k) => dropped.has(k))).map(strip) });
      });
      writeFileSync(file, kept.map((l) => `${l}\n`).join(''));
    } else if (/^[0-9]{12}\.json$/.test(name)) {
      writeFileSync(file, JSON.stringify(strip(JSON.parse(readFileSync(file, 'utf8')))));
    }
  }
}

/** Temporary credentials of an assumed-role session, in SDK v3 client form. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** A session of role `name` in `account`, assumed with the account's own key. */
export async function assumeRole(url: string, account: string, name: string, session = 'alice'): Promise<SessionCredentials> {
  const sts = new STSClient(clientConfig(url, account));
  try {
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${name}`, RoleSessionName: session }))).Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  } finally {
    sts.destroy();
  }
}

/**
 * Creates role `name` in `account`, trusted by the account, with the inline policy `main` when
 * `policy` is given, and returns a session of it ({@link assumeRole}).
 */
export async function roleSession(url: string, account: string, name: string, policy: string | undefined, session = 'alice'): Promise<SessionCredentials> {
  const iam = new IAMClient(clientConfig(url, account));
  try {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
    if (policy !== undefined) await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'main', PolicyDocument: policy }));
  } finally {
    iam.destroy();
  }
  return assumeRole(url, account, name, session);
}

/**
 * What a service's authorisation table checks for one call in `account`, as `action resource`
 * lines. No state is read, so resources come out as the input names them.
 */
export function ruleChecks(rules: ServiceRules, account: string, region = 'us-east-1'): (operation: string, input: Record<string, unknown>) => string[] {
  const env = { account, region, state: () => undefined };
  return (operation, input) => checksFor(rules, rules.prefix, operation, input, env).map((c) => `${c.action} ${c.resource}`);
}

/** Starts a sandbox on a free port (in memory unless `dataDir` is given). */
export function startTestSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ port: 0, host: '127.0.0.1', ...opts });
}

/** A raw HTTP exchange, for protocol-level tests. */
export async function rawRequest(
  url: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(`${url}${init.path ?? '/'}`, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** An Authorization header whose credential scope names `service` (signature not checked in open mode). */
export function fakeAuth(service: string, accessKeyId = 'test', region = 'us-east-1'): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

/** Whether the real AWS CLI is on PATH (CLI tests skip themselves when it is not). */
export async function hasAwsCli(): Promise<boolean> {
  try {
    await promisify(execFile)('aws', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the real AWS CLI against a sandbox as the given account (a 12-digit key id), isolated from
 * the user's config files; resolves with the exit code instead of throwing.
 */
export function awsCli(url: () => string, account: string): (...args: string[]) => Promise<{ stdout: string; stderr: string; code: number }> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: account,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  return async (...args) => {
    try {
      const { stdout, stderr } = await promisify(execFile)('aws', ['--endpoint-url', url(), '--output', 'json', ...args], { env, timeout: 30_000 });
      return { stdout, stderr, code: 0 };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; code?: number };
      return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: err.code ?? 1 };
    }
  };
}
