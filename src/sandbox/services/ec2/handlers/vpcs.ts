/** EC2 VPCs, subnets, Availability Zones and Regions. */
import type { EC2, Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { outputOf } from '../../clone.js';
import { regionsFor, zonesFor } from '../catalog.js';
import { contains, overlaps, parseCidr } from '../cidr.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, page } from '../filters.js';
import type { Ec2State } from '../state.js';
import { addSubnet, addVpc, ec2State, getSubnet, getVpc, publicDnsName, setTags, tagsFromSpecs, tagsOf, vpcDns } from '../state.js';
import { attachedInternetGateway, defaultNetworkAclId, mainRouteTableId } from '../vpc-resources.js';

function presentVpc(ctx: RequestContext, state: Ec2State, vpc: Omit<Vpc, 'Tags'>): Vpc {
  return { ...outputOf(ctx, vpc), Tags: tagsOf(state, vpc.VpcId!) };
}

function presentSubnet(ctx: RequestContext, state: Ec2State, subnet: Omit<Subnet, 'Tags'>): Subnet {
  return { ...outputOf(ctx, subnet), Tags: tagsOf(state, subnet.SubnetId!) };
}

/** The attributes DescribeVpcAttribute names (wire name) and ModifyVpcAttribute sets (member). */
const VPC_ATTRIBUTES = {
  enableDnsSupport: 'EnableDnsSupport',
  enableDnsHostnames: 'EnableDnsHostnames',
  enableNetworkAddressUsageMetrics: 'EnableNetworkAddressUsageMetrics',
} as const;

/** Gives the VPC's public addresses (instances and interfaces) DNS names, or takes them away. */
function renamePublicAddresses(ctx: RequestContext, state: Ec2State, vpcId: string): void {
  for (const record of Object.values(state.instances)) {
    if (record.instance.VpcId === vpcId) record.instance.PublicDnsName = publicDnsName(state, ctx.region, vpcId, record.instance.PublicIpAddress) ?? '';
  }
  for (const eni of Object.values(state.networkInterfaces)) {
    if (eni.VpcId !== vpcId) continue;
    for (const association of [eni.Association, ...(eni.PrivateIpAddresses ?? []).map((a) => a.Association)]) {
      if (association) association.PublicDnsName = publicDnsName(state, ctx.region, vpcId, association.PublicIp);
    }
  }
}

/** VPC, subnet, zone and Region operations. */
export const vpcHandlers: HandlerMap<EC2> = {
  CreateVpc(input, ctx) {
    const state = ec2State(ctx);
    const cidr = parseCidr(input.CidrBlock);
    if (!cidr) throw Ec2Errors.invalidCidr(input.CidrBlock ?? '');
    if (cidr.prefix < 16 || cidr.prefix > 28) throw Ec2Errors.invalidParameterValue(`The CIDR '${input.CidrBlock}' is invalid.`);
    const vpc = addVpc(state, ctx, input.CidrBlock!, false);
    if (input.InstanceTenancy) vpc.InstanceTenancy = input.InstanceTenancy;
    setTags(state, vpc.VpcId!, tagsFromSpecs(input.TagSpecifications, 'vpc'));
    return { Vpc: presentVpc(ctx, state, vpc) };
  },

  DeleteVpc(input, ctx) {
    const state = ec2State(ctx);
    const vpc = getVpc(state, input.VpcId!);
    const id = vpc.VpcId!;
    const blockers =
      Object.values(state.subnets).some((s) => s.VpcId === id) ||
      Object.values(state.securityGroups).some((g) => g.VpcId === id && g.GroupName !== 'default') ||
      Object.values(state.networkInterfaces).some((n) => n.VpcId === id) ||
      Object.values(state.vpcEndpoints).some((e) => e.VpcId === id) ||
      attachedInternetGateway(state, id) !== undefined;
    if (blockers) throw Ec2Errors.dependency(`The vpc '${id}' has dependencies and cannot be deleted.`);
    for (const [gid, group] of Object.entries(state.securityGroups)) {
      if (group.VpcId !== id) continue;
      delete state.securityGroups[gid];
      delete state.tags[gid];
      for (const [rid, rule] of Object.entries(state.rules)) if (rule.GroupId === gid) delete state.rules[rid];
    }
    for (const [fid, log] of Object.entries(state.flowLogs)) if (log.ResourceId === id) delete state.flowLogs[fid];
    delete state.vpcs[id];
    // The main route table and the default network ACL go with the VPC (vpc-resources.ts).
    for (const gone of [id, mainRouteTableId(id), defaultNetworkAclId(id)]) delete state.tags[gone];
    if (state.vpcDns) delete state.vpcDns[id];
    return {};
  },

  DescribeVpcs(input, ctx) {
    const state = ec2State(ctx);
    let vpcs = Object.values(state.vpcs);
    if (input.VpcIds?.length) vpcs = input.VpcIds.map((id) => getVpc(state, id));
    vpcs = applyFilters(state, vpcs, input.Filters, {
      'vpc-id': (v) => v.VpcId,
      'cidr': (v) => v.CidrBlock,
      'cidr-block-association.cidr-block': (v) => v.CidrBlockAssociationSet?.map((a) => a.CidrBlock),
      'is-default': (v) => v.IsDefault,
      'state': (v) => v.State,
      'owner-id': (v) => v.OwnerId,
      'dhcp-options-id': (v) => v.DhcpOptionsId,
    }, (v) => v.VpcId!);
    const p = page(vpcs, input.NextToken, input.MaxResults);
    return { Vpcs: p.items.map((v) => presentVpc(ctx, state, v)), NextToken: p.NextToken };
  },

  DescribeVpcAttribute(input, ctx) {
    const state = ec2State(ctx);
    const vpc = getVpc(state, input.VpcId!);
    const attribute = input.Attribute as string;
    if (!Object.hasOwn(VPC_ATTRIBUTES, attribute)) throw Ec2Errors.unknownAttribute(attribute);
    const dns = vpcDns(state, vpc.VpcId);
    const out = { VpcId: vpc.VpcId };
    if (attribute === 'enableDnsSupport') return { ...out, EnableDnsSupport: { Value: dns.support } };
    if (attribute === 'enableDnsHostnames') return { ...out, EnableDnsHostnames: { Value: dns.hostnames } };
    return { ...out, EnableNetworkAddressUsageMetrics: { Value: false } };
  },

  ModifyVpcAttribute(input, ctx) {
    const state = ec2State(ctx);
    const vpc = getVpc(state, input.VpcId!);
    const given = Object.entries(VPC_ATTRIBUTES).filter(([, member]) => input[member]?.Value !== undefined);
    if (given.length === 0) throw Ec2Errors.missingParameter('EnableDnsSupport, EnableDnsHostnames or EnableNetworkAddressUsageMetrics');
    if (given.length > 1) throw Ec2Errors.invalidParameterCombination(`Fields for multiple attribute types specified: ${given.map(([name]) => name).join(', ')}`);
    if (given[0]![1] === 'EnableNetworkAddressUsageMetrics') {
      if (input.EnableNetworkAddressUsageMetrics!.Value) throw Ec2Errors.invalidParameterValue('The ecs-lab sandbox does not model Network Address Usage metrics.');
      return {};
    }
    const dns = { ...vpcDns(state, vpc.VpcId) };
    if (given[0]![1] === 'EnableDnsSupport') dns.support = input.EnableDnsSupport!.Value!;
    else dns.hostnames = input.EnableDnsHostnames!.Value!;
    (state.vpcDns ??= Object.create(null) as Record<string, typeof dns>)[vpc.VpcId!] = dns;
    renamePublicAddresses(ctx, state, vpc.VpcId!);
    return {};
  },

  CreateSubnet(input, ctx) {
    const state = ec2State(ctx);
    const vpc = getVpc(state, input.VpcId!);
    const cidr = parseCidr(input.CidrBlock);
    if (!cidr) throw Ec2Errors.invalidCidr(input.CidrBlock ?? '');
    const vpcCidr = parseCidr(vpc.CidrBlock)!;
    if (!contains(vpcCidr, cidr) || cidr.prefix > 28) throw Ec2Errors.subnetRange(input.CidrBlock!);
    for (const other of Object.values(state.subnets)) {
      if (other.VpcId === vpc.VpcId && overlaps(parseCidr(other.CidrBlock)!, cidr)) throw Ec2Errors.subnetConflict(input.CidrBlock!);
    }
    const zones = zonesFor(ctx.region);
    const zone = input.AvailabilityZone
      ? zones.find((z) => z.ZoneName === input.AvailabilityZone)
      : input.AvailabilityZoneId
        ? zones.find((z) => z.ZoneId === input.AvailabilityZoneId)
        : zones[0];
    if (!zone) throw Ec2Errors.zoneNotFound(input.AvailabilityZone ?? input.AvailabilityZoneId ?? '');
    const subnet = addSubnet(state, ctx, vpc.VpcId!, input.CidrBlock!, zone.ZoneName!, false);
    setTags(state, subnet.SubnetId!, tagsFromSpecs(input.TagSpecifications, 'subnet'));
    return { Subnet: presentSubnet(ctx, state, subnet) };
  },

  DeleteSubnet(input, ctx) {
    const state = ec2State(ctx);
    const subnet = getSubnet(state, input.SubnetId!);
    const id = subnet.SubnetId!;
    const inUse =
      Object.values(state.networkInterfaces).some((n) => n.SubnetId === id) ||
      Object.values(state.instances).some((r) => r.instance.SubnetId === id && r.instance.State?.Name !== 'terminated');
    if (inUse) throw Ec2Errors.dependency(`The subnet '${id}' has dependencies and cannot be deleted.`);
    delete state.subnets[id];
    delete state.tags[id];
    return {};
  },

  DescribeSubnets(input, ctx) {
    const state = ec2State(ctx);
    let subnets = Object.values(state.subnets);
    if (input.SubnetIds?.length) subnets = input.SubnetIds.map((id) => getSubnet(state, id));
    subnets = applyFilters(state, subnets, input.Filters, {
      'subnet-id': (s) => s.SubnetId,
      'vpc-id': (s) => s.VpcId,
      'availability-zone': (s) => s.AvailabilityZone,
      'availability-zone-id': (s) => s.AvailabilityZoneId,
      'cidr-block': (s) => s.CidrBlock,
      'cidr': (s) => s.CidrBlock,
      'default-for-az': (s) => s.DefaultForAz,
      'map-public-ip-on-launch': (s) => s.MapPublicIpOnLaunch,
      'state': (s) => s.State,
      'owner-id': (s) => s.OwnerId,
      'subnet-arn': (s) => s.SubnetArn,
    }, (s) => s.SubnetId!);
    const p = page(subnets, input.NextToken, input.MaxResults);
    return { Subnets: p.items.map((s) => presentSubnet(ctx, state, s)), NextToken: p.NextToken };
  },

  ModifySubnetAttribute(input, ctx) {
    const subnet = getSubnet(ec2State(ctx), input.SubnetId!);
    if (input.MapPublicIpOnLaunch?.Value !== undefined) subnet.MapPublicIpOnLaunch = input.MapPublicIpOnLaunch.Value;
    return {};
  },

  DescribeAvailabilityZones(input, ctx) {
    const state = ec2State(ctx);
    let zones = zonesFor(ctx.region);
    for (const name of input.ZoneNames ?? []) {
      if (!zones.some((z) => z.ZoneName === name)) throw Ec2Errors.invalidParameterValue(`The zone '${name}' does not exist.`);
    }
    if (input.ZoneNames?.length) zones = zones.filter((z) => input.ZoneNames!.includes(z.ZoneName!));
    if (input.ZoneIds?.length) zones = zones.filter((z) => input.ZoneIds!.includes(z.ZoneId!));
    zones = applyFilters(state, zones, input.Filters, {
      'zone-name': (z) => z.ZoneName,
      'zone-id': (z) => z.ZoneId,
      'state': (z) => z.State,
      'region-name': (z) => z.RegionName,
      'zone-type': (z) => z.ZoneType,
      'opt-in-status': (z) => z.OptInStatus,
      'group-name': (z) => z.GroupName,
    }, (z) => z.ZoneId!);
    return { AvailabilityZones: zones };
  },

  DescribeRegions(input, ctx) {
    const state = ec2State(ctx);
    let regions = regionsFor(ctx.region);
    const unknown = (input.RegionNames ?? []).filter((name) => !regions.some((r) => r.RegionName === name));
    if (unknown.length > 0) throw Ec2Errors.invalidRegion(unknown);
    if (input.RegionNames?.length) regions = regions.filter((r) => input.RegionNames!.includes(r.RegionName!));
    // AllRegions adds the Regions not opted in to; the sandbox has none.
    regions = applyFilters(state, regions, input.Filters, {
      'region-name': (r) => r.RegionName,
      'endpoint': (r) => r.Endpoint,
      'opt-in-status': (r) => r.OptInStatus,
    }, (r) => r.RegionName!);
    return { Regions: regions };
  },
};
