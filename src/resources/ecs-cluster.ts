/**
 * `ecs-cluster`: an ECS cluster; only an ACTIVE one counts as existing. Removing it removes what
 * lives inside: every service (the learner's too), standalone tasks, and container instances.
 */
import type { Cluster, ECS } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { activeServices, allClusterArns, deleteServiceForce } from './ecs-service.js';
import { allPages, assertLabOwned, chunk, ignoreNotFound, retryOnCodes } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { defineResourceKind, isLabTagged, lowerTags, tagMap, tagsFor } from './types.js';

const schema = z.strictObject({
  type: z.literal('ecs-cluster'),
  name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'a cluster name: letters, digits, - and _').describe('Cluster name, e.g. lab-prod.'),
  settings: z
    .strictObject({
      containerInsights: z.enum(['enabled', 'disabled', 'enhanced']).optional().describe('CloudWatch Container Insights.'),
    })
    .optional()
    .describe('Cluster settings.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags, e.g. environment: prod.'),
});

/** What DeleteCluster answers while services drain or tasks stop; on AWS they clear within minutes. */
const STILL_BUSY = ['ClusterContainsServicesException', 'ClusterContainsTasksException', 'ClusterContainsContainerInstancesException', 'UpdateInProgressException'];

const arnOf = (ctx: ResourceContext, name: string) => `arn:aws:ecs:${ctx.region}:${ctx.account}:cluster/${name}`;

/** An ACTIVE cluster by name or ARN, with tags, or null. */
async function activeCluster(ecs: ECS, cluster: string): Promise<Cluster | null> {
  const out = await ecs.describeClusters({ clusters: [cluster], include: ['TAGS'] });
  const c = out.clusters?.[0];
  return c?.status === 'ACTIVE' ? c : null;
}

export const ecsCluster = defineResourceKind({
  type: 'ecs-cluster',
  description: 'An ECS cluster.',
  schema,
  order: 50,
  async ensure(ctx, spec) {
    const ecs = await ctx.aws.ecs();
    const existing = await activeCluster(ecs, spec.name);
    if (existing) {
      assertLabOwned(`ECS cluster ${spec.name}`, tagMap(existing.tags));
      return { type: spec.type, name: spec.name, id: spec.name, arn: existing.clusterArn ?? arnOf(ctx, spec.name), status: 'found' };
    }
    const insights = spec.settings?.containerInsights;
    const out = await ecs.createCluster({
      clusterName: spec.name,
      tags: lowerTags(tagsFor(ctx, spec)),
      settings: insights ? [{ name: 'containerInsights', value: insights }] : undefined,
    });
    return { type: spec.type, name: spec.name, id: spec.name, arn: out.cluster?.clusterArn ?? arnOf(ctx, spec.name), status: 'created' };
  },
  async findLabTagged(ctx) {
    const ecs = await ctx.aws.ecs();
    const found: LabResource[] = [];
    for (const batch of chunk(await allClusterArns(ecs), 100)) {
      const out = await ecs.describeClusters({ clusters: batch, include: ['TAGS'] });
      for (const c of out.clusters ?? []) {
        const tags = tagMap(c.tags);
        if (c.status === 'ACTIVE' && isLabTagged(tags)) {
          found.push({ type: 'ecs-cluster', name: c.clusterName ?? '', id: c.clusterName ?? '', arn: c.clusterArn ?? '', tags });
        }
      }
    }
    return found;
  },
  async remove(ctx, resource) {
    const ecs = await ctx.aws.ecs();
    const cluster = resource.name;
    const removed: string[] = [];
    if (!(await activeCluster(ecs, cluster))) return removed;
    for (const s of await activeServices(ecs, cluster)) {
      await deleteServiceForce(ecs, cluster, s.serviceName ?? '');
      removed.push(`service ${s.serviceName} in cluster ${cluster}`);
    }
    // Tasks started outside a service (RunTask) keep a cluster from being deleted.
    const tasks = await allPages((nextToken) => ecs.listTasks({ cluster, desiredStatus: 'RUNNING', nextToken }), (p) => p.taskArns, (p) => p.nextToken);
    for (const task of tasks) {
      await ignoreNotFound(() => ecs.stopTask({ cluster, task, reason: 'ecs-lab reset' }));
      removed.push(`task ${task.slice(task.lastIndexOf('/') + 1)} in cluster ${cluster} (stopped)`);
    }
    const instances = await allPages((nextToken) => ecs.listContainerInstances({ cluster, nextToken }), (p) => p.containerInstanceArns, (p) => p.nextToken);
    for (const containerInstance of instances) {
      await ignoreNotFound(() => ecs.deregisterContainerInstance({ cluster, containerInstance, force: true }));
      removed.push(`container instance ${containerInstance.slice(containerInstance.lastIndexOf('/') + 1)} (deregistered)`);
    }
    await ignoreNotFound(() => retryOnCodes(STILL_BUSY, () => ecs.deleteCluster({ cluster })));
    removed.push(`cluster ${cluster}`);
    return removed;
  },
  async lookup(ctx, name) {
    const ecs = await ctx.aws.ecs();
    const c = await activeCluster(ecs, name);
    return c ? { arn: c.clusterArn ?? arnOf(ctx, name), id: c.clusterName ?? name, tags: tagMap(c.tags) } : null;
  },
});
