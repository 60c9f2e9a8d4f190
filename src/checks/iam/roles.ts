/**
 * Reads a role's policies for evaluation: inline and attached (each attached policy's default
 * version), the permissions boundary and the trust policy. IAM returns documents URL-encoded;
 * the evaluator accepts them as they come.
 */
import type { PolicySource } from '../../iam/index.js';
import type { CheckContext } from '../types.js';
import { describeService, resolveTaskDef, type TaskDefRef } from '../ecs/task-definitions.js';
import { z } from 'zod';
import { taskDefRefSchema } from '../ecs/task-definitions.js';

export interface RolePolicies {
  name: string;
  arn: string;
  trust: string;
  identityPolicies: PolicySource[];
  permissionsBoundary?: PolicySource;
  /** The role's tags: a session of the role carries them as aws:PrincipalTag/<key>. */
  tags: Readonly<Record<string, string>>;
}

/** Which role a check evaluates: by name, or the task/execution role of a revision. */
export const roleRefSchema = z.union([
  z.object({ name: z.string() }).strict(),
  z.object({ taskRoleOf: taskDefRefSchema }).strict(),
  z.object({ executionRoleOf: taskDefRefSchema }).strict(),
]);
export type RoleRef = z.infer<typeof roleRefSchema>;

export const roleNameOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** A role's policies, read once per run; undefined when the role does not exist. */
export async function rolePolicies(ctx: CheckContext, name: string): Promise<RolePolicies | undefined> {
  return ctx.memo(`iam:role-policies:${name}`, async () => {
    const iam = await ctx.aws.iam();
    let role;
    try {
      role = (await iam.getRole({ RoleName: name })).Role;
    } catch (err) {
      if ((err as { code?: string }).code === 'NoSuchEntityException' || (err as { code?: string }).code === 'NoSuchEntity') return undefined;
      throw err;
    }
    if (!role) return undefined;
    const identityPolicies: PolicySource[] = [];
    const inline = await iam.listRolePolicies({ RoleName: name });
    for (const policyName of inline.PolicyNames ?? []) {
      const doc = await iam.getRolePolicy({ RoleName: name, PolicyName: policyName });
      identityPolicies.push({ id: `inline:${name}/${policyName}`, document: doc.PolicyDocument ?? '{}' });
    }
    const attached = await iam.listAttachedRolePolicies({ RoleName: name });
    for (const a of attached.AttachedPolicies ?? []) {
      identityPolicies.push(await managedPolicy(ctx, a.PolicyArn!));
    }
    const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn;
    return {
      name,
      arn: role.Arn ?? `arn:aws:iam::${ctx.account}:role/${name}`,
      trust: role.AssumeRolePolicyDocument ?? '{}',
      identityPolicies,
      permissionsBoundary: boundaryArn ? await managedPolicy(ctx, boundaryArn) : undefined,
      tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    };
  });
}

async function managedPolicy(ctx: CheckContext, arn: string): Promise<PolicySource> {
  const iam = await ctx.aws.iam();
  const policy = await iam.getPolicy({ PolicyArn: arn });
  const version = await iam.getPolicyVersion({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId ?? 'v1' });
  return { id: arn, document: version.PolicyVersion?.Document ?? '{}' };
}

/** Resolves a role reference to a role name, or a sentence saying why there is none. */
export async function resolveRoleRef(ctx: CheckContext, ref: RoleRef): Promise<{ name: string; via: string } | string> {
  if ('name' in ref) return { name: ref.name, via: `role ${ref.name}` };
  const tdRef: TaskDefRef = 'taskRoleOf' in ref ? ref.taskRoleOf : ref.executionRoleOf;
  const td = await resolveTaskDef(ctx, tdRef);
  if (typeof td === 'string') return td;
  const field = 'taskRoleOf' in ref ? 'taskRoleArn' : 'executionRoleArn';
  const arn = td.taskDefinition[field];
  const what = 'taskRoleOf' in ref ? 'task role' : 'execution role';
  if (!arn) return `${td.label[0]!.toUpperCase()}${td.label.slice(1)} has no ${what}.`;
  return { name: roleNameOf(arn), via: `${what} ${roleNameOf(arn)} of ${td.label}` };
}

export { describeService };
