/**
 * A service runs the newest ACTIVE revision of its family, fully rolled out: a registered fix
 * changes nothing until a deployment starts new tasks from it.
 */
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import { describeService, resolveTaskDef, revisionName } from './task-definitions.js';

export default defineCheck({
  id: 'ecs-service-runs-newest',
  title: 'The service runs the newest revision of its family, fully rolled out',
  severity: 'medium',
  service: 'ecs',
  controls: [],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/update-service-console-v2.html'],
  remediation: 'aws ecs update-service --cluster CLUSTER --service SERVICE --task-definition FAMILY (the newest revision), then wait for the deployment.',
  params: z.object({ cluster: z.string(), service: z.string() }).strict(),
  async run(ctx, p) {
    const svc = await describeService(ctx, p.cluster, p.service);
    if (!svc) return fail(`Service ${p.cluster}/${p.service} does not exist.`);
    const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
    const running = primary?.taskDefinition ?? svc.taskDefinition ?? '';
    const family = revisionName(running).replace(/:\d+$/, '');
    const newest = await resolveTaskDef(ctx, { family });
    const label = `Service ${p.cluster}/${p.service}`;
    if (typeof newest === 'string') return fail(`${label}: ${newest}`, [svc.serviceArn ?? '']);
    if (newest.arn !== running) {
      return fail(`${label} runs ${revisionName(running)}, but the newest revision is ${newest.name}: start a deployment.`, [svc.serviceArn ?? '']);
    }
    const others = (svc.deployments ?? []).filter((d) => d.status !== 'PRIMARY');
    if (others.length || (primary && (primary.runningCount ?? 0) < (primary.desiredCount ?? 0))) {
      return fail(`${label} is still rolling out ${newest.name} (${primary?.runningCount ?? 0}/${primary?.desiredCount ?? 0} tasks, ${others.length} older deployment(s)).`, [svc.serviceArn ?? '']);
    }
    return pass(`${label} runs ${newest.name}, the newest revision, on all ${primary?.runningCount ?? 0} task(s).`, [svc.serviceArn ?? '']);
  },
});
