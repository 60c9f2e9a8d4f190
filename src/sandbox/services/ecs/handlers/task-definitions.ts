/** ECS task definitions: register, describe, list, deregister, delete. */
import type { ContainerDefinition, ECS, Failure, RegisterTaskDefinitionRequest, TaskDefinition } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { outputOf } from '../../clone.js';
import { paginate } from '../../paging.js';
import { EcsErrors } from '../errors.js';
import type { EcsState, TaskDefinitionRecord } from '../state.js';
import { checkTags, ecsArn, ecsState, findTaskDefinition, parseTaskDefinitionId } from '../state.js';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;
const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'];
const LOG_DRIVERS = ['json-file', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'awsfirelens'];
const FARGATE_CAPABILITIES = ['SYS_PTRACE'];

/** first, first + step, … up to last (inclusive). */
function steps(first: number, last: number, step: number): number[] {
  const out: number[] = [];
  for (let n = first; n <= last; n += step) out.push(n);
  return out;
}

/**
 * The task sizes Fargate offers on Linux: CPU units to the memory (MiB) each can be paired with
 * (the "Task CPU and memory" table of the ECS developer guide). Fargate on Windows offers a
 * subset of these, so a Windows revision is judged by the Linux table too (more leniently than AWS).
 */
const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, steps(1024, 4096, 1024)],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
]);

/**
 * A task-level cpu or memory value in CPU units or MiB. RegisterTaskDefinition takes a plain
 * number or one in vCPUs or GB ("1 vCPU", "0.5 GB", 1,024 units each); the revision keeps the
 * text as given. NaN when the text is neither.
 */
function taskSize(value: string, unit: 'vcpu' | 'gb'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return NaN;
  if (!m[2]) return Number(m[1]);
  return m[2].toLowerCase() === unit ? Number(m[1]) * 1024 : NaN;
}

/** Whether Fargate offers a task of this cpu and memory. */
function fargateSizeExists(cpu: string, memory: string): boolean {
  return FARGATE_SIZES.get(taskSize(cpu, 'vcpu'))?.includes(taskSize(memory, 'gb')) ?? false;
}

/**
 * Fargate runs only the sizes of its table; ECS names the pair it got, in CPU units and MiB
 * (aws-games/cloud-game-development-toolkit#737).
 */
function checkFargateSize(cpu: string, memory: string): void {
  if (fargateSizeExists(cpu, memory)) return;
  const shown = (text: string, n: number) => (Number.isNaN(n) ? text : String(n));
  throw EcsErrors.client(
    `No Fargate configuration exists for given values: ${shown(cpu, taskSize(cpu, 'vcpu'))} CPU, ${shown(memory, taskSize(memory, 'gb'))} memory. See the Amazon ECS documentation for the valid values.`,
  );
}

/**
 * An awsvpc task has its own ENI, so a container port is published on it as is: a host port may
 * be left out (it is then the container port) but cannot name another one, 0 included
 * (pulumi/pulumi-awsx#935, aws/amazon-ecs-cli#1014).
 */
function checkAwsvpcPorts(c: ContainerDefinition): void {
  if ((c.portMappings ?? []).some((p) => p.hostPort !== undefined && p.hostPort !== p.containerPort)) {
    throw EcsErrors.client('When networkMode=awsvpc, the host ports and container ports in port mappings must match.');
  }
}

/**
 * ECS fetches secrets (container secrets and log driver secretOptions) with the task execution
 * role, so a revision that has some needs one (hashicorp/terraform-provider-aws#6503). The message
 * is the one for container secrets; that secretOptions alone get the same one is not verified.
 */
function checkSecretsRole(input: RegisterTaskDefinitionRequest): void {
  if (input.executionRoleArn) return;
  const secrets = (input.containerDefinitions ?? []).flatMap((c) => [...(c.secrets ?? []), ...(c.logConfiguration?.secretOptions ?? [])]);
  if (secrets.length > 0) throw EcsErrors.client("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
}

function validateContainer(c: ContainerDefinition, input: RegisterTaskDefinitionRequest, fargate: boolean): void {
  if (!c.name) throw EcsErrors.client('Container.name should not be null or empty.');
  if (!c.image) throw EcsErrors.client('Container.image should not be null or empty.');
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(c.name)) throw EcsErrors.client(`Container name '${c.name}' contains invalid characters.`);
  if (!input.memory && c.memory === undefined && c.memoryReservation === undefined) {
    throw EcsErrors.client(`Invalid setting for container '${c.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
  }
  if (c.memory !== undefined && c.memoryReservation !== undefined && c.memoryReservation > c.memory) {
    throw EcsErrors.client(`Invalid setting for container '${c.name}'. 'memoryReservation' must be less than or equal to 'memory'.`);
  }
  const driver = c.logConfiguration?.logDriver;
  if (driver !== undefined && !LOG_DRIVERS.includes(driver)) {
    throw EcsErrors.client(`Log driver ${driver} is not supported. Supported log drivers: ${LOG_DRIVERS.join(', ')}.`);
  }
  for (const s of [...(c.secrets ?? []), ...(c.logConfiguration?.secretOptions ?? [])]) {
    if (!s.name || !s.valueFrom) throw EcsErrors.client(`Invalid secret for container '${c.name}': name and valueFrom are required.`);
  }
  for (const e of c.environment ?? []) {
    if (!e.name) throw EcsErrors.client(`Invalid environment variable for container '${c.name}': name is required.`);
  }
  if (fargate) {
    if (driver !== undefined && !['awslogs', 'splunk', 'awsfirelens'].includes(driver)) {
      throw EcsErrors.client(`Fargate only supports the awslogs, splunk and awsfirelens log drivers; container '${c.name}' uses ${driver}.`);
    }
    if (c.privileged) throw EcsErrors.client(`Privileged containers are not supported on Fargate (container '${c.name}').`);
    const added = c.linuxParameters?.capabilities?.add ?? [];
    const unsupported = added.filter((cap) => !FARGATE_CAPABILITIES.includes(cap));
    if (unsupported.length > 0) {
      throw EcsErrors.client(`Fargate only supports adding the SYS_PTRACE kernel capability; container '${c.name}' adds ${unsupported.join(', ')}.`);
    }
    if (c.linuxParameters?.devices?.length) throw EcsErrors.client('Fargate does not support devices in linuxParameters.');
  }
}

function validate(input: RegisterTaskDefinitionRequest): void {
  const family = input.family ?? '';
  if (!FAMILY.test(family)) {
    throw EcsErrors.client('Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.');
  }
  const containers = input.containerDefinitions ?? [];
  if (containers.length === 0) throw EcsErrors.client('Container list cannot be empty.');
  if (containers.length > 10) throw EcsErrors.client('Too many containers: a task definition can have at most 10.');
  const names = containers.map((c) => c.name);
  if (new Set(names).size !== names.length) throw EcsErrors.client('Container names must be unique within a task definition.');
  const mode = input.networkMode ?? 'bridge';
  if (!NETWORK_MODES.includes(mode)) throw EcsErrors.client(`Invalid networkMode: ${mode}.`);
  if (input.pidMode && !['host', 'task'].includes(input.pidMode)) throw EcsErrors.client(`Invalid pidMode: ${input.pidMode}.`);
  const fargate = (input.requiresCompatibilities ?? []).includes('FARGATE');
  if (fargate) {
    if (mode !== 'awsvpc') throw EcsErrors.client("Fargate only supports network mode 'awsvpc'.");
    if (!input.cpu) throw EcsErrors.client("Fargate requires that 'cpu' be defined at the task level.");
    if (!input.memory) throw EcsErrors.client("Fargate requires that 'memory' be defined at the task level.");
    if (input.pidMode === 'host') throw EcsErrors.client("Fargate does not support pidMode 'host'.");
    if (input.ipcMode) throw EcsErrors.client('Fargate does not support ipcMode.');
    checkFargateSize(input.cpu, input.memory);
  }
  for (const c of containers) {
    validateContainer(c, input, fargate);
    if (mode === 'awsvpc') checkAwsvpcPorts(c);
  }
  checkSecretsRole(input);
}

/** Whether a revision can run on Fargate (its `compatibilities` then list FARGATE), asked for or not. */
function fargateCompatible(input: RegisterTaskDefinitionRequest): boolean {
  if ((input.networkMode ?? 'bridge') !== 'awsvpc' || !input.cpu || !input.memory || input.pidMode === 'host' || input.ipcMode) return false;
  if (!fargateSizeExists(input.cpu, input.memory)) return false;
  return (input.containerDefinitions ?? []).every(
    (c) => !c.privileged && (c.linuxParameters?.capabilities?.add ?? []).every((cap) => FARGATE_CAPABILITIES.includes(cap)),
  );
}

function normaliseContainer(c: ContainerDefinition, networkMode: string): ContainerDefinition {
  // Defaults as DescribeTaskDefinition shows them. A bridge-mode port without a host port is a
  // dynamic mapping, shown as hostPort 0; awsvpc and host mode map the container port itself.
  const { portMappings, ...rest } = c;
  const defaultHostPort = (containerPort: number | undefined) => (networkMode === 'bridge' ? 0 : containerPort);
  return {
    cpu: 0,
    essential: true,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    systemControls: [],
    ...rest,
    portMappings: (portMappings ?? []).map((p) => ({ ...p, hostPort: p.hostPort ?? defaultHostPort(p.containerPort), protocol: p.protocol ?? 'tcp' })),
  };
}

/**
 * The agent capabilities a revision needs (`requiresAttributes`), as ECS derives them from its
 * parameters: the awslogs driver, task and execution roles, task ENIs, secrets, private ECR
 * pulls, privileged containers.
 */
function requiredAttributes(input: RegisterTaskDefinitionRequest): { name: string }[] {
  const names = new Set<string>();
  const containers = input.containerDefinitions ?? [];
  if (containers.some((c) => c.logConfiguration?.logDriver === 'awslogs')) {
    names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
    names.add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
    if (input.executionRoleArn) names.add('ecs.capability.execution-role-awslogs');
  }
  if (input.taskRoleArn) names.add('com.amazonaws.ecs.capability.task-iam-role');
  if (input.networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  const secrets = containers.flatMap((c) => [...(c.secrets ?? []), ...(c.logConfiguration?.secretOptions ?? [])]);
  if (secrets.some((x) => x.valueFrom?.startsWith('arn:aws:secretsmanager:'))) names.add('ecs.capability.secrets.asm.environment-variables');
  if (secrets.some((x) => !x.valueFrom?.startsWith('arn:aws:secretsmanager:'))) names.add('ecs.capability.secrets.ssm.environment-variables');
  if (input.executionRoleArn && containers.some((c) => /^[0-9]{12}\.dkr\.ecr\./.test(c.image ?? ''))) {
    names.add('com.amazonaws.ecs.capability.ecr-auth');
    names.add('ecs.capability.execution-role-ecr-pull');
  }
  if (containers.some((c) => c.privileged === true)) names.add('com.amazonaws.ecs.capability.privileged-container');
  return [...names].map((name) => ({ name }));
}

/** Registers a revision (also used by scenario-independent callers such as RunTask tests). */
export function registerTaskDefinition(ctx: RequestContext, state: EcsState, input: RegisterTaskDefinitionRequest): TaskDefinitionRecord {
  validate(input);
  const family = input.family!;
  const revisions = (state.taskDefinitions[family] ??= []);
  const revision = revisions.length + 1;
  const compatibilities: TaskDefinition['compatibilities'] = ['EC2'];
  if ((input.networkMode ?? 'bridge') !== 'awsvpc') compatibilities.unshift('EXTERNAL');
  if (fargateCompatible(input)) compatibilities.push('FARGATE');
  const taskDefinition: TaskDefinition = {
    taskDefinitionArn: ecsArn(ctx, `task-definition/${family}:${revision}`),
    containerDefinitions: (input.containerDefinitions ?? []).map((c) => normaliseContainer(c, input.networkMode ?? 'bridge')),
    family,
    taskRoleArn: input.taskRoleArn,
    executionRoleArn: input.executionRoleArn,
    networkMode: input.networkMode ?? 'bridge',
    revision,
    volumes: input.volumes ?? [],
    status: 'ACTIVE',
    requiresAttributes: requiredAttributes(input),
    placementConstraints: input.placementConstraints ?? [],
    compatibilities,
    runtimePlatform: input.runtimePlatform,
    requiresCompatibilities: input.requiresCompatibilities,
    cpu: input.cpu,
    memory: input.memory,
    inferenceAccelerators: input.inferenceAccelerators,
    pidMode: input.pidMode,
    ipcMode: input.ipcMode,
    proxyConfiguration: input.proxyConfiguration,
    registeredAt: ctx.now,
    registeredBy: ctx.principal.arn,
    ephemeralStorage: input.ephemeralStorage,
    enableFaultInjection: input.enableFaultInjection,
  };
  const record: TaskDefinitionRecord = { taskDefinition, tags: checkTags(input.tags) };
  revisions.push(record);
  return record;
}

function describeFailure(): never {
  throw EcsErrors.client('Unable to describe task definition.');
}

function requireRevision(state: EcsState, identifier: string): TaskDefinitionRecord {
  const { revision } = parseTaskDefinitionId(identifier);
  if (revision === undefined || Number.isNaN(revision)) {
    throw EcsErrors.invalidParameter(`Invalid revision number. Number: ${identifier.split(':').pop() ?? identifier}`);
  }
  const record = findTaskDefinition(state, identifier);
  if (!record || record.taskDefinition.status === 'DELETE_IN_PROGRESS') {
    throw EcsErrors.client('The specified task definition does not exist. Specify a valid task definition and try again.');
  }
  return record;
}

/** Task definition operations. */
export const taskDefinitionHandlers: HandlerMap<ECS> = {
  RegisterTaskDefinition(input, ctx) {
    const record = registerTaskDefinition(ctx, ecsState(ctx), input);
    // Tags come back only when some were given (as in the RegisterTaskDefinition examples).
    return { taskDefinition: outputOf(ctx, record.taskDefinition), tags: record.tags.length > 0 ? outputOf(ctx, record.tags) : undefined };
  },

  DescribeTaskDefinition(input, ctx) {
    const record = findTaskDefinition(ecsState(ctx), input.taskDefinition!) ?? describeFailure();
    const withTags = (input.include ?? []).includes('TAGS');
    return { taskDefinition: outputOf(ctx, record.taskDefinition), tags: withTags ? outputOf(ctx, record.tags) : undefined };
  },

  DeregisterTaskDefinition(input, ctx) {
    const record = requireRevision(ecsState(ctx), input.taskDefinition!);
    if (record.taskDefinition.status === 'ACTIVE') {
      record.taskDefinition.status = 'INACTIVE';
      record.taskDefinition.deregisteredAt = ctx.now;
    }
    return { taskDefinition: outputOf(ctx, record.taskDefinition) };
  },

  DeleteTaskDefinitions(input, ctx) {
    const state = ecsState(ctx);
    const ids = input.taskDefinitions ?? [];
    if (ids.length > 10) throw EcsErrors.invalidParameter('taskDefinitions can have at most 10 items.');
    const taskDefinitions: TaskDefinition[] = [];
    const failures: Failure[] = [];
    for (const id of ids) {
      const record = findTaskDefinition(state, id);
      const { revision } = parseTaskDefinitionId(id);
      if (!record || revision === undefined) {
        failures.push({ arn: id, reason: 'The specified task definition does not exist. Specify a valid task definition and try again.' });
      } else if (record.taskDefinition.status === 'ACTIVE') {
        failures.push({ arn: record.taskDefinition.taskDefinitionArn, reason: 'The specified task definition is still in ACTIVE status. Please deregister the target and try again.' });
      } else {
        record.taskDefinition.status = 'DELETE_IN_PROGRESS';
        taskDefinitions.push(outputOf(ctx, record.taskDefinition));
      }
    }
    return { taskDefinitions, failures };
  },

  ListTaskDefinitions(input, ctx) {
    const state = ecsState(ctx);
    const status = input.status ?? 'ACTIVE';
    // familyPrefix is the full family name for this operation (unlike ListTaskDefinitionFamilies).
    const families = input.familyPrefix ? [input.familyPrefix] : Object.keys(state.taskDefinitions).sort();
    let arns: string[] = [];
    for (const family of families) {
      for (const record of state.taskDefinitions[family] ?? []) {
        if (record.taskDefinition.status === status) arns.push(record.taskDefinition.taskDefinitionArn!);
      }
    }
    if (input.sort === 'DESC') arns = arns.reverse();
    const page = paginate(arns, input.nextToken, input.maxResults, 100, EcsErrors.invalidToken);
    return { taskDefinitionArns: page.items, nextToken: page.nextToken };
  },

  ListTaskDefinitionFamilies(input, ctx) {
    const state = ecsState(ctx);
    const status = input.status ?? 'ACTIVE';
    const families = Object.entries(state.taskDefinitions)
      .filter(([family]) => !input.familyPrefix || family.startsWith(input.familyPrefix))
      .filter(([, revisions]) => {
        const active = revisions.some((r) => r.taskDefinition.status === 'ACTIVE');
        const visible = revisions.some((r) => r.taskDefinition.status !== 'DELETE_IN_PROGRESS') || revisions.length > 0;
        if (status === 'ACTIVE') return active;
        if (status === 'INACTIVE') return !active && visible;
        return visible;
      })
      .map(([family]) => family)
      .sort();
    const page = paginate(families, input.nextToken, input.maxResults, 100, EcsErrors.invalidToken);
    return { families: page.items, nextToken: page.nextToken };
  },
};
