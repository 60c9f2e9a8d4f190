/**
 * A task role's trust policy: only the ECS tasks service may assume it, and only on behalf of this
 * account (an aws:SourceAccount or aws:SourceArn condition against the confused deputy).
 */
import { z } from 'zod';
import { evaluateTrust } from '../../iam/index.js';
import { defineCheck, fail, pass } from '../define-check.js';
import { resolveRoleRef, rolePolicies, roleRefSchema } from './roles.js';

export default defineCheck({
  id: 'iam-trust-scoped',
  title: 'Only the ECS tasks service may assume the role, for this account only',
  severity: 'high',
  service: 'iam',
  controls: ['CKV_AWS_60'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html#create_task_iam_policy_and_role', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html'],
  remediation: 'Trust only ecs-tasks.amazonaws.com, with a Condition such as {"StringEquals": {"aws:SourceAccount": "ACCOUNT"}} or {"ArnLike": {"aws:SourceArn": "arn:aws:ecs:REGION:ACCOUNT:*"}}.',
  params: z.object({ roles: z.array(roleRefSchema).min(1), service: z.string().default('ecs-tasks.amazonaws.com') }).strict(),
  async run(ctx, p) {
    const problems: string[] = [];
    const arns: string[] = [];
    const names: string[] = [];
    const own = { 'aws:SourceAccount': ctx.account, 'aws:SourceArn': `arn:aws:ecs:${ctx.region}:${ctx.account}:task/lab-prod/0123456789abcdef` };
    const other = { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': `arn:aws:ecs:${ctx.region}:999999999999:task/other/0123456789abcdef` };
    for (const ref of p.roles) {
      const r = await resolveRoleRef(ctx, ref);
      if (typeof r === 'string') {
        problems.push(r.replace(/\.$/, ''));
        continue;
      }
      const role = await rolePolicies(ctx, r.name);
      if (!role) {
        problems.push(`role ${r.name} does not exist`);
        continue;
      }
      arns.push(role.arn);
      names.push(role.name);
      const trust = (principal: string, principalType: 'AWS' | 'Service', context: Record<string, string>) =>
        evaluateTrust(role.trust, { principal, principalType, context, roleArn: role.arn }, `trust policy of ${role.name}`);
      const ok = trust(p.service, 'Service', own);
      if (ok.decision !== 'allowed') problems.push(`${role.name}: ${p.service} acting for this account cannot assume it: ${ok.reason}`);
      const deputy = trust(p.service, 'Service', other);
      if (deputy.decision === 'allowed') problems.push(`${role.name}: ${p.service} acting for another account (aws:SourceAccount 999999999999) may assume it too; add an aws:SourceAccount or aws:SourceArn condition`);
      const bare = trust(p.service, 'Service', {});
      if (bare.decision === 'allowed' && deputy.decision !== 'allowed') problems.push(`${role.name}: a request without aws:SourceAccount or aws:SourceArn is allowed; use StringEquals/ArnLike, not an IfExists form`);
      for (const [who, type] of [['ec2.amazonaws.com', 'Service'], [`arn:aws:iam::999999999999:root`, 'AWS'], [`arn:aws:iam::${ctx.account}:root`, 'AWS']] as const) {
        const r2 = trust(who, type, type === 'Service' ? own : {});
        if (r2.decision === 'allowed') problems.push(`${role.name}: ${who} may also assume it (${r2.reason})`);
      }
    }
    if (problems.length) return fail(`${problems.join('; ')}.`, arns);
    return pass(`${names.join(' and ')} trust only ${p.service}, and only for account ${ctx.account}.`, arns);
  },
});
