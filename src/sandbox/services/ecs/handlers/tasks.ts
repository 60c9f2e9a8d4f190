/** ECS tasks: run, start (on named container instances), stop, describe, list. */
import type { Cluster, ECS, Failure, NetworkConfiguration, RunTaskRequest, Tag, Task } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { outputOf } from '../../clone.js';
import { paginate } from '../../paging.js';
import { EcsErrors } from '../errors.js';
import type { EcsState, TaskDefinitionRecord } from '../state.js';
import { activeCluster, checkTags, ecsArn, ecsState, findTaskDefinition, nameFromArn } from '../state.js';
import { launchTask, reconcileService, resolveNetwork, stopTask } from '../scheduler.js';
import { checkCompatible, checkPublicIp } from '../launch-checks.js';
import { findContainerInstance } from './container-instances.js';

/** A task of the cluster by id or ARN. */
export function findTask(state: EcsState, clusterArn: string, identifier: string): Task | undefined {
  const id = nameFromArn(identifier, 'task').split('/').pop() ?? identifier;
  const task = state.tasks[id];
  return task && task.clusterArn === clusterArn ? task : undefined;
}

function present(ctx: RequestContext, task: Task, withTags: boolean): Task {
  const out = outputOf(ctx, task);
  if (!withTags) delete out.tags;
  return out;
}

/** What RunTask and StartTask share: the checked network configuration and the task's tags (given, propagated, managed). */
function launchSettings(
  ctx: RequestContext,
  cluster: Cluster,
  record: TaskDefinitionRecord,
  input: Pick<RunTaskRequest, 'networkConfiguration' | 'tags' | 'propagateTags' | 'enableECSManagedTags'>,
): { networkConfiguration: NetworkConfiguration | undefined; tags: Tag[] } {
  const networkConfiguration = resolveNetwork(ctx, record, input.networkConfiguration);
  const tags = [...checkTags(input.tags)];
  if (input.propagateTags === 'TASK_DEFINITION') tags.push(...record.tags);
  if (input.enableECSManagedTags) tags.push({ key: 'aws:ecs:clusterName', value: cluster.clusterName });
  return { networkConfiguration, tags };
}

/**
 * The capacity provider a RunTask places its tasks with: the first of the strategy given or, when
 * neither a strategy nor a launch type is, of the cluster's default strategy (as ECS does).
 * Undefined means a launch type (EC2 when none is given).
 */
function capacityProvider(cluster: Cluster, input: Pick<RunTaskRequest, 'launchType' | 'capacityProviderStrategy'>): string | undefined {
  if (input.capacityProviderStrategy?.length) return input.capacityProviderStrategy[0]!.capacityProvider;
  return input.launchType ? undefined : cluster.defaultCapacityProviderStrategy?.[0]?.capacityProvider;
}

/** Task operations. */
export const taskHandlers: HandlerMap<ECS> = {
  RunTask(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const record = findTaskDefinition(state, input.taskDefinition!);
    if (!record) throw EcsErrors.invalidParameter('TaskDefinition not found.');
    if (record.taskDefinition.status !== 'ACTIVE') throw EcsErrors.invalidParameter('TaskDefinition is inactive');
    const count = input.count ?? 1;
    if (count < 1 || count > 10) throw EcsErrors.invalidParameter('count must be between 1 and 10.');
    if (input.launchType && input.capacityProviderStrategy?.length) {
      throw EcsErrors.invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
    }
    const provider = capacityProvider(cluster, input);
    const launchType = provider ? undefined : (input.launchType ?? 'EC2');
    const fargate = launchType === 'FARGATE' || (provider ?? '').startsWith('FARGATE');
    // EXTERNAL (ECS Anywhere) is not judged here.
    if (launchType !== 'EXTERNAL') checkCompatible(record, fargate ? 'FARGATE' : 'EC2');
    const { networkConfiguration, tags } = launchSettings(ctx, cluster, record, input);
    checkPublicIp(fargate, networkConfiguration);
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    for (let i = 0; i < count; i++) {
      const task = launchTask(ctx, state, {
        cluster,
        record,
        launchType,
        capacityProviderName: provider,
        platformVersion: fargate ? (input.platformVersion ?? 'LATEST') : undefined,
        networkConfiguration,
        startedBy: input.startedBy,
        group: input.group ?? `family:${record.taskDefinition.family}`,
        tags: tags.map((t) => ({ ...t })),
      });
      if (task) tasks.push(present(ctx, task, true));
      else failures.push({ reason: 'RESOURCE:ENI', detail: 'No subnet of the network configuration has a free IP address.' });
    }
    return { tasks, failures };
  },

  /**
   * Starts tasks on container instances the caller names, one task per instance, instead of
   * letting the scheduler place them (EC2 launch type only). An instance that is not in the
   * cluster comes back as a MISSING failure, one that is not ACTIVE as INACTIVE, one whose agent
   * is disconnected (its EC2 host stopped) as AGENT (the reasons of the ECS API reference's
   * failure list; the MISSING case for StartTask is not verified).
   */
  StartTask(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const named = input.containerInstances ?? [];
    if (named.length === 0) throw EcsErrors.missing('containerInstances');
    // Message not verified.
    if (named.length > 10) throw EcsErrors.invalidParameter('containerInstances can have at most 10 items.');
    if (!input.taskDefinition) throw EcsErrors.missing('taskDefinition');
    const record = findTaskDefinition(state, input.taskDefinition);
    if (!record) throw EcsErrors.invalidParameter('TaskDefinition not found.');
    if (record.taskDefinition.status !== 'ACTIVE') throw EcsErrors.invalidParameter('TaskDefinition is inactive');
    checkCompatible(record, 'EC2');
    const { networkConfiguration, tags } = launchSettings(ctx, cluster, record, input);
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    for (const identifier of named) {
      const host = findContainerInstance(state, cluster.clusterName!, identifier);
      const arn = host?.instance.containerInstanceArn ?? (identifier.startsWith('arn:') ? identifier : ecsArn(ctx, `container-instance/${cluster.clusterName}/${identifier}`));
      if (!host) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      if (host.instance.status !== 'ACTIVE') {
        failures.push({ arn, reason: 'INACTIVE' });
        continue;
      }
      if (host.instance.agentConnected === false) {
        failures.push({ arn, reason: 'AGENT' });
        continue;
      }
      const task = launchTask(ctx, state, {
        cluster,
        record,
        launchType: 'EC2',
        capacityProviderName: undefined,
        platformVersion: undefined,
        networkConfiguration,
        startedBy: input.startedBy,
        group: input.group ?? `family:${record.taskDefinition.family}`,
        tags: tags.map((t) => ({ ...t })),
        containerInstanceArn: arn,
      });
      if (task) tasks.push(present(ctx, task, true));
      else failures.push({ arn, reason: 'RESOURCE:ENI', detail: 'No subnet of the network configuration has a free IP address.' });
    }
    return { tasks, failures };
  },

  StopTask(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const task = findTask(state, cluster.clusterArn!, input.task!);
    if (!task) throw EcsErrors.invalidParameter('The referenced task was not found.');
    stopTask(ctx, state, task, input.reason ?? 'Task stopped by user');
    const response = present(ctx, task, true);
    // A service replaces a stopped task, as the ECS scheduler would.
    const serviceName = task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined;
    const service = serviceName ? state.services[`${cluster.clusterName}/${serviceName}`] : undefined;
    if (service?.status === 'ACTIVE') reconcileService(ctx, state, service, findTaskDefinition(state, service.taskDefinition!));
    return { task: response };
  },

  DescribeTasks(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const ids = input.tasks ?? [];
    if (ids.length === 0) throw EcsErrors.invalidParameter('Tasks cannot be empty.');
    if (ids.length > 100) throw EcsErrors.invalidParameter('tasks can have at most 100 items.');
    const withTags = (input.include ?? []).includes('TAGS');
    const tasks: Task[] = [];
    const failures: Failure[] = [];
    for (const id of ids) {
      const task = findTask(state, cluster.clusterArn!, id);
      if (task) tasks.push(present(ctx, task, withTags));
      else failures.push({ arn: id.startsWith('arn:') ? id : ecsArn(ctx, `task/${cluster.clusterName}/${id}`), reason: 'MISSING' });
    }
    return { tasks, failures };
  },

  ListTasks(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const desired = input.desiredStatus ?? 'RUNNING';
    const instance = input.containerInstance ? nameFromArn(input.containerInstance, 'container-instance').split('/').pop() : undefined;
    const arns = Object.values(state.tasks)
      .filter((t) => t.clusterArn === cluster.clusterArn && t.desiredStatus === desired)
      .filter((t) => !input.serviceName || t.group === `service:${nameFromArn(input.serviceName, 'service').split('/').pop()}`)
      .filter((t) => !input.family || t.taskDefinitionArn?.includes(`:task-definition/${input.family}:`))
      .filter((t) => !input.startedBy || t.startedBy === input.startedBy)
      .filter((t) => !input.launchType || t.launchType === input.launchType)
      .filter((t) => !instance || (t.containerInstanceArn ?? '').endsWith(`/${instance}`))
      .map((t) => t.taskArn!)
      .sort();
    const page = paginate(arns, input.nextToken, input.maxResults, 100, EcsErrors.invalidToken);
    return { taskArns: page.items, nextToken: page.nextToken };
  },
};
