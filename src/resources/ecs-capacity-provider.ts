/**
 * `ecs-capacity-provider`: an Auto Scaling group capacity provider, attached to its cluster with
 * PutClusterCapacityProviders (keeping the cluster's other providers and default strategy).
 * Removing it first detaches it from every lab cluster, deleting the services of that cluster
 * that still place tasks with it (they live in a lab cluster and cannot run without it); a
 * provider attached to a cluster the lab does not manage is left for the learner to detach.
 */
import type { CapacityProvider, Cluster, ECS } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { groupArnByName } from './autoscaling-group.js';
import { activeServices, allClusterArns, deleteServiceForce } from './ecs-service.js';
import { assertLabOwned, chunk, ignoreNotFound } from './helpers.js';
import type { LabResource } from './types.js';
import { defineResourceKind, errorCode, isLabTagged, lowerTags, tagMap, tagsFor } from './types.js';

const onOff = z.enum(['ENABLED', 'DISABLED']);

const schema = z.strictObject({
  type: z.literal('ecs-capacity-provider'),
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,255}$/, 'a capacity provider name: letters, digits, - and _')
    .refine((n) => !/^(aws|ecs|fargate)/i.test(n), 'a capacity provider name may not start with aws, ecs or fargate')
    .describe('Capacity provider name, e.g. lab-ecs-hosts.'),
  autoScalingGroup: z.string().min(1).describe('Name of the Auto Scaling group (an autoscaling-group kind) it manages.'),
  cluster: z.string().min(1).describe('Cluster it is attached to (PutClusterCapacityProviders, keeping existing providers).'),
  managedScaling: z
    .strictObject({
      status: onOff.describe('Whether ECS scales the group to the tasks it has to place.'),
      targetCapacity: z.number().int().min(1).max(100).optional().describe('Target utilisation of the group, in percent.'),
    })
    .optional()
    .describe('Managed scaling (AWS default: DISABLED).'),
  managedTerminationProtection: onOff.optional().describe('Whether ECS keeps instances with tasks from being terminated on scale-in (needs managed scaling; AWS default: DISABLED).'),
  managedDraining: onOff.optional().describe('Whether ECS drains an instance before Auto Scaling terminates it (AWS default for new providers: ENABLED).'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

/** An ACTIVE capacity provider by name, with its tags, or null. */
async function activeProvider(ecs: ECS, name: string): Promise<CapacityProvider | null> {
  const out = await ecs.describeCapacityProviders({ capacityProviders: [name], include: ['TAGS'] });
  const p = out.capacityProviders?.find((c) => c.name === name);
  return p?.status === 'ACTIVE' ? p : null;
}

async function activeCluster(ecs: ECS, name: string): Promise<Cluster | null> {
  const out = await ecs.describeClusters({ clusters: [name], include: ['TAGS'] });
  const c = out.clusters?.[0];
  return c?.status === 'ACTIVE' ? c : null;
}

/** Adds the provider to the cluster's providers unless it is there; true when it attached it. */
async function attach(ecs: ECS, clusterName: string, provider: string): Promise<boolean> {
  const cluster = await activeCluster(ecs, clusterName);
  if (!cluster) throw new Error(`ECS cluster ${clusterName} does not exist; declare it before the capacity provider.`);
  const current = cluster.capacityProviders ?? [];
  if (current.includes(provider)) return false;
  await ecs.putClusterCapacityProviders({
    cluster: clusterName,
    capacityProviders: [...current, provider],
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy ?? [],
  });
  return true;
}

const providerIn = (item: { capacityProvider?: string }, name: string) => item.capacityProvider === name;

/** Detaches the provider from one lab cluster, deleting the cluster's services that still use it. */
async function detach(ecs: ECS, cluster: Cluster, provider: string, removed: string[]): Promise<void> {
  const clusterName = cluster.clusterName ?? '';
  for (const s of await activeServices(ecs, clusterName)) {
    if ((s.capacityProviderStrategy ?? []).some((i) => providerIn(i, provider))) {
      await deleteServiceForce(ecs, clusterName, s.serviceName ?? '');
      removed.push(`service ${s.serviceName} in cluster ${clusterName} (placed its tasks with capacity provider ${provider})`);
    }
  }
  await ecs.putClusterCapacityProviders({
    cluster: clusterName,
    capacityProviders: (cluster.capacityProviders ?? []).filter((p) => p !== provider),
    defaultCapacityProviderStrategy: (cluster.defaultCapacityProviderStrategy ?? []).filter((i) => !providerIn(i, provider)),
  });
  removed.push(`capacity provider ${provider} detached from cluster ${clusterName}`);
}

function labResource(p: CapacityProvider): LabResource {
  const name = p.name ?? '';
  return { type: 'ecs-capacity-provider', name, id: name, arn: p.capacityProviderArn ?? '', tags: tagMap(p.tags) };
}

export const ecsCapacityProvider = defineResourceKind({
  type: 'ecs-capacity-provider',
  description: 'An ECS capacity provider for a lab Auto Scaling group, attached to a cluster.',
  schema,
  order: 55,
  async ensure(ctx, spec) {
    const ecs = await ctx.aws.ecs();
    const existing = await activeProvider(ecs, spec.name);
    if (existing) {
      assertLabOwned(`ECS capacity provider ${spec.name}`, tagMap(existing.tags));
      // An attachment a reset or the learner removed is restored; the provider itself is left as found.
      await attach(ecs, spec.cluster, spec.name);
      return { type: spec.type, name: spec.name, id: spec.name, arn: existing.capacityProviderArn ?? '', status: 'found' };
    }
    const out = await ecs.createCapacityProvider({
      name: spec.name,
      autoScalingGroupProvider: {
        autoScalingGroupArn: await groupArnByName(ctx, spec.autoScalingGroup),
        managedScaling: spec.managedScaling,
        managedTerminationProtection: spec.managedTerminationProtection,
        managedDraining: spec.managedDraining,
      },
      tags: lowerTags(tagsFor(ctx, spec)),
    });
    await attach(ecs, spec.cluster, spec.name);
    return { type: spec.type, name: spec.name, id: spec.name, arn: out.capacityProvider?.capacityProviderArn ?? '', status: 'created' };
  },
  async findLabTagged(ctx) {
    const ecs = await ctx.aws.ecs();
    const found: LabResource[] = [];
    const keep = (providers: CapacityProvider[] | undefined) => {
      for (const p of providers ?? []) if (p.status === 'ACTIVE' && isLabTagged(tagMap(p.tags))) found.push(labResource(p));
    };
    let nextToken: string | undefined;
    try {
      do {
        const page = await ecs.describeCapacityProviders({ include: ['TAGS'], nextToken });
        keep(page.capacityProviders);
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (err) {
      // moto 5.2 answers HTTP 500 to a DescribeCapacityProviders without names; asking by the
      // names the clusters use still works there, and finds every provider the lab attached.
      if (errorCode(err) !== 'InvalidResponse') throw err;
      const names = new Set<string>();
      for (const batch of chunk(await allClusterArns(ecs), 100)) {
        const out = await ecs.describeClusters({ clusters: batch });
        for (const c of out.clusters ?? []) for (const n of c.capacityProviders ?? []) if (!n.startsWith('FARGATE')) names.add(n);
      }
      for (const batch of chunk([...names], 10)) keep((await ecs.describeCapacityProviders({ capacityProviders: batch, include: ['TAGS'] })).capacityProviders);
    }
    return found;
  },
  async remove(ctx, resource) {
    const ecs = await ctx.aws.ecs();
    if (!(await activeProvider(ecs, resource.name))) return [];
    const removed: string[] = [];
    const foreign: string[] = [];
    for (const batch of chunk(await allClusterArns(ecs), 100)) {
      const out = await ecs.describeClusters({ clusters: batch, include: ['TAGS'] });
      for (const cluster of out.clusters ?? []) {
        if (cluster.status !== 'ACTIVE' || !(cluster.capacityProviders ?? []).includes(resource.name)) continue;
        if (isLabTagged(tagMap(cluster.tags))) await detach(ecs, cluster, resource.name, removed);
        else foreign.push(cluster.clusterName ?? '');
      }
    }
    if (foreign.length) {
      throw new Error(`capacity provider ${resource.name} is attached to cluster ${foreign.join(', ')}, which the lab does not manage; detach it there (aws ecs put-cluster-capacity-providers), then reset again.`);
    }
    await ignoreNotFound(() => ecs.deleteCapacityProvider({ capacityProvider: resource.name }));
    removed.push(`capacity provider ${resource.name}`);
    return removed;
  },
  async lookup(ctx, name) {
    const p = await activeProvider(await ctx.aws.ecs(), name);
    return p ? { id: name, arn: p.capacityProviderArn ?? '', tags: tagMap(p.tags) } : null;
  },
});
