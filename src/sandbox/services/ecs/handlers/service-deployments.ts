/**
 * Service deployments and service revisions (ECS, October 2024): ListServiceDeployments,
 * DescribeServiceDeployments, DescribeServiceRevisions, and the history CreateService and
 * UpdateService write.
 *
 * - Every CreateService, and every UpdateService that starts a new deployment (task definition,
 *   network configuration, platform version, capacity provider strategy, forceNewDeployment),
 *   records one deployment with one new revision. The sandbox's deployments finish at once, so a
 *   deployment is SUCCESSFUL when recorded and the one before it, already SUCCESSFUL, stays so
 *   (AWS stops only a deployment still in progress); its revision becomes the new one's source.
 * - At most {@link MAX_DEPLOYMENTS_PER_SERVICE} deployments are kept per service, oldest dropped
 *   first (AWS keeps 90 days). A dropped deployment's revision is MISSING to DescribeServiceRevisions.
 * - DeleteService forgets the service's history: "Amazon ECS deletes the service revision when you
 *   delete a service" (developer guide, service-revision.html). ListServiceDeployments on the
 *   deleted (INACTIVE) service then lists nothing; its ARNs are MISSING to the Describe calls.
 * - A service saved by an older sandbox has no history: while it is ACTIVE it shows one
 *   SUCCESSFUL deployment synthesised from its PRIMARY deployment, with ids derived from that
 *   deployment's id so that they stay the same, and its next deployment stores that entry first.
 * - Service revisions omit `imageDigest` (the sandbox resolves no images).
 */
import type { Deployment, DeploymentConfiguration, ECS, Failure, Service, ServiceDeployment, ServiceDeploymentBrief, ServiceRevision } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { clonePlain } from '../../clone.js';
import { paginate } from '../../paging.js';
import { EcsErrors } from '../errors.js';
import type { EcsHistoryState, EcsState, ServiceDeploymentRecord } from '../state.js';
import { activeCluster, ecsArn, ecsHistoryState, findService, findTaskDefinition } from '../state.js';

/** Deployments kept per service (the sandbox's bound; AWS keeps 90 days of them). */
export const MAX_DEPLOYMENTS_PER_SERVICE = 50;

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A service deployment id: 21 letters and digits, as in `service-deployment/<cluster>/<service>/ejGvqq2ilnbKT9qj0vLJe`. */
function serviceDeploymentId(): string {
  let id = '';
  for (let i = 0; i < 21; i++) id += ID_CHARS[Math.floor(Math.random() * ID_CHARS.length)];
  return id;
}

/**
 * The revision id of an ECS deployment: the digits of `ecs-svc/<digits>` (revision ARNs in the
 * AWS CLI examples end in 19 digits, as deployment ids do; that they are the same number is the
 * sandbox's choice).
 */
function revisionIdOf(deployment: Deployment): string {
  return (deployment.id ?? '').replace(/^ecs-svc\//, '');
}

/** `<cluster>/<service>` of a service record. */
function pathOf(service: Service): string {
  return `${service.clusterArn!.split('/').pop()}/${service.serviceName}`;
}

/** The entry a deployment of `service` records: its workload configuration as `primary` runs it. */
function entryFor(service: Service, primary: Deployment, id: string, sources: string[]): ServiceDeploymentRecord {
  return {
    id,
    revision: revisionIdOf(primary),
    sources,
    createdAt: primary.createdAt!,
    status: 'SUCCESSFUL',
    deploymentConfiguration: clonePlain(service.deploymentConfiguration),
    requestedTaskCount: service.desiredCount ?? 0,
    runningTaskCount: service.runningCount ?? 0,
    config: clonePlain({
      taskDefinition: primary.taskDefinition,
      launchType: primary.launchType,
      capacityProviderStrategy: primary.capacityProviderStrategy,
      // The CLI example shows the version Fargate runs (1.4.0), as tasks do for LATEST.
      platformVersion: primary.platformVersion === 'LATEST' ? '1.4.0' : primary.platformVersion,
      platformFamily: primary.platformFamily,
      networkConfiguration: primary.networkConfiguration,
      loadBalancers: service.loadBalancers?.length ? service.loadBalancers : undefined,
      serviceRegistries: service.serviceRegistries?.length ? service.serviceRegistries : undefined,
    }),
  };
}

/** The history of a service saved by an older sandbox: its PRIMARY deployment, finished. */
function legacyHistory(service: Service, primary: Deployment | undefined): ServiceDeploymentRecord[] {
  if (!primary?.id || !primary.createdAt) return [];
  return [entryFor(service, primary, revisionIdOf(primary), [])];
}

/** A service's deployments, oldest first (synthesised for an ACTIVE service an older sandbox saved). */
function historyOf(state: EcsState, service: Service): readonly ServiceDeploymentRecord[] {
  const stored = state.serviceDeployments?.[pathOf(service)];
  if (stored) return stored;
  return service.status === 'ACTIVE' ? legacyHistory(service, service.deployments?.[0]) : [];
}

/**
 * Records the deployment CreateService or UpdateService has just finished (the service's PRIMARY
 * deployment) and points the service at it.
 * @param replaced the PRIMARY deployment before an update (undefined for a new service): the
 * source of a history an older sandbox did not keep.
 */
export function recordDeployment(ctx: RequestContext, state: EcsHistoryState, service: Service, replaced: Deployment | undefined): void {
  const path = pathOf(service);
  const primary = service.deployments![0]!;
  const stored = state.serviceDeployments[path] ?? legacyHistory(service, replaced);
  const previous = stored[stored.length - 1];
  const entry = entryFor(service, primary, serviceDeploymentId(), previous ? [previous.revision] : []);
  if (!state.serviceDeployments[path] || stored.length >= MAX_DEPLOYMENTS_PER_SERVICE) {
    state.serviceDeployments[path] = [...stored.slice(-(MAX_DEPLOYMENTS_PER_SERVICE - 1)), entry];
  } else {
    // Appending marks one element (and the length) for persistence, not the whole list.
    stored.push(entry);
  }
  service.currentServiceDeployment = ecsArn(ctx, `service-deployment/${path}/${entry.id}`);
  service.currentServiceRevisions = [
    { arn: ecsArn(ctx, `service-revision/${path}/${entry.revision}`), requestedTaskCount: entry.requestedTaskCount, runningTaskCount: entry.runningTaskCount, pendingTaskCount: 0 },
  ];
}

/** Forgets a deleted service's deployments and revisions, as AWS does. */
export function forgetDeployments(state: EcsHistoryState, service: Service): void {
  delete state.serviceDeployments[pathOf(service)];
}

/** The live counts of a service's current revision, when it has one (reconcileService). */
export function updateCurrentRevisionCounts(service: Service): void {
  const current = service.currentServiceRevisions?.[0];
  if (!current) return;
  current.requestedTaskCount = service.desiredCount ?? 0;
  current.runningTaskCount = service.runningCount ?? 0;
  current.pendingTaskCount = service.pendingCount ?? 0;
}

/** A service deployment or revision ARN of this account and Region, split; undefined when it is not one. */
function parseArn(ctx: RequestContext, arn: string, type: 'service-deployment' | 'service-revision'): { cluster: string; service: string; id: string } | undefined {
  const prefix = ecsArn(ctx, `${type}/`);
  if (!arn.startsWith(prefix)) return undefined;
  const parts = arn.slice(prefix.length).split('/');
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  return { cluster: parts[0]!, service: parts[1]!, id: parts[2]! };
}

/** Looks up each ARN; the ones not found become MISSING failures (as for a revision created before October 25, 2024 in AWS). */
function describeEach<T>(
  ctx: RequestContext,
  state: EcsState,
  arns: readonly string[] | undefined,
  member: string,
  type: 'service-deployment' | 'service-revision',
  find: (service: Service, history: readonly ServiceDeploymentRecord[], id: string) => T | undefined,
): { found: T[]; failures: Failure[] } {
  const list = arns ?? [];
  if (list.length === 0) throw EcsErrors.missing(member);
  if (list.length > 20) throw EcsErrors.invalidParameter(`${member} can have at most 20 items.`);
  const found: T[] = [];
  const failures: Failure[] = [];
  for (const arn of list) {
    const parsed = parseArn(ctx, arn, type);
    const service = parsed ? findService(state, parsed.cluster, parsed.service) : undefined;
    const item = parsed && service ? find(service, historyOf(state, service), parsed.id) : undefined;
    if (item) found.push(item);
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { found, failures };
}

function revisionSummary(ctx: RequestContext, path: string, revision: string, counts: { requested: number; running: number }) {
  return { arn: ecsArn(ctx, `service-revision/${path}/${revision}`), requestedTaskCount: counts.requested, runningTaskCount: counts.running, pendingTaskCount: 0 };
}

/** The deployment circuit breaker and alarms as a finished deployment reports them (threshold: 0.5 x desired, 3 to 200). */
function monitors(config: DeploymentConfiguration | undefined, desired: number): Pick<ServiceDeployment, 'deploymentCircuitBreaker' | 'alarms'> {
  const breaker = config?.deploymentCircuitBreaker?.enable
    ? { status: 'MONITORING_COMPLETE' as const, failureCount: 0, threshold: Math.min(200, Math.max(3, Math.ceil(desired * 0.5))) }
    : { status: 'DISABLED' as const };
  const alarms = config?.alarms?.enable
    ? { status: 'MONITORING_COMPLETE' as const, alarmNames: [...(config.alarms.alarmNames ?? [])], triggeredAlarmNames: [] }
    : { status: 'DISABLED' as const };
  return { deploymentCircuitBreaker: breaker, alarms };
}

/** Service deployment operations. */
export const serviceDeploymentHandlers: HandlerMap<ECS> = {
  ListServiceDeployments(input, ctx) {
    const state = ecsHistoryState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const service = findService(state, cluster.clusterName!, input.service!);
    if (!service) throw EcsErrors.serviceNotFound();
    const path = pathOf(service);
    const statuses = input.status?.length ? new Set<string>(input.status) : undefined;
    const after = input.createdAt?.after?.getTime();
    const before = input.createdAt?.before?.getTime();
    const briefs: ServiceDeploymentBrief[] = [];
    const history = historyOf(state, service);
    // Newest first.
    for (let i = history.length - 1; i >= 0; i--) {
      const d = history[i]!;
      const created = d.createdAt.getTime();
      if (statuses && !statuses.has(d.status)) continue;
      if ((after !== undefined && created < after) || (before !== undefined && created > before)) continue;
      briefs.push({
        serviceDeploymentArn: ecsArn(ctx, `service-deployment/${path}/${d.id}`),
        serviceArn: service.serviceArn,
        clusterArn: service.clusterArn,
        startedAt: d.createdAt,
        createdAt: d.createdAt,
        finishedAt: d.createdAt,
        targetServiceRevisionArn: ecsArn(ctx, `service-revision/${path}/${d.revision}`),
        status: d.status,
      });
    }
    const page = paginate(briefs, input.nextToken, input.maxResults, 20, EcsErrors.invalidToken);
    return { serviceDeployments: page.items, nextToken: page.nextToken };
  },

  DescribeServiceDeployments(input, ctx) {
    const { found, failures } = describeEach(ctx, ecsHistoryState(ctx), input.serviceDeploymentArns, 'serviceDeploymentArns', 'service-deployment', (service, history, id) => {
      const at = history.findIndex((d) => d.id === id);
      const d = history[at];
      if (!d) return undefined;
      const path = pathOf(service);
      // The latest deployment of an ACTIVE service reports the live counts (scaling changes no revision).
      const live = at === history.length - 1 && service.status === 'ACTIVE';
      const counts = live ? { requested: service.desiredCount ?? 0, running: service.runningCount ?? 0 } : { requested: d.requestedTaskCount, running: d.runningTaskCount };
      const deployment: ServiceDeployment = {
        serviceDeploymentArn: ecsArn(ctx, `service-deployment/${path}/${d.id}`),
        serviceArn: service.serviceArn,
        clusterArn: service.clusterArn,
        createdAt: d.createdAt,
        startedAt: d.createdAt,
        finishedAt: d.createdAt,
        updatedAt: d.createdAt,
        // The replaced revisions have been scaled in.
        sourceServiceRevisions: d.sources.map((r) => revisionSummary(ctx, path, r, { requested: 0, running: 0 })),
        targetServiceRevision: revisionSummary(ctx, path, d.revision, counts),
        status: d.status,
        deploymentConfiguration: clonePlain(d.deploymentConfiguration),
        ...monitors(d.deploymentConfiguration, d.requestedTaskCount),
      };
      return deployment;
    });
    return { serviceDeployments: found, failures };
  },

  DescribeServiceRevisions(input, ctx) {
    const state = ecsHistoryState(ctx);
    const { found, failures } = describeEach(ctx, state, input.serviceRevisionArns, 'serviceRevisionArns', 'service-revision', (service, history, id) => {
      const d = history.find((r) => r.revision === id);
      if (!d) return undefined;
      const definition = findTaskDefinition(state, d.config.taskDefinition ?? '')?.taskDefinition;
      const revision: ServiceRevision = {
        serviceRevisionArn: ecsArn(ctx, `service-revision/${pathOf(service)}/${d.revision}`),
        serviceArn: service.serviceArn,
        clusterArn: service.clusterArn,
        ...clonePlain(d.config),
        containerImages: (definition?.containerDefinitions ?? []).map((c) => ({ containerName: c.name, image: c.image })),
        guardDutyEnabled: false,
        serviceConnectConfiguration: { enabled: false },
        createdAt: d.createdAt,
      };
      return revision;
    });
    return { serviceRevisions: found, failures };
  },
};
