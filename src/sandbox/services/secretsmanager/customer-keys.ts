/**
 * A secret encrypted with a customer managed KMS key: reading its value decrypts it with that
 * key, so the caller needs kms:Decrypt on the key (the point of the `secrets` scenario's step on
 * the execution role), and the key must be enabled. Applies to keys of the sandbox's own KMS
 * (services/kms) in the secret's account and Region; a KmsKeyId that names no such key (another
 * account's, or one the sandbox never created) is not checked, since the sandbox cannot know it.
 */
import { AwsError } from '../../errors.js';
import type { KeyRecord, KmsState } from '../kms/state.js';
import { resolveKeyId } from '../kms/state.js';
import { storedState } from '../stored.js';
import type { RequestContext } from '../types.js';
import type { SecretRecord } from './state.js';

/** The AWS managed key of Secrets Manager, in its spellings: no kms:Decrypt grant is needed for it. */
const AWS_MANAGED = /^(?:arn:aws[a-z-]*:kms:[^:]*:[0-9]{12}:)?alias\/aws\/secretsmanager$/;

/** The sandbox KMS key a KmsKeyId names (key id, key ARN, alias name or alias ARN), without creating any state. */
function sandboxKey(ctx: RequestContext, reference: string): KeyRecord | undefined {
  const kms = storedState<KmsState>(ctx, 'kms');
  if (!kms) return undefined;
  const resolved = resolveKeyId(kms, ctx.region, ctx.account, reference);
  return 'id' in resolved && Object.hasOwn(kms.keys, resolved.id) ? kms.keys[resolved.id] : undefined;
}

/**
 * Throws what GetSecretValue answers when the secret's customer managed key cannot be used: the
 * caller may not kms:Decrypt with it (AccessDeniedException), or it is disabled or scheduled for
 * deletion (DecryptionFailure, whose wording is the API reference's description of that error).
 */
export function assertCanDecrypt(ctx: RequestContext, secret: SecretRecord): void {
  const reference = secret.kmsKeyId;
  if (!reference || AWS_MANAGED.test(reference)) return;
  const key = sandboxKey(ctx, reference);
  if (!key) return;
  const denied = ctx.authorize?.('kms:Decrypt', key.arn);
  // message not verified
  if (denied) throw new AwsError('AccessDeniedException', 'Access to KMS is not allowed', 400);
  if (!key.enabled || key.deletionDate) {
    throw new AwsError('DecryptionFailure', "Secrets Manager can't decrypt the protected secret text using the provided KMS key.", 400);
  }
}
