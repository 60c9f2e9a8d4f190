import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ECSClient,
  ListClustersCommand,
  PutClusterCapacityProvidersCommand,
  UpdateClusterSettingsCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ecs: ECSClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ecs = new ECSClient(clientConfig(sandbox.url, '000000000011'));
});
afterAll(async () => {
  ecs.destroy();
  await sandbox.close();
});

describe('ECS clusters', () => {
  it('creates a cluster with tags and settings, and describes it only with the requested fields', async () => {
    const created = await ecs.send(
      new CreateClusterCommand({
        clusterName: 'lab-prod',
        tags: [{ key: 'environment', value: 'prod' }],
        settings: [{ name: 'containerInsights', value: 'enabled' }],
      }),
    );
    expect(created.cluster?.clusterArn).toBe('arn:aws:ecs:us-east-1:000000000011:cluster/lab-prod');
    expect(created.cluster?.status).toBe('ACTIVE');
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ['lab-prod'] }));
    expect(plain.clusters?.[0]?.tags).toBeUndefined();
    expect(plain.clusters?.[0]?.settings).toBeUndefined();

    const full = await ecs.send(new DescribeClustersCommand({ clusters: ['lab-prod', 'nope'], include: ['TAGS', 'SETTINGS'] }));
    expect(full.clusters?.[0]?.tags).toEqual([{ key: 'environment', value: 'prod' }]);
    expect(full.clusters?.[0]?.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
    expect(full.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000011:cluster/nope', reason: 'MISSING' }]);
  });

  it('is idempotent on create and lists active clusters with pagination', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'lab-dev' }));
    await ecs.send(new CreateClusterCommand({ clusterName: 'lab-dev' }));
    const first = await ecs.send(new ListClustersCommand({ maxResults: 1 }));
    expect(first.clusterArns).toHaveLength(1);
    expect(first.nextToken).toBeDefined();
    const second = await ecs.send(new ListClustersCommand({ nextToken: first.nextToken }));
    expect([...first.clusterArns!, ...second.clusterArns!].sort()).toEqual([
      'arn:aws:ecs:us-east-1:000000000011:cluster/lab-dev',
      'arn:aws:ecs:us-east-1:000000000011:cluster/lab-prod',
    ]);
  });

  it('rejects a bad pagination token and a bad cluster name', async () => {
    await expect(ecs.send(new ListClustersCommand({ nextToken: 'garbage!' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(ecs.send(new CreateClusterCommand({ clusterName: 'bad name' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('updates cluster settings', async () => {
    const out = await ecs.send(new UpdateClusterSettingsCommand({ cluster: 'lab-dev', settings: [{ name: 'containerInsights', value: 'enhanced' }] }));
    expect(out.cluster?.settings).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
    await expect(ecs.send(new UpdateClusterSettingsCommand({ cluster: 'ghost', settings: [] }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('associates built-in capacity providers and rejects unknown ones', async () => {
    const out = await ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'lab-dev',
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      }),
    );
    expect(out.cluster?.capacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
    await expect(
      ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'lab-dev', capacityProviders: ['nope'], defaultCapacityProviderStrategy: [] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('deletes a cluster, which then shows INACTIVE and is no longer listed', async () => {
    const deleted = await ecs.send(new DeleteClusterCommand({ cluster: 'arn:aws:ecs:us-east-1:000000000011:cluster/lab-dev' }));
    expect(deleted.cluster?.status).toBe('INACTIVE');
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['lab-dev'] }));
    expect(described.clusters?.[0]?.status).toBe('INACTIVE');
    const listed = await ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).toEqual(['arn:aws:ecs:us-east-1:000000000011:cluster/lab-prod']);
    await expect(ecs.send(new DeleteClusterCommand({ cluster: 'lab-dev' }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
  });
});
