/** ECS clusters: create, describe, list, delete, settings, capacity provider associations. */
import type { Cluster, ClusterSetting, CreateClusterRequest, ECS, Failure } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { paginate } from '../../paging.js';
import { ensureLinkedRole } from '../../iam/service-linked.js';
import { EcsErrors } from '../errors.js';
import type { EcsState } from '../state.js';
import { activeCluster, checkTags, ecsArn, ecsState, findCluster, nameFromArn } from '../state.js';
import { outputOf } from '../../clone.js';
import { effectiveSetting } from './account-settings.js';
import { checkStrategy } from './capacity-providers.js';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

function checkSettings(settings: readonly ClusterSetting[] | undefined): ClusterSetting[] | undefined {
  if (!settings) return undefined;
  for (const s of settings) {
    if (s.name !== 'containerInsights') throw EcsErrors.invalidParameter(`Invalid cluster setting name: ${String(s.name)}`);
    if (!['enabled', 'disabled', 'enhanced'].includes(s.value ?? '')) {
      throw EcsErrors.invalidParameter(`Invalid value for containerInsights: ${String(s.value)}. Valid values are enabled, disabled, enhanced.`);
    }
  }
  return settings.map((s) => ({ name: s.name, value: s.value }));
}

/** A cluster as Describe shows it: live counts; tags and settings only when asked for. */
export function presentCluster(ctx: RequestContext, state: EcsState, cluster: Cluster, include: readonly string[] = ['TAGS', 'SETTINGS']): Cluster {
  const name = cluster.clusterName!;
  const out = outputOf(ctx, cluster);
  out.activeServicesCount = Object.values(state.services).filter((s) => s.clusterArn === cluster.clusterArn && s.status === 'ACTIVE').length;
  out.runningTasksCount = Object.values(state.tasks).filter((t) => t.clusterArn === cluster.clusterArn && t.lastStatus === 'RUNNING').length;
  out.pendingTasksCount = 0;
  out.registeredContainerInstancesCount = Object.values(state.containerInstances).filter(
    (r) => r.clusterName === name && r.instance.status !== 'INACTIVE',
  ).length;
  out.statistics = include.includes('STATISTICS') ? statistics(state, cluster) : [];
  if (!include.includes('TAGS')) delete out.tags;
  if (!include.includes('SETTINGS')) delete out.settings;
  if (!include.includes('CONFIGURATIONS')) delete out.configuration;
  if (!include.includes('ATTACHMENTS')) delete out.attachments;
  return out;
}

/** The eight counters `--include STATISTICS` returns (EXTERNAL work counts in none). */
const STATISTICS = [
  'runningEC2TasksCount',
  'runningFargateTasksCount',
  'pendingEC2TasksCount',
  'pendingFargateTasksCount',
  'activeEC2ServiceCount',
  'activeFargateServiceCount',
  'drainingEC2ServiceCount',
  'drainingFargateServiceCount',
] as const;

/** Fargate or EC2 by launch type; without one, by the capacity providers used. */
function kindOf(launchType: string | undefined, providers: readonly (string | undefined)[]): 'EC2' | 'Fargate' | undefined {
  if (launchType === 'EXTERNAL') return undefined;
  if (launchType === 'FARGATE' || (!launchType && providers.some((p) => FARGATE_PROVIDERS.includes(p ?? '')))) return 'Fargate';
  return 'EC2';
}

function statistics(state: EcsState, cluster: Cluster): { name: string; value: string }[] {
  const counts = new Map<string, number>(STATISTICS.map((name) => [name, 0]));
  const bump = (name: string) => counts.set(name, counts.get(name)! + 1);
  for (const t of Object.values(state.tasks)) {
    const kind = t.clusterArn === cluster.clusterArn ? kindOf(t.launchType, [t.capacityProviderName]) : undefined;
    if (kind && t.lastStatus === 'RUNNING') bump(`running${kind}TasksCount`);
    else if (kind && (t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING')) bump(`pending${kind}TasksCount`);
  }
  for (const s of Object.values(state.services)) {
    const kind = s.clusterArn === cluster.clusterArn ? kindOf(s.launchType, (s.capacityProviderStrategy ?? []).map((i) => i.capacityProvider)) : undefined;
    if (kind && s.status === 'ACTIVE') bump(`active${kind}ServiceCount`);
    else if (kind && s.status === 'DRAINING') bump(`draining${kind}ServiceCount`);
  }
  return [...counts].map(([name, value]) => ({ name, value: String(value) }));
}

function createCluster(ctx: RequestContext, state: EcsState, input: CreateClusterRequest): Cluster {
  const name = input.clusterName ?? 'default';
  if (!NAME.test(name)) {
    throw EcsErrors.invalidParameter('Cluster name can have up to 255 characters: letters (upper and lowercase), numbers, hyphens, and underscores.');
  }
  const existing = state.clusters[name];
  if (existing?.status === 'ACTIVE') return existing;
  for (const provider of input.capacityProviders ?? []) checkStrategy(state, [{ capacityProvider: provider }], undefined);
  checkStrategy(state, input.defaultCapacityProviderStrategy, input.capacityProviders);
  const cluster: Cluster = {
    clusterArn: ecsArn(ctx, `cluster/${name}`),
    clusterName: name,
    status: 'ACTIVE',
    tags: checkTags(input.tags),
    // Without settings, the containerInsights account setting decides (PutAccountSetting).
    settings: checkSettings(input.settings) ?? [{ name: 'containerInsights', value: effectiveSetting(ctx, state, ctx.principal.arn, 'containerInsights').value as ClusterSetting['value'] }],
    configuration: input.configuration,
    capacityProviders: input.capacityProviders ?? [],
    defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
    attachments: [],
    serviceConnectDefaults: input.serviceConnectDefaults?.namespace ? { namespace: input.serviceConnectDefaults.namespace } : undefined,
  };
  state.clusters[name] = cluster;
  // ECS creates its service-linked role with the account's first cluster.
  ensureLinkedRole(ctx, 'ecs.amazonaws.com');
  return cluster;
}

/** Cluster operations. */
export const clusterHandlers: HandlerMap<ECS> = {
  CreateCluster(input, ctx) {
    const state = ecsState(ctx);
    return { cluster: presentCluster(ctx, state, createCluster(ctx, state, input)) };
  },

  DescribeClusters(input, ctx) {
    const state = ecsState(ctx);
    const ids = input.clusters && input.clusters.length > 0 ? input.clusters : ['default'];
    if (ids.length > 100) throw EcsErrors.invalidParameter('clusters can have at most 100 items.');
    const clusters: Cluster[] = [];
    const failures: Failure[] = [];
    for (const id of ids) {
      const cluster = findCluster(state, id);
      if (cluster) clusters.push(presentCluster(ctx, state, cluster, input.include ?? []));
      else failures.push({ arn: id.startsWith('arn:') ? id : ecsArn(ctx, `cluster/${id}`), reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  ListClusters(input, ctx) {
    const state = ecsState(ctx);
    const arns = Object.values(state.clusters)
      .filter((c) => c.status === 'ACTIVE')
      .map((c) => c.clusterArn!)
      .sort();
    const page = paginate(arns, input.nextToken, input.maxResults, 100, EcsErrors.invalidToken);
    return { clusterArns: page.items, nextToken: page.nextToken };
  },

  DeleteCluster(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const name = cluster.clusterName!;
    if (Object.values(state.services).some((s) => s.clusterArn === cluster.clusterArn && s.status !== 'INACTIVE')) {
      throw EcsErrors.clusterContainsServices();
    }
    if (Object.values(state.tasks).some((t) => t.clusterArn === cluster.clusterArn && t.lastStatus !== 'STOPPED')) {
      throw EcsErrors.clusterContainsTasks();
    }
    if (Object.values(state.containerInstances).some((r) => r.clusterName === name && r.instance.status !== 'INACTIVE')) {
      throw EcsErrors.clusterContainsInstances();
    }
    cluster.status = 'INACTIVE';
    cluster.capacityProviders = [];
    cluster.defaultCapacityProviderStrategy = [];
    return { cluster: presentCluster(ctx, state, cluster) };
  },

  UpdateClusterSettings(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const settings = checkSettings(input.settings) ?? [];
    const merged = new Map((cluster.settings ?? []).map((s) => [s.name, s.value]));
    for (const s of settings) merged.set(s.name, s.value);
    cluster.settings = [...merged].map(([name, value]) => ({ name, value }));
    return { cluster: presentCluster(ctx, state, cluster) };
  },

  UpdateCluster(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    if (input.settings) {
      const merged = new Map((cluster.settings ?? []).map((s) => [s.name, s.value]));
      for (const s of checkSettings(input.settings) ?? []) merged.set(s.name, s.value);
      cluster.settings = [...merged].map(([name, value]) => ({ name, value }));
    }
    if (input.configuration) cluster.configuration = input.configuration;
    if (input.serviceConnectDefaults?.namespace) cluster.serviceConnectDefaults = { namespace: input.serviceConnectDefaults.namespace };
    return { cluster: presentCluster(ctx, state, cluster) };
  },

  PutClusterCapacityProviders(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const names = (input.capacityProviders ?? []).map((p) => nameFromArn(p, 'capacity-provider'));
    for (const name of names) checkStrategy(state, [{ capacityProvider: name }], undefined);
    checkStrategy(state, input.defaultCapacityProviderStrategy, names);
    const removed = (cluster.capacityProviders ?? []).filter((p) => !names.includes(p));
    const inUse = Object.values(state.services).find(
      (s) => s.clusterArn === cluster.clusterArn && s.status === 'ACTIVE' && (s.capacityProviderStrategy ?? []).some((i) => removed.includes(i.capacityProvider!)),
    );
    if (inUse) {
      throw EcsErrors.resourceInUse(`The specified capacity provider is in use by service ${inUse.serviceName} and cannot be removed.`);
    }
    cluster.capacityProviders = names;
    cluster.defaultCapacityProviderStrategy = input.defaultCapacityProviderStrategy ?? [];
    return { cluster: presentCluster(ctx, state, cluster) };
  },
};
