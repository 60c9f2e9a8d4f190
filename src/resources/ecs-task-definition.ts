/**
 * `ecs-task-definition`: a task-definition family with one lab revision. A family counts as
 * existing when it has an ACTIVE revision carrying the lab tags of this run (the scenario tag
 * included, since several scenarios start different revisions of the same family, e.g.
 * `order-service`); then nothing is registered, so a learner's newer revision stays as it is.
 */
import type { ContainerDefinition, ECS, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { allPages, chunk } from './helpers.js';
import { roleArnFor } from './iam-role.js';
import type { LabResource, ResourceContext } from './types.js';
import { SCENARIO_TAG, defineResourceKind, errorCode, isLabTagged, lowerTags, tagMap, tagsFor } from './types.js';

const container = z
  .looseObject({
    name: z.string().min(1).describe('Container name.'),
    image: z.string().min(1).describe('Image reference, e.g. public.ecr.aws/nginx/nginx:1.27.'),
  })
  .describe('A container definition as in RegisterTaskDefinition; fields beyond name and image are passed through unchanged.');

const size = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]);

const schema = z.strictObject({
  type: z.literal('ecs-task-definition'),
  name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'a family name: letters, digits, - and _').describe('The task-definition family, or the name of this entry when family is given.'),
  family: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/)
    .optional()
    .describe('The family, when several entries start different revisions of it (each entry then registers its own revision).'),
  containerDefinitions: z.array(container).min(1).describe('Container definitions (SDK shape).'),
  networkMode: z.enum(['bridge', 'host', 'awsvpc', 'none']).optional().describe('Docker networking mode; awsvpc gives each task its own ENI.'),
  requiresCompatibilities: z.array(z.enum(['EC2', 'FARGATE', 'EXTERNAL'])).optional().describe('Launch types the revision is validated against.'),
  cpu: size.optional().describe('Task-level CPU units (required for Fargate), e.g. 256.'),
  memory: size.optional().describe('Task-level memory in MiB (required for Fargate), e.g. 512.'),
  taskRoleArn: z.string().min(1).optional().describe('Task role: a role name (turned into an ARN in this account) or an ARN.'),
  executionRoleArn: z.string().min(1).optional().describe('Execution role: a role name (turned into an ARN in this account) or an ARN.'),
  pidMode: z.enum(['host', 'task']).optional().describe('Process namespace; host shares the host\'s PIDs.'),
  ipcMode: z.enum(['host', 'task', 'none']).optional().describe('IPC namespace.'),
  volumes: z.array(z.looseObject({ name: z.string().min(1) })).optional().describe('Volumes (SDK shape).'),
  placementConstraints: z.array(z.looseObject({ type: z.literal('memberOf') })).optional().describe('Placement constraints (SDK shape).'),
  runtimePlatform: z
    .strictObject({ cpuArchitecture: z.enum(['X86_64', 'ARM64']).optional(), operatingSystemFamily: z.string().optional() })
    .optional()
    .describe('CPU architecture and OS family.'),
  ephemeralStorage: z.strictObject({ sizeInGiB: z.number().int().min(21).max(200) }).optional().describe('Fargate ephemeral storage.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags on the revision, e.g. environment: prod.'),
});

/** Codes a target answers with when it does not implement DeleteTaskDefinitions. */
const UNSUPPORTED = new Set(['UnknownOperationException', 'UnsupportedOperation', 'UnsupportedOperationException', 'NotImplemented', 'InvalidAction']);

/** A revision's family and number from its ARN (`...:task-definition/family:3`). */
function parseRevision(arn: string): { family: string; revision: number } {
  const tail = arn.slice(arn.lastIndexOf('/') + 1);
  const colon = tail.lastIndexOf(':');
  return { family: tail.slice(0, colon), revision: Number(tail.slice(colon + 1)) };
}

/** ARNs of a family's revisions in one status, newest first (ListTaskDefinitions matches a prefix). */
async function revisionArns(ecs: ECS, family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]> {
  const arns = await allPages(
    (nextToken) => ecs.listTaskDefinitions({ familyPrefix: family, status, sort: 'DESC', nextToken }),
    (p) => p.taskDefinitionArns,
    (p) => p.nextToken,
  );
  // Sorted here too: not every emulator honours `sort`.
  return arns.filter((a) => parseRevision(a).family === family).sort((a, b) => parseRevision(b).revision - parseRevision(a).revision);
}

async function revisionTags(ecs: ECS, arn: string): Promise<Record<string, string>> {
  const out = await ecs.describeTaskDefinition({ taskDefinition: arn, include: ['TAGS'] });
  return tagMap(out.tags);
}

/**
 * The newest ACTIVE revision of a family that carries the lab tag (and, when a scenario is given,
 * that scenario's tag); what a service naming only the family runs.
 */
export async function latestLabRevision(
  ctx: ResourceContext,
  family: string,
  scenario = ctx.scenario,
  entry?: string,
): Promise<{ arn: string; tags: Record<string, string> } | null> {
  const ecs = await ctx.aws.ecs();
  for (const arn of await revisionArns(ecs, family, 'ACTIVE')) {
    const tags = await revisionTags(ecs, arn);
    if (isLabTagged(tags, scenario) && (entry === undefined || tags[ENTRY_TAG] === entry)) return { arn, tags };
  }
  return null;
}

/**
 * Marks which spec entry registered a revision, when one family has several starting revisions
 * (tag-access: prod and dev run different revisions of `catalog`).
 */
const ENTRY_TAG = 'ecs-lab:revision';

export const ecsTaskDefinition = defineResourceKind({
  type: 'ecs-task-definition',
  description: 'A task-definition family with one lab-registered revision.',
  schema,
  order: 60,
  async ensure(ctx, spec) {
    const family = spec.family ?? spec.name;
    const entry = spec.family ? spec.name : undefined;
    const found = await latestLabRevision(ctx, family, ctx.scenario, entry);
    if (found) return { type: spec.type, name: spec.name, id: `${family}:${parseRevision(found.arn).revision}`, arn: found.arn, status: 'found' };
    const ecs = await ctx.aws.ecs();
    const { type: _type, name: _name, family: _family, tags: _tags, cpu, memory, taskRoleArn, executionRoleArn, containerDefinitions, ...rest } = spec;
    const name = family;
    const input: RegisterTaskDefinitionCommandInput = {
      ...(rest as Omit<RegisterTaskDefinitionCommandInput, 'family' | 'containerDefinitions'>),
      family: name,
      containerDefinitions: containerDefinitions as ContainerDefinition[],
      cpu: cpu === undefined ? undefined : String(cpu),
      memory: memory === undefined ? undefined : String(memory),
      taskRoleArn: taskRoleArn && roleArnFor(ctx, taskRoleArn),
      executionRoleArn: executionRoleArn && roleArnFor(ctx, executionRoleArn),
      tags: lowerTags({ ...tagsFor(ctx, spec), ...(entry ? { [ENTRY_TAG]: entry } : {}) }),
    };
    const out = await ecs.registerTaskDefinition(input);
    const arn = out.taskDefinition?.taskDefinitionArn ?? '';
    return { type: spec.type, name: spec.name, id: `${name}:${out.taskDefinition?.revision ?? ''}`, arn, status: 'created' };
  },
  /** One entry per family and scenario with an ACTIVE lab revision (INACTIVE ones are not leftovers). */
  async findLabTagged(ctx) {
    const ecs = await ctx.aws.ecs();
    const families = await allPages((nextToken) => ecs.listTaskDefinitionFamilies({ status: 'ACTIVE', nextToken }), (p) => p.families, (p) => p.nextToken);
    const found: LabResource[] = [];
    for (const family of families) {
      const byScenario = new Map<string, LabResource>();
      for (const arn of await revisionArns(ecs, family, 'ACTIVE')) {
        const tags = await revisionTags(ecs, arn);
        const key = tags[SCENARIO_TAG] ?? '';
        if (isLabTagged(tags) && !byScenario.has(key)) byScenario.set(key, { type: 'ecs-task-definition', name: family, id: family, arn, tags });
      }
      found.push(...byScenario.values());
    }
    return found;
  },
  /**
   * Deregisters every ACTIVE revision of the family (the learner's too: they live in a lab family)
   * except lab revisions of another scenario, then deletes what it deregistered.
   */
  async remove(ctx, resource) {
    const ecs = await ctx.aws.ecs();
    const scenario = resource.tags[SCENARIO_TAG];
    const removed: string[] = [];
    const deregistered: string[] = [];
    for (const arn of await revisionArns(ecs, resource.name, 'ACTIVE')) {
      const tags = await revisionTags(ecs, arn);
      if (isLabTagged(tags) && tags[SCENARIO_TAG] !== scenario) continue;
      await ecs.deregisterTaskDefinition({ taskDefinition: arn });
      deregistered.push(arn);
      removed.push(`task definition ${resource.name}:${parseRevision(arn).revision} (deregistered)`);
    }
    try {
      for (const batch of chunk(deregistered, 10)) await ecs.deleteTaskDefinitions({ taskDefinitions: batch });
    } catch (err) {
      // Deregistered revisions are inert; a target without DeleteTaskDefinitions leaves them INACTIVE.
      if (!UNSUPPORTED.has(errorCode(err))) throw err;
    }
    return removed;
  },
  /** `family` (its newest ACTIVE revision) or `family:revision`. */
  async lookup(ctx, name) {
    const ecs = await ctx.aws.ecs();
    try {
      const out = await ecs.describeTaskDefinition({ taskDefinition: name, include: ['TAGS'] });
      const td = out.taskDefinition;
      if (!td?.taskDefinitionArn) return null;
      return { arn: td.taskDefinitionArn, id: `${td.family}:${td.revision}`, tags: tagMap(out.tags) };
    } catch (err) {
      // ECS says "Unable to describe task definition" with a generic ClientException.
      if (errorCode(err) === 'ClientException') return null;
      throw err;
    }
  },
});
