/**
 * `iam-policy`: a customer-managed IAM policy, tagged at creation. Also home of what IAM policies
 * and roles share: the policy-document schema, decoding documents as IAM returns them, and
 * deleting a managed policy.
 */
import type { IAM } from '@aws-sdk/client-iam';
import { z } from 'zod';
import { assertLabOwned, iamTags, ignoreNotFound } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { defineResourceKind, isLabTagged, tagsFor, upperTags } from './types.js';

const stringOrList = z.union([z.string(), z.array(z.string())]);

const statement = z.looseObject({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Principal: z.union([z.literal('*'), z.record(z.string(), stringOrList)]).optional(),
  Action: stringOrList.optional(),
  NotAction: stringOrList.optional(),
  Resource: stringOrList.optional(),
  NotResource: stringOrList.optional(),
  Condition: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

/** An IAM policy document as YAML/JSON (Version, Statement). */
export const policyDocumentSchema = z
  .looseObject({
    Version: z.enum(['2012-10-17', '2008-10-17']).optional(),
    Id: z.string().optional(),
    Statement: z.union([statement, z.array(statement)]),
  })
  .describe('An IAM policy document: {Version, Statement: [{Effect, Action, Resource, ...}]}.');

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** Parses a policy document as IAM returns it: URL-encoded by most calls, plain JSON by some. */
export function parsePolicyDocument(text: string | undefined): unknown {
  if (!text) return undefined;
  const trimmed = text.trim();
  return JSON.parse(trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed));
}

/** The ARN of a customer-managed policy: an ARN as is, else a lab policy of this run, else a name in this account. */
export function policyArnFor(ctx: ResourceContext, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return ctx.refs.get(`iam-policy/${nameOrArn}`)?.arn ?? `arn:aws:iam::${ctx.account}:policy/${nameOrArn}`;
}

/** The tags of a managed policy, or null when it does not exist. */
export function policyTags(iam: IAM, arn: string): Promise<Record<string, string> | null> {
  return iamTags((Marker) => iam.listPolicyTags({ PolicyArn: arn, Marker }));
}

/** Detaches a managed policy from every role, user and group, drops its old versions, and deletes it. */
export async function deleteManagedPolicy(iam: IAM, arn: string): Promise<string[]> {
  const removed: string[] = [];
  const entities = await ignoreNotFound(() => iam.listEntitiesForPolicy({ PolicyArn: arn }));
  if (!entities) return removed;
  for (const r of entities.PolicyRoles ?? []) {
    await ignoreNotFound(() => iam.detachRolePolicy({ RoleName: r.RoleName, PolicyArn: arn }));
    removed.push(`policy ${arn} detached from role ${r.RoleName}`);
  }
  for (const u of entities.PolicyUsers ?? []) {
    await ignoreNotFound(() => iam.detachUserPolicy({ UserName: u.UserName, PolicyArn: arn }));
    removed.push(`policy ${arn} detached from user ${u.UserName}`);
  }
  for (const g of entities.PolicyGroups ?? []) {
    await ignoreNotFound(() => iam.detachGroupPolicy({ GroupName: g.GroupName, PolicyArn: arn }));
    removed.push(`policy ${arn} detached from group ${g.GroupName}`);
  }
  const versions = await iam.listPolicyVersions({ PolicyArn: arn });
  for (const v of versions.Versions ?? []) {
    if (!v.IsDefaultVersion) await ignoreNotFound(() => iam.deletePolicyVersion({ PolicyArn: arn, VersionId: v.VersionId }));
  }
  await ignoreNotFound(() => iam.deletePolicy({ PolicyArn: arn }));
  removed.push(`managed policy ${arn}`);
  return removed;
}

const schema = z.strictObject({
  type: z.literal('iam-policy'),
  name: z.string().regex(/^[\w+=,.@-]{1,128}$/, 'an IAM policy name').describe('Policy name (path /).'),
  document: policyDocumentSchema,
  description: z.string().max(1000).optional().describe('Policy description (cannot be changed later).'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

export const iamPolicy = defineResourceKind({
  type: 'iam-policy',
  description: 'A customer-managed IAM policy.',
  schema,
  order: 40,
  async ensure(ctx, spec) {
    const iam = await ctx.aws.iam();
    const arn = `arn:aws:iam::${ctx.account}:policy/${spec.name}`;
    const tags = await policyTags(iam, arn);
    if (tags) {
      assertLabOwned(`IAM policy ${spec.name}`, tags);
      return { type: spec.type, name: spec.name, id: spec.name, arn, status: 'found' };
    }
    const out = await iam.createPolicy({
      PolicyName: spec.name,
      PolicyDocument: JSON.stringify(spec.document),
      Description: spec.description,
      Tags: upperTags(tagsFor(ctx, spec)),
    });
    return { type: spec.type, name: spec.name, id: spec.name, arn: out.Policy?.Arn ?? arn, status: 'created' };
  },
  async findLabTagged(ctx) {
    const iam = await ctx.aws.iam();
    const found: LabResource[] = [];
    let Marker: string | undefined;
    do {
      const page = await iam.listPolicies({ Scope: 'Local', Marker });
      // ListPolicies returns no tags, so each policy's tags are read on their own.
      for (const p of page.Policies ?? []) {
        const tags = p.Arn ? await policyTags(iam, p.Arn) : null;
        if (tags && isLabTagged(tags)) found.push({ type: 'iam-policy', name: p.PolicyName ?? '', id: p.PolicyName ?? '', arn: p.Arn ?? '', tags });
      }
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    return found;
  },
  async remove(ctx, resource) {
    const iam = await ctx.aws.iam();
    return deleteManagedPolicy(iam, resource.arn);
  },
  async lookup(ctx, name) {
    const iam = await ctx.aws.iam();
    const arn = policyArnFor(ctx, name);
    const tags = await policyTags(iam, arn);
    return tags ? { arn, id: name, tags } : null;
  },
});
