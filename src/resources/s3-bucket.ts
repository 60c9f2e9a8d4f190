/**
 * `s3-bucket`: an S3 bucket (its name usually carries `${account}`, expanded by the engine, since
 * bucket names are global). Tagged with PutBucketTagging right after creation; removing it empties
 * it first, as S3 refuses to delete a bucket that holds objects.
 */
import type { S3 } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { ResourceError, assertLabOwned, chunk, ignoreNotFound } from './helpers.js';
import type { LabResource } from './types.js';
import { defineResourceKind, errorCode, isLabTagged, tagMap, tagsFor, upperTags } from './types.js';

const schema = z.strictObject({
  type: z.literal('s3-bucket'),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$|\$\{account\}|\$\{region\}/, 'a bucket name: 3-63 lowercase letters, digits, dots and hyphens')
    .describe('Bucket name; may contain ${account} and ${region}, e.g. lab-audit-${account}.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

/** What S3 answers when a bucket lives in another region than the client's. */
const REDIRECTS = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);

const arnOf = (name: string) => `arn:aws:s3:::${name}`;

/** A bucket's tags ({} when it has none), or null when it does not exist. */
async function bucketTags(s3: S3, bucket: string): Promise<Record<string, string> | null> {
  try {
    const out = await s3.getBucketTagging({ Bucket: bucket });
    return tagMap(out.TagSet);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'NoSuchTagSet') return {};
    if (code === 'NoSuchBucket') return null;
    throw err;
  }
}

/** Deletes every object version and delete marker (and so every object) in a bucket. */
async function emptyBucket(s3: S3, bucket: string): Promise<number> {
  try {
    return await emptyVersions(s3, bucket);
  } catch (err) {
    // Targets without versioning support (the embedded sandbox, some emulators) list objects only.
    if (!/InvalidAction|NotImplemented|UnknownOperation/.test(errorCode(err))) throw err;
  }
  let deleted = 0;
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.listObjectsV2({ Bucket: bucket, ContinuationToken });
    const ids = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
    for (const batch of chunk(ids, 1000)) {
      await s3.deleteObjects({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } });
      deleted += batch.length;
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return deleted;
}

/** Empties a bucket's versions and delete markers (a versioned bucket keeps both). */
async function emptyVersions(s3: S3, bucket: string): Promise<number> {
  let deleted = 0;
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    const page = await s3.listObjectVersions({ Bucket: bucket, KeyMarker, VersionIdMarker });
    const ids = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key, VersionId: v.VersionId }));
    for (const batch of chunk(ids, 1000)) {
      await s3.deleteObjects({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } });
      deleted += batch.length;
    }
    KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (KeyMarker);
  return deleted;
}

export const s3Bucket = defineResourceKind({
  type: 's3-bucket',
  description: 'An S3 bucket, created without a bucket policy.',
  schema,
  order: 15,
  async ensure(ctx, spec) {
    const s3 = await ctx.aws.s3();
    let tags: Record<string, string> | null;
    try {
      tags = await bucketTags(s3, spec.name);
    } catch (err) {
      // Bucket names are global: 403 means someone else, maybe another account, owns this one.
      if (errorCode(err) === 'AccessDenied') {
        throw new ResourceError('NOT_LAB_MANAGED', `S3 bucket ${spec.name} exists and is not readable with these credentials (owned by another account?).`);
      }
      throw err;
    }
    if (tags) {
      assertLabOwned(`S3 bucket ${spec.name}`, tags);
      return { type: spec.type, name: spec.name, id: spec.name, arn: arnOf(spec.name), status: 'found' };
    }
    // us-east-1 is the one region that rejects an explicit location constraint.
    await s3.createBucket({
      Bucket: spec.name,
      ...(ctx.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: ctx.region as never } }),
    });
    try {
      await s3.putBucketTagging({ Bucket: spec.name, Tagging: { TagSet: upperTags(tagsFor(ctx, spec)) } });
    } catch (err) {
      // An untagged bucket would look like the learner's to the next start: undo it.
      await ignoreNotFound(() => s3.deleteBucket({ Bucket: spec.name }));
      throw err;
    }
    return { type: spec.type, name: spec.name, id: spec.name, arn: arnOf(spec.name), status: 'created' };
  },
  /** Lab-tagged buckets of this region (ListBuckets lists every region's). */
  async findLabTagged(ctx) {
    const s3 = await ctx.aws.s3();
    const out = await s3.listBuckets({});
    const found: LabResource[] = [];
    for (const b of out.Buckets ?? []) {
      if (!b.Name || (b.BucketRegion && b.BucketRegion !== ctx.region)) continue;
      let tags: Record<string, string> | null;
      try {
        tags = await bucketTags(s3, b.Name);
      } catch (err) {
        // A bucket of another region (when ListBuckets does not say so) answers with a redirect: not this region's lab.
        if (REDIRECTS.has(errorCode(err))) continue;
        throw err;
      }
      if (tags && isLabTagged(tags)) found.push({ type: 's3-bucket', name: b.Name, id: b.Name, arn: arnOf(b.Name), tags });
    }
    return found;
  },
  async remove(ctx, resource) {
    const s3 = await ctx.aws.s3();
    const removed: string[] = [];
    const count = await ignoreNotFound(() => emptyBucket(s3, resource.name));
    if (count === undefined) return removed;
    if (count) removed.push(`${count} object version(s) in bucket ${resource.name}`);
    await ignoreNotFound(() => s3.deleteBucket({ Bucket: resource.name }));
    removed.push(`bucket ${resource.name}`);
    return removed;
  },
  async lookup(ctx, name) {
    const s3 = await ctx.aws.s3();
    const tags = await bucketTags(s3, name);
    return tags ? { arn: arnOf(name), id: name, tags } : null;
  },
});
