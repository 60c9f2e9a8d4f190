/**
 * ECS.13/14/15 for tag-based access: clusters, services and the revisions they run carry the
 * environment tag of their cluster, and services propagate tags to their tasks (StopTask and
 * ExecuteCommand conditions read the task's tags).
 */
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import { describeService, resolveTaskDef } from './task-definitions.js';

export default defineCheck({
  id: 'ecs-environment-tagged',
  title: 'Clusters, services and task definitions carry their environment tag',
  severity: 'low',
  service: 'ecs',
  controls: ['ECS.13', 'ECS.14', 'ECS.15'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-using-tags.html'],
  remediation: 'aws ecs tag-resource --resource-arn ARN --tags key=environment,value=ENV for each cluster, service and task definition revision, and aws ecs update-service --propagate-tags SERVICE.',
  params: z
    .object({
      key: z.string().default('environment'),
      clusters: z.record(z.string(), z.string()).describe('cluster name -> environment value'),
      services: z.array(z.string()).describe('service names to check in every listed cluster'),
    })
    .strict(),
  async run(ctx, p) {
    const ecs = await ctx.aws.ecs();
    const problems: string[] = [];
    const arns: string[] = [];
    const out = await ctx.memo(`ecs:DescribeClusters:${Object.keys(p.clusters).join(',')}:TAGS`, () => ecs.describeClusters({ clusters: Object.keys(p.clusters), include: ['TAGS'] }));
    for (const [cluster, env] of Object.entries(p.clusters)) {
      const c = out.clusters?.find((x) => x.clusterName === cluster && x.status === 'ACTIVE');
      if (!c) {
        problems.push(`cluster ${cluster} does not exist`);
        continue;
      }
      arns.push(c.clusterArn ?? '');
      const tag = (tags: Array<{ key?: string; value?: string }> | undefined) => tags?.find((t) => t.key === p.key)?.value;
      const has = (what: string, v: string | undefined) => {
        if (v !== env) problems.push(`${what} ${v === undefined ? `has no ${p.key} tag` : `is tagged ${p.key}=${v}`}, expected ${env}`);
      };
      has(`cluster ${cluster}`, tag(c.tags));
      for (const name of p.services) {
        const svc = await describeService(ctx, cluster, name);
        if (!svc) {
          problems.push(`service ${cluster}/${name} does not exist`);
          continue;
        }
        arns.push(svc.serviceArn ?? '');
        has(`service ${cluster}/${name}`, tag(svc.tags));
        if (!svc.propagateTags || svc.propagateTags === 'NONE') problems.push(`service ${cluster}/${name} does not propagate tags to its tasks (propagateTags ${svc.propagateTags ?? 'NONE'})`);
        const td = await resolveTaskDef(ctx, { cluster, service: name });
        if (typeof td !== 'string') has(`task definition ${td.name} (run by ${cluster}/${name})`, td.tags[p.key]);
      }
    }
    if (problems.length) return fail(`${problems.join('; ')}.`, arns);
    return pass(`Every listed cluster, service and running revision carries the right ${p.key} tag, and the services propagate tags to tasks.`, arns);
  },
});
