/**
 * ECS authorisation table: resource ARNs per operation (Service Authorization Reference, "Actions
 * defined by Amazon Elastic Container Service"), the `ecs:cluster` condition key, tag-on-create
 * (a create call with tags also needs ecs:TagResource with ecs:CreateAction), and iam:PassRole
 * for the task and execution roles a task is launched with.
 *
 * | operation                                   | resource                                           |
 * |---------------------------------------------|----------------------------------------------------|
 * | CreateCluster, DeleteCluster, UpdateCluster, UpdateClusterSettings, PutClusterCapacityProviders, DescribeClusters, Register/DeregisterContainerInstance, ListContainerInstances, ListAttributes | cluster ARN(s) |
 * | CreateService (new ARN), UpdateService, DeleteService, DescribeServices, ListServiceDeployments, UpdateServicePrimaryTaskSet | `service/<cluster>/<service>` |
 * | DescribeServiceDeployments, DescribeServiceRevisions | the `service-deployment/…`, `service-revision/…` ARNs (ecs:cluster from the first) |
 * | DescribeTaskSets                            | `task-set/<cluster>/<service>/<id>` (`…/*` when none named) |
 * | RunTask, StartTask                          | task-definition ARN (latest ACTIVE revision for a bare family) |
 * | StopTask, DescribeTasks, Get/UpdateTaskProtection | `task/<cluster>/<id>`                        |
 * | DeleteTaskDefinitions                       | task-definition ARNs                               |
 * | Create/Update/DeleteCapacityProvider        | `capacity-provider/<name>`                         |
 * | DescribeContainerInstances, UpdateContainerInstancesState, Put/DeleteAttributes | `container-instance/<cluster>/<id>` |
 * | TagResource, UntagResource, ListTagsForResource | the resourceArn                                |
 * | everything else (List*, RegisterTaskDefinition, Describe/DeregisterTaskDefinition, account settings, DescribeCapacityProviders) | `*` |
 */
import type { ContextValue } from '../iam/index.js';
import type { AuthzCheck, AuthzEnv, Input, OperationRule, ServiceRules } from './authz-table.js';
import { lookup, nameOf, records, str, strings, tagList } from './authz-table.js';
import type { EcsState, TaskDefinitionRecord } from './services/ecs/state.js';

function arn(env: AuthzEnv, resource: string): string {
  return `arn:aws:ecs:${env.region}:${env.account}:${resource}`;
}

function clusterName(input: Input): string {
  return nameOf(str(input.cluster) ?? 'default', 'cluster');
}

function clusterArn(input: Input, env: AuthzEnv): string {
  return arn(env, `cluster/${clusterName(input)}`);
}

function serviceArn(env: AuthzEnv, cluster: string, service: string): string {
  return arn(env, `service/${cluster}/${nameOf(service, 'service').split('/').pop() ?? service}`);
}

function taskArn(env: AuthzEnv, cluster: string, task: string): string {
  return arn(env, `task/${cluster}/${task.split('/').pop() ?? task}`);
}

/** A task definition by family, family:revision or ARN (a bare family: its latest ACTIVE revision). */
function taskDefinition(env: AuthzEnv, identifier: string): { arn: string; record: TaskDefinitionRecord | undefined } {
  const body = nameOf(identifier, 'task-definition');
  const colon = body.lastIndexOf(':');
  const family = colon < 0 ? body : body.slice(0, colon);
  const revisions = lookup(env.state<EcsState>('ecs')?.taskDefinitions, family) ?? [];
  const record = colon < 0 ? [...revisions].reverse().find((r) => r.taskDefinition.status === 'ACTIVE') : revisions[Number(body.slice(colon + 1)) - 1];
  const revision = colon < 0 ? record?.taskDefinition.revision : body.slice(colon + 1);
  return { arn: arn(env, `task-definition/${family}${revision !== undefined ? `:${revision}` : ''}`), record };
}

const ecsTags = (input: Input): Record<string, string> | undefined => tagList(input.tags, 'key', 'value');
const onCluster = (input: Input, env: AuthzEnv): Record<string, ContextValue> => ({ 'ecs:cluster': clusterArn(input, env) });
const clusterRule: OperationRule = { resources: (i, env) => [clusterArn(i, env)] };
const serviceRule: OperationRule = { resources: (i, env) => [serviceArn(env, clusterName(i), str(i.service) ?? '')], context: onCluster };
const tasksRule: OperationRule = { resources: (i, env) => strings(i.tasks).map((t) => taskArn(env, clusterName(i), t)), context: onCluster };

/** Service deployment or revision ARNs (`<type>/<cluster>/<service>/<id>`), with ecs:cluster from the first. */
function historyRule(member: string): OperationRule {
  return {
    resources: (i) => strings(i[member]),
    context: (i, env): Record<string, ContextValue> => {
      const cluster = strings(i[member])[0]?.split(':')[5]?.split('/')[1];
      return cluster ? { 'ecs:cluster': arn(env, `cluster/${cluster}`) } : {};
    },
  };
}

/** iam:PassRole for the roles a task would run with, as ECS checks when it launches tasks. */
function passTaskRoles(input: Input, env: AuthzEnv): AuthzCheck[] {
  const identifier = str(input.taskDefinition);
  const definition = identifier ? taskDefinition(env, identifier).record?.taskDefinition : undefined;
  const overrides = (input.overrides ?? {}) as Record<string, unknown>;
  const roles = new Set([str(overrides.taskRoleArn) ?? definition?.taskRoleArn, str(overrides.executionRoleArn) ?? definition?.executionRoleArn]);
  return [...roles]
    .filter((r): r is string => typeof r === 'string' && r.length > 0)
    .map((role) => ({ action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }));
}

const taskLaunch: OperationRule = {
  resources: (i, env) => [taskDefinition(env, str(i.taskDefinition) ?? '').arn],
  context: onCluster,
  requestTags: ecsTags,
  creates: true,
  extra: passTaskRoles,
};

/** Put/DeleteAttributes act on the container instances their attributes target. */
const attributeRule: OperationRule = {
  resources: (i, env) =>
    records(i.attributes).map((a) => {
      const target = str(a.targetId) ?? '';
      return arn(env, `container-instance/${clusterName(i)}/${target.split('/').pop() ?? target}`);
    }),
  context: onCluster,
};

const operations: Record<string, OperationRule> = {
  CreateCluster: { resources: (i, env) => [arn(env, `cluster/${str(i.clusterName) ?? 'default'}`)], requestTags: ecsTags, creates: true },
  DeleteCluster: clusterRule,
  UpdateCluster: clusterRule,
  UpdateClusterSettings: clusterRule,
  PutClusterCapacityProviders: clusterRule,
  ListContainerInstances: clusterRule,
  RegisterContainerInstance: clusterRule,
  DeregisterContainerInstance: clusterRule,
  DescribeClusters: { resources: (i, env) => (strings(i.clusters).length ? strings(i.clusters) : ['default']).map((c) => arn(env, `cluster/${nameOf(c, 'cluster')}`)) },
  CreateService: {
    resources: (i, env) => [serviceArn(env, clusterName(i), str(i.serviceName) ?? '')],
    context: onCluster,
    requestTags: ecsTags,
    creates: true,
    extra: passTaskRoles,
  },
  UpdateService: { ...serviceRule, extra: passTaskRoles },
  DeleteService: serviceRule,
  ListServiceDeployments: serviceRule,
  DescribeServiceDeployments: historyRule('serviceDeploymentArns'),
  DescribeServiceRevisions: historyRule('serviceRevisionArns'),
  UpdateServicePrimaryTaskSet: serviceRule,
  DescribeTaskSets: {
    resources: (i, env) => {
      const prefix = `task-set/${clusterName(i)}/${nameOf(str(i.service) ?? '', 'service').split('/').pop() ?? ''}/`;
      const sets = strings(i.taskSets);
      return sets.length ? sets.map((t) => (t.startsWith('arn:') ? t : arn(env, prefix + t))) : [arn(env, `${prefix}*`)];
    },
    context: onCluster,
  },
  DescribeServices: { resources: (i, env) => strings(i.services).map((s) => serviceArn(env, clusterName(i), s)), context: onCluster },
  ListServices: { context: onCluster },
  ListTasks: { context: onCluster },
  RunTask: { ...taskLaunch, createdResources: (i, env) => [arn(env, `task/${clusterName(i)}/*`)] },
  StartTask: { ...taskLaunch, createdResources: (i, env) => [arn(env, `task/${clusterName(i)}/*`)] },
  StopTask: { resources: (i, env) => [taskArn(env, clusterName(i), str(i.task) ?? '')], context: onCluster },
  DescribeTasks: tasksRule,
  GetTaskProtection: tasksRule,
  UpdateTaskProtection: tasksRule,
  RegisterTaskDefinition: {
    requestTags: ecsTags,
    creates: true,
    createdResources: (i, env) => {
      const family = str(i.family) ?? '';
      const next = (lookup(env.state<EcsState>('ecs')?.taskDefinitions, family)?.length ?? 0) + 1;
      return [arn(env, `task-definition/${family}:${next}`)];
    },
  },
  DeleteTaskDefinitions: { resources: (i, env) => strings(i.taskDefinitions).map((t) => taskDefinition(env, t).arn) },
  CreateCapacityProvider: { resources: (i, env) => [arn(env, `capacity-provider/${str(i.name) ?? ''}`)], requestTags: ecsTags, creates: true },
  UpdateCapacityProvider: { resources: (i, env) => [arn(env, `capacity-provider/${nameOf(str(i.name) ?? '', 'capacity-provider')}`)] },
  DeleteCapacityProvider: { resources: (i, env) => [arn(env, `capacity-provider/${nameOf(str(i.capacityProvider) ?? '', 'capacity-provider')}`)] },
  DescribeContainerInstances: {
    resources: (i, env) => strings(i.containerInstances).map((c) => arn(env, `container-instance/${clusterName(i)}/${c.split('/').pop() ?? c}`)),
    context: onCluster,
  },
  UpdateContainerInstancesState: {
    resources: (i, env) => strings(i.containerInstances).map((c) => arn(env, `container-instance/${clusterName(i)}/${c.split('/').pop() ?? c}`)),
    context: onCluster,
  },
  PutAttributes: attributeRule,
  DeleteAttributes: attributeRule,
  ListAttributes: clusterRule,
  TagResource: { resources: (i) => [str(i.resourceArn) ?? '*'], requestTags: ecsTags },
  UntagResource: { resources: (i) => [str(i.resourceArn) ?? '*'], removedTagKeys: (i) => strings(i.tagKeys) },
  ListTagsForResource: { resources: (i) => [str(i.resourceArn) ?? '*'] },
};

const ECS_ARN = /^arn:aws[a-z-]*:ecs:([^:]*):([0-9]{12}):([a-z-]+)\/(.+)$/;

function tagsOf(list: unknown): Record<string, string> {
  return tagList(records(list), 'key', 'value') ?? {};
}

/** Current tags of an ECS resource in the request's account and Region. */
function resourceTags(resourceArn: string, env: AuthzEnv): Record<string, string> | undefined {
  const m = ECS_ARN.exec(resourceArn);
  if (!m || m[1] !== env.region || m[2] !== env.account) return undefined;
  const state = env.state<EcsState>('ecs');
  if (!state) return undefined;
  const [, , , type, rest] = m as unknown as [string, string, string, string, string];
  switch (type) {
    case 'cluster':
      return tagsOf(lookup(state.clusters, rest)?.tags);
    case 'service':
      return tagsOf(lookup(state.services, rest)?.tags);
    case 'task':
      return tagsOf(lookup(state.tasks, rest.split('/').pop() ?? '')?.tags);
    case 'task-definition': {
      const colon = rest.lastIndexOf(':');
      return colon < 0 ? undefined : tagsOf(lookup(state.taskDefinitions, rest.slice(0, colon))?.[Number(rest.slice(colon + 1)) - 1]?.tags);
    }
    case 'capacity-provider':
      return tagsOf(lookup(state.capacityProviders, rest)?.tags);
    case 'container-instance':
      return tagsOf(lookup(state.containerInstances, rest.split('/').pop() ?? '')?.instance.tags);
    default:
      return undefined;
  }
}

/** The ECS table. */
export const ECS_RULES: ServiceRules = { prefix: 'ecs', operations, resourceTags, resourceTagAlias: 'ecs:ResourceTag', tagOnCreate: 'ecs:TagResource', createActionKey: 'ecs:CreateAction' };
