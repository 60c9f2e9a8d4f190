/**
 * Most task-definition checks share one shape: resolve the revision (run by a service, or newest
 * in a family), inspect it, and report each problem in one sentence naming the revision and the
 * container. This factory holds that shape once.
 */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import type { CheckContext, CheckDefinition, CheckMeta } from '../types.js';
import { resolveTaskDef, taskDefRefSchema, type ResolvedTaskDef } from './task-definitions.js';

const baseParams = z.object({ taskDefinition: taskDefRefSchema, container: z.string().optional().describe('only this container (default: all)') });
type BaseParams = z.infer<typeof baseParams>;

export interface TaskDefInspection {
  /** Sentences, each naming what is wrong; empty means the check passes. */
  problems: string[];
  /** What was observed when it passes, e.g. "no container is privileged". */
  observed: string;
}

export function defineTaskDefCheck<E extends z.ZodRawShape = Record<never, never>>(
  def: CheckMeta & {
    extraParams?: E;
    inspect(td: TaskDefinition, params: BaseParams & z.infer<z.ZodObject<E>>, resolved: ResolvedTaskDef, ctx: CheckContext): TaskDefInspection | Promise<TaskDefInspection>;
  },
): CheckDefinition {
  const params = baseParams.extend(def.extraParams ?? ({} as E)).strict();
  return defineCheck({
    ...def,
    params,
    async run(ctx, raw) {
      const p = raw as BaseParams & z.infer<z.ZodObject<E>>;
      const resolved = await resolveTaskDef(ctx, p.taskDefinition);
      if (typeof resolved === 'string') return fail(resolved);
      const containers = (resolved.taskDefinition.containerDefinitions ?? []).map((c) => c.name);
      if (p.container && !containers.includes(p.container)) {
        return fail(`${capitalise(resolved.label)} has no container ${p.container} (containers: ${containers.join(', ')}).`, [resolved.arn]);
      }
      const r = await def.inspect(resolved.taskDefinition, p, resolved, ctx);
      return r.problems.length
        ? fail(`${capitalise(resolved.label)}: ${r.problems.join('; ')}.`, [resolved.arn])
        : pass(`${capitalise(resolved.label)}: ${r.observed}.`, [resolved.arn]);
    },
  }) as unknown as CheckDefinition;
}

export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
