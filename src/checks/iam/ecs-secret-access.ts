/**
 * Who can read a task definition's secrets, by policy evaluation: the execution role must be able
 * to read exactly what is referenced (and decrypt it with a customer key), never a decoy and never
 * through Resource "*"; the task role must not read them at all.
 */
import { z } from 'zod';
import { evaluate, lintPolicy } from '../../iam/index.js';
import { defineCheck, fail, pass } from '../define-check.js';
import { isAwsManagedKey, kmsKeyArn, resolveSecretReference, type SecretTarget } from '../ecs/secrets.js';
import { resolveTaskDef, taskDefRefSchema } from '../ecs/task-definitions.js';
import type { CheckContext } from '../types.js';
import { rolePolicies, roleNameOf } from './roles.js';

const READ_ACTION = { secretsmanager: 'secretsmanager:GetSecretValue', ssm: 'ssm:GetParameters' } as const;

async function referencedSecrets(ctx: CheckContext, refs: string[]): Promise<SecretTarget[]> {
  const out: SecretTarget[] = [];
  for (const r of refs) out.push(await resolveSecretReference(ctx, r));
  return out;
}

export default defineCheck({
  id: 'ecs-secret-access',
  title: 'Only the execution role can read the referenced secrets, and nothing more',
  severity: 'high',
  service: 'iam',
  controls: ['SecretsManager.1'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html#secrets-iam'],
  remediation: 'Give the execution role an inline policy allowing secretsmanager:GetSecretValue (or ssm:GetParameters) on the exact ARNs it references (and kms:Decrypt on a customer key); keep these actions out of the task role.',
  params: z
    .object({
      taskDefinition: taskDefRefSchema,
      role: z.enum(['execution', 'task']).describe('execution: must read exactly the references; task: must read none of them'),
      decoys: z.array(z.string()).default([]).describe('secret names the role must not read'),
    })
    .strict(),
  async run(ctx, p) {
    const td = await resolveTaskDef(ctx, p.taskDefinition);
    if (typeof td === 'string') return fail(td);
    const containers = td.taskDefinition.containerDefinitions ?? [];
    const refs = containers.flatMap((c) => [...(c.secrets ?? []), ...(c.logConfiguration?.secretOptions ?? [])].map((s) => s.valueFrom ?? '')).filter(Boolean);
    const roleArn = p.role === 'execution' ? td.taskDefinition.executionRoleArn : td.taskDefinition.taskRoleArn;
    const label = `${td.label[0]!.toUpperCase()}${td.label.slice(1)}`;
    if (!roleArn) return p.role === 'task' ? pass(`${label} has no task role, so its containers cannot read secrets through one.`, [td.arn]) : fail(`${label} has no execution role, so ECS cannot fetch its secrets.`, [td.arn]);
    if (refs.length === 0) return fail(`${label} references no secret, so there is nothing to scope.`, [td.arn]);
    const role = await rolePolicies(ctx, roleNameOf(roleArn));
    if (!role) return fail(`${label}: its ${p.role} role ${roleNameOf(roleArn)} does not exist.`, [td.arn]);
    const targets = await referencedSecrets(ctx, refs);
    const problems: string[] = [];
    const can = (action: string, resource: string) =>
      evaluate({ request: { principal: role.arn, action, resource }, identityPolicies: role.identityPolicies, permissionsBoundary: role.permissionsBoundary });
    for (const t of targets) {
      const r = can(READ_ACTION[t.store], t.arn);
      if (p.role === 'execution' && r.decision !== 'allowed') problems.push(`it cannot read ${t.label}: ${r.reason}`);
      if (p.role === 'task' && r.decision === 'allowed') problems.push(`it can read ${t.label}: ${r.reason}`);
      if (p.role === 'execution' && !isAwsManagedKey(t.kmsKeyId)) {
        const key = await kmsKeyArn(ctx, t.kmsKeyId!);
        const k = key ? can('kms:Decrypt', key) : undefined;
        if (!k) problems.push(`${t.label} is encrypted with KMS key ${t.kmsKeyId}, which does not exist`);
        else if (k.decision !== 'allowed') problems.push(`it cannot decrypt ${t.label} with its customer key: ${k.reason}`);
      }
    }
    if (p.role === 'execution') {
      for (const name of p.decoys) {
        const decoy = await resolveSecretReference(ctx, `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${name}`);
        const arn = decoy.exists ? decoy.arn : `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${name}-AbCdEf`;
        const r = can('secretsmanager:GetSecretValue', arn);
        if (r.decision === 'allowed') problems.push(`it can also read secret ${name}, which it does not use: ${r.reason}`);
      }
      for (const pol of role.identityPolicies) {
        for (const f of lintPolicy(pol.document)) if (f.code === 'sensitive-action-any-resource') problems.push(`${pol.id}: ${f.message}`);
      }
    }
    const who = `${p.role} role ${role.name} of ${td.name}`;
    if (problems.length) return fail(`The ${who}: ${problems.join('; ')}.`, [role.arn, ...targets.map((t) => t.arn)]);
    return p.role === 'execution'
      ? pass(`The ${who} can read exactly ${targets.map((t) => t.label).join(', ')}, and nothing else checked.`, [role.arn])
      : pass(`The ${who} cannot read ${targets.map((t) => t.label).join(', ')}.`, [role.arn]);
  },
});
