/** Minimal objects, so a bucket can hold something: PutObject, ListObjectsV2, ListObjectVersions, DeleteObject(s). */
import type { _Object, CommonPrefix, DeletedObject, ObjectVersion, S3 } from '@aws-sdk/client-s3';
import { paginate } from '../../paging.js';
import type { HandlerMap } from '../../types.js';
import { S3Errors } from '../errors.js';
import { canonicalId, ownBucket, storeObject } from '../state.js';

const MAX_DELETE = 1000;

/** Object operations. */
export const objectHandlers: HandlerMap<S3> = {
  PutObject(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    const key = input.Key ?? '';
    if (key.length === 0 || Buffer.byteLength(key) > 1024) throw S3Errors.invalidArgument('Object key must be between 1 and 1024 bytes long.');
    const body = input.Body instanceof Uint8Array ? input.Body : new Uint8Array();
    const record = storeObject(bucket, key, body, input.ContentType, ctx.now);
    return { ETag: record.etag, ServerSideEncryption: 'AES256', Size: record.size };
  },

  ListObjectsV2(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    // `encoding-type=url` (the CLI always asks for it) means keys and prefixes come back URL-encoded.
    const url = input.EncodingType === 'url';
    const enc = (s: string | undefined) => (s === undefined || !url ? s : encodeURIComponent(s).replace(/%2F/g, '/'));
    const max = input.MaxKeys ?? 1000;
    if (max < 0) throw S3Errors.invalidArgument('max-keys cannot be negative.');
    const prefix = input.Prefix ?? '';
    const delimiter = input.Delimiter || undefined;
    const keys = Object.keys(bucket.objects)
      .filter((k) => k.startsWith(prefix) && (input.StartAfter === undefined || k > input.StartAfter))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    // With a delimiter, keys sharing the part up to the next delimiter roll up into one common prefix.
    const entries: { key?: string; prefix?: string }[] = [];
    const seen = new Set<string>();
    for (const key of keys) {
      const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (at < 0) {
        entries.push({ key });
        continue;
      }
      const common = key.slice(0, at + delimiter!.length);
      if (!seen.has(common)) {
        seen.add(common);
        entries.push({ prefix: common });
      }
    }
    const page = max === 0 ? { items: [], nextToken: undefined } : paginate(entries, input.ContinuationToken, max, 1000, () => S3Errors.invalidArgument('The continuation token provided is incorrect'));
    const contents: _Object[] = [];
    const commonPrefixes: CommonPrefix[] = [];
    for (const entry of page.items) {
      if (entry.prefix !== undefined) {
        commonPrefixes.push({ Prefix: enc(entry.prefix) });
        continue;
      }
      const o = bucket.objects[entry.key!]!;
      contents.push({
        Key: enc(o.key),
        LastModified: o.lastModified,
        ETag: o.etag,
        Size: o.size,
        StorageClass: 'STANDARD',
        Owner: input.FetchOwner ? { ID: canonicalId(ctx.account) } : undefined,
      });
    }
    return {
      Name: bucket.name,
      Prefix: enc(prefix),
      Delimiter: enc(delimiter),
      EncodingType: url ? 'url' : undefined,
      MaxKeys: max,
      KeyCount: page.items.length,
      IsTruncated: page.nextToken !== undefined,
      Contents: contents.length > 0 ? contents : undefined,
      CommonPrefixes: commonPrefixes.length > 0 ? commonPrefixes : undefined,
      ContinuationToken: input.ContinuationToken,
      NextContinuationToken: page.nextToken,
      StartAfter: enc(input.StartAfter),
    };
  },

  /**
   * Buckets are unversioned here, so each object is its one version, `null` (as S3 lists objects
   * of a bucket that never had versioning). Pages by key (KeyMarker / NextKeyMarker).
   */
  ListObjectVersions(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    const max = Math.min(input.MaxKeys ?? 1000, 1000);
    const prefix = input.Prefix ?? '';
    const keys = Object.keys(bucket.objects)
      .filter((k) => k.startsWith(prefix) && (input.KeyMarker === undefined || k > input.KeyMarker))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const page = keys.slice(0, Math.max(max, 0));
    const truncated = keys.length > page.length;
    const versions: ObjectVersion[] = page.map((key) => {
      const o = bucket.objects[key]!;
      return { Key: o.key, VersionId: 'null', IsLatest: true, LastModified: o.lastModified, ETag: o.etag, Size: o.size, StorageClass: 'STANDARD' };
    });
    return {
      Name: bucket.name,
      Prefix: prefix,
      KeyMarker: input.KeyMarker ?? '',
      VersionIdMarker: input.VersionIdMarker ?? '',
      MaxKeys: max,
      IsTruncated: truncated,
      NextKeyMarker: truncated ? page[page.length - 1] : undefined,
      NextVersionIdMarker: truncated ? 'null' : undefined,
      Versions: versions.length > 0 ? versions : undefined,
    };
  },

  DeleteObject(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    delete bucket.objects[input.Key ?? ''];
    return {};
  },

  DeleteObjects(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    const objects = input.Delete?.Objects ?? [];
    if (objects.length === 0 || objects.length > MAX_DELETE) throw S3Errors.malformedXml();
    const deleted: DeletedObject[] = [];
    for (const o of objects) {
      delete bucket.objects[o.Key ?? ''];
      if (!input.Delete?.Quiet) deleted.push({ Key: o.Key });
    }
    return { Deleted: deleted.length > 0 ? deleted : undefined };
  },
};
