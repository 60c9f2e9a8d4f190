/**
 * An ECS account setting's effective value: the principal's own setting, else the account
 * default, else AWS's default (ListAccountSettings with effectiveSettings=true resolves it).
 */
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';

export default defineCheck({
  id: 'ecs-account-setting',
  title: 'An ECS account setting has the required effective value',
  severity: 'medium',
  service: 'ecs',
  controls: [],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html'],
  remediation: 'aws ecs put-account-setting-default --name NAME --value VALUE (for every principal) or aws ecs put-account-setting --principal-arn ARN ...',
  params: z
    .object({
      name: z.enum(['awsvpcTrunking', 'fargateTaskRetirementWaitPeriod', 'containerInsights', 'serviceLongArnFormat', 'taskLongArnFormat', 'containerInstanceLongArnFormat', 'tagResourceAuthorization', 'guardDutyActivate', 'fargateFIPSMode', 'defaultLogDriverMode', 'fargateEventWindows']),
      values: z.array(z.string()).min(1).describe('accepted effective values'),
      principalRole: z.string().optional().describe('evaluate for this IAM role (by name) instead of the caller'),
    })
    .strict(),
  async run(ctx, p) {
    const ecs = await ctx.aws.ecs();
    const principalArn = p.principalRole ? `arn:aws:iam::${ctx.account}:role/${p.principalRole}` : undefined;
    const out = await ctx.memo(`ecs:ListAccountSettings:${p.name}:${principalArn ?? ''}`, () =>
      ecs.listAccountSettings({ name: p.name, effectiveSettings: true, ...(principalArn ? { principalArn } : {}) }),
    );
    const setting = out.settings?.find((s) => s.name === p.name);
    const who = principalArn ? `for role ${p.principalRole}` : 'for this account';
    const value = setting?.value;
    const resources = setting?.principalArn ? [setting.principalArn] : [];
    if (value !== undefined && p.values.includes(value)) return pass(`Account setting ${p.name} is ${value} ${who}.`, resources);
    return fail(`Account setting ${p.name} is ${value ?? 'not set'} ${who}; expected ${p.values.join(' or ')}.`, resources);
  },
});
