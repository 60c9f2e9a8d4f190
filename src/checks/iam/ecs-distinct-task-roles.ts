/** One task role per service, separate from the execution role (CKV_AWS_249). */
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import { resolveTaskDef } from '../ecs/task-definitions.js';
import { roleNameOf } from './roles.js';

export default defineCheck({
  id: 'ecs-distinct-task-roles',
  title: 'Each service has its own task role, separate from the execution role',
  severity: 'high',
  service: 'ecs',
  controls: ['CKV_AWS_249'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html'],
  remediation: 'Create a role per service trusted by ecs-tasks.amazonaws.com, register revisions with --task-role-arn set to it, and deploy them.',
  params: z.object({ cluster: z.string(), services: z.array(z.string()).min(2) }).strict(),
  async run(ctx, p) {
    const problems: string[] = [];
    const byRole = new Map<string, string[]>();
    const arns: string[] = [];
    for (const service of p.services) {
      const td = await resolveTaskDef(ctx, { cluster: p.cluster, service });
      if (typeof td === 'string') {
        problems.push(td.replace(/\.$/, ''));
        continue;
      }
      arns.push(td.arn);
      const task = td.taskDefinition.taskRoleArn;
      const exec = td.taskDefinition.executionRoleArn;
      if (!task) {
        problems.push(`${td.label} has no task role`);
        continue;
      }
      if (exec && exec === task) problems.push(`${td.label} uses ${roleNameOf(task)} as both task role and execution role`);
      byRole.set(task, [...(byRole.get(task) ?? []), service]);
    }
    for (const [role, users] of byRole) if (users.length > 1) problems.push(`${users.join(' and ')} share the task role ${roleNameOf(role)}`);
    if (problems.length) return fail(`${problems.join('; ')}.`, arns);
    return pass(`Each service runs with its own task role (${[...byRole].map(([r, u]) => `${u[0]}: ${roleNameOf(r)}`).join(', ')}), separate from its execution role.`, arns);
  },
});
