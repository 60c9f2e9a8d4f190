/** EC2 VPCs, subnets and Availability Zones. */
import type { EC2, Subnet, Vpc } from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { outputOf } from '../../clone.js';
import { zonesFor } from '../catalog.js';
import { contains, overlaps, parseCidr } from '../cidr.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, page } from '../filters.js';
import type { Ec2State } from '../state.js';
import { addSubnet, addVpc, ec2State, getSubnet, getVpc, setTags, tagsFromSpecs, tagsOf } from '../state.js';

function presentVpc(ctx: RequestContext, state: Ec2State, vpc: Omit<Vpc, 'Tags'>): Vpc {
  return { ...outputOf(ctx, vpc), Tags: tagsOf(state, vpc.VpcId!) };
}

function presentSubnet(ctx: RequestContext, state: Ec2State, subnet: Omit<Subnet, 'Tags'>): Subnet {
  return { ...outputOf(ctx, subnet), Tags: tagsOf(state, subnet.SubnetId!) };
}

/** VPC, subnet and zone operations. */
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
      Object.values(state.networkInterfaces).some((n) => n.VpcId === id);
    if (blockers) throw Ec2Errors.dependency(`The vpc '${id}' has dependencies and cannot be deleted.`);
    for (const [gid, group] of Object.entries(state.securityGroups)) {
      if (group.VpcId !== id) continue;
      delete state.securityGroups[gid];
      delete state.tags[gid];
      for (const [rid, rule] of Object.entries(state.rules)) if (rule.GroupId === gid) delete state.rules[rid];
    }
    for (const [fid, log] of Object.entries(state.flowLogs)) if (log.ResourceId === id) delete state.flowLogs[fid];
    delete state.vpcs[id];
    delete state.tags[id];
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
};
