/**
 * Authorisation table of AWS KMS. Key calls are authorised on the key's ARN (a call naming an
 * alias, on the key it points to), alias calls on the alias and on its key, as the KMS Developer
 * Guide's permissions reference lists them. The key policy is the key's resource policy: its
 * default statement allows the account, which delegates to IAM policies (what the lab teaches).
 * A key policy that does not allow the account leaves IAM policies without effect: only its own
 * grants to the caller count (the evaluator trusts the account for KMS only when the key policy
 * does, as for role trust policies; src/iam/evaluate.ts).
 */
import type { AuthzEnv, OperationRule, ServiceRules } from './authz-table.js';
import { lookup, str, strings, tagList } from './authz-table.js';
import type { KeyRecord, KmsState } from './services/kms/state.js';
import { resolveKeyId } from './services/kms/state.js';

function kms(env: AuthzEnv): KmsState | undefined {
  return env.state<KmsState>('kms');
}

function keyByArn(env: AuthzEnv, arn: string): KeyRecord | undefined {
  const id = /^arn:aws[a-z-]*:kms:[^:]*:[0-9]{12}:key\/(.+)$/.exec(arn)?.[1];
  const key = id === undefined ? undefined : lookup(kms(env)?.keys, id);
  return key?.arn === arn ? key : undefined;
}

/** The key ARN a KeyId member names (key id, key ARN, alias name or alias ARN; an unknown alias stays the alias ARN). */
function keyArnOf(env: AuthzEnv, reference: string): string {
  const resolved = resolveKeyId(kms(env) ?? { aliases: {} }, env.region, env.account, reference);
  if ('elsewhere' in resolved) return reference;
  const base = `arn:aws:kms:${env.region}:${env.account}`;
  return 'alias' in resolved ? `${base}:${resolved.alias}` : `${base}:key/${resolved.id}`;
}

const aliasArnOf = (env: AuthzEnv, name: string): string => (name.startsWith('arn:') ? name : `arn:aws:kms:${env.region}:${env.account}:${name}`);

const onKey: OperationRule = { resources: (i, env) => [keyArnOf(env, str(i.KeyId) ?? '')] };
const onAliasAndKey = (member: string): OperationRule => ({
  resources: (i, env) => {
    const alias = str(i.AliasName) ?? '';
    const target = str(i[member]) ?? lookup(kms(env)?.aliases, alias)?.targetKeyId ?? '';
    return [aliasArnOf(env, alias), keyArnOf(env, target)];
  },
});
const kmsTags = (value: unknown) => tagList(value, 'TagKey', 'TagValue');

const operations: Record<string, OperationRule> = {
  CreateKey: { requestTags: (i) => kmsTags(i.Tags), creates: true, createdResources: () => ['*'] },
  TagResource: { ...onKey, requestTags: (i) => kmsTags(i.Tags) },
  UntagResource: { ...onKey, removedTagKeys: (i) => strings(i.TagKeys) },
  CreateAlias: onAliasAndKey('TargetKeyId'),
  UpdateAlias: onAliasAndKey('TargetKeyId'),
  // DeleteAlias names the alias only; AWS also authorises the key it points to.
  DeleteAlias: onAliasAndKey('__none'),
};
for (const op of [
  'DescribeKey', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'EnableKeyRotation', 'DisableKeyRotation',
  'GetKeyRotationStatus', 'GetKeyPolicy', 'PutKeyPolicy', 'ListKeyPolicies', 'ListResourceTags',
]) {
  operations[op] = onKey;
}

/** The KMS table. */
export const KMS_RULES: ServiceRules = {
  prefix: 'kms',
  operations,
  resourceTags: (arn, env) => {
    const key = keyByArn(env, arn);
    return key ? { ...key.tags } : undefined;
  },
  tagOnCreate: 'kms:TagResource',
  resourcePolicyOf: (arn, env) => {
    const key = keyByArn(env, arn);
    return key ? { id: `key-policy:${key.keyId}`, document: key.policy } : undefined;
  },
};

