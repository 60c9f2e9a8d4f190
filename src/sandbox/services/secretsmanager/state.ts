/**
 * Secrets Manager state for one account and Region: secrets keyed by name, each with its versions
 * and staging labels; lookups by name, full ARN or partial ARN (without the random suffix); and
 * the purge of secrets whose recovery window has passed.
 */
import { randomBytes } from 'node:crypto';
import type { Tag } from '@aws-sdk/client-secrets-manager';
import { asDictionaries } from '../dictionary.js';
import type { RequestContext } from '../types.js';
import { SecretsErrors } from './errors.js';

/** One version of a secret's value. */
export interface SecretVersionRecord {
  versionId: string;
  secretString: string | undefined;
  secretBinary: Uint8Array | undefined;
  createdDate: Date;
  stages: string[];
}

/** A secret with its versions (in creation order) and tags. */
export interface SecretRecord {
  name: string;
  arn: string;
  description: string | undefined;
  kmsKeyId: string | undefined;
  tags: Tag[];
  createdDate: Date;
  lastChangedDate: Date;
  lastAccessedDate: Date | undefined;
  /** When DeleteSecret was called (DescribeSecret's DeletedDate); undefined unless scheduled. */
  deletedDate: Date | undefined;
  /** When the recovery window ends and the secret is purged. */
  deletionDate: Date | undefined;
  versions: SecretVersionRecord[];
  /** PutResourcePolicy's JSON text, as given; absent in state saved before resource policies. */
  resourcePolicy?: string | undefined;
}

/** Secrets Manager state of one account and Region. */
export interface SecretsState {
  secrets: Record<string, SecretRecord>;
}

/** AWS keeps about 100 deprecated (unlabelled) versions of a secret. */
const MAX_DEPRECATED = 100;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The state of the request's account and Region, after purging secrets past their recovery window. */
export function secretsState(ctx: RequestContext): SecretsState {
  const state = asDictionaries(ctx.state<SecretsState>('secretsmanager', () => ({ secrets: {} })), ['secrets']);
  for (const [name, secret] of Object.entries(state.secrets)) {
    if (secret.deletionDate && secret.deletionDate.getTime() <= ctx.now.getTime()) delete state.secrets[name];
  }
  return state;
}

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`. */
export function secretArn(ctx: RequestContext, name: string): string {
  const suffix = [...randomBytes(6)].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
  return `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${name}-${suffix}`;
}

/** Validates a secret name. */
export function checkName(name: string | undefined): string {
  if (!name || name.length > 512 || !/^[A-Za-z0-9/_+=.@-]+$/.test(name)) {
    throw SecretsErrors.invalidParameter('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  }
  return name;
}

/** A secret by name, full ARN or partial ARN (scheduled for deletion or not), or undefined. */
export function findSecret(ctx: RequestContext, state: SecretsState, secretId: string | undefined): SecretRecord | undefined {
  if (!secretId) return undefined;
  if (!secretId.startsWith('arn:')) return state.secrets[secretId];
  const prefix = `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:`;
  if (!secretId.startsWith(prefix)) return undefined;
  const exact = Object.values(state.secrets).find((s) => s.arn === secretId);
  return exact ?? state.secrets[secretId.slice(prefix.length)];
}

/** The ARN a secret id is authorised on: the secret's, or `secret:<name>-??????` for one that does not exist. */
export function secretResource(ctx: RequestContext, state: SecretsState, secretId: string): string {
  const secret = findSecret(ctx, state, secretId);
  if (secret) return secret.arn;
  return secretId.startsWith('arn:') ? secretId : `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${secretId}-??????`;
}

/** A secret, or ResourceNotFoundException. */
export function getSecret(ctx: RequestContext, state: SecretsState, secretId: string | undefined): SecretRecord {
  const secret = findSecret(ctx, state, secretId);
  if (!secret) throw SecretsErrors.notFound();
  return secret;
}

/** A secret that is not scheduled for deletion, or the error AWS gives. */
export function liveSecret(ctx: RequestContext, state: SecretsState, secretId: string | undefined): SecretRecord {
  const secret = getSecret(ctx, state, secretId);
  if (secret.deletedDate) throw SecretsErrors.markedForDeletion();
  return secret;
}

/** Validates and merges tags (at most 50, no `aws:` prefix). */
export function mergeTags(existing: readonly Tag[], add: readonly Tag[] | undefined): Tag[] {
  const map = new Map(existing.map((t) => [t.Key!, t.Value ?? '']));
  for (const tag of add ?? []) {
    if (!tag.Key || tag.Key.length > 128) throw SecretsErrors.invalidParameter('Invalid tag key.');
    if (tag.Key.toLowerCase().startsWith('aws:')) throw SecretsErrors.invalidParameter('Invalid tag key: the prefix aws: is reserved for AWS use.');
    map.set(tag.Key, tag.Value ?? '');
  }
  if (map.size > 50) throw SecretsErrors.validation('The secret has reached the maximum number of tags (50).');
  return [...map].map(([Key, Value]) => ({ Key, Value }));
}

/** What a new version holds. */
export interface NewValue {
  versionId: string;
  secretString: string | undefined;
  secretBinary: Uint8Array | undefined;
}

function sameValue(v: SecretVersionRecord, value: NewValue): boolean {
  if (v.secretString !== value.secretString) return false;
  const a = v.secretBinary ? Buffer.from(v.secretBinary) : undefined;
  const b = value.secretBinary ? Buffer.from(value.secretBinary) : undefined;
  return a === b || (a !== undefined && b !== undefined && a.equals(b));
}

/**
 * Adds a version (or returns the existing one when the request token was already used with the
 * same value), moving `stages` onto it; a moved AWSCURRENT leaves AWSPREVIOUS on the old version.
 */
export function addVersion(ctx: RequestContext, secret: SecretRecord, value: NewValue, stages: readonly string[]): SecretVersionRecord {
  if (value.secretString !== undefined && value.secretBinary !== undefined) {
    throw SecretsErrors.invalidParameter('You can\'t specify both a binary secret value and a string secret value in the same secret.');
  }
  const existing = secret.versions.find((v) => v.versionId === value.versionId);
  if (existing) {
    if (!sameValue(existing, value)) throw SecretsErrors.versionExists();
    return existing;
  }
  const version: SecretVersionRecord = { ...value, createdDate: ctx.now, stages: [] };
  secret.versions.push(version);
  moveStages(secret, version, stages);
  const deprecated = secret.versions.filter((v) => v.stages.length === 0);
  for (const old of deprecated.slice(0, Math.max(0, deprecated.length - MAX_DEPRECATED))) {
    secret.versions.splice(secret.versions.indexOf(old), 1);
  }
  secret.lastChangedDate = ctx.now;
  return version;
}

/** Moves staging labels onto `target`; a moved AWSCURRENT leaves AWSPREVIOUS on the version it left. */
export function moveStages(secret: SecretRecord, target: SecretVersionRecord, stages: readonly string[]): void {
  const previousCurrent = secret.versions.find((v) => v !== target && v.stages.includes('AWSCURRENT'));
  for (const stage of stages) {
    for (const v of secret.versions) v.stages = v.stages.filter((s) => s !== stage);
    target.stages.push(stage);
  }
  if (stages.includes('AWSCURRENT') && previousCurrent) {
    for (const v of secret.versions) v.stages = v.stages.filter((s) => s !== 'AWSPREVIOUS');
    previousCurrent.stages.push('AWSPREVIOUS');
  }
}

/** `VersionIdsToStages`: only versions that carry a staging label (the rest are deprecated). */
export function versionsToStages(secret: SecretRecord): Record<string, string[]> {
  return Object.fromEntries(secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, [...v.stages]]));
}

/** `value` (when given) within `min..max`, else the ValidationException AWS answers for `member`. */
export function checkRange(member: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) throw SecretsErrors.range(member, value, min, max);
}

/**
 * The version GetSecretValue reads: by VersionId and/or VersionStage (AWSCURRENT by default), or
 * the error AWS gives.
 */
export function readVersion(secret: SecretRecord, versionId: string | undefined, versionStage: string | undefined): SecretVersionRecord {
  let version = versionId !== undefined ? secret.versions.find((v) => v.versionId === versionId) : undefined;
  if (versionId !== undefined && !version) throw SecretsErrors.valueNotFound(`VersionId: ${versionId}`);
  if (version && versionStage !== undefined && !version.stages.includes(versionStage)) {
    throw SecretsErrors.invalidRequest('You provided a VersionStage that is not associated to the provided VersionId.');
  }
  if (!version) {
    const stage = versionStage ?? 'AWSCURRENT';
    version = secret.versions.find((v) => v.stages.includes(stage));
    if (!version) throw SecretsErrors.valueNotFound(`staging label: ${stage}`);
  }
  return version;
}

/** GetSecretValue's answer (and a BatchGetSecretValue entry) for one version. */
export function secretValue(secret: SecretRecord, version: SecretVersionRecord) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    SecretString: version.secretString,
    SecretBinary: version.secretBinary,
    VersionStages: [...version.stages],
    CreatedDate: version.createdDate,
  };
}

/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Records a read of the secret's value (LastAccessedDate is a date, without the time). */
export function markAccessed(ctx: RequestContext, secret: SecretRecord): void {
  secret.lastAccessedDate = new Date(Math.floor(ctx.now.getTime() / DAY_MS) * DAY_MS);
}
