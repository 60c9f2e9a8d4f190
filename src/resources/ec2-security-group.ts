/**
 * `ec2-security-group`: a security group in a lab VPC, found by group name in that VPC plus the lab
 * tag. Removing it also revokes the rules of other groups that reference it, since AWS refuses to
 * delete a group that another group's rule still points at.
 */
import type { EC2, IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { vpcIdByName } from './ec2-vpc.js';
import { ResourceError, ignoreNotFound, retryOnCodes } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { MANAGED_TAG, defineResourceKind, tagMap, tagsFor, upperTags } from './types.js';

const port = z.number().int().min(-1).max(65535);

const ingressRule = z
  .strictObject({
    protocol: z.enum(['tcp', 'udp', '-1']).describe("IP protocol; '-1' means all protocols and ports."),
    fromPort: port.optional().describe("First port of the range (required unless protocol is '-1')."),
    toPort: port.optional().describe("Last port of the range (required unless protocol is '-1')."),
    cidr: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'an IPv4 CIDR block such as 0.0.0.0/0').optional().describe('Allowed source IPv4 range.'),
    sourceGroup: z.string().min(1).optional().describe('Allowed source: the name of another lab security group.'),
    description: z.string().optional().describe('Rule description.'),
  })
  .superRefine((rule, issues) => {
    if ((rule.cidr === undefined) === (rule.sourceGroup === undefined)) {
      issues.addIssue({ code: 'custom', message: 'give exactly one of cidr or sourceGroup', path: ['cidr'] });
    }
    if (rule.protocol !== '-1' && (rule.fromPort === undefined || rule.toPort === undefined)) {
      issues.addIssue({ code: 'custom', message: `fromPort and toPort are required for protocol ${rule.protocol}`, path: ['fromPort'] });
    }
  });

const schema = z.strictObject({
  type: z.literal('ec2-security-group'),
  name: z.string().min(1).describe('Group name, unique within the VPC, e.g. lab-shared-sg.'),
  vpc: z.string().min(1).describe('Name of the lab VPC (an ec2-vpc kind).'),
  description: z.string().min(1).describe('Group description (required by EC2; cannot be changed later).'),
  ingress: z.array(ingressRule).optional().describe('Inbound rules; the default allow-all outbound rule is kept.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

const arnOf = (ctx: ResourceContext, id: string) => `arn:aws:ec2:${ctx.region}:${ctx.account}:security-group/${id}`;

/** Finds a lab security group by name (optionally within one VPC). */
export async function findLabGroup(ctx: ResourceContext, name: string, vpcId?: string): Promise<SecurityGroup | null> {
  const ec2 = await ctx.aws.ec2();
  const out = await ec2.describeSecurityGroups({
    Filters: [
      { Name: 'group-name', Values: [name] },
      { Name: `tag:${MANAGED_TAG}`, Values: ['true'] },
      ...(vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : []),
    ],
  });
  return out.SecurityGroups?.[0] ?? null;
}

/** Resolves a lab group name (or a literal `sg-...` id) to its id, from this run's refs or by lookup. */
export async function securityGroupIdByName(ctx: ResourceContext, name: string): Promise<string> {
  if (/^sg-[0-9a-f]+$/.test(name)) return name;
  const known = ctx.refs.get(`ec2-security-group/${name}`);
  if (known) return known.id;
  const found = await findLabGroup(ctx, name);
  if (!found?.GroupId) throw new ResourceError('MISSING_DEPENDENCY', `Security group ${name} does not exist; it must be declared before what uses it.`);
  return found.GroupId;
}

/** Only the parts of a rule that point at one group, so revoking them leaves the rest intact. */
function referencesTo(perms: IpPermission[] | undefined, groupId: string): IpPermission[] {
  const out: IpPermission[] = [];
  for (const p of perms ?? []) {
    const pairs = (p.UserIdGroupPairs ?? []).filter((pair) => pair.GroupId === groupId);
    if (pairs.length) out.push({ IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, UserIdGroupPairs: pairs.map((pair) => ({ GroupId: pair.GroupId })) });
  }
  return out;
}

/** Revokes, in every group of the VPC but the given one, the rules that reference it. */
async function revokeReferences(ec2: EC2, group: SecurityGroup, removed: string[]): Promise<void> {
  const id = group.GroupId ?? '';
  const all = await ec2.describeSecurityGroups({ Filters: [{ Name: 'vpc-id', Values: [group.VpcId ?? ''] }] });
  for (const other of all.SecurityGroups ?? []) {
    if (other.GroupId === id) continue;
    const ingress = referencesTo(other.IpPermissions, id);
    const egress = referencesTo(other.IpPermissionsEgress, id);
    if (ingress.length) await ec2.revokeSecurityGroupIngress({ GroupId: other.GroupId, IpPermissions: ingress });
    if (egress.length) await ec2.revokeSecurityGroupEgress({ GroupId: other.GroupId, IpPermissions: egress });
    if (ingress.length || egress.length) removed.push(`rules of ${other.GroupName} (${other.GroupId}) referencing ${group.GroupName}`);
  }
}

export const ec2SecurityGroup = defineResourceKind({
  type: 'ec2-security-group',
  description: 'A security group in a lab VPC, with its inbound rules.',
  schema,
  order: 30,
  async ensure(ctx, spec) {
    const vpcId = await vpcIdByName(ctx, spec.vpc);
    const found = await findLabGroup(ctx, spec.name, vpcId);
    if (found?.GroupId) return { type: spec.type, name: spec.name, id: found.GroupId, arn: arnOf(ctx, found.GroupId), status: 'found' };
    const ec2 = await ctx.aws.ec2();
    // Resolve referenced groups first so a bad reference fails before anything is created.
    const permissions: IpPermission[] = [];
    for (const rule of spec.ingress ?? []) {
      const ports = rule.protocol === '-1' ? {} : { FromPort: rule.fromPort, ToPort: rule.toPort };
      permissions.push({
        IpProtocol: rule.protocol,
        ...ports,
        ...(rule.cidr !== undefined
          ? { IpRanges: [{ CidrIp: rule.cidr, Description: rule.description }] }
          : { UserIdGroupPairs: [{ GroupId: await securityGroupIdByName(ctx, rule.sourceGroup ?? ''), Description: rule.description }] }),
      });
    }
    const out = await ec2.createSecurityGroup({
      GroupName: spec.name,
      Description: spec.description,
      VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: upperTags(tagsFor(ctx, spec)) }],
    });
    const id = out.GroupId ?? '';
    if (permissions.length) {
      try {
        await ec2.authorizeSecurityGroupIngress({ GroupId: id, IpPermissions: permissions });
      } catch (err) {
        // A group without its rules would be "found" next time and never fixed: undo it instead.
        await ignoreNotFound(() => ec2.deleteSecurityGroup({ GroupId: id }));
        throw err;
      }
    }
    return { type: spec.type, name: spec.name, id, arn: arnOf(ctx, id), status: 'created' };
  },
  async findLabTagged(ctx) {
    const ec2 = await ctx.aws.ec2();
    const out = await ec2.describeSecurityGroups({ Filters: [{ Name: `tag:${MANAGED_TAG}`, Values: ['true'] }] });
    return (out.SecurityGroups ?? []).map((g): LabResource => {
      const id = g.GroupId ?? '';
      return { type: 'ec2-security-group', name: g.GroupName ?? id, id, arn: arnOf(ctx, id), tags: tagMap(g.Tags) };
    });
  },
  async remove(ctx, resource) {
    const ec2 = await ctx.aws.ec2();
    const removed: string[] = [];
    const out = await ignoreNotFound(() => ec2.describeSecurityGroups({ GroupIds: [resource.id] }));
    const group = out?.SecurityGroups?.[0];
    if (!group) return removed;
    if (group.IpPermissions?.length) {
      await ec2.revokeSecurityGroupIngress({ GroupId: resource.id, IpPermissions: group.IpPermissions });
      removed.push(`inbound rules of ${resource.name}`);
    }
    // Its own outbound rules only matter when they point at other groups (they would pin those).
    const egressRefs = (group.IpPermissionsEgress ?? []).filter((p) => p.UserIdGroupPairs?.length);
    if (egressRefs.length) await ec2.revokeSecurityGroupEgress({ GroupId: resource.id, IpPermissions: egressRefs });
    await revokeReferences(ec2, group, removed);
    // ENIs of just-stopped tasks still hold the group for a while on AWS.
    await ignoreNotFound(() => retryOnCodes(['DependencyViolation'], () => ec2.deleteSecurityGroup({ GroupId: resource.id })));
    removed.push(`security group ${resource.name} (${resource.id})`);
    return removed;
  },
  async lookup(ctx, name) {
    const found = await findLabGroup(ctx, name);
    return found?.GroupId ? { id: found.GroupId, arn: arnOf(ctx, found.GroupId), tags: tagMap(found.Tags) } : null;
  },
});
