/**
 * What a role may do, decided by the IAM evaluator over the role's real policies (inline,
 * attached, boundary): each listed request must come out as expected, and failures quote the
 * statement and condition that decided it. Resource tags can be read live, so tag-based policies
 * are judged against the tags the resources really carry.
 */
import { z } from 'zod';
import { evaluate, lintPolicy, type ContextValue } from '../../iam/index.js';
import { defineCheck, fail, pass } from '../define-check.js';
import { resolveRoleRef, rolePolicies, roleRefSchema } from './roles.js';

const expectation = z
  .object({
    action: z.string().regex(/^[\w-]+:[\w*?]+$/, 'service:Action'),
    resource: z.string().describe('resource ARN (${account} and ${region} are filled in), or *'),
    expect: z.enum(['allowed', 'denied']),
    context: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional().describe('request context keys'),
    resourceTags: z.enum(['live', 'none']).default('none').describe('live: add aws:ResourceTag/* from the resource\'s current tags'),
    why: z.string().optional().describe('what this request stands for, used in messages'),
  })
  .strict();

export default defineCheck({
  id: 'iam-role-permissions',
  title: 'A role is allowed exactly what it needs (by policy evaluation)',
  severity: 'high',
  service: 'iam',
  controls: ['IAM.1'],
  docs: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html'],
  remediation: 'Replace broad statements with ones that name the actions and resources the role needs, with conditions where tags decide.',
  params: z
    .object({
      role: roleRefSchema,
      requests: z.array(expectation).min(1),
      forbidWildcardActions: z.boolean().default(false).describe('also fail when an Allow statement uses "*" or a service-wide "svc:*" action'),
    })
    .strict(),
  async run(ctx, p) {
    const ref = await resolveRoleRef(ctx, p.role);
    if (typeof ref === 'string') return fail(ref);
    const role = await rolePolicies(ctx, ref.name);
    if (!role) return fail(`Role ${ref.name} (${ref.via}) does not exist.`);
    const problems: string[] = [];
    for (const r of p.requests) {
      // The role's own session: its tags are principal tags (policy variables such as
      // ${aws:PrincipalTag/environment} read them), unless the request names them itself.
      const context: Record<string, ContextValue> = { ...principalTags(role.tags), ...(r.context ?? {}) };
      if (r.resourceTags === 'live') Object.assign(context, await liveResourceTags(ctx, r.resource));
      withServiceTagKeys(context, r.action);
      const result = evaluate({
        request: { principal: role.arn, action: r.action, resource: r.resource, context },
        identityPolicies: role.identityPolicies,
        permissionsBoundary: role.permissionsBoundary,
      });
      const allowed = result.decision === 'allowed';
      if (allowed !== (r.expect === 'allowed')) {
        const what = r.why ? `${r.why} (${r.action} on ${r.resource})` : `${r.action} on ${r.resource}`;
        problems.push(`${what} is ${allowed ? 'allowed' : 'denied'}, expected ${r.expect}: ${result.reason}`);
      }
    }
    if (p.forbidWildcardActions) {
      for (const pol of role.identityPolicies) {
        for (const f of lintPolicy(pol.document)) {
          if (f.code === 'wildcard-action' || f.code === 'service-wildcard') problems.push(`${pol.id}: ${f.message}`);
        }
      }
    }
    if (problems.length) return fail(`Role ${role.name}: ${problems.join(' | ')}`, [role.arn]);
    return pass(`Role ${role.name} (${ref.via}) is allowed and denied exactly as required (${p.requests.length} requests evaluated).`, [role.arn]);
  },
});

/** Services whose own resource-tag key (`<service>:ResourceTag/<key>`) carries the same tags as aws:ResourceTag. */
const SERVICE_RESOURCE_TAG = new Set(['ecs', 'ec2', 'iam', 'secretsmanager', 'autoscaling']);

/**
 * A request to ECS carries a resource's tags twice, as aws:ResourceTag/<key> and as
 * ecs:ResourceTag/<key> (EC2, IAM, Secrets Manager and Auto Scaling alike): a tag given under one
 * name is added under the other, so policies written with either key are judged alike.
 */
function withServiceTagKeys(context: Record<string, ContextValue>, action: string): void {
  const service = action.slice(0, action.indexOf(':')).toLowerCase();
  if (!SERVICE_RESOURCE_TAG.has(service)) return;
  const own = `${service}:resourcetag/`;
  for (const [key, value] of Object.entries(context)) {
    const lower = key.toLowerCase();
    const twin = lower.startsWith('aws:resourcetag/') ? `${service}:ResourceTag/${key.slice(16)}` : lower.startsWith(own) ? `aws:ResourceTag/${key.slice(own.length)}` : undefined;
    if (twin && !Object.keys(context).some((k) => k.toLowerCase() === twin.toLowerCase())) context[twin] = value;
  }
}

function principalTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value]));
}

/** aws:ResourceTag/* keys from an ECS resource's current tags (other services: none). */
async function liveResourceTags(ctx: Parameters<Parameters<typeof defineCheck>[0]['run']>[0], arn: string): Promise<Record<string, string>> {
  if (!arn.startsWith('arn:aws:ecs:')) return {};
  const out = await ctx.memo(`ecs:ListTagsForResource:${arn}`, async () => {
    const ecs = await ctx.aws.ecs();
    try {
      return await ecs.listTagsForResource({ resourceArn: arn });
    } catch (err) {
      if (/NotFound|InvalidParameter|ClientException/.test(String((err as { code?: string }).code))) return { tags: [] };
      throw err;
    }
  });
  return Object.fromEntries((out.tags ?? []).map((t) => [`aws:ResourceTag/${t.key}`, t.value ?? '']));
}
