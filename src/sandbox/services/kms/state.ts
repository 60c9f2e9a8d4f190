/**
 * AWS KMS state for one account and Region: customer managed keys by key id, with their key
 * policy, rotation setting and tags, and aliases by name. Keys are metadata only: the sandbox
 * stores no key material and does no cryptography (Encrypt, Decrypt and the data-key calls are
 * not served); what the lab needs is a customer key that a secret or a parameter names, and the
 * key policy and IAM permissions (kms:Decrypt) around it.
 */
import type { KeyMetadata, KeySpec, KeyUsageType } from '@aws-sdk/client-kms';
import { asDictionaries, own } from '../dictionary.js';
import type { RequestContext } from '../types.js';
import { KmsErrors } from './errors.js';

/** A customer managed key as stored. */
export interface KeyRecord {
  keyId: string;
  arn: string;
  creationDate: Date;
  description: string;
  keyUsage: KeyUsageType;
  keySpec: KeySpec;
  multiRegion: boolean;
  /** Disabled by DisableKey (or by CancelKeyDeletion, as in AWS). */
  enabled: boolean;
  /** Set while the key is scheduled for deletion. */
  deletionDate: Date | undefined;
  pendingWindowInDays: number | undefined;
  /** The key policy (its only policy name is `default`), as given or AWS's default. */
  policy: string;
  rotationEnabled: boolean;
  rotationPeriodInDays: number;
  rotationEnabledDate: Date | undefined;
  tags: Record<string, string>;
}

/** An alias as stored, keyed by its name (`alias/…`). */
export interface AliasRecord {
  aliasName: string;
  targetKeyId: string;
  creationDate: Date;
  lastUpdatedDate: Date;
}

/** KMS state of one account and Region. */
export interface KmsState {
  keys: Record<string, KeyRecord>;
  aliases: Record<string, AliasRecord>;
}

/** The state of the request's account and Region, without keys whose deletion date has passed (and their aliases). */
export function kmsState(ctx: RequestContext): KmsState {
  const state = asDictionaries(ctx.state<KmsState>('kms', () => ({ keys: {}, aliases: {} })), ['keys', 'aliases']);
  for (const [id, key] of Object.entries(state.keys)) {
    if (key.deletionDate && key.deletionDate.getTime() <= ctx.now.getTime()) {
      delete state.keys[id];
      for (const [name, alias] of Object.entries(state.aliases)) if (alias.targetKeyId === id) delete state.aliases[name];
    }
  }
  return state;
}

export function keyArn(ctx: RequestContext, keyId: string): string {
  return `arn:aws:kms:${ctx.region}:${ctx.account}:key/${keyId}`;
}

export function aliasArn(ctx: RequestContext, aliasName: string): string {
  return `arn:aws:kms:${ctx.region}:${ctx.account}:${aliasName}`;
}

/**
 * AWS's default key policy, for a key created without one: the account (its root) may do
 * everything, which delegates the key's permissions to the account's IAM policies.
 */
export function defaultKeyPolicy(account: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
    },
    null,
    2,
  );
}

/**
 * The key id a KeyId member names in an account and Region's state: a key id, a key ARN, an alias
 * name (`alias/…`) or an alias ARN (`allowAlias` false: key id or key ARN only, as CreateAlias's
 * TargetKeyId). `{ alias }` when it names an alias that does not exist; `{ elsewhere }` for an
 * ARN of another account or Region. The id is not checked against `keys`.
 */
export function resolveKeyId(
  state: Pick<KmsState, 'aliases'>,
  region: string,
  account: string,
  reference: string,
  allowAlias = true,
): { id: string } | { alias: string } | { elsewhere: true } {
  const arnMatch = /^arn:aws[a-z-]*:kms:([^:]*):([0-9]{12}):(key\/.+|alias\/.+)$/.exec(reference);
  let resource = reference;
  if (arnMatch) {
    if (arnMatch[1] !== region || arnMatch[2] !== account) return { elsewhere: true };
    resource = arnMatch[3]!;
  }
  if (resource.startsWith('alias/')) {
    const alias = allowAlias ? own(state.aliases, resource) : undefined;
    return alias ? { id: alias.targetKeyId } : { alias: resource };
  }
  return { id: resource.startsWith('key/') ? resource.slice('key/'.length) : resource };
}

/** The key a KeyId member names ({@link resolveKeyId}), or KMS's NotFoundException. */
export function findKey(ctx: RequestContext, state: KmsState, reference: string, allowAlias = true): KeyRecord {
  const resolved = resolveKeyId(state, ctx.region, ctx.account, reference, allowAlias);
  // Another account's or Region's key is not in this state.
  if ('elsewhere' in resolved) throw KmsErrors.keyNotFound(reference);
  if ('alias' in resolved) throw KmsErrors.aliasNotFound(aliasArn(ctx, resolved.alias));
  return own(state.keys, resolved.id) ?? missing(ctx, resolved.id);
}

function missing(ctx: RequestContext, id: string): never {
  throw KmsErrors.keyNotFound(keyArn(ctx, id));
}

/** The key's state as KMS reports it. */
export function keyState(key: KeyRecord): 'Enabled' | 'Disabled' | 'PendingDeletion' {
  if (key.deletionDate) return 'PendingDeletion';
  return key.enabled ? 'Enabled' : 'Disabled';
}

/** Refuses a key scheduled for deletion (KMSInvalidStateException). */
export function assertNotPendingDeletion(key: KeyRecord): void {
  if (key.deletionDate) throw KmsErrors.pendingDeletion(key.arn);
}

/** The algorithms AWS lists for a key spec (symmetric, RSA, ECC and HMAC specs). */
function algorithms(key: KeyRecord): Pick<KeyMetadata, 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms'> {
  const spec = key.keySpec;
  if (spec === 'SYMMETRIC_DEFAULT') return { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] };
  if (spec.startsWith('HMAC_')) return { MacAlgorithms: [`HMAC_SHA_${spec.slice('HMAC_'.length)}` as never] };
  if (spec.startsWith('RSA_')) {
    return key.keyUsage === 'SIGN_VERIFY'
      ? { SigningAlgorithms: ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'] }
      : { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] };
  }
  const curve: Record<string, string> = { ECC_NIST_P256: 'ECDSA_SHA_256', ECC_NIST_P384: 'ECDSA_SHA_384', ECC_NIST_P521: 'ECDSA_SHA_512', ECC_SECG_P256K1: 'ECDSA_SHA_256' };
  return curve[spec] ? { SigningAlgorithms: [curve[spec] as never] } : {};
}

/** DescribeKey's KeyMetadata (and CreateKey's). */
export function keyMetadata(ctx: RequestContext, key: KeyRecord): KeyMetadata {
  return {
    AWSAccountId: ctx.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.creationDate,
    Enabled: key.enabled && !key.deletionDate,
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: keyState(key),
    DeletionDate: key.deletionDate,
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec as never,
    KeySpec: key.keySpec,
    ...algorithms(key),
    MultiRegion: key.multiRegion,
    // PendingDeletionWindowInDays is for multi-Region primary keys awaiting their replicas' deletion only.
  };
}
