/** `ec2-subnet`: a subnet of a lab VPC, found by its Name tag and the lab tag. */
import { z } from 'zod';
import { vpcIdByName } from './ec2-vpc.js';
import { ResourceError, ignoreNotFound, retryOnCodes } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { MANAGED_TAG, defineResourceKind, tagMap, tagsFor, upperTags } from './types.js';

const schema = z.strictObject({
  type: z.literal('ec2-subnet'),
  name: z.string().min(1).describe('The subnet\'s Name tag, e.g. lab-private-a.'),
  vpc: z.string().min(1).describe('Name of the lab VPC (an ec2-vpc kind) the subnet belongs to.'),
  cidr: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'a CIDR block such as 10.0.1.0/24').describe('IPv4 CIDR block inside the VPC\'s range.'),
  az: z
    .string()
    .regex(/^([a-z]|[a-z]{2}(-[a-z]+)+-\d+[a-z])$/, 'a zone letter such as a, or a full zone name such as us-east-1a')
    .describe('Availability Zone: a letter appended to the region (a -> us-east-1a) or a full zone name.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

const arnOf = (ctx: ResourceContext, id: string) => `arn:aws:ec2:${ctx.region}:${ctx.account}:subnet/${id}`;

/** Finds a lab subnet by its Name tag (optionally within one VPC). */
export async function findLabSubnet(ctx: ResourceContext, name: string, vpcId?: string): Promise<{ id: string; tags: Record<string, string> } | null> {
  const ec2 = await ctx.aws.ec2();
  const out = await ec2.describeSubnets({
    Filters: [
      { Name: 'tag:Name', Values: [name] },
      { Name: `tag:${MANAGED_TAG}`, Values: ['true'] },
      ...(vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : []),
    ],
  });
  const subnet = out.Subnets?.[0];
  return subnet?.SubnetId ? { id: subnet.SubnetId, tags: tagMap(subnet.Tags) } : null;
}

/** Resolves a subnet name (or a literal `subnet-...` id) to its id, from this run's refs or by lookup. */
export async function subnetIdByName(ctx: ResourceContext, name: string): Promise<string> {
  if (/^subnet-[0-9a-f]+$/.test(name)) return name;
  const known = ctx.refs.get(`ec2-subnet/${name}`);
  if (known) return known.id;
  const found = await findLabSubnet(ctx, name);
  if (!found) throw new ResourceError('MISSING_DEPENDENCY', `Subnet ${name} does not exist; it must be declared before what uses it.`);
  return found.id;
}

/** The full zone name for a spec's `az`. */
function zoneName(ctx: ResourceContext, az: string): string {
  return /^[a-z]$/.test(az) ? `${ctx.region}${az}` : az;
}

export const ec2Subnet = defineResourceKind({
  type: 'ec2-subnet',
  description: 'A subnet in a lab VPC, found by its Name tag.',
  schema,
  order: 20,
  async ensure(ctx, spec) {
    const vpcId = await vpcIdByName(ctx, spec.vpc);
    const found = await findLabSubnet(ctx, spec.name, vpcId);
    if (found) return { type: spec.type, name: spec.name, id: found.id, arn: arnOf(ctx, found.id), status: 'found' };
    const ec2 = await ctx.aws.ec2();
    const out = await ec2.createSubnet({
      VpcId: vpcId,
      CidrBlock: spec.cidr,
      AvailabilityZone: zoneName(ctx, spec.az),
      TagSpecifications: [{ ResourceType: 'subnet', Tags: upperTags({ Name: spec.name, ...tagsFor(ctx, spec) }) }],
    });
    const id = out.Subnet?.SubnetId ?? '';
    return { type: spec.type, name: spec.name, id, arn: arnOf(ctx, id), status: 'created' };
  },
  async findLabTagged(ctx) {
    const ec2 = await ctx.aws.ec2();
    const out = await ec2.describeSubnets({ Filters: [{ Name: `tag:${MANAGED_TAG}`, Values: ['true'] }] });
    return (out.Subnets ?? []).map((s): LabResource => {
      const tags = tagMap(s.Tags);
      const id = s.SubnetId ?? '';
      return { type: 'ec2-subnet', name: tags.Name ?? id, id, arn: arnOf(ctx, id), tags };
    });
  },
  async remove(ctx, subnet) {
    const ec2 = await ctx.aws.ec2();
    const removed: string[] = [];
    // Detached interfaces left by stopped tasks would keep the subnet alive; attached ones go with their owner.
    const enis = await ec2.describeNetworkInterfaces({ Filters: [{ Name: 'subnet-id', Values: [subnet.id] }] });
    for (const eni of enis.NetworkInterfaces ?? []) {
      if (eni.Status !== 'available') continue;
      await ignoreNotFound(() => ec2.deleteNetworkInterface({ NetworkInterfaceId: eni.NetworkInterfaceId }));
      removed.push(`network interface ${eni.NetworkInterfaceId}`);
    }
    await ignoreNotFound(() => retryOnCodes(['DependencyViolation'], () => ec2.deleteSubnet({ SubnetId: subnet.id })));
    removed.push(`subnet ${subnet.name} (${subnet.id})`);
    return removed;
  },
  async lookup(ctx, name) {
    const found = await findLabSubnet(ctx, name);
    return found ? { id: found.id, arn: arnOf(ctx, found.id), tags: found.tags } : null;
  },
});
