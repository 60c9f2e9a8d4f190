/**
 * `iam-role`: an IAM role with its trust policy, inline policies and attached managed policies.
 * Removing it also removes what lives on it: every inline policy (the learner's too), every
 * attachment (the policy itself is deleted only when the lab created it for the same scenario and
 * nothing else uses it), and its instance-profile memberships.
 */
import type { IAM } from '@aws-sdk/client-iam';
import { z } from 'zod';
import { assertLabOwned, iamTags, ignoreNotFound } from './helpers.js';
import { deleteManagedPolicy, policyArnFor, policyDocumentSchema, policyTags } from './iam-policy.js';
import type { LabResource, ResourceContext } from './types.js';
import { SCENARIO_TAG, defineResourceKind, isLabTagged, tagsFor, upperTags } from './types.js';

const schema = z.strictObject({
  type: z.literal('iam-role'),
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name').describe('Role name (path /).'),
  trust: z
    .union([
      z.strictObject({ service: z.string().min(1).describe('Service principal allowed to assume the role, e.g. ecs-tasks.amazonaws.com.') }),
      policyDocumentSchema,
    ])
    .describe('Who may assume the role: {service: ...} for a plain service trust, or a full trust policy document.'),
  description: z.string().max(1000).optional().describe('Role description.'),
  inlinePolicies: z.record(z.string(), policyDocumentSchema).optional().describe('Inline policies by policy name.'),
  managedPolicies: z.array(z.string().min(1)).optional().describe('Managed policies to attach: ARNs, or names of lab iam-policy kinds.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

type RoleSpec = z.infer<typeof schema>;

const roleArn = (ctx: ResourceContext, name: string) => `arn:aws:iam::${ctx.account}:role/${name}`;

/** A role's ARN from a name (a lab role of this run, else a role in this account) or an ARN as is. */
export function roleArnFor(ctx: ResourceContext, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return ctx.refs.get(`iam-role/${nameOrArn}`)?.arn ?? roleArn(ctx, nameOrArn);
}

function trustDocument(trust: RoleSpec['trust']): unknown {
  if ('service' in trust && typeof trust.service === 'string') {
    return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: trust.service }, Action: 'sts:AssumeRole' }] };
  }
  return trust;
}

/** A role's tags (ListRoleTags: ListRoles does not return them reliably), or null when the role does not exist. */
function roleTags(iam: IAM, name: string): Promise<Record<string, string> | null> {
  return iamTags((Marker) => iam.listRoleTags({ RoleName: name, Marker }));
}

/**
 * Empties and deletes a role. `ownPolicies` names the scope (the role's scenario tag) whose lab
 * policies may be deleted once detached; `null` only detaches (the rollback of a half-made role
 * must not delete policies that this same run just created).
 */
async function deleteRole(iam: IAM, name: string, ownPolicies: { scenario: string | undefined } | null): Promise<string[]> {
  const removed: string[] = [];
  const attached = await ignoreNotFound(() => iam.listAttachedRolePolicies({ RoleName: name }));
  for (const p of attached?.AttachedPolicies ?? []) {
    const arn = p.PolicyArn ?? '';
    await ignoreNotFound(() => iam.detachRolePolicy({ RoleName: name, PolicyArn: arn }));
    removed.push(`policy ${p.PolicyName} detached from role ${name}`);
    // Delete only what the lab made for this same scope, and only once nothing else uses it.
    if (!ownPolicies || arn.includes(':aws:policy/')) continue;
    const tags = await policyTags(iam, arn);
    if (!tags || !isLabTagged(tags) || tags[SCENARIO_TAG] !== ownPolicies.scenario) continue;
    const policy = await ignoreNotFound(() => iam.getPolicy({ PolicyArn: arn }));
    if (policy?.Policy && !policy.Policy.AttachmentCount) removed.push(...(await deleteManagedPolicy(iam, arn)));
  }
  const inline = await ignoreNotFound(() => iam.listRolePolicies({ RoleName: name }));
  for (const policyName of inline?.PolicyNames ?? []) {
    await ignoreNotFound(() => iam.deleteRolePolicy({ RoleName: name, PolicyName: policyName }));
    removed.push(`inline policy ${policyName} of role ${name}`);
  }
  const profiles = await ignoreNotFound(() => iam.listInstanceProfilesForRole({ RoleName: name }));
  for (const profile of profiles?.InstanceProfiles ?? []) {
    await ignoreNotFound(() => iam.removeRoleFromInstanceProfile({ RoleName: name, InstanceProfileName: profile.InstanceProfileName }));
    removed.push(`role ${name} removed from instance profile ${profile.InstanceProfileName}`);
  }
  await ignoreNotFound(() => iam.deleteRole({ RoleName: name }));
  removed.push(`role ${name}`);
  return removed;
}

export const iamRole = defineResourceKind({
  type: 'iam-role',
  description: 'An IAM role with its trust policy, inline policies and attached managed policies.',
  schema,
  order: 45,
  async ensure(ctx, spec) {
    const iam = await ctx.aws.iam();
    const tags = await roleTags(iam, spec.name);
    if (tags) {
      assertLabOwned(`IAM role ${spec.name}`, tags);
      return { type: spec.type, name: spec.name, id: spec.name, arn: roleArn(ctx, spec.name), status: 'found' };
    }
    const out = await iam.createRole({
      RoleName: spec.name,
      AssumeRolePolicyDocument: JSON.stringify(trustDocument(spec.trust)),
      Description: spec.description,
      Tags: upperTags(tagsFor(ctx, spec)),
    });
    try {
      for (const [policyName, document] of Object.entries(spec.inlinePolicies ?? {})) {
        await iam.putRolePolicy({ RoleName: spec.name, PolicyName: policyName, PolicyDocument: JSON.stringify(document) });
      }
      for (const policy of spec.managedPolicies ?? []) {
        await iam.attachRolePolicy({ RoleName: spec.name, PolicyArn: policyArnFor(ctx, policy) });
      }
    } catch (err) {
      // A role missing its policies would be "found" next time and never completed: undo it.
      await deleteRole(iam, spec.name, null).catch(() => undefined);
      throw err;
    }
    return { type: spec.type, name: spec.name, id: spec.name, arn: out.Role?.Arn ?? roleArn(ctx, spec.name), status: 'created' };
  },
  async findLabTagged(ctx) {
    const iam = await ctx.aws.iam();
    const found: LabResource[] = [];
    let Marker: string | undefined;
    do {
      const page = await iam.listRoles({ Marker });
      for (const role of page.Roles ?? []) {
        // Service-linked roles are made by AWS, never by the lab.
        if (!role.RoleName || role.Path?.startsWith('/aws-service-role/')) continue;
        const tags = await roleTags(iam, role.RoleName);
        if (tags && isLabTagged(tags)) found.push({ type: 'iam-role', name: role.RoleName, id: role.RoleName, arn: role.Arn ?? '', tags });
      }
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    return found;
  },
  async remove(ctx, resource) {
    const iam = await ctx.aws.iam();
    return deleteRole(iam, resource.name, { scenario: resource.tags[SCENARIO_TAG] });
  },
  async lookup(ctx, name) {
    const iam = await ctx.aws.iam();
    const tags = await roleTags(iam, name);
    return tags ? { arn: roleArn(ctx, name), id: name, tags } : null;
  },
});
