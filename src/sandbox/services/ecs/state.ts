/**
 * ECS state for one account and region: SDK-shaped records keyed by name or id, plus the
 * lookups every handler shares (identifier or ARN -> record, ARNs, tag helpers).
 */
import type { CapacityProvider, Cluster, ContainerInstance, DeploymentConfiguration, Service, ServiceDeploymentStatus, ServiceRevision, Tag, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { asDictionaries, withMaps } from '../dictionary.js';
import type { RequestContext } from '../types.js';
import { EcsErrors } from './errors.js';

/** A registered revision and its tags (tags are returned beside, not inside, a TaskDefinition). */
export interface TaskDefinitionRecord {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

/** A container instance and the cluster it is registered in. */
export interface ContainerInstanceRecord {
  clusterName: string;
  instance: ContainerInstance;
}

/**
 * One service deployment and the service revision it deployed. In the sandbox every deployment
 * creates exactly one revision (there are no rollbacks, which reuse a revision), so the two are
 * kept together; the revision's container images are read from its task definition when
 * described (revisions of a task definition never change, and registered ones are never removed).
 */
export interface ServiceDeploymentRecord {
  /** `service-deployment/<cluster>/<service>/<id>`. */
  id: string;
  /** `service-revision/<cluster>/<service>/<revision>`: the digits of the ECS deployment id `ecs-svc/<digits>`. */
  revision: string;
  /** The revisions this deployment replaced (none for the service's first). */
  sources: string[];
  createdAt: Date;
  status: ServiceDeploymentStatus;
  deploymentConfiguration: DeploymentConfiguration | undefined;
  /** Task counts of the target revision when the deployment finished. */
  requestedTaskCount: number;
  runningTaskCount: number;
  /** The workload configuration deployed. */
  config: Pick<ServiceRevision, 'taskDefinition' | 'launchType' | 'capacityProviderStrategy' | 'platformVersion' | 'platformFamily' | 'networkConfiguration' | 'loadBalancers' | 'serviceRegistries'>;
}

/** ECS state of one account and region. */
export interface EcsState {
  /** By cluster name (INACTIVE clusters stay visible to Describe, as in AWS). */
  clusters: Record<string, Cluster>;
  /** By family; index = revision - 1. */
  taskDefinitions: Record<string, TaskDefinitionRecord[]>;
  /** By `<cluster>/<service>`. */
  services: Record<string, Service>;
  /** By task id. */
  tasks: Record<string, Task>;
  capacityProviders: Record<string, CapacityProvider>;
  /** By container instance id. */
  containerInstances: Record<string, ContainerInstanceRecord>;
  /** principal ARN (the root ARN holds account defaults) -> setting name -> value. */
  settings: Record<string, Record<string, string>>;
  /**
   * By `<cluster>/<service>`, oldest first (handlers/service-deployments.ts). Absent in state saved before
   * service deployments existed: read through {@link ecsHistoryState}.
   */
  serviceDeployments?: Record<string, ServiceDeploymentRecord[]>;
  /** Task id -> when its scale-in protection expires (absent: not protected). Absent in older state, as above. */
  taskProtection?: Record<string, Date>;
}

/** ECS state with the maps that newer sandboxes added. */
export type EcsHistoryState = EcsState & Required<Pick<EcsState, 'serviceDeployments' | 'taskProtection'>>;

/** The ECS state of the request's account and region. */
export function ecsState(ctx: RequestContext): EcsState {
  return asDictionaries(ecsStateRaw(ctx), ECS_MAPS);
}

const ECS_MAPS = ['clusters', 'taskDefinitions', 'services', 'tasks', 'capacityProviders', 'containerInstances', 'settings'] as const;
const HISTORY_MAPS = ['serviceDeployments', 'taskProtection'] as const;

/**
 * The ECS state with the service deployment and task protection maps, added (empty) to state an
 * older sandbox saved. Only the operations that use them pay for the check; DescribeServices and
 * RegisterTaskDefinition, the hot paths, use {@link ecsState}.
 */
export function ecsHistoryState(ctx: RequestContext): EcsHistoryState {
  return asDictionaries(withMaps(ctx, ecsState(ctx), HISTORY_MAPS), HISTORY_MAPS) as EcsHistoryState;
}

function ecsStateRaw(ctx: RequestContext): EcsState {
  return ctx.state<EcsState>('ecs', () => ({
    clusters: {},
    taskDefinitions: {},
    services: {},
    tasks: {},
    capacityProviders: {},
    containerInstances: {},
    settings: {},
    serviceDeployments: {},
    taskProtection: {},
  }));
}

/** The running tasks placed on a container instance (undefined: those placed on none). */
export function runningTasksOn(state: EcsState, containerInstanceArn: string | undefined): Task[] {
  return Object.values(state.tasks).filter((t) => t.containerInstanceArn === containerInstanceArn && t.lastStatus === 'RUNNING');
}

/** `arn:aws:ecs:<region>:<account>:<resource>`. */
export function ecsArn(ctx: RequestContext, resource: string): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.account}:${resource}`;
}

/** The last path segment(s) after `<type>/` in an ECS ARN, or the identifier itself. */
export function nameFromArn(identifier: string, type: string): string {
  if (!identifier.startsWith('arn:')) return identifier;
  const resource = identifier.split(':').slice(5).join(':');
  return resource.startsWith(`${type}/`) ? resource.slice(type.length + 1) : resource;
}

/** The cluster named (or ARN'd) by `identifier` (default: `default`), ACTIVE or not. */
export function findCluster(state: EcsState, identifier: string | undefined): Cluster | undefined {
  return state.clusters[nameFromArn(identifier ?? 'default', 'cluster')];
}

/** An ACTIVE cluster, or ClusterNotFoundException. */
export function activeCluster(state: EcsState, identifier: string | undefined): Cluster {
  const cluster = findCluster(state, identifier);
  if (!cluster || cluster.status !== 'ACTIVE') throw EcsErrors.clusterNotFound();
  return cluster;
}

/** Service key from a service name or ARN (`service/<cluster>/<name>` or the old `service/<name>`). */
export function serviceKey(clusterName: string, identifier: string): string {
  const name = nameFromArn(identifier, 'service').split('/').pop() ?? identifier;
  return `${clusterName}/${name}`;
}

/** A service record in a cluster, any status. */
export function findService(state: EcsState, clusterName: string, identifier: string): Service | undefined {
  return state.services[serviceKey(clusterName, identifier)];
}

/** Parses `family`, `family:revision` or a task definition ARN. */
export function parseTaskDefinitionId(identifier: string): { family: string; revision: number | undefined } {
  const body = nameFromArn(identifier, 'task-definition');
  const colon = body.lastIndexOf(':');
  if (colon < 0) return { family: body, revision: undefined };
  const revision = Number(body.slice(colon + 1));
  return { family: body.slice(0, colon), revision: Number.isInteger(revision) && revision > 0 ? revision : Number.NaN };
}

/**
 * Resolves a task definition: `family` means its latest ACTIVE revision.
 * @returns undefined when there is no such revision.
 */
export function findTaskDefinition(state: EcsState, identifier: string): TaskDefinitionRecord | undefined {
  const { family, revision } = parseTaskDefinitionId(identifier);
  const revisions = state.taskDefinitions[family];
  if (!revisions) return undefined;
  if (revision === undefined) {
    return [...revisions].reverse().find((r) => r.taskDefinition.status === 'ACTIVE');
  }
  return Number.isNaN(revision) ? undefined : revisions[revision - 1];
}

/** Validates and normalises a tag list (ECS rules: at most 50, `aws:` reserved). */
export function checkTags(tags: readonly Tag[] | undefined): Tag[] {
  const list = [...(tags ?? [])];
  if (list.length > 50) throw EcsErrors.invalidParameter('Too many tags specified. Maximum of 50 allowed.');
  for (const tag of list) {
    if (!tag.key) throw EcsErrors.invalidParameter('Tag key cannot be null or empty.');
    if (tag.key.toLowerCase().startsWith('aws:')) throw EcsErrors.invalidParameter('Tag keys cannot start with the prefix aws:');
  }
  return list.map((t) => ({ key: t.key, value: t.value ?? '' }));
}

/** Merges `add` into `existing` by key. */
export function mergeTags(existing: readonly Tag[] | undefined, add: readonly Tag[]): Tag[] {
  const map = new Map((existing ?? []).map((t) => [t.key!, t.value ?? '']));
  for (const t of add) map.set(t.key!, t.value ?? '');
  return [...map].map(([key, value]) => ({ key, value }));
}


