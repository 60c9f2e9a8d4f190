/**
 * Bucket hardening settings: the ACL (always the owner's FULL_CONTROL: buckets are created with
 * ACLs disabled, Object Ownership BucketOwnerEnforced, since April 2023), Block Public Access,
 * default encryption and versioning.
 *
 * Defaults, as S3 has had them for new buckets since 2023: all four Block Public Access
 * settings on (GetPublicAccessBlock answers them; only after DeletePublicAccessBlock does it
 * answer NoSuchPublicAccessBlockConfiguration), and SSE-S3 (AES256, BucketKeyEnabled false)
 * default encryption, to which DeleteBucketEncryption returns. The settings are stored and
 * reported, not enforced: a public bucket policy is not refused under BlockPublicPolicy, and
 * objects are neither encrypted nor versioned.
 */
import type { S3, ServerSideEncryptionConfiguration } from '@aws-sdk/client-s3';
import type { HandlerMap } from '../../types.js';
import { S3Errors } from '../errors.js';
import { canonicalId, DEFAULT_PUBLIC_ACCESS_BLOCK, defaultEncryption, ownBucket } from '../state.js';

const ALGORITHMS: readonly string[] = ['AES256', 'aws:kms', 'aws:kms:dsse'];

/** A default encryption configuration as S3 accepts it (one rule with a known algorithm), else MalformedXML / InvalidArgument. */
function checkEncryption(config: ServerSideEncryptionConfiguration | undefined): ServerSideEncryptionConfiguration {
  const rules = config?.Rules ?? [];
  if (rules.length !== 1) throw S3Errors.malformedXml();
  const rule = rules[0]!;
  const byDefault = rule.ApplyServerSideEncryptionByDefault;
  if (!byDefault || !ALGORITHMS.includes(String(byDefault.SSEAlgorithm))) throw S3Errors.malformedXml();
  if (byDefault.KMSMasterKeyID !== undefined && byDefault.SSEAlgorithm === 'AES256') throw S3Errors.kmsKeyNotApplicable();
  const applied = { SSEAlgorithm: byDefault.SSEAlgorithm, ...(byDefault.KMSMasterKeyID !== undefined ? { KMSMasterKeyID: byDefault.KMSMasterKeyID } : {}) };
  return { Rules: [{ ApplyServerSideEncryptionByDefault: applied, BucketKeyEnabled: rule.BucketKeyEnabled ?? false }] };
}

/** Bucket ACL, Block Public Access, encryption and versioning operations. */
export const hardeningHandlers: HandlerMap<S3> = {
  GetBucketAcl(input, ctx) {
    ownBucket(ctx, input.Bucket);
    const id = canonicalId(ctx.account);
    return { Owner: { ID: id }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: id }, Permission: 'FULL_CONTROL' }] };
  },

  PutPublicAccessBlock(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    const c = input.PublicAccessBlockConfiguration ?? {};
    // The configuration replaces the previous one: a setting left out is off.
    bucket.publicAccessBlock = {
      BlockPublicAcls: c.BlockPublicAcls ?? false,
      IgnorePublicAcls: c.IgnorePublicAcls ?? false,
      BlockPublicPolicy: c.BlockPublicPolicy ?? false,
      RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
    };
    return {};
  },

  GetPublicAccessBlock(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    const config = bucket.publicAccessBlock === undefined ? DEFAULT_PUBLIC_ACCESS_BLOCK : bucket.publicAccessBlock;
    if (config === null) throw S3Errors.noSuchPublicAccessBlock(bucket.name);
    return { PublicAccessBlockConfiguration: { ...config } };
  },

  DeletePublicAccessBlock(input, ctx) {
    ownBucket(ctx, input.Bucket).publicAccessBlock = null;
    return {};
  },

  PutBucketEncryption(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    bucket.encryption = checkEncryption(input.ServerSideEncryptionConfiguration);
    return {};
  },

  GetBucketEncryption(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    return { ServerSideEncryptionConfiguration: structuredClone(bucket.encryption ?? defaultEncryption()) };
  },

  DeleteBucketEncryption(input, ctx) {
    delete ownBucket(ctx, input.Bucket).encryption;
    return {};
  },

  PutBucketVersioning(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    const config = input.VersioningConfiguration ?? {};
    if (config.Status !== 'Enabled' && config.Status !== 'Suspended') throw S3Errors.malformedXml();
    // MFA delete needs an MFA device the sandbox does not have (AWS's code, the sandbox's message).
    if (config.MFADelete === 'Enabled') throw S3Errors.invalidArgument('The ecs-lab sandbox does not support MFA delete.');
    bucket.versioning = config.Status;
    return {};
  },

  GetBucketVersioning(input, ctx) {
    const bucket = ownBucket(ctx, input.Bucket);
    return bucket.versioning === undefined ? {} : { Status: bucket.versioning };
  },
};
