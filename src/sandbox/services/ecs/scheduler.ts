/**
 * The sandbox's stand-in for the ECS scheduler: deployments reach their desired count at once,
 * tasks run immediately (on a container instance of the cluster when there is one), awsvpc tasks
 * get an ENI in EC2 (attached, with a public IP when assignPublicIp is ENABLED), bridge and host
 * mode containers get their port bindings, and stopping a service's task starts a replacement.
 */
import type { Cluster, ContainerDefinition, NetworkBinding, NetworkConfiguration, Service, Tag, Task } from '@aws-sdk/client-ecs';
import type { RequestContext } from '../types.js';
import { digits, hex, uuid } from '../ids.js';
import { addInterface, publicIpAddress } from '../ec2/handlers/network-interfaces.js';
import { defaultSecurityGroup, ec2State, freePrivateIp, getSecurityGroup, getSubnet } from '../ec2/state.js';
import { EcsErrors } from './errors.js';
import type { EcsState, TaskDefinitionRecord } from './state.js';
import { ecsArn, runningTasksOn } from './state.js';
import { updateCurrentRevisionCounts } from './handlers/service-deployments.js';

const MAX_STOPPED_TASKS = 100;
/** Amazon ECS service quota "Tasks per service". */
export const MAX_TASKS_PER_SERVICE = 5000;

/** What a task is launched with. */
export interface LaunchSpec {
  readonly cluster: Cluster;
  readonly record: TaskDefinitionRecord;
  readonly launchType: Task['launchType'];
  readonly capacityProviderName: string | undefined;
  readonly platformVersion: string | undefined;
  readonly networkConfiguration: NetworkConfiguration | undefined;
  readonly startedBy: string | undefined;
  readonly group: string;
  readonly tags: Tag[];
  /** The container instance to place it on (StartTask); otherwise the scheduler picks one. */
  readonly containerInstanceArn?: string;
}

/** A new deployment id, `ecs-svc/` + 19 digits as in AWS. */
export function deploymentId(): string {
  return `ecs-svc/${digits(19)}`;
}

/**
 * Checks an awsvpc network configuration against EC2 and fills in defaults: the VPC's default
 * security group when none is given (as AWS does), assignPublicIp DISABLED.
 */
export function resolveNetwork(ctx: RequestContext, record: TaskDefinitionRecord, network: NetworkConfiguration | undefined): NetworkConfiguration | undefined {
  const awsvpc = record.taskDefinition.networkMode === 'awsvpc';
  if (!awsvpc) {
    if (network?.awsvpcConfiguration) {
      throw EcsErrors.invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
    }
    return undefined;
  }
  const config = network?.awsvpcConfiguration;
  if (!config) throw EcsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  const subnets = config.subnets ?? [];
  if (subnets.length === 0) throw EcsErrors.invalidParameter('subnets can not be empty.');
  if (subnets.length > 16) throw EcsErrors.invalidParameter('awsvpcConfiguration can have at most 16 subnets.');
  const ec2 = ec2State(ctx);
  const vpcIds = new Set<string>();
  for (const id of subnets) {
    try {
      vpcIds.add(getSubnet(ec2, id).VpcId!);
    } catch {
      throw EcsErrors.invalidParameter(`Error retrieving subnet information for [${id}]: The subnet ID '${id}' does not exist (ECS)`);
    }
  }
  if (vpcIds.size > 1) throw EcsErrors.invalidParameter('The subnets must all belong to the same VPC.');
  const vpcId = [...vpcIds][0]!;
  let groups = config.securityGroups ?? [];
  if (groups.length > 5) throw EcsErrors.invalidParameter('awsvpcConfiguration can have at most 5 security groups.');
  for (const id of groups) {
    let group;
    try {
      group = getSecurityGroup(ec2, id);
    } catch {
      throw EcsErrors.invalidParameter(`Error retrieving security group information for [${id}]: The security group '${id}' does not exist (ECS)`);
    }
    if (group.VpcId !== vpcId) throw EcsErrors.invalidParameter('Security groups and subnets must belong to the same VPC.');
  }
  if (groups.length === 0) {
    const fallback = defaultSecurityGroup(ec2, vpcId);
    groups = fallback ? [fallback.GroupId!] : [];
  }
  return { awsvpcConfiguration: { subnets: [...subnets], securityGroups: [...groups], assignPublicIp: config.assignPublicIp ?? 'DISABLED' } };
}

function pickContainerInstance(state: EcsState, clusterName: string): string | undefined {
  const candidates = Object.entries(state.containerInstances)
    // An instance whose agent is disconnected (its EC2 host stopped) gets no new tasks.
    .filter(([, r]) => r.clusterName === clusterName && r.instance.status === 'ACTIVE' && r.instance.agentConnected !== false)
    .map(([, r]) => r.instance);
  if (candidates.length === 0) return undefined;
  const load = (arn: string) => runningTasksOn(state, arn).length;
  candidates.sort((a, b) => load(a.containerInstanceArn!) - load(b.containerInstanceArn!));
  return candidates[0]!.containerInstanceArn;
}

/** Docker's ephemeral host port range, where a bridge mapping without a host port lands. */
const EPHEMERAL_PORTS = { first: 32768, last: 60999 };

/** Host ports already bound by the running tasks on a container instance (or on none). */
function boundPorts(state: EcsState, containerInstanceArn: string | undefined): Set<number> {
  const ports = new Set<number>();
  for (const t of runningTasksOn(state, containerInstanceArn)) {
    for (const c of t.containers ?? []) for (const b of c.networkBindings ?? []) if (b.hostPort !== undefined) ports.add(b.hostPort);
  }
  return ports;
}

/**
 * A bridge or host mode container's port bindings. A bridge mapping without a host port gets the
 * next ephemeral port not in `taken`, which then holds every port bound.
 */
function networkBindings(container: ContainerDefinition, taken: Set<number>): NetworkBinding[] {
  return (container.portMappings ?? []).map((p) => {
    let hostPort = p.hostPort ?? 0;
    if (hostPort === 0) {
      hostPort = EPHEMERAL_PORTS.first;
      while (taken.has(hostPort) && hostPort < EPHEMERAL_PORTS.last) hostPort++;
    }
    taken.add(hostPort);
    return { bindIP: '0.0.0.0', containerPort: p.containerPort, hostPort, protocol: p.protocol ?? 'tcp' };
  });
}

/**
 * Starts one task.
 * @returns undefined when the task needs an ENI and no subnet of its network configuration has a
 * free address left (ECS: RESOURCE:ENI); nothing is changed then.
 */
export function launchTask(ctx: RequestContext, state: EcsState, spec: LaunchSpec): Task | undefined {
  const id = hex(32);
  const clusterName = spec.cluster.clusterName!;
  const td = spec.record.taskDefinition;
  const taskArn = ecsArn(ctx, `task/${clusterName}/${id}`);
  const fargate = spec.launchType === 'FARGATE' || (spec.capacityProviderName ?? '').startsWith('FARGATE');
  const containerInstanceArn = fargate ? undefined : (spec.containerInstanceArn ?? pickContainerInstance(state, clusterName));
  const instance = containerInstanceArn ? Object.values(state.containerInstances).find((r) => r.instance.containerInstanceArn === containerInstanceArn) : undefined;
  const ec2 = ec2State(ctx);
  let availabilityZone = instance?.instance.attributes?.find((a) => a.name === 'ecs.availability-zone')?.value;
  const attachments: Task['attachments'] = [];
  const config = spec.networkConfiguration?.awsvpcConfiguration;
  let privateIp: string | undefined;
  if (config?.subnets?.length) {
    // Spread over the subnets in turn, skipping full ones.
    const running = Object.values(state.tasks).filter((t) => t.lastStatus === 'RUNNING').length;
    let subnet: ReturnType<typeof getSubnet> | undefined;
    for (let k = 0; k < config.subnets.length && !privateIp; k++) {
      subnet = getSubnet(ec2, config.subnets[(running + k) % config.subnets.length]!);
      privateIp = freePrivateIp(ec2, subnet);
    }
    if (!subnet || !privateIp) return undefined;
    availabilityZone = subnet.AvailabilityZone;
    const attachmentId = uuid();
    // ECS attaches the task's own interface (device 1), on the container instance for EC2 tasks.
    const eni = addInterface(ctx, ec2, {
      subnet,
      groups: (config.securityGroups ?? []).map((g) => ({ GroupId: g, GroupName: ec2.securityGroups[g]?.GroupName })),
      privateIpAddress: privateIp,
      publicIp: config.assignPublicIp === 'ENABLED' ? publicIpAddress() : undefined,
      description: ecsArn(ctx, `attachment/${attachmentId}`),
      requesterId: '578734482556',
      attachment: {
        AttachmentId: `ela-attach-${hex(8)}`,
        AttachTime: ctx.now,
        DeleteOnTermination: false,
        DeviceIndex: 1,
        NetworkCardIndex: 0,
        InstanceId: instance?.instance.ec2InstanceId,
        InstanceOwnerId: instance ? ctx.account : undefined,
        Status: 'attached',
      },
    });
    attachments.push({
      id: attachmentId,
      type: 'ElasticNetworkInterface',
      status: 'ATTACHED',
      details: [
        { name: 'subnetId', value: subnet.SubnetId },
        { name: 'networkInterfaceId', value: eni.NetworkInterfaceId },
        { name: 'macAddress', value: eni.MacAddress },
        { name: 'privateIPv4Address', value: privateIp },
      ],
    });
  }
  // awsvpc tasks use their own ENI's ports; the others share the host's.
  const hostPorts = td.networkMode === 'awsvpc' || td.networkMode === 'none' ? undefined : boundPorts(state, containerInstanceArn);
  const platformVersion = fargate ? (spec.platformVersion === undefined || spec.platformVersion === 'LATEST' ? '1.4.0' : spec.platformVersion) : undefined;
  const task: Task = {
    taskArn,
    clusterArn: spec.cluster.clusterArn,
    taskDefinitionArn: td.taskDefinitionArn,
    containerInstanceArn,
    overrides: { containerOverrides: (td.containerDefinitions ?? []).map((c) => ({ name: c.name })), inferenceAcceleratorOverrides: [] },
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    cpu: td.cpu ?? String((td.containerDefinitions ?? []).reduce((n, c) => n + (c.cpu ?? 0), 0)),
    memory: td.memory ?? String((td.containerDefinitions ?? []).reduce((n, c) => n + (c.memory ?? c.memoryReservation ?? 0), 0)),
    containers: (td.containerDefinitions ?? []).map((c) => ({
      containerArn: ecsArn(ctx, `container/${clusterName}/${id}/${uuid()}`),
      taskArn,
      name: c.name,
      image: c.image,
      lastStatus: 'RUNNING',
      networkBindings: hostPorts ? networkBindings(c, hostPorts) : [],
      networkInterfaces: privateIp ? [{ attachmentId: attachments[0]!.id, privateIpv4Address: privateIp }] : [],
      healthStatus: 'UNKNOWN',
      cpu: String(c.cpu ?? 0),
      memory: c.memory !== undefined ? String(c.memory) : undefined,
      memoryReservation: c.memoryReservation !== undefined ? String(c.memoryReservation) : undefined,
    })),
    startedBy: spec.startedBy,
    version: 2,
    connectivity: 'CONNECTED',
    connectivityAt: ctx.now,
    pullStartedAt: ctx.now,
    pullStoppedAt: ctx.now,
    createdAt: ctx.now,
    startedAt: ctx.now,
    group: spec.group,
    launchType: spec.launchType,
    capacityProviderName: spec.capacityProviderName,
    platformVersion,
    platformFamily: fargate ? 'Linux' : undefined,
    attachments,
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone,
    healthStatus: 'UNKNOWN',
    enableExecuteCommand: false,
    ephemeralStorage: fargate ? { sizeInGiB: 20 } : undefined,
    tags: spec.tags,
  };
  state.tasks[id] = task;
  return task;
}

/** Stops a task and releases its ENI. */
export function stopTask(ctx: RequestContext, state: EcsState, task: Task, reason: string, stopCode: Task['stopCode'] = 'UserInitiated'): void {
  if (task.lastStatus === 'STOPPED') return;
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'STOPPED';
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  task.stoppingAt = ctx.now;
  task.stoppedAt = ctx.now;
  task.executionStoppedAt = ctx.now;
  task.connectivity = 'DISCONNECTED';
  for (const c of task.containers ?? []) {
    c.lastStatus = 'STOPPED';
    c.exitCode = 0;
  }
  const ec2 = ec2State(ctx);
  for (const attachment of task.attachments ?? []) {
    attachment.status = 'DELETED';
    const eni = attachment.details?.find((d) => d.name === 'networkInterfaceId')?.value;
    if (eni) delete ec2.networkInterfaces[eni];
  }
  pruneStopped(state);
}

function pruneStopped(state: EcsState): void {
  const stopped = Object.entries(state.tasks).filter(([, t]) => t.lastStatus === 'STOPPED');
  if (stopped.length <= MAX_STOPPED_TASKS) return;
  stopped.sort((a, b) => (a[1].stoppedAt?.getTime() ?? 0) - (b[1].stoppedAt?.getTime() ?? 0));
  for (const [id] of stopped.slice(0, stopped.length - MAX_STOPPED_TASKS)) delete state.tasks[id];
}

/** Tags a service's task gets: propagated ones plus ECS-managed ones. */
export function serviceTaskTags(service: Service, record: TaskDefinitionRecord, clusterName: string): Tag[] {
  const tags: Tag[] = [];
  if (service.propagateTags === 'SERVICE') tags.push(...(service.tags ?? []));
  if (service.propagateTags === 'TASK_DEFINITION') tags.push(...record.tags);
  if (service.enableECSManagedTags) {
    tags.push({ key: 'aws:ecs:clusterName', value: clusterName }, { key: 'aws:ecs:serviceName', value: service.serviceName });
  }
  return tags.map((t) => ({ ...t }));
}

/**
 * Brings a service's tasks in line with its PRIMARY deployment: tasks of older deployments stop,
 * the task count becomes the desired count, and the deployment is COMPLETED at once.
 */
export function reconcileService(ctx: RequestContext, state: EcsState, service: Service, record: TaskDefinitionRecord | undefined): void {
  const cluster = Object.values(state.clusters).find((c) => c.clusterArn === service.clusterArn);
  const primary = service.deployments?.[0];
  if (!cluster || !primary) return;
  const group = `service:${service.serviceName}`;
  const running = () => Object.values(state.tasks).filter((t) => t.clusterArn === cluster.clusterArn && t.group === group && t.lastStatus === 'RUNNING');
  for (const task of running()) {
    if (task.startedBy !== primary.id) stopTask(ctx, state, task, `Task stopped by deployment ${primary.id}.`, 'ServiceSchedulerInitiated');
  }
  const wanted = service.status === 'ACTIVE' ? (service.desiredCount ?? 0) : 0;
  // The "tasks per service" quota; it also bounds the work one request can cause.
  const desired = Math.min(wanted, MAX_TASKS_PER_SERVICE);
  if (wanted > desired) {
    addServiceEvent(ctx, service, `(service ${service.serviceName}) is unable to consistently start tasks: the quota of ${MAX_TASKS_PER_SERVICE} tasks per service is reached.`);
  }
  let current = running();
  while (current.length > desired) {
    stopTask(ctx, state, current.pop()!, 'Scaling activity initiated by (deployment ' + primary.id + ')', 'ServiceSchedulerInitiated');
  }
  if (record) {
    const strategy = primary.capacityProviderStrategy?.[0]?.capacityProvider;
    for (let i = current.length; i < desired; i++) {
      const task = launchTask(ctx, state, {
        cluster,
        record,
        launchType: primary.launchType,
        capacityProviderName: strategy,
        platformVersion: primary.platformVersion,
        networkConfiguration: primary.networkConfiguration,
        startedBy: primary.id,
        group,
        tags: serviceTaskTags(service, record, cluster.clusterName!),
      });
      if (!task) {
        addServiceEvent(ctx, service, `(service ${service.serviceName}) was unable to place a task because no subnet of its network configuration has a free IP address.`);
        break;
      }
    }
  }
  current = running();
  primary.runningCount = current.length;
  primary.pendingCount = 0;
  primary.desiredCount = wanted;
  primary.updatedAt = ctx.now;
  primary.rolloutState = 'COMPLETED';
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
  service.deployments = [primary];
  service.runningCount = current.length;
  service.pendingCount = 0;
  updateCurrentRevisionCounts(service);
  addServiceEvent(ctx, service, `(service ${service.serviceName}) has reached a steady state.`);
}

/** Adds a service event (newest first, at most 50 kept). */
export function addServiceEvent(ctx: RequestContext, service: Service, message: string): void {
  service.events = [{ id: uuid(), createdAt: ctx.now, message }, ...(service.events ?? [])].slice(0, 50);
}
