import { describe, expect, it } from 'vitest';
import { rootPrincipal } from '../../auth.js';
import { SandboxStore } from '../../store.js';
import type { RequestContext } from '../types.js';
import { bucketHandlers } from './handlers/buckets.js';
import { deliverObject, lookupBucket } from './index.js';
import { s3State } from './state.js';

/** A request context over a bare store, as dispatch builds it, for calling S3 as another service would. */
function contextFor(store: SandboxStore, account: string, region = 'us-east-1'): RequestContext {
  return {
    account,
    region,
    requestId: 'r',
    now: new Date(),
    principal: rootPrincipal(account, 'k'),
    service: 'cloudtrail',
    operation: 'CreateTrail',
    readOnly: false,
    state(name, init, scope) {
      return this.stateOf(account, name, init, scope);
    },
    stateOf(owner, name, init, scope) {
      return store.serviceState(owner, scope === 'global' ? undefined : region, name, init).state;
    },
    everyRegion: () => [],
    log: () => [],
    logRecords: () => [],
  };
}

describe('S3 lookups for other services', () => {
  it('finds a bucket of any account with its owner, Region and policy', async () => {
    const store = new SandboxStore(undefined);
    const owner = contextFor(store, '000000000031', 'eu-west-1');
    await bucketHandlers.CreateBucket!({ Bucket: 'trail-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }, owner);
    const doc = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::trail-bucket/*' }] });
    await bucketHandlers.PutBucketPolicy!({ Bucket: 'trail-bucket', Policy: doc }, owner);

    const caller = contextFor(store, '000000000032');
    expect(lookupBucket(caller, 'trail-bucket')).toEqual({ name: 'trail-bucket', owner: '000000000031', region: 'eu-west-1', policy: doc });
    expect(lookupBucket(caller, 'missing-bucket')).toBeUndefined();
  });

  it('delivers objects into an existing bucket only', () => {
    const store = new SandboxStore(undefined);
    const owner = contextFor(store, '000000000033');
    bucketHandlers.CreateBucket!({ Bucket: 'flow-logs-bucket' }, owner);
    const service = contextFor(store, '000000000034');
    expect(deliverObject(service, 'flow-logs-bucket', 'AWSLogs/000000000034/vpcflowlogs/x.log', 'record')).toBe(true);
    expect(deliverObject(service, 'nowhere-bucket', 'k', 'x')).toBe(false);
    expect(Object.keys(s3State(owner).buckets['flow-logs-bucket']!.objects)).toEqual(['AWSLogs/000000000034/vpcflowlogs/x.log']);
  });

  it('frees a name whose owner lost the bucket (an account reset)', () => {
    const store = new SandboxStore(undefined);
    bucketHandlers.CreateBucket!({ Bucket: 'reset-bucket' }, contextFor(store, '000000000035'));
    store.reset('000000000035');
    const next = contextFor(store, '000000000036');
    expect(lookupBucket(next, 'reset-bucket')).toBeUndefined();
    bucketHandlers.CreateBucket!({ Bucket: 'reset-bucket' }, next);
    expect(lookupBucket(contextFor(store, '000000000037'), 'reset-bucket')?.owner).toBe('000000000036');
  });
});
