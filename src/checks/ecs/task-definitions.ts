/**
 * Shared reads for ECS checks: the revision a service actually runs (its PRIMARY deployment's task
 * definition, not the newest in the family), and the newest ACTIVE revision of a family (what
 * the learner prepared). Reads go through the run's memo, so a scenario's checks share them, and
 * services of one cluster are described together, ten per call.
 */
import type { ContainerDefinition, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import type { CheckContext } from '../types.js';
import { CREDENTIAL_NAME } from '../redact.js';

/** Which revision a check looks at: the one a service runs, or the newest of a family. */
export const taskDefRefSchema = z.union([
  z.object({ cluster: z.string(), service: z.string() }).strict().describe('the revision the service runs (its PRIMARY deployment)'),
  z.object({ family: z.string() }).strict().describe('the newest ACTIVE revision of the family'),
]);
export type TaskDefRef = z.infer<typeof taskDefRefSchema>;

export interface ResolvedTaskDef {
  /** e.g. "service lab-prod/metrics-agent (runs metrics-agent:3)" */
  label: string;
  arn: string;
  /** family:revision */
  name: string;
  taskDefinition: TaskDefinition;
  tags: Record<string, string>;
  service?: Service;
}

/** A service, described together with every other service of its cluster that the run asks for. */
export async function describeService(ctx: CheckContext, cluster: string, service: string): Promise<Service | undefined> {
  const wanted = [...new Set([...(ctx.wantedServices.get(cluster) ?? []), service])].sort();
  const batches: string[][] = [];
  for (let i = 0; i < wanted.length; i += 10) batches.push(wanted.slice(i, i + 10));
  const batch = batches.find((b) => b.includes(service))!;
  const out = await ctx.memo(`ecs:DescribeServices:${cluster}:${batch.join(',')}`, async () => {
    const ecs = await ctx.aws.ecs();
    return ecs.describeServices({ cluster, services: batch, include: ['TAGS'] });
  });
  return out.services?.find((s) => s.serviceName === service && s.status !== 'INACTIVE');
}

/** A task definition by ARN or family:revision, with its tags. */
export async function describeTaskDefinition(ctx: CheckContext, ref: string): Promise<{ taskDefinition: TaskDefinition; tags: Record<string, string> } | undefined> {
  const out = await ctx.memo(`ecs:DescribeTaskDefinition:${ref}`, async () => {
    const ecs = await ctx.aws.ecs();
    try {
      return await ecs.describeTaskDefinition({ taskDefinition: ref, include: ['TAGS'] });
    } catch (err) {
      if ((err as { code?: string }).code === 'ClientException') return undefined;
      throw err;
    }
  });
  if (!out?.taskDefinition) return undefined;
  for (const c of out.taskDefinition.containerDefinitions ?? []) registerSensitive(ctx, c);
  return { taskDefinition: out.taskDefinition, tags: Object.fromEntries((out.tags ?? []).map((t) => [t.key ?? '', t.value ?? ''])) };
}

/**
 * Every value read from an environment variable or a log option is sensitive: registered with
 * the redactor before any check can mention it.
 */
function registerSensitive(ctx: CheckContext, c: ContainerDefinition): void {
  for (const e of c.environment ?? []) if (e.name && CREDENTIAL_NAME.test(e.name)) ctx.sensitive(e.value);
  for (const [k, v] of Object.entries(c.logConfiguration?.options ?? {})) if (CREDENTIAL_NAME.test(k)) ctx.sensitive(v);
}

/** family:revision of an ARN. */
export function revisionName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Resolves a reference to the revision it means, or a sentence saying why there is none. */
export async function resolveTaskDef(ctx: CheckContext, ref: TaskDefRef): Promise<ResolvedTaskDef | string> {
  if ('family' in ref) {
    const list = await ctx.memo(`ecs:ListTaskDefinitions:${ref.family}`, async () => {
      const ecs = await ctx.aws.ecs();
      return ecs.listTaskDefinitions({ familyPrefix: ref.family, status: 'ACTIVE', sort: 'DESC' });
    });
    const newest = (list.taskDefinitionArns ?? [])
      .filter((a) => revisionName(a).replace(/:\d+$/, '') === ref.family)
      .sort((a, b) => Number(b.slice(b.lastIndexOf(':') + 1)) - Number(a.slice(a.lastIndexOf(':') + 1)))[0];
    if (!newest) return `Task definition family ${ref.family} has no ACTIVE revision.`;
    const td = await describeTaskDefinition(ctx, newest);
    if (!td) return `Task definition ${revisionName(newest)} could not be described.`;
    return { label: `task definition ${revisionName(newest)} (newest in family ${ref.family})`, arn: newest, name: revisionName(newest), ...td };
  }
  const svc = await describeService(ctx, ref.cluster, ref.service);
  if (!svc) return `Service ${ref.cluster}/${ref.service} does not exist.`;
  const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
  const arn = primary?.taskDefinition ?? svc.taskDefinition;
  if (!arn) return `Service ${ref.cluster}/${ref.service} has no deployment.`;
  const td = await describeTaskDefinition(ctx, arn);
  if (!td) return `Service ${ref.cluster}/${ref.service} runs ${revisionName(arn)}, which could not be described.`;
  return { label: `service ${ref.cluster}/${ref.service} (runs ${revisionName(arn)})`, arn, name: revisionName(arn), service: svc, ...td };
}

/** The containers a check applies to: one by name, or all. */
export function containersOf(td: TaskDefinition, name?: string): ContainerDefinition[] {
  const all = td.containerDefinitions ?? [];
  return name ? all.filter((c) => c.name === name) : all;
}
