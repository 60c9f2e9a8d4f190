/**
 * Credentials per target: the standard chain (env keys, profiles, SSO, ...) for real AWS and for
 * emulators when configured, fixed emulator keys otherwise, and `--role-arn` assume-role on top.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { EMULATOR_CREDENTIALS } from './session.js';
import type { TargetSpec } from './target.js';

type Env = Record<string, string | undefined>;

/** Session name for assumed roles: visible in CloudTrail, so it names the learner. */
export function roleSessionName(learner: string): string {
  return `ecs-lab-${learner}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * Picks the credential source for a target. Provider modules are imported lazily: the CLI's
 * offline commands (`list`, `hint`) never pay for them.
 */
export async function resolveCredentials(
  spec: TargetSpec,
  learner: string,
  env: Env = process.env,
): Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider> {
  const configured = Boolean(spec.profile || env.AWS_PROFILE || (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY));
  let base: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  if (spec.kind === 'aws' || configured) {
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    base = fromNodeProviderChain(spec.profile ? { profile: spec.profile } : {});
  } else {
    base = EMULATOR_CREDENTIALS;
  }
  if (!spec.roleArn) return base;
  const { fromTemporaryCredentials } = await import('@aws-sdk/credential-providers');
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: { RoleArn: spec.roleArn, RoleSessionName: roleSessionName(learner) },
    clientConfig: { region: spec.region, ...(spec.endpoint ? { endpoint: spec.endpoint } : {}) },
  });
}

/** Where a target's credentials come from, for connection help. Never carries a secret of the learner's own. */
export type CredentialSource =
  /** The fixed keys every emulator accepts: safe to show (on request). */
  | { kind: 'emulator'; accessKeyId: string; secretAccessKey: string; roleArn?: string }
  | { kind: 'profile'; profile: string; roleArn?: string }
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment (not repeated). */
  | { kind: 'environment'; roleArn?: string }
  /** The SDK's default chain (SSO, instance role, ...). */
  | { kind: 'chain'; roleArn?: string };

/** The same choice as {@link resolveCredentials}, described instead of resolved. */
export function credentialSource(spec: TargetSpec, env: Env = process.env): CredentialSource {
  const roleArn = spec.roleArn ? { roleArn: spec.roleArn } : {};
  const e = spec.kind === 'local' ? {} : env;
  const profile = spec.profile || e.AWS_PROFILE;
  if (spec.kind === 'aws' || profile || (e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY)) {
    // the SDK's chain skips environment keys when a profile is named
    if (profile) return { kind: 'profile', profile, ...roleArn };
    if (e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY) return { kind: 'environment', ...roleArn };
    return { kind: 'chain', ...roleArn };
  }
  return { kind: 'emulator', accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey, ...roleArn };
}
