/**
 * ECS container instances: register (as the agent does), deregister, describe, list (with the
 * cluster query language, query.ts), drain, and their attributes (put, delete, list).
 */
import type { Attribute, ContainerInstance, ECS, Failure, Resource, Task } from '@aws-sdk/client-ecs';
import { instanceTypes } from '../../ec2/catalog.js';
import type { HandlerMap, RequestContext } from '../../types.js';
import { hex } from '../../ids.js';
import { paginate } from '../../paging.js';
import { EcsErrors } from '../errors.js';
import type { ContainerInstanceRecord, EcsState } from '../state.js';
import { activeCluster, checkTags, ecsArn, ecsState, nameFromArn, runningTasksOn } from '../state.js';
import { outputOf } from '../../clone.js';
import { compileQuery } from '../query.js';

/** The agent reports these; PutAttributes adds custom ones, at most {@link MAX_CUSTOM} per instance. */
const AGENT_PREFIX = /^(ecs\.|com\.amazonaws\.ecs\.)/;
const MAX_CUSTOM = 10;
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_\-/\\.]{1,128}$/;
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_\-.@/\\: ]{1,128}$/;

/** What the ECS agent reports about its host. */
export interface HostFacts {
  readonly instanceId: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly availabilityZone: string;
  readonly agentVersion?: string;
}

/** Ports the ECS agent reserves on every host: SSH, the Docker daemon, the agent's own API. */
const RESERVED_PORTS = ['22', '2375', '2376', '51678', '51679'];

/**
 * What the agent registers: 1,024 CPU units per vCPU, the memory left after the operating system
 * (about 93 % of the instance's), and the reserved ports.
 */
function registeredResources(instanceType: string): Resource[] {
  const type = instanceTypes().find((t) => t.InstanceType === instanceType);
  const cpu = (type?.VCpuInfo?.DefaultVCpus ?? 2) * 1024;
  const memory = Math.floor((type?.MemoryInfo?.SizeInMiB ?? 4096) * 0.93);
  return [
    { name: 'CPU', type: 'INTEGER', integerValue: cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: [...RESERVED_PORTS] },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
  ];
}

/** Registered resources less what the instance's running tasks reserve (CPU, memory, host ports). */
function remainingResources(registered: readonly Resource[], tasks: readonly Task[]): Resource[] {
  const used = (key: 'cpu' | 'memory') => tasks.reduce((n, t) => n + (Number(t[key]) || 0), 0);
  const ports = (protocol: string) => tasks.flatMap((t) => (t.containers ?? []).flatMap((c) => (c.networkBindings ?? []).filter((b) => (b.protocol ?? 'tcp') === protocol).map((b) => String(b.hostPort))));
  return registered.map((r): Resource => {
    switch (r.name) {
      case 'CPU':
        return { ...r, integerValue: (r.integerValue ?? 0) - used('cpu') };
      case 'MEMORY':
        return { ...r, integerValue: (r.integerValue ?? 0) - used('memory') };
      case 'PORTS':
        return { ...r, stringSetValue: [...new Set([...(r.stringSetValue ?? []), ...ports('tcp')])] };
      case 'PORTS_UDP':
        return { ...r, stringSetValue: [...new Set([...(r.stringSetValue ?? []), ...ports('udp')])] };
      default:
        return { ...r };
    }
  });
}

/**
 * Registers a host in a cluster with the attributes the agent reports (`ecs.ami-id`, …).
 * Used by RegisterContainerInstance and by EC2/Auto Scaling when an instance's user data names an
 * `ECS_CLUSTER`.
 */
export function registerHost(ctx: RequestContext, state: EcsState, clusterName: string, host: HostFacts, extra: readonly Attribute[] = []): ContainerInstance {
  const existing = Object.values(state.containerInstances).find((r) => r.instance.ec2InstanceId === host.instanceId && r.instance.status !== 'INACTIVE');
  if (existing) return existing.instance;
  const id = hex(32);
  const resources = registeredResources(host.instanceType);
  const attributes: Attribute[] = [
    { name: 'ecs.ami-id', value: host.imageId },
    { name: 'ecs.instance-type', value: host.instanceType },
    { name: 'ecs.availability-zone', value: host.availabilityZone },
    { name: 'ecs.os-type', value: 'linux' },
    { name: 'ecs.os-family', value: 'LINUX' },
    { name: 'ecs.cpu-architecture', value: 'x86_64' },
    { name: 'ecs.capability.task-eni' },
    { name: 'ecs.capability.secrets.asm.environment-variables' },
    { name: 'ecs.capability.secrets.ssm.environment-variables' },
    { name: 'ecs.capability.privileged-container' },
    ...extra,
  ];
  const instance: ContainerInstance = {
    containerInstanceArn: ecsArn(ctx, `container-instance/${clusterName}/${id}`),
    ec2InstanceId: host.instanceId,
    version: 1,
    versionInfo: { agentVersion: host.agentVersion ?? '1.89.2', agentHash: hex(8), dockerVersion: 'DockerVersion: 25.0.6' },
    registeredResources: resources,
    remainingResources: resources.map((r) => ({ ...r })),
    status: 'ACTIVE',
    agentConnected: true,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    attributes,
    registeredAt: ctx.now,
    attachments: [],
    tags: [],
  };
  state.containerInstances[id] = { clusterName, instance };
  return instance;
}

function find(state: EcsState, clusterName: string, identifier: string): ContainerInstanceRecord | undefined {
  const id = nameFromArn(identifier, 'container-instance').split('/').pop() ?? identifier;
  const record = state.containerInstances[id];
  return record && record.clusterName === clusterName ? record : undefined;
}

/** A container instance of the cluster by id or ARN (StartTask). */
export const findContainerInstance = find;

/** The container instance an attribute targets: ARN, or id with targetType `container-instance`. */
function attributeTarget(state: EcsState, clusterName: string, attribute: Attribute): ContainerInstanceRecord {
  const target = attribute.targetId;
  if (!target) throw EcsErrors.invalidParameter('targetId is required for container instance attributes.');
  if (!target.startsWith('arn:') && attribute.targetType !== 'container-instance') {
    throw EcsErrors.invalidParameter('targetType is required when targetId is not an ARN. Valid values: container-instance.');
  }
  const record = find(state, clusterName, target);
  if (!record || record.instance.status === 'INACTIVE') throw EcsErrors.targetNotFound(target);
  return record;
}

/** An attribute as the attribute operations answer it: with the container instance it is on. */
function targeted(attribute: Attribute, instance: ContainerInstance): Attribute {
  return { name: attribute.name, value: attribute.value, targetType: 'container-instance', targetId: instance.containerInstanceArn };
}

function checkAttributes(attributes: readonly Attribute[] | undefined, withValues: boolean): readonly Attribute[] {
  if (!attributes || attributes.length === 0) throw EcsErrors.invalidParameter('attributes can not be null or empty.');
  if (attributes.length > MAX_CUSTOM) throw EcsErrors.invalidParameter(`attributes can have at most ${MAX_CUSTOM} items.`);
  for (const a of attributes) {
    if (!ATTRIBUTE_NAME.test(a.name ?? '')) {
      throw EcsErrors.invalidParameter(`Invalid attribute name ${String(a.name)}: 1-128 letters, numbers, hyphens, underscores, slashes, back slashes or periods.`);
    }
    if (withValues && a.value !== undefined && (!ATTRIBUTE_VALUE.test(a.value) || a.value.trim() !== a.value)) {
      throw EcsErrors.invalidParameter(`Invalid value for attribute ${a.name}: 1-128 letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes, colons or spaces, not starting or ending with a space.`);
    }
  }
  return attributes;
}

function present(ctx: RequestContext, state: EcsState, record: ContainerInstanceRecord, withTags: boolean): ContainerInstance {
  const out = outputOf(ctx, record.instance);
  const running = runningTasksOn(state, out.containerInstanceArn);
  out.runningTasksCount = running.length;
  out.remainingResources = remainingResources(out.registeredResources ?? [], running);
  out.pendingTasksCount = 0;
  if (!withTags) delete out.tags;
  return out;
}

function parseIdentityDocument(doc: string | undefined): Partial<HostFacts> {
  if (!doc) return {};
  try {
    const parsed = JSON.parse(doc) as Record<string, unknown>;
    const str = (k: string) => (typeof parsed[k] === 'string' ? (parsed[k] as string) : undefined);
    return { instanceId: str('instanceId'), imageId: str('imageId'), instanceType: str('instanceType'), availabilityZone: str('availabilityZone') };
  } catch {
    throw EcsErrors.client('instanceIdentityDocument is not valid JSON.');
  }
}

/** Container instance operations. */
export const containerInstanceHandlers: HandlerMap<ECS> = {
  RegisterContainerInstance(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const facts = parseIdentityDocument(input.instanceIdentityDocument);
    const instance = registerHost(
      ctx,
      state,
      cluster.clusterName!,
      {
        instanceId: facts.instanceId ?? `i-${hex(17)}`,
        imageId: facts.imageId ?? 'ami-unknown',
        instanceType: facts.instanceType ?? 'c5.large',
        availabilityZone: facts.availabilityZone ?? `${ctx.region}a`,
        agentVersion: input.versionInfo?.agentVersion,
      },
      input.attributes ?? [],
    );
    instance.tags = checkTags(input.tags);
    return { containerInstance: outputOf(ctx, instance) };
  },

  DeregisterContainerInstance(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const record = find(state, cluster.clusterName!, input.containerInstance!);
    if (!record) throw EcsErrors.invalidParameter('The referenced container instance was not found.');
    const busy = runningTasksOn(state, record.instance.containerInstanceArn).length > 0;
    if (busy && !input.force) {
      throw EcsErrors.invalidParameter('Found running tasks on the instance. Use force to deregister it anyway.');
    }
    record.instance.status = 'INACTIVE';
    record.instance.agentConnected = false;
    return { containerInstance: present(ctx, state, record, false) };
  },

  UpdateContainerInstancesState(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    if (!['ACTIVE', 'DRAINING'].includes(input.status ?? '')) throw EcsErrors.invalidParameter('status must be ACTIVE or DRAINING.');
    const containerInstances: ContainerInstance[] = [];
    const failures: Failure[] = [];
    for (const id of input.containerInstances ?? []) {
      const record = find(state, cluster.clusterName!, id);
      if (!record || record.instance.status === 'INACTIVE') {
        failures.push({ arn: id, reason: 'MISSING' });
        continue;
      }
      record.instance.status = input.status;
      containerInstances.push(present(ctx, state, record, false));
    }
    return { containerInstances, failures };
  },

  DescribeContainerInstances(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const ids = input.containerInstances ?? [];
    if (ids.length === 0) throw EcsErrors.invalidParameter('ContainerInstances cannot be empty.');
    if (ids.length > 100) throw EcsErrors.invalidParameter('containerInstances can have at most 100 items.');
    const withTags = (input.include ?? []).includes('TAGS');
    const containerInstances: ContainerInstance[] = [];
    const failures: Failure[] = [];
    for (const id of ids) {
      const record = find(state, cluster.clusterName!, id);
      if (record) containerInstances.push(present(ctx, state, record, withTags));
      else failures.push({ arn: id.startsWith('arn:') ? id : ecsArn(ctx, `container-instance/${cluster.clusterName}/${id}`), reason: 'MISSING' });
    }
    return { containerInstances, failures };
  },

  ListContainerInstances(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const status = input.status;
    const query = input.filter ? compileQuery(input.filter) : undefined;

    const arns = Object.values(state.containerInstances)
      .filter((r) => r.clusterName === cluster.clusterName)
      .filter((r) => (status ? r.instance.status === status : r.instance.status !== 'INACTIVE'))
      .filter((r) => !query || query(r.instance, runningTasksOn(state, r.instance.containerInstanceArn).length))
      .map((r) => r.instance.containerInstanceArn!)
      .sort();
    const page = paginate(arns, input.nextToken, input.maxResults, 100, EcsErrors.invalidToken);
    return { containerInstanceArns: page.items, nextToken: page.nextToken };
  },

  PutAttributes(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const attributes = checkAttributes(input.attributes, true);
    // All or nothing: every target is found and every limit checked before anything changes.
    const targets = attributes.map((a) => attributeTarget(state, cluster.clusterName!, a));
    const custom = new Map<string, Set<string>>();
    attributes.forEach((a, i) => {
      const instance = targets[i]!.instance;
      const arn = instance.containerInstanceArn!;
      const names = custom.get(arn) ?? new Set((instance.attributes ?? []).filter((x) => !AGENT_PREFIX.test(x.name!)).map((x) => x.name!));
      names.add(a.name!);
      custom.set(arn, names);
      if (names.size > MAX_CUSTOM) throw EcsErrors.attributeLimitExceeded();
    });
    attributes.forEach((a, i) => {
      const instance = targets[i]!.instance;
      const rest = (instance.attributes ?? []).filter((x) => x.name !== a.name);
      instance.attributes = [...rest, a.value === undefined ? { name: a.name } : { name: a.name, value: a.value }];
    });
    return { attributes: attributes.map((a, i) => targeted(a, targets[i]!.instance)) };
  },

  DeleteAttributes(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    const attributes = checkAttributes(input.attributes, false);
    const targets = attributes.map((a) => attributeTarget(state, cluster.clusterName!, a));
    attributes.forEach((a, i) => {
      const instance = targets[i]!.instance;
      instance.attributes = (instance.attributes ?? []).filter((x) => x.name !== a.name);
    });
    return { attributes: attributes.map((a, i) => targeted(a, targets[i]!.instance)) };
  },

  ListAttributes(input, ctx) {
    const state = ecsState(ctx);
    const cluster = activeCluster(state, input.cluster);
    if (input.targetType !== 'container-instance') throw EcsErrors.invalidParameter('targetType must be container-instance.');
    if (input.attributeValue !== undefined && input.attributeName === undefined) {
      throw EcsErrors.invalidParameter('attributeValue can only be given with attributeName.');
    }
    const attributes = Object.values(state.containerInstances)
      .filter((r) => r.clusterName === cluster.clusterName && r.instance.status !== 'INACTIVE')
      .sort((a, b) => (a.instance.containerInstanceArn! < b.instance.containerInstanceArn! ? -1 : 1))
      .flatMap((r) =>
        (r.instance.attributes ?? [])
          .filter((a) => (input.attributeName === undefined || a.name === input.attributeName) && (input.attributeValue === undefined || a.value === input.attributeValue))
          .map((a) => targeted(a, r.instance)),
      );
    const page = paginate(attributes, input.nextToken, input.maxResults, 100, EcsErrors.invalidToken);
    return { attributes: page.items, nextToken: page.nextToken };
  },
};
