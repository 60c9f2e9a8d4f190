/** KMS operations: keys (create, describe, list, enable/disable, deletion, rotation), aliases, the key policy and tags. */
import type { AliasListEntry, KMS, KeySpec, KeyUsageType, Tag } from '@aws-sdk/client-kms';
import { own } from '../dictionary.js';
import { uuid } from '../ids.js';
import { paginate } from '../paging.js';
import type { HandlerMap, RequestContext } from '../types.js';
import { KmsErrors } from './errors.js';
import type { KeyRecord, KmsState } from './state.js';
import { aliasArn, assertNotPendingDeletion, defaultKeyPolicy, findKey, keyArn, keyMetadata, kmsState } from './state.js';

const KEY_SPECS: readonly KeySpec[] = [
  'SYMMETRIC_DEFAULT', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512',
];
/** Which key usages each family of key specs allows (KMS Developer Guide, "Key spec reference"). */
function usageAllowed(spec: KeySpec, usage: KeyUsageType): boolean {
  if (spec === 'SYMMETRIC_DEFAULT') return usage === 'ENCRYPT_DECRYPT';
  if (spec.startsWith('HMAC_')) return usage === 'GENERATE_VERIFY_MAC';
  if (spec.startsWith('RSA_')) return usage === 'ENCRYPT_DECRYPT' || usage === 'SIGN_VERIFY';
  return usage === 'SIGN_VERIFY';
}

/**
 * Aliases AWS creates in every account for its AWS managed keys, listed by ListAliases without a
 * TargetKeyId until a service first uses them ("predefined aliases that AWS has created but has
 * not yet associated with a KMS key", ListAliases API reference). A subset: the services of the lab.
 */
const PREDEFINED_ALIASES = ['alias/aws/ebs', 'alias/aws/s3', 'alias/aws/secretsmanager', 'alias/aws/ssm'];

const MAX_TAGS = 50;

/** The tags of a request, checked as KMS does (no `aws:` keys, lengths, at most 50 in all). */
function mergeTags(existing: Record<string, string>, tags: readonly Tag[] | undefined): Record<string, string> {
  const merged = { ...existing };
  for (const tag of tags ?? []) {
    const key = tag.TagKey ?? '';
    if (key.length < 1 || key.length > 128) throw KmsErrors.validation('tags.member.tagKey', key, 'Member must have length between 1 and 128');
    if ((tag.TagValue ?? '').length > 256) throw KmsErrors.validation('tags.member.tagValue', tag.TagValue, 'Member must have length less than or equal to 256');
    // message not verified
    if (key.toLowerCase().startsWith('aws:')) throw KmsErrors.tag(`Tag keys beginning with 'aws:' are reserved: ${key}`);
    merged[key] = tag.TagValue ?? '';
  }
  if (Object.keys(merged).length > MAX_TAGS) throw KmsErrors.tooManyTags(MAX_TAGS);
  return merged;
}

/** A key policy as KMS accepts it: JSON with a Statement (MalformedPolicyDocumentException otherwise). */
function checkPolicy(policy: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw KmsErrors.malformedPolicy('The key policy is not valid JSON.'); // message not verified
  }
  if (!parsed || typeof parsed !== 'object' || !('Statement' in parsed)) throw KmsErrors.malformedPolicy('The key policy has no Statement.'); // message not verified
  return policy;
}

function limit(value: number | undefined): number | undefined {
  if (value !== undefined && (value < 1 || value > 1000)) throw KmsErrors.validation('limit', value, 'Member must have value between 1 and 1000');
  return value;
}

/** A page of `items` after Marker, in KMS's Truncated/NextMarker form. */
function kmsPage<T>(items: readonly T[], marker: string | undefined, max: number | undefined): { items: T[]; Truncated: boolean; NextMarker: string | undefined } {
  const page = paginate(items, marker, limit(max), 100, KmsErrors.invalidMarker);
  return { items: page.items, Truncated: page.nextToken !== undefined, NextMarker: page.nextToken };
}

/** Checks an alias name as CreateAlias and UpdateAlias do. */
function checkAliasName(name: string): void {
  if (!/^[a-zA-Z0-9:/_-]{1,256}$/.test(name)) throw KmsErrors.validation('aliasName', name, 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
  // messages not verified
  if (!name.startsWith('alias/')) throw KmsErrors.invalidAliasName(`Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`);
  if (name.startsWith('alias/aws/')) throw KmsErrors.invalidAliasName('Alias names that begin with alias/aws/ are reserved for AWS managed keys.');
}

function aliasEntry(ctx: RequestContext, state: KmsState, name: string): AliasListEntry {
  const alias = own(state.aliases, name);
  return alias
    ? { AliasName: name, AliasArn: aliasArn(ctx, name), TargetKeyId: alias.targetKeyId, CreationDate: alias.creationDate, LastUpdatedDate: alias.lastUpdatedDate }
    : { AliasName: name, AliasArn: aliasArn(ctx, name) };
}

/** A key for a call that needs it enabled (DisabledException when disabled, KMSInvalidStateException when pending deletion). */
function enabledKey(ctx: RequestContext, state: KmsState, reference: string | undefined): KeyRecord {
  const key = findKey(ctx, state, reference ?? '');
  assertNotPendingDeletion(key);
  if (!key.enabled) throw KmsErrors.disabled(key.arn);
  return key;
}

/** KMS operations. */
export const kmsHandlers: HandlerMap<KMS> = {
  CreateKey(input, ctx) {
    const state = kmsState(ctx);
    const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    if (!KEY_SPECS.includes(spec as KeySpec)) throw KmsErrors.unsupported(`The sandbox does not create keys with KeySpec ${spec}.`);
    const usage = input.KeyUsage ?? (spec.startsWith('HMAC_') ? 'GENERATE_VERIFY_MAC' : spec.startsWith('ECC_') ? 'SIGN_VERIFY' : 'ENCRYPT_DECRYPT');
    // message not verified
    if (!usageAllowed(spec as KeySpec, usage)) throw KmsErrors.validation('keyUsage', usage, `KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
    if ((input.Origin ?? 'AWS_KMS') !== 'AWS_KMS' || input.CustomKeyStoreId !== undefined) {
      throw KmsErrors.unsupported('The sandbox creates keys with Origin AWS_KMS only (no imported key material or custom key stores).');
    }
    const keyId = uuid();
    const key: KeyRecord = {
      keyId,
      arn: keyArn(ctx, keyId),
      creationDate: ctx.now,
      description: input.Description ?? '',
      keyUsage: usage,
      keySpec: spec as KeySpec,
      multiRegion: input.MultiRegion ?? false,
      enabled: true,
      deletionDate: undefined,
      pendingWindowInDays: undefined,
      policy: input.Policy === undefined ? defaultKeyPolicy(ctx.account) : checkPolicy(input.Policy),
      rotationEnabled: false,
      rotationPeriodInDays: 365,
      rotationEnabledDate: undefined,
      tags: mergeTags({}, input.Tags),
    };
    state.keys[keyId] = key;
    return { KeyMetadata: keyMetadata(ctx, key) };
  },

  DescribeKey(input, ctx) {
    return { KeyMetadata: keyMetadata(ctx, findKey(ctx, kmsState(ctx), input.KeyId ?? '')) };
  },

  ListKeys(input, ctx) {
    const keys = Object.values(kmsState(ctx).keys).sort((a, b) => a.creationDate.getTime() - b.creationDate.getTime() || a.keyId.localeCompare(b.keyId));
    const page = kmsPage(keys, input.Marker, input.Limit);
    return { Keys: page.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), Truncated: page.Truncated, NextMarker: page.NextMarker };
  },

  EnableKey(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '');
    assertNotPendingDeletion(key);
    key.enabled = true;
    return {};
  },

  DisableKey(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '');
    assertNotPendingDeletion(key);
    key.enabled = false;
    return {};
  },

  ScheduleKeyDeletion(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '');
    const days = input.PendingWindowInDays ?? 30;
    if (days < 7 || days > 30) throw KmsErrors.validation('pendingWindowInDays', days, `Member must have value ${days < 7 ? 'greater than or equal to 7' : 'less than or equal to 30'}`);
    assertNotPendingDeletion(key);
    key.deletionDate = new Date(ctx.now.getTime() + days * 86_400_000);
    key.pendingWindowInDays = days;
    return { KeyId: key.arn, DeletionDate: key.deletionDate, KeyState: 'PendingDeletion', PendingWindowInDays: days };
  },

  CancelKeyDeletion(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '');
    if (!key.deletionDate) throw KmsErrors.notPendingDeletion(key.arn);
    // "the KMS key is disabled" after the cancellation (KMS Developer Guide, "Deleting AWS KMS keys").
    key.deletionDate = undefined;
    key.pendingWindowInDays = undefined;
    key.enabled = false;
    return { KeyId: key.arn };
  },

  EnableKeyRotation(input, ctx) {
    const key = enabledKey(ctx, kmsState(ctx), input.KeyId);
    if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw KmsErrors.unsupported(`${key.arn} does not support automatic key rotation: only symmetric encryption keys do.`); // message not verified
    const period = input.RotationPeriodInDays ?? 365;
    if (period < 90 || period > 2560) throw KmsErrors.validation('rotationPeriodInDays', period, `Member must have value ${period < 90 ? 'greater than or equal to 90' : 'less than or equal to 2560'}`);
    key.rotationEnabled = true;
    key.rotationPeriodInDays = period;
    key.rotationEnabledDate = ctx.now;
    return {};
  },

  DisableKeyRotation(input, ctx) {
    const key = enabledKey(ctx, kmsState(ctx), input.KeyId);
    key.rotationEnabled = false;
    key.rotationEnabledDate = undefined;
    return {};
  },

  GetKeyRotationStatus(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '');
    assertNotPendingDeletion(key);
    const next = key.rotationEnabled && key.rotationEnabledDate ? new Date(key.rotationEnabledDate.getTime() + key.rotationPeriodInDays * 86_400_000) : undefined;
    return {
      KeyRotationEnabled: key.rotationEnabled,
      KeyId: key.arn,
      RotationPeriodInDays: key.rotationEnabled ? key.rotationPeriodInDays : undefined,
      NextRotationDate: next,
    };
  },

  GetKeyPolicy(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '');
    const name = input.PolicyName ?? 'default';
    if (name !== 'default') throw KmsErrors.policyNotFound();
    return { Policy: key.policy, PolicyName: 'default' };
  },

  PutKeyPolicy(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '');
    assertNotPendingDeletion(key);
    if ((input.PolicyName ?? 'default') !== 'default') throw KmsErrors.validation('policyName', input.PolicyName, 'Member must satisfy regular expression pattern: default'); // message not verified
    key.policy = checkPolicy(input.Policy ?? '');
    return {};
  },

  ListKeyPolicies(input, ctx) {
    findKey(ctx, kmsState(ctx), input.KeyId ?? '');
    limit(input.Limit);
    return { PolicyNames: ['default'], Truncated: false };
  },

  CreateAlias(input, ctx) {
    const state = kmsState(ctx);
    const name = input.AliasName ?? '';
    checkAliasName(name);
    const key = findKey(ctx, state, input.TargetKeyId ?? '', false);
    if (own(state.aliases, name)) throw KmsErrors.aliasExists(aliasArn(ctx, name));
    assertNotPendingDeletion(key);
    state.aliases[name] = { aliasName: name, targetKeyId: key.keyId, creationDate: ctx.now, lastUpdatedDate: ctx.now };
    return {};
  },

  UpdateAlias(input, ctx) {
    const state = kmsState(ctx);
    const name = input.AliasName ?? '';
    const alias = own(state.aliases, name);
    if (!alias) throw KmsErrors.aliasNotFound(aliasArn(ctx, name));
    const key = findKey(ctx, state, input.TargetKeyId ?? '', false);
    assertNotPendingDeletion(key);
    alias.targetKeyId = key.keyId;
    alias.lastUpdatedDate = ctx.now;
    return {};
  },

  DeleteAlias(input, ctx) {
    const state = kmsState(ctx);
    const name = input.AliasName ?? '';
    if (!own(state.aliases, name)) throw KmsErrors.aliasNotFound(aliasArn(ctx, name));
    delete state.aliases[name];
    return {};
  },

  ListAliases(input, ctx) {
    const state = kmsState(ctx);
    let names: string[];
    if (input.KeyId !== undefined) {
      const key = findKey(ctx, state, input.KeyId, false);
      names = Object.values(state.aliases).filter((a) => a.targetKeyId === key.keyId).map((a) => a.aliasName);
    } else {
      names = [...new Set([...Object.keys(state.aliases), ...PREDEFINED_ALIASES])];
    }
    const page = kmsPage(names.sort(), input.Marker, input.Limit);
    return { Aliases: page.items.map((n) => aliasEntry(ctx, state, n)), Truncated: page.Truncated, NextMarker: page.NextMarker };
  },

  TagResource(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '', false);
    assertNotPendingDeletion(key);
    key.tags = mergeTags(key.tags, input.Tags);
    return {};
  },

  UntagResource(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '', false);
    assertNotPendingDeletion(key);
    const remaining = { ...key.tags };
    for (const k of input.TagKeys ?? []) delete remaining[k];
    key.tags = remaining;
    return {};
  },

  ListResourceTags(input, ctx) {
    const key = findKey(ctx, kmsState(ctx), input.KeyId ?? '', false);
    const tags = Object.entries(key.tags).sort(([a], [b]) => a.localeCompare(b)).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
    const page = kmsPage(tags, input.Marker, input.Limit);
    return { Tags: page.items, Truncated: page.Truncated, NextMarker: page.NextMarker };
  },
};
