/**
 * ECS services: create, update, delete, describe, list. Only the ECS (rolling update) deployment
 * controller is modelled: CreateService refuses EXTERNAL and CODE_DEPLOY, whose deployments are
 * task sets (task-sets.ts).
 */
import type { CapacityProviderStrategyItem, Cluster, DeploymentConfiguration, ECS, Failure, Service } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { clonePlain, outputOf } from '../../clone.js';
import { paginate } from '../../paging.js';
import { EcsErrors } from '../errors.js';
import type { EcsState, TaskDefinitionRecord } from '../state.js';
import { activeCluster, checkTags, ecsArn, ecsHistoryState, ecsState, findService, findTaskDefinition, serviceKey } from '../state.js';
import { addServiceEvent, deploymentId, reconcileService, resolveNetwork } from '../scheduler.js';
import { checkCompatible, checkPublicIp } from '../launch-checks.js';
import { checkStrategy } from './capacity-providers.js';
import { forgetDeployments, recordDeployment } from './service-deployments.js';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const PLATFORM_VERSIONS = ['LATEST', '1.4.0', '1.3.0'];

function usableTaskDefinition(state: EcsState, identifier: string | undefined): TaskDefinitionRecord {
  if (!identifier) throw EcsErrors.invalidParameter('TaskDefinition can not be blank.');
  const record = findTaskDefinition(state, identifier);
  if (!record) throw EcsErrors.invalidParameter('TaskDefinition not found.');
  if (record.taskDefinition.status !== 'ACTIVE') throw EcsErrors.invalidParameter('TaskDefinition is inactive');
  return record;
}

function checkDeploymentConfiguration(config: DeploymentConfiguration | undefined, base?: DeploymentConfiguration): DeploymentConfiguration {
  const merged: DeploymentConfiguration = {
    deploymentCircuitBreaker: { enable: false, rollback: false },
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    strategy: 'ROLLING',
    ...base,
    ...config,
  };
  if (merged.minimumHealthyPercent! < 0 || merged.minimumHealthyPercent! > 100) {
    throw EcsErrors.invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  }
  if (merged.maximumPercent! < 100) throw EcsErrors.invalidParameter('maximumPercent must be greater than or equal to 100.');
  return merged;
}

interface Placement {
  launchType: Service['launchType'];
  strategy: CapacityProviderStrategyItem[] | undefined;
  fargate: boolean;
}

function placement(state: EcsState, cluster: Cluster, launchType: Service['launchType'], strategy: CapacityProviderStrategyItem[] | undefined): Placement {
  if (launchType && strategy?.length) {
    throw EcsErrors.invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
  }
  let effective = strategy?.length ? strategy : undefined;
  if (!launchType && !effective && cluster.defaultCapacityProviderStrategy?.length) effective = cluster.defaultCapacityProviderStrategy;
  if (effective) {
    checkStrategy(state, effective, cluster.capacityProviders ?? []);
    const fargate = effective.every((i) => (i.capacityProvider ?? '').startsWith('FARGATE'));
    return { launchType: undefined, strategy: effective, fargate };
  }
  const type = launchType ?? 'EC2';
  return { launchType: type, strategy: undefined, fargate: type === 'FARGATE' };
}

function checkPlatform(p: Placement, record: TaskDefinitionRecord, platformVersion: string | undefined): string | undefined {
  // EXTERNAL (ECS Anywhere) is not judged here.
  if (p.launchType !== 'EXTERNAL') checkCompatible(record, p.fargate ? 'FARGATE' : 'EC2');
  if (!p.fargate) {
    if (platformVersion !== undefined) throw EcsErrors.invalidParameter('The platform version must be null when specifying an EC2 launch type.');
    return undefined;
  }
  const version = platformVersion ?? 'LATEST';
  if (!PLATFORM_VERSIONS.includes(version)) throw EcsErrors.invalidParameter(`The specified platform version (${version}) does not exist.`);
  return version;
}

/**
 * A service as the API shows it. Describe returns tags only when asked for (include TAGS);
 * Create, Update and Delete return them when there are some (`mutation`), as in the
 * create-service examples.
 */
function present(ctx: RequestContext, service: Service, tags: 'include' | 'omit' | 'mutation'): Service {
  const out = outputOf(ctx, service);
  if (tags === 'omit' || (tags === 'mutation' && !out.tags?.length)) delete out.tags;
  return out;
}

function activeService(state: EcsState, cluster: Cluster, identifier: string): Service {
  const service = findService(state, cluster.clusterName!, identifier);
  if (!service) throw EcsErrors.serviceNotFound();
  if (service.status !== 'ACTIVE') throw EcsErrors.serviceNotActive();
  return service;
}

function newDeployment(ctx: RequestContext, service: Service, record: TaskDefinitionRecord, p: Placement, platformVersion: string | undefined): void {
  service.deployments = [
    {
      id: deploymentId(),
      status: 'PRIMARY',
      taskDefinition: record.taskDefinition.taskDefinitionArn,
      desiredCount: service.desiredCount,
      pendingCount: 0,
      runningCount: 0,
      failedTasks: 0,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      launchType: p.launchType,
      capacityProviderStrategy: p.strategy ? clonePlain(p.strategy) : undefined,
      platformVersion,
      platformFamily: p.fargate ? 'Linux' : undefined,
      networkConfiguration: clonePlain(service.networkConfiguration),
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment in progress.',
    },
  ];
}

/** Service operations. */
export const serviceHandlers: HandlerMap<ECS> = {
  CreateService(input, ctx) {
    const state = ecsHistoryState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const name = input.serviceName!;
    if ((input.deploymentController?.type ?? 'ECS') !== 'ECS') {
      // Not an AWS message: the sandbox has no task sets, which EXTERNAL and CODE_DEPLOY deploy with.
      throw EcsErrors.invalidParameter(`The ecs-lab sandbox supports only the ECS deployment controller, not ${input.deploymentController!.type}.`);
    }
    if (!NAME.test(name)) throw EcsErrors.invalidParameter('Service name can have up to 255 characters: letters, numbers, hyphens and underscores.');
    const record = usableTaskDefinition(state, input.taskDefinition);
    const existing = findService(state, cluster.clusterName!, name);
    if (existing && existing.status !== 'INACTIVE') {
      const same = existing.taskDefinition === record.taskDefinition.taskDefinitionArn && existing.desiredCount === (input.desiredCount ?? 0);
      if (same) return { service: present(ctx, existing, 'mutation') };
      throw EcsErrors.invalidParameter('Creation of service was not idempotent.');
    }
    if ((input.schedulingStrategy ?? 'REPLICA') === 'REPLICA' && (input.desiredCount ?? 0) < 0) {
      throw EcsErrors.invalidParameter('desiredCount must be greater than or equal to 0.');
    }
    const p = placement(state, cluster, input.launchType, input.capacityProviderStrategy);
    const platformVersion = checkPlatform(p, record, input.platformVersion);
    const networkConfiguration = resolveNetwork(ctx, record, input.networkConfiguration);
    checkPublicIp(p.fargate, networkConfiguration);
    const service: Service = {
      serviceArn: ecsArn(ctx, `service/${cluster.clusterName}/${name}`),
      serviceName: name,
      clusterArn: cluster.clusterArn,
      loadBalancers: input.loadBalancers ?? [],
      serviceRegistries: input.serviceRegistries ?? [],
      status: 'ACTIVE',
      desiredCount: input.desiredCount ?? 0,
      runningCount: 0,
      pendingCount: 0,
      launchType: p.launchType,
      capacityProviderStrategy: p.strategy ? clonePlain(p.strategy) : undefined,
      platformVersion,
      platformFamily: p.fargate ? 'Linux' : undefined,
      taskDefinition: record.taskDefinition.taskDefinitionArn,
      deploymentConfiguration: checkDeploymentConfiguration(input.deploymentConfiguration),
      deployments: [],
      events: [],
      createdAt: ctx.now,
      placementConstraints: input.placementConstraints ?? [],
      placementStrategy: input.placementStrategy ?? [],
      networkConfiguration,
      healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds,
      schedulingStrategy: input.schedulingStrategy ?? 'REPLICA',
      deploymentController: input.deploymentController ?? { type: 'ECS' },
      tags: checkTags(input.tags),
      createdBy: ctx.principal.arn,
      enableECSManagedTags: input.enableECSManagedTags ?? false,
      propagateTags: input.propagateTags ?? 'NONE',
      enableExecuteCommand: input.enableExecuteCommand ?? false,
      availabilityZoneRebalancing: input.availabilityZoneRebalancing ?? 'ENABLED',
      roleArn: input.role,
    };
    newDeployment(ctx, service, record, p, platformVersion);
    state.services[serviceKey(cluster.clusterName!, name)] = service;
    reconcileService(ctx, state, service, record);
    recordDeployment(ctx, state, service, undefined);
    return { service: present(ctx, service, 'mutation') };
  },

  UpdateService(input, ctx) {
    const state = ecsHistoryState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const service = activeService(state, cluster, input.service!);
    const record = input.taskDefinition ? usableTaskDefinition(state, input.taskDefinition) : findTaskDefinition(state, service.taskDefinition!);
    if (!record) throw EcsErrors.invalidParameter('TaskDefinition not found.');
    const strategyChanged = input.capacityProviderStrategy !== undefined;
    const p = strategyChanged
      ? placement(state, cluster, undefined, input.capacityProviderStrategy)
      : { launchType: service.launchType, strategy: service.capacityProviderStrategy, fargate: service.launchType === 'FARGATE' || (service.capacityProviderStrategy ?? []).some((i) => i.capacityProvider?.startsWith('FARGATE')) };
    const platformVersion = checkPlatform(p, record, input.platformVersion ?? service.platformVersion);
    const networkConfiguration =
      input.networkConfiguration || input.taskDefinition ? resolveNetwork(ctx, record, input.networkConfiguration ?? service.networkConfiguration) : service.networkConfiguration;
    // Judged when the request sets either side of it, so a service kept from an older, more lenient
    // sandbox can still be scaled or deleted.
    if (input.networkConfiguration || strategyChanged) checkPublicIp(p.fargate, networkConfiguration);
    if (input.desiredCount !== undefined && input.desiredCount < 0) throw EcsErrors.invalidParameter('desiredCount must be greater than or equal to 0.');

    const redeploy =
      Boolean(input.forceNewDeployment) ||
      record.taskDefinition.taskDefinitionArn !== service.taskDefinition ||
      input.networkConfiguration !== undefined ||
      (input.platformVersion !== undefined && input.platformVersion !== service.platformVersion) ||
      strategyChanged;

    if (input.desiredCount !== undefined) service.desiredCount = input.desiredCount;
    if (input.deploymentConfiguration) service.deploymentConfiguration = checkDeploymentConfiguration(input.deploymentConfiguration, service.deploymentConfiguration);
    if (input.propagateTags !== undefined) service.propagateTags = input.propagateTags;
    if (input.enableECSManagedTags !== undefined) service.enableECSManagedTags = input.enableECSManagedTags;
    if (input.enableExecuteCommand !== undefined) service.enableExecuteCommand = input.enableExecuteCommand;
    if (input.healthCheckGracePeriodSeconds !== undefined) service.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
    if (input.placementConstraints) service.placementConstraints = input.placementConstraints;
    if (input.placementStrategy) service.placementStrategy = input.placementStrategy;
    if (input.loadBalancers) service.loadBalancers = input.loadBalancers;
    if (input.serviceRegistries) service.serviceRegistries = input.serviceRegistries;
    if (input.availabilityZoneRebalancing) service.availabilityZoneRebalancing = input.availabilityZoneRebalancing;
    service.taskDefinition = record.taskDefinition.taskDefinitionArn;
    service.networkConfiguration = networkConfiguration;
    service.platformVersion = platformVersion;
    service.launchType = p.launchType;
    service.capacityProviderStrategy = p.strategy ? clonePlain(p.strategy) : undefined;

    const replaced = service.deployments?.[0];
    if (redeploy) newDeployment(ctx, service, record, p, platformVersion);
    else if (replaced) replaced.desiredCount = service.desiredCount;
    reconcileService(ctx, state, service, record);
    if (redeploy) recordDeployment(ctx, state, service, replaced);
    return { service: present(ctx, service, 'mutation') };
  },

  DeleteService(input, ctx) {
    const state = ecsHistoryState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const service = findService(state, cluster.clusterName!, input.service!);
    if (!service || service.status === 'INACTIVE') throw EcsErrors.serviceNotFound();
    if ((service.desiredCount ?? 0) > 0 && !input.force && service.schedulingStrategy !== 'DAEMON') {
      throw EcsErrors.invalidParameter('The service cannot be stopped while it is scaled above 0.');
    }
    service.desiredCount = 0;
    service.status = 'DRAINING';
    forgetDeployments(state, service);
    reconcileService(ctx, state, service, undefined);
    addServiceEvent(ctx, service, `(service ${service.serviceName}) has been deleted.`);
    const response = present(ctx, service, 'mutation');
    // Draining is instantaneous here; Describe shows INACTIVE from now on.
    service.status = 'INACTIVE';
    return { service: response };
  },

  DescribeServices(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const ids = input.services ?? [];
    if (ids.length === 0) throw EcsErrors.invalidParameter('Services cannot be empty.');
    if (ids.length > 10) throw EcsErrors.invalidParameter('services can have at most 10 items.');
    const withTags = (input.include ?? []).includes('TAGS');
    const services: Service[] = [];
    const failures: Failure[] = [];
    for (const id of ids) {
      const service = findService(state, cluster.clusterName!, id);
      if (service) services.push(present(ctx, service, withTags ? 'include' : 'omit'));
      else failures.push({ arn: id.startsWith('arn:') ? id : ecsArn(ctx, `service/${cluster.clusterName}/${id}`), reason: 'MISSING' });
    }
    return { services, failures };
  },

  ListServices(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const arns = Object.values(state.services)
      .filter((s) => s.clusterArn === cluster.clusterArn && s.status !== 'INACTIVE')
      .filter((s) => !input.launchType || s.launchType === input.launchType)
      .filter((s) => !input.schedulingStrategy || s.schedulingStrategy === input.schedulingStrategy)
      .map((s) => s.serviceArn!)
      .sort();
    const page = paginate(arns, input.nextToken, input.maxResults, 10, EcsErrors.invalidToken);
    return { serviceArns: page.items, nextToken: page.nextToken };
  },

  /**
   * Service Connect and its Cloud Map namespaces are not modelled, so no namespace exists: every
   * name or ARN gets AWS's answer for an unknown namespace.
   */
  ListServicesByNamespace(input) {
    throw EcsErrors.namespaceNotFound(input.namespace!);
  },
};
