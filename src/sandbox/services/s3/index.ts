/**
 * Amazon S3, buckets and minimal objects (restXml, path-style `http://host:port/<bucket>/<key>`;
 * signed with `s3`, or unsigned when no other service matches). Bucket names are global across
 * the whole sandbox. Other services read buckets through {@link lookupBucket} and deliver log
 * files with {@link deliverObject}.
 */
import type * as sdkTypes from '@aws-sdk/client-s3';
import { lazySdk } from '../lazy-sdk.js';

const sdk = lazySdk('@aws-sdk/client-s3', () => import('@aws-sdk/client-s3'));
import { restXmlProtocol } from '../../protocols/rest-xml.js';
import type { AnyHandler, RequestContext, ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { S3Errors } from './errors.js';
import { bucketHandlers } from './handlers/buckets.js';
import { hardeningHandlers } from './handlers/hardening.js';
import { objectHandlers } from './handlers/objects.js';
import { findBucket, registerOwnBuckets, storeObject } from './state.js';

/** What another service may know about a bucket. */
export interface BucketInfo {
  readonly name: string;
  /** The owning account. */
  readonly owner: string;
  readonly region: string;
  /** The bucket policy document as stored (JSON text), undefined when there is none. */
  readonly policy: string | undefined;
}

/**
 * A bucket anywhere in the sandbox (names are global), or undefined when it does not exist.
 * CloudTrail's CreateTrail evaluates `policy` (with the IAM evaluator) for
 * InsufficientS3BucketPolicyException; EC2 flow logs to S3 check existence.
 */
export function lookupBucket(ctx: RequestContext, name: string): BucketInfo | undefined {
  const found = findBucket(ctx, name);
  return found ? { name, owner: found.owner, region: found.bucket.region, policy: found.bucket.policy } : undefined;
}

/**
 * Writes an object into a bucket on behalf of an AWS service (CloudTrail log files, flow logs),
 * whichever account owns it. @returns false when the bucket does not exist.
 */
export function deliverObject(ctx: RequestContext, bucketName: string, key: string, body: string | Uint8Array, contentType?: string): boolean {
  const found = findBucket(ctx, bucketName);
  if (!found) return false;
  storeObject(found.bucket, key, typeof body === 'string' ? new TextEncoder().encode(body) : body, contentType, ctx.now);
  return true;
}

// Open mode accepts any key, but an unsigned request has none: S3 answers it as it answers an
// anonymous caller on a private bucket. Every signed call also repairs the name registry.
function signedOnly(handlers: Record<string, AnyHandler>): Record<string, AnyHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      ((input: never, ctx: RequestContext) => {
        if (ctx.principal.accessKeyId === 'anonymous') throw S3Errors.accessDenied();
        registerOwnBuckets(ctx);
        return handler(input, ctx);
      }) as AnyHandler,
    ]),
  );
}

export const s3Service: ServiceModule = {
  name: 's3',
  signingName: 's3',
  eventSource: 's3.amazonaws.com',
  protocol: restXmlProtocol({ sdk, xmlNamespace: 'http://s3.amazonaws.com/doc/2006-03-01/' }),
  sdk,
  handlers: signedOnly(eraseHandlers<sdkTypes.S3>({ ...bucketHandlers, ...hardeningHandlers, ...objectHandlers })),
};
