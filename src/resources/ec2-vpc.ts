/** `ec2-vpc`: the lab VPC. Removing it removes what lives in it: flow logs, ENIs, groups, subnets. */
import { z } from 'zod';
import type { LabResource, ResourceContext } from './types.js';
import { MANAGED_TAG, defineResourceKind, errorCode, tagMap, tagsFor, upperTags } from './types.js';

const schema = z.strictObject({
  type: z.literal('ec2-vpc'),
  name: z.string().min(1).describe('The VPC\'s Name tag, e.g. lab-vpc.'),
  cidr: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'a CIDR block such as 10.0.0.0/16').describe('IPv4 CIDR block, e.g. 10.0.0.0/16.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

/** Finds a lab VPC by its Name tag. */
export async function findLabVpc(ctx: ResourceContext, name: string): Promise<{ id: string; tags: Record<string, string> } | null> {
  const ec2 = await ctx.aws.ec2();
  const out = await ec2.describeVpcs({
    Filters: [
      { Name: 'tag:Name', Values: [name] },
      { Name: `tag:${MANAGED_TAG}`, Values: ['true'] },
    ],
  });
  const vpc = out.Vpcs?.[0];
  return vpc?.VpcId ? { id: vpc.VpcId, tags: tagMap(vpc.Tags) } : null;
}

/** Resolves a VPC name to its id, from this run's refs or by lookup. */
export async function vpcIdByName(ctx: ResourceContext, name: string): Promise<string> {
  const known = ctx.refs.get(`ec2-vpc/${name}`);
  if (known) return known.id;
  const found = await findLabVpc(ctx, name);
  if (!found) throw new Error(`VPC ${name} does not exist; it must be declared before what uses it.`);
  return found.id;
}

export const ec2Vpc = defineResourceKind({
  type: 'ec2-vpc',
  description: 'A VPC, found by its Name tag.',
  schema,
  order: 10,
  async ensure(ctx, spec) {
    const arn = (id: string) => `arn:aws:ec2:${ctx.region}:${ctx.account}:vpc/${id}`;
    const found = await findLabVpc(ctx, spec.name);
    if (found) return { type: spec.type, name: spec.name, id: found.id, arn: arn(found.id), status: 'found' };
    const ec2 = await ctx.aws.ec2();
    const out = await ec2.createVpc({
      CidrBlock: spec.cidr,
      TagSpecifications: [{ ResourceType: 'vpc', Tags: upperTags({ Name: spec.name, ...tagsFor(ctx, spec) }) }],
    });
    const id = out.Vpc?.VpcId ?? '';
    return { type: spec.type, name: spec.name, id, arn: arn(id), status: 'created' };
  },
  async findLabTagged(ctx) {
    const ec2 = await ctx.aws.ec2();
    const out = await ec2.describeVpcs({ Filters: [{ Name: `tag:${MANAGED_TAG}`, Values: ['true'] }] });
    return (out.Vpcs ?? []).map((v): LabResource => {
      const tags = tagMap(v.Tags);
      const id = v.VpcId ?? '';
      return { type: 'ec2-vpc', name: tags.Name ?? id, id, arn: `arn:aws:ec2:${ctx.region}:${ctx.account}:vpc/${id}`, tags };
    });
  },
  async remove(ctx, vpc) {
    const ec2 = await ctx.aws.ec2();
    const removed: string[] = [];
    const inVpc = [{ Name: 'vpc-id', Values: [vpc.id] }];
    const flowLogs = await ec2.describeFlowLogs({ Filter: [{ Name: 'resource-id', Values: [vpc.id] }] });
    const flowLogIds = (flowLogs.FlowLogs ?? []).map((f) => f.FlowLogId ?? '').filter(Boolean);
    if (flowLogIds.length) {
      await ec2.deleteFlowLogs({ FlowLogIds: flowLogIds });
      removed.push(...flowLogIds.map((id) => `flow log ${id}`));
    }
    const enis = await ec2.describeNetworkInterfaces({ Filters: inVpc });
    for (const eni of enis.NetworkInterfaces ?? []) {
      if (eni.Attachment?.AttachmentId && eni.Status === 'in-use') continue; // released with its task or instance
      await ec2.deleteNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId });
      removed.push(`network interface ${eni.NetworkInterfaceId}`);
    }
    const groups = await ec2.describeSecurityGroups({ Filters: inVpc });
    const nonDefault = (groups.SecurityGroups ?? []).filter((g) => g.GroupName !== 'default');
    // Rules may reference other groups in the VPC; drop them first so every group can go.
    for (const g of nonDefault) {
      if (g.IpPermissions?.length) await ec2.revokeSecurityGroupIngress({ GroupId: g.GroupId, IpPermissions: g.IpPermissions });
    }
    for (const g of nonDefault) {
      await ec2.deleteSecurityGroup({ GroupId: g.GroupId });
      removed.push(`security group ${g.GroupName} (${g.GroupId})`);
    }
    const subnets = await ec2.describeSubnets({ Filters: inVpc });
    for (const s of subnets.Subnets ?? []) {
      await ec2.deleteSubnet({ SubnetId: s.SubnetId });
      removed.push(`subnet ${tagMap(s.Tags).Name ?? s.SubnetId} (${s.SubnetId})`);
    }
    try {
      await ec2.deleteVpc({ VpcId: vpc.id });
    } catch (err) {
      if (!/NotFound/.test(errorCode(err))) throw err;
    }
    removed.push(`VPC ${vpc.name} (${vpc.id})`);
    return removed;
  },
  async lookup(ctx, name) {
    const found = await findLabVpc(ctx, name);
    return found ? { id: found.id, arn: `arn:aws:ec2:${ctx.region}:${ctx.account}:vpc/${found.id}`, tags: found.tags } : null;
  },
});
