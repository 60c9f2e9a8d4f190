/**
 * Secret references of task definitions (`secrets[].valueFrom`, `secretOptions[].valueFrom`):
 * which store they point at, and whether the target exists and is protected. Nothing here reads
 * a secret's value: Secrets Manager is described, SSM parameters are read without decryption.
 */
import type { CheckContext } from '../types.js';

export interface SecretTarget {
  store: 'secretsmanager' | 'ssm';
  /** The ARN the execution role must be allowed to read. */
  arn: string;
  /** Human name, e.g. "secret lab/db-password" or "parameter /lab/db-password (SecureString)". */
  label: string;
  exists: boolean;
  /** Why it does not protect the value (e.g. "a String parameter, not SecureString"). */
  problem?: string;
  /** KMS key of the secret or parameter, when not the AWS managed default. */
  kmsKeyId?: string;
}

/** Splits a Secrets Manager reference into the secret id and the optional JSON key part. */
export function secretsManagerId(valueFrom: string): string {
  const m = /^(arn:aws[\w-]*:secretsmanager:[^:]+:\d{12}:secret:[^:]+)(:.*)?$/.exec(valueFrom);
  return m ? m[1]! : valueFrom;
}

/** Resolves a valueFrom to the thing it references. */
export async function resolveSecretReference(ctx: CheckContext, valueFrom: string): Promise<SecretTarget> {
  if (/^arn:aws[\w-]*:secretsmanager:/.test(valueFrom)) {
    const id = secretsManagerId(valueFrom);
    const out = await ctx.memo(`secretsmanager:DescribeSecret:${id}`, async () => {
      const sm = await ctx.aws.secretsManager();
      try {
        return await sm.describeSecret({ SecretId: id });
      } catch (err) {
        if ((err as { code?: string }).code === 'ResourceNotFoundException') return undefined;
        throw err;
      }
    });
    const name = out?.Name ?? id.split(':secret:')[1] ?? id;
    if (!out) return { store: 'secretsmanager', arn: id, label: `secret ${name}`, exists: false, problem: 'does not exist' };
    if (out.DeletedDate) return { store: 'secretsmanager', arn: out.ARN ?? id, label: `secret ${name}`, exists: false, problem: 'is scheduled for deletion' };
    return { store: 'secretsmanager', arn: out.ARN ?? id, label: `secret ${name}`, exists: true, kmsKeyId: out.KmsKeyId };
  }
  // SSM: a parameter name in this Region, or a parameter ARN
  const name = valueFrom.startsWith('arn:') ? `/${valueFrom.split(':parameter/')[1] ?? ''}`.replace(/^\/\//, '/') : valueFrom;
  const arn = valueFrom.startsWith('arn:') ? valueFrom : `arn:aws:ssm:${ctx.region}:${ctx.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
  const out = await ctx.memo(`ssm:GetParameter:${name}`, async () => {
    const ssm = await ctx.aws.ssm();
    try {
      // Without decryption: only the type and metadata matter here, never the value.
      return await ssm.describeParameters({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] });
    } catch (err) {
      if ((err as { code?: string }).code === 'ParameterNotFound') return undefined;
      throw err;
    }
  });
  const p = out?.Parameters?.[0];
  if (!p) return { store: 'ssm', arn, label: `parameter ${name}`, exists: false, problem: 'does not exist' };
  const label = `parameter ${name} (${p.Type})`;
  if (p.Type !== 'SecureString') return { store: 'ssm', arn, label, exists: true, problem: `is a ${p.Type} parameter, not SecureString, so it is stored unencrypted` };
  return { store: 'ssm', arn, label, exists: true, kmsKeyId: p.KeyId };
}

/** True when the key is the AWS managed default (no kms:Decrypt grant needed by the role). */
export function isAwsManagedKey(keyId: string | undefined): boolean {
  return !keyId || /^(?:arn:aws[\w-]*:kms:[^:]*:\d{12}:)?alias\/aws\/(?:ssm|secretsmanager)$/.test(keyId);
}

/**
 * The ARN of the key a secret or parameter names, as IAM sees it: kms:Decrypt is authorised on
 * the key, never on an alias, so an alias (name or ARN) or a bare key id is looked up with
 * kms:DescribeKey. Undefined when no such key exists.
 */
export async function kmsKeyArn(ctx: CheckContext, keyId: string): Promise<string | undefined> {
  if (/^arn:aws[\w-]*:kms:[^:]*:\d{12}:key\//.test(keyId)) return keyId;
  return ctx.memo(`kms:DescribeKey:${keyId}`, async () => {
    const kms = await ctx.aws.kms();
    try {
      return (await kms.describeKey({ KeyId: keyId })).KeyMetadata?.Arn;
    } catch (err) {
      if ((err as { code?: string }).code === 'NotFoundException') return undefined;
      throw err;
    }
  });
}
