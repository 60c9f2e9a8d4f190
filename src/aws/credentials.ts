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
