/** Buckets: create (global names), head, delete, list, location, policy and tagging. */
import type { Bucket, S3, Tag } from '@aws-sdk/client-s3';
import { paginate } from '../../paging.js';
import type { HandlerMap } from '../../types.js';
import { S3Errors } from '../errors.js';
import { checkBucketPolicy } from '../policy.js';
import type { BucketRecord } from '../state.js';
import { canonicalId, checkBucketName, findBucket, ownBucket, registerBucket, s3State, unregisterBucket } from '../state.js';

function location(bucket: BucketRecord): string {
  return bucket.region === 'us-east-1' ? `/${bucket.name}` : `http://${bucket.name}.s3.amazonaws.com/`;
}

function checkTagSet(tags: readonly Tag[] | undefined): Tag[] {
  const seen = new Set<string>();
  for (const tag of tags ?? []) {
    const key = tag.Key ?? '';
    if (key.length === 0 || key.length > 128) throw S3Errors.invalidTag('The TagKey you have provided is invalid');
    if ((tag.Value ?? '').length > 256) throw S3Errors.invalidTag('The TagValue you have provided is invalid');
    if (key.toLowerCase().startsWith('aws:')) throw S3Errors.invalidTag('System tags cannot be added/updated by requester');
    if (seen.has(key)) throw S3Errors.invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
  if (seen.size > 50) throw S3Errors.invalidTag('Bucket tag count cannot be greater than 50');
  return (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
}

/** Bucket operations. */
export const bucketHandlers: HandlerMap<S3> = {
  CreateBucket(input, ctx) {
    const name = checkBucketName(input.Bucket);
    const constraint = input.CreateBucketConfiguration?.LocationConstraint as string | undefined;
    let region: string;
    if (ctx.region === 'us-east-1') {
      // The us-east-1 endpoint creates anywhere; naming us-east-1 itself is refused.
      if (constraint === 'us-east-1') throw S3Errors.invalidLocation(constraint);
      region = constraint || 'us-east-1';
    } else {
      if (constraint !== ctx.region) throw S3Errors.illegalLocation(constraint);
      region = constraint;
    }
    const existing = findBucket(ctx, name);
    if (existing && existing.owner !== ctx.account) throw S3Errors.alreadyExists(name);
    if (existing) {
      // Legacy behaviour AWS documents: re-creating your own bucket in North Virginia answers 200 OK.
      if (ctx.region === 'us-east-1' && existing.bucket.region === 'us-east-1' && region === 'us-east-1') return { Location: location(existing.bucket) };
      throw S3Errors.alreadyOwnedByYou(name);
    }
    const tags = input.CreateBucketConfiguration?.Tags;
    const objects = Object.create(null) as BucketRecord['objects'];
    const bucket: BucketRecord = { name, region, creationDate: ctx.now, policy: undefined, tags: tags?.length ? checkTagSet(tags) : undefined, objects };
    s3State(ctx).buckets[name] = bucket;
    registerBucket(ctx, name);
    return { Location: location(bucket) };
  },

  HeadBucket(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    return { BucketRegion: bucket.region, AccessPointAlias: false };
  },

  DeleteBucket(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    if (Object.keys(bucket.objects).length > 0) throw S3Errors.bucketNotEmpty(bucket.name);
    delete s3State(ctx).buckets[bucket.name];
    unregisterBucket(ctx, bucket.name);
    return {};
  },

  ListBuckets(input, ctx) {
    const max = input.MaxBuckets;
    if (max !== undefined && (max < 1 || max > 10000)) throw S3Errors.invalidArgument('max-buckets must be between 1 and 10000.');
    const buckets = Object.values(s3State(ctx).buckets)
      .filter((b) => input.Prefix === undefined || b.name.startsWith(input.Prefix))
      .filter((b) => input.BucketRegion === undefined || b.region === input.BucketRegion)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = paginate(buckets, input.ContinuationToken, max, 10000, () => S3Errors.invalidArgument('The continuation token provided is incorrect'));
    return {
      Buckets: page.items.map((b): Bucket => ({ Name: b.name, CreationDate: b.creationDate, BucketRegion: b.region })),
      Owner: { ID: canonicalId(ctx.account) },
      ContinuationToken: page.nextToken,
      Prefix: input.Prefix,
    };
  },

  GetBucketLocation(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    // us-east-1 buckets answer an empty LocationConstraint, as in AWS.
    return { LocationConstraint: bucket.region === 'us-east-1' ? undefined : (bucket.region as never) };
  },

  PutBucketPolicy(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    bucket.policy = checkBucketPolicy(bucket.name, input.Policy);
    return {};
  },

  GetBucketPolicy(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    if (bucket.policy === undefined) throw S3Errors.noSuchBucketPolicy(bucket.name);
    return { Policy: bucket.policy };
  },

  DeleteBucketPolicy(input, ctx) {
    ownBucket(ctx, input.Bucket).policy = undefined;
    return {};
  },

  PutBucketTagging(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    bucket.tags = checkTagSet(input.Tagging?.TagSet);
    return {};
  },

  GetBucketTagging(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    if (!bucket.tags || bucket.tags.length === 0) throw S3Errors.noSuchTagSet(bucket.name);
    return { TagSet: structuredClone(bucket.tags) };
  },

  DeleteBucketTagging(input, ctx) {
    ownBucket(ctx, input.Bucket).tags = undefined;
    return {};
  },
};
