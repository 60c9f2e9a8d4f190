import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../../../test/helpers/check-context.js';
import resourceTags from './resource-tags.js';

const ecs = mockClient(ECSClient);
afterEach(() => ecs.reset());

const cluster = (tags: Array<{ key: string; value: string }>) => ({
  clusters: [{ clusterName: 'lab-prod', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/lab-prod', status: 'ACTIVE', tags }],
});
const params = resourceTags.params.parse({ resource: { type: 'ecs-cluster', name: 'lab-prod' }, tags: { environment: 'prod', owner: null } });

describe('resource-tags', () => {
  it('passes when every required tag is present with the required value', async () => {
    ecs.on(DescribeClustersCommand).resolves(cluster([{ key: 'environment', value: 'prod' }, { key: 'owner', value: 'team-a' }]));
    const out = await resourceTags.run(testContext(), params);
    expect(out.status).toBe('pass');
    expect(out.resources).toEqual(['arn:aws:ecs:us-east-1:123456789012:cluster/lab-prod']);
  });

  it('fails when a tag has the wrong value, saying which and what it saw', async () => {
    ecs.on(DescribeClustersCommand).resolves(cluster([{ key: 'environment', value: 'dev' }, { key: 'owner', value: 'x' }]));
    const out = await resourceTags.run(testContext(), params);
    expect(out.status).toBe('fail');
    expect(out.message).toBe('ecs-cluster lab-prod: tag environment is "dev", expected "prod".');
  });

  it('fails when a tag is missing', async () => {
    ecs.on(DescribeClustersCommand).resolves(cluster([{ key: 'environment', value: 'prod' }]));
    const out = await resourceTags.run(testContext(), params);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('tag owner is missing');
  });

  it('fails when the resource does not exist', async () => {
    ecs.on(DescribeClustersCommand).resolves({ clusters: [], failures: [{ arn: 'lab-prod', reason: 'MISSING' }] });
    const out = await resourceTags.run(testContext(), params);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('does not exist');
  });

  it('rejects resource types that cannot be looked up', () => {
    const r = resourceTags.params.safeParse({ resource: { type: 'ec2-teapot', name: 'x' }, tags: {} });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('must be one of');
  });
});
