/**
 * The S3 facts CloudTrail checks at CreateTrail/UpdateTrail: the bucket must exist and its policy
 * must let the `cloudtrail.amazonaws.com` service principal call s3:GetBucketAcl on the bucket and
 * s3:PutObject under `<prefix>/AWSLogs/<account>/`, as AWS verifies before accepting a trail. The
 * policy is judged by the project's IAM evaluator, with the context CloudTrail's own requests
 * carry (aws:SourceArn, aws:SourceAccount, s3:x-amz-acl = bucket-owner-full-control).
 */
import { evaluate } from '../../../iam/index.js';
import type { ContextValue } from '../../../iam/index.js';
import { lookupBucket } from '../s3/index.js';
import type { RequestContext } from '../types.js';
import { CloudTrailErrors } from './errors.js';

/** What CloudTrail needs to know about a bucket. */
export interface BucketFacts {
  readonly name: string;
  /** The account that owns the bucket (trails may log to another account's bucket). */
  readonly ownerAccount: string;
  /** The bucket policy document (JSON text), if any. */
  readonly policy: string | undefined;
}

/** Finds a bucket by name in any account (bucket names are global), through the S3 service. */
export function findBucket(ctx: RequestContext, name: string): BucketFacts | undefined {
  const bucket = lookupBucket(ctx, name);
  return bucket ? { name: bucket.name, ownerAccount: bucket.owner, policy: bucket.policy } : undefined;
}

const SERVICE_PRINCIPAL = 'cloudtrail.amazonaws.com';

function allowed(bucket: BucketFacts, action: string, resource: string, context: Record<string, ContextValue>): boolean {
  try {
    const result = evaluate({
      request: { principal: SERVICE_PRINCIPAL, action, resource, context, resourceAccount: bucket.ownerAccount },
      identityPolicies: [],
      resourcePolicy: { id: `bucket-policy:${bucket.name}`, document: bucket.policy! },
      autoContext: false,
    });
    return result.decision === 'allowed';
  } catch {
    // A policy the evaluator cannot read grants nothing.
    return false;
  }
}

/**
 * Throws S3BucketDoesNotExistException or InsufficientS3BucketPolicyException unless the trail
 * can deliver to `bucketName` under `prefix`.
 */
export function checkTrailBucket(ctx: RequestContext, bucketName: string, prefix: string | undefined, trailArn: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName)) throw CloudTrailErrors.invalidBucketName(bucketName);
  const bucket = findBucket(ctx, bucketName);
  if (!bucket) throw CloudTrailErrors.bucketMissing(bucketName);
  if (!bucket.policy) throw CloudTrailErrors.bucketPolicy(bucketName);
  const context: Record<string, ContextValue> = {
    'aws:SourceArn': trailArn,
    'aws:SourceAccount': ctx.account,
    's3:x-amz-acl': 'bucket-owner-full-control',
  };
  const day = ctx.now.toISOString().slice(0, 10).replace(/-/g, '/');
  const stamp = ctx.now.toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
  const key = `${prefix ? `${prefix}/` : ''}AWSLogs/${ctx.account}/CloudTrail/${ctx.region}/${day}/${ctx.account}_CloudTrail_${ctx.region}_${stamp}_ecslab.json.gz`;
  const canRead = allowed(bucket, 's3:GetBucketAcl', `arn:aws:s3:::${bucketName}`, context);
  const canWrite = allowed(bucket, 's3:PutObject', `arn:aws:s3:::${bucketName}/${key}`, context);
  if (!canRead || !canWrite) throw CloudTrailErrors.bucketPolicy(bucketName);
}
