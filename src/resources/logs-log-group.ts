/** `logs-log-group`: a CloudWatch Logs log group, tagged in the create call. */
import type { CloudWatchLogs } from '@aws-sdk/client-cloudwatch-logs';
import { z } from 'zod';
import { allPages, assertLabOwned, ignoreNotFound } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { defineResourceKind, isLabTagged, tagsFor } from './types.js';

/** The retention periods CloudWatch Logs accepts. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const schema = z.strictObject({
  type: z.literal('logs-log-group'),
  name: z.string().regex(/^[\w#/.-]{1,512}$/, 'a log group name such as /ecs-lab/tasks').describe('Log group name, e.g. /ecs-lab/tasks.'),
  retentionDays: z.literal(RETENTION_DAYS).optional().describe('Days to keep events; omitted means forever.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

const arnOf = (ctx: ResourceContext, name: string) => `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${name}`;

/** The tags of a log group, or null when no group has exactly that name. */
async function groupTags(ctx: ResourceContext, logs: CloudWatchLogs, name: string): Promise<Record<string, string> | null> {
  const out = await logs.describeLogGroups({ logGroupNamePrefix: name });
  if (!(out.logGroups ?? []).some((g) => g.logGroupName === name)) return null;
  const tags = await ignoreNotFound(() => logs.listTagsForResource({ resourceArn: arnOf(ctx, name) }));
  return tags ? (tags.tags ?? {}) : null;
}

export const logsLogGroup = defineResourceKind({
  type: 'logs-log-group',
  description: 'A CloudWatch Logs log group.',
  schema,
  order: 15,
  async ensure(ctx, spec) {
    const logs = await ctx.aws.logs();
    const arn = arnOf(ctx, spec.name);
    const tags = await groupTags(ctx, logs, spec.name);
    if (tags) {
      assertLabOwned(`Log group ${spec.name}`, tags);
      return { type: spec.type, name: spec.name, id: spec.name, arn, status: 'found' };
    }
    await logs.createLogGroup({ logGroupName: spec.name, tags: tagsFor(ctx, spec) });
    if (spec.retentionDays !== undefined) await logs.putRetentionPolicy({ logGroupName: spec.name, retentionInDays: spec.retentionDays });
    return { type: spec.type, name: spec.name, id: spec.name, arn, status: 'created' };
  },
  async findLabTagged(ctx) {
    const logs = await ctx.aws.logs();
    const groups = await allPages((nextToken) => logs.describeLogGroups({ nextToken }), (p) => p.logGroups, (p) => p.nextToken);
    const found: LabResource[] = [];
    for (const g of groups) {
      const name = g.logGroupName ?? '';
      const out = await ignoreNotFound(() => logs.listTagsForResource({ resourceArn: arnOf(ctx, name) }));
      const tags = out?.tags ?? {};
      if (isLabTagged(tags)) found.push({ type: 'logs-log-group', name, id: name, arn: arnOf(ctx, name), tags });
    }
    return found;
  },
  async remove(ctx, resource) {
    const logs = await ctx.aws.logs();
    await ignoreNotFound(() => logs.deleteLogGroup({ logGroupName: resource.name }));
    return [`log group ${resource.name}`];
  },
  async lookup(ctx, name) {
    const logs = await ctx.aws.logs();
    const tags = await groupTags(ctx, logs, name);
    return tags ? { arn: arnOf(ctx, name), id: name, tags } : null;
  },
});
