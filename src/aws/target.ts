/**
 * Target resolution (CONTRACT §2): where the lab reads and writes AWS state. Pure functions over
 * flags and environment, so the precedence rules are testable without any network.
 */
import os from 'node:os';
import path from 'node:path';
import { TargetError } from './errors.js';

export type TargetKind = 'local' | 'endpoint' | 'aws';

/** Flags that select a target; every command accepts them. */
export interface TargetFlags {
  target?: string;
  endpoint?: string;
  profile?: string;
  roleArn?: string;
  region?: string;
  learner?: string;
  allowAccount?: string[];
}

/** A fully resolved target, before any network call. */
export interface TargetSpec {
  kind: TargetKind;
  /** Set for `endpoint`; for `local`, the address is known only once the sandbox answers. */
  endpoint?: string;
  region: string;
  profile?: string;
  roleArn?: string;
  /** Account ids the `aws` target may use. */
  allowedAccounts: string[];
}

export const TARGET_KINDS: readonly TargetKind[] = ['local', 'endpoint', 'aws'];
export const DEFAULT_LOCAL_PORT = 4566;

type Env = Record<string, string | undefined>;

/** Region: `--region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`. */
export function resolveRegion(flags: TargetFlags, env: Env): string {
  return flags.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** Learner: `--learner`, else `ECS_LAB_LEARNER`, else the OS user name. */
export function resolveLearner(flags: TargetFlags, env: Env): string {
  const name = flags.learner || env.ECS_LAB_LEARNER || safeUserName();
  return name.trim() || 'learner';
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'learner';
  }
}

/** Lab home: `ECS_LAB_HOME`, default `~/.ecs-lab`. */
export function resolveHome(env: Env): string {
  return env.ECS_LAB_HOME || path.join(os.homedir(), '.ecs-lab');
}

function validateEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TargetError('ENDPOINT_UNREACHABLE', `--endpoint ${url} is not a URL (expected e.g. http://127.0.0.1:4566).`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TargetError('ENDPOINT_UNREACHABLE', `--endpoint ${url} must be an http:// or https:// URL.`);
  }
  return url.replace(/\/+$/, '');
}

/**
 * Applies CONTRACT §2: `local` unless an endpoint is configured (`--endpoint` or
 * `AWS_ENDPOINT_URL`) or `--target` says otherwise. Real AWS is never chosen implicitly.
 */
export function resolveTargetSpec(flags: TargetFlags, env: Env): TargetSpec {
  const region = resolveRegion(flags, env);
  const allowedAccounts = [
    ...(env.ECS_LAB_ALLOWED_ACCOUNTS ?? '').split(/[\s,]+/),
    ...(flags.allowAccount ?? []).flatMap((a) => a.split(/[\s,]+/)),
  ].filter((a) => a.length > 0);
  const badAccount = allowedAccounts.find((a) => !/^\d{12}$/.test(a));
  if (badAccount) throw new TargetError('TARGET_REFUSED', `Allowed account "${badAccount}" is not a 12-digit AWS account id.`);

  let kind: TargetKind;
  if (flags.target) {
    if (!TARGET_KINDS.includes(flags.target as TargetKind)) {
      throw new TargetError('TARGET_REFUSED', `Unknown target "${flags.target}" (valid: ${TARGET_KINDS.join(', ')}).`);
    }
    kind = flags.target as TargetKind;
  } else if (flags.endpoint || env.AWS_ENDPOINT_URL) {
    kind = 'endpoint';
  } else {
    kind = 'local';
  }
  const base = { region, allowedAccounts, profile: flags.profile || undefined, roleArn: flags.roleArn || undefined };
  if (kind === 'endpoint') {
    const endpoint = flags.endpoint || env.AWS_ENDPOINT_URL;
    if (!endpoint) throw new TargetError('ENDPOINT_UNREACHABLE', '--target endpoint needs --endpoint URL or AWS_ENDPOINT_URL.');
    return { kind, endpoint: validateEndpoint(endpoint), ...base };
  }
  if (kind === 'aws' && flags.endpoint) {
    throw new TargetError('TARGET_REFUSED', '--target aws talks to real AWS and takes no --endpoint; use --target endpoint for an emulator.');
  }
  return { kind, ...base };
}
