/**
 * S3 state. Buckets belong to an account (state is account-wide, each bucket records its Region)
 * but their names are global across the whole sandbox, as in AWS: a registry (name -> owner
 * account, kept in the default account's state so it persists with the snapshots) says who owns a
 * name, and the owner's own state is the truth (a registry entry whose owner no longer has the
 * bucket, e.g. after an account reset, is free again).
 */
import { createHash } from 'node:crypto';
import type { BucketVersioningStatus, PublicAccessBlockConfiguration, ServerSideEncryptionConfiguration, Tag } from '@aws-sdk/client-s3';
import { DEFAULT_ACCOUNT } from '../../auth.js';
import { asDictionaries } from '../dictionary.js';
import type { RequestContext } from '../types.js';
import { S3Errors } from './errors.js';

/** An object's metadata (and body, when small). */
export interface ObjectRecord {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
  contentType: string | undefined;
  /** Kept up to {@link MAX_STORED_BODY} bytes so snapshots stay small; larger bodies are metadata only. */
  body: Uint8Array | undefined;
}

/** A bucket. */
export interface BucketRecord {
  name: string;
  region: string;
  creationDate: Date;
  policy: string | undefined;
  /** undefined = no tag set (GetBucketTagging answers NoSuchTagSet). */
  tags: Tag[] | undefined;
  objects: Record<string, ObjectRecord>;
  /**
   * Block Public Access. Absent: the default every bucket gets since April 2023 (all four
   * settings on, {@link DEFAULT_PUBLIC_ACCESS_BLOCK}; buckets saved before the sandbox kept this
   * read the same); null: deleted (NoSuchPublicAccessBlockConfiguration).
   */
  publicAccessBlock?: PublicAccessBlockConfiguration | null;
  /** Default encryption. Absent: SSE-S3, which every bucket has since January 2023 ({@link DEFAULT_ENCRYPTION}). */
  encryption?: ServerSideEncryptionConfiguration;
  /** Absent: never versioned (GetBucketVersioning answers an empty configuration). */
  versioning?: BucketVersioningStatus;
}

/** The Block Public Access settings of a new bucket (S3 default since April 2023). */
export const DEFAULT_PUBLIC_ACCESS_BLOCK: Readonly<Required<PublicAccessBlockConfiguration>> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/** The default encryption of every bucket (SSE-S3 since January 2023; DeleteBucketEncryption returns to it). */
export function defaultEncryption(): ServerSideEncryptionConfiguration {
  return { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] };
}

/** S3 state of one account. */
export interface S3State {
  buckets: Record<string, BucketRecord>;
}

interface Registry {
  owners: Record<string, string>;
}

/** Bodies above this size are not kept (lab writers only need existence and listing). */
export const MAX_STORED_BODY = 64 * 1024;

function emptyState(): S3State {
  return { buckets: {} };
}

/** The S3 state of the request's account. */
export function s3State(ctx: RequestContext): S3State {
  return dictionaries(ctx.state<S3State>('s3', emptyState, 'global'));
}

/** Bucket names and object keys are the caller's: no map may inherit from Object.prototype. */
function dictionaries(state: S3State): S3State {
  asDictionaries(state, ['buckets']);
  for (const bucket of Object.values(state.buckets)) asDictionaries(bucket, ['objects']);
  return state;
}

function registry(ctx: RequestContext): Registry {
  return asDictionaries(ctx.stateOf<Registry>(DEFAULT_ACCOUNT, 's3-registry', () => ({ owners: {} }), 'global'), ['owners']);
}

/** Records (or repairs) the caller's ownership of its buckets in the registry. */
export function registerOwnBuckets(ctx: RequestContext): void {
  const owners = registry(ctx).owners;
  for (const name of Object.keys(s3State(ctx).buckets)) if (owners[name] !== ctx.account) owners[name] = ctx.account;
}

/** Claims a name for the caller. */
export function registerBucket(ctx: RequestContext, name: string): void {
  registry(ctx).owners[name] = ctx.account;
}

/** Releases a name. */
export function unregisterBucket(ctx: RequestContext, name: string): void {
  const owners = registry(ctx).owners;
  if (owners[name] === ctx.account) delete owners[name];
}

/** A bucket anywhere in the sandbox, with its owner account. */
export function findBucket(ctx: RequestContext, name: string): { owner: string; bucket: BucketRecord } | undefined {
  const own = s3State(ctx).buckets[name];
  if (own) return { owner: ctx.account, bucket: own };
  const owner = registry(ctx).owners[name];
  if (!owner || owner === ctx.account) return undefined;
  const bucket = dictionaries(ctx.stateOf<S3State>(owner, 's3', emptyState, 'global')).buckets[name];
  return bucket ? { owner, bucket } : undefined;
}

/** A bucket of the caller's account: NoSuchBucket when it exists nowhere, AccessDenied when it is someone else's. */
export function ownBucket(ctx: RequestContext, name: string | undefined): BucketRecord {
  const found = name ? findBucket(ctx, name) : undefined;
  if (!found) throw S3Errors.noSuchBucket(name ?? '');
  if (found.owner !== ctx.account) throw S3Errors.accessDenied();
  return found.bucket;
}

/** The canonical user id S3 shows for an account (stable, 64 hex characters). */
export function canonicalId(account: string): string {
  return createHash('sha256').update(`ecs-lab:${account}`).digest('hex');
}

const IP_LIKE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Validates a bucket name against the general purpose bucket naming rules. */
export function checkBucketName(name: string | undefined): string {
  const n = name ?? '';
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(n) &&
    !n.includes('..') &&
    !IP_LIKE.test(n) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(n) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(n);
  if (!ok) throw S3Errors.invalidBucketName(n);
  return n;
}

/** A quoted MD5 ETag, as S3 returns for single-part uploads. */
export function etagOf(body: Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** Stores an object (for PutObject, and for services that deliver logs into a bucket). */
export function storeObject(bucket: BucketRecord, key: string, body: Uint8Array, contentType: string | undefined, now: Date): ObjectRecord {
  const record: ObjectRecord = {
    key,
    size: body.byteLength,
    etag: etagOf(body),
    lastModified: now,
    contentType,
    body: body.byteLength <= MAX_STORED_BODY ? new Uint8Array(body) : undefined,
  };
  bucket.objects[key] = record;
  return record;
}
