/**
 * VPC endpoints: the private path from a VPC to AWS services (Secrets Manager, SSM, ECR, logs)
 * without an internet gateway or NAT. An interface endpoint gets one requester-managed network
 * interface (InterfaceType `vpc_endpoint`) per subnet, with the endpoint's security groups, and
 * with private DNS takes over the service's regional name inside the VPC; a gateway endpoint
 * (S3, DynamoDB) is a target in route tables. The sandbox's endpoints are `available` at once.
 */
import type { DnsEntry, EC2, Subnet, UnsuccessfulItem, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { outputOf } from '../../clone.js';
import { own } from '../../dictionary.js';
import { ec2Id, stableEc2Id } from '../../ids.js';
import type { EndpointService } from '../catalog.js';
import { endpointServices, zonesFor } from '../catalog.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, byIds, page } from '../filters.js';
import type { Ec2State, VpcEndpointRecord } from '../state.js';
import { defaultSecurityGroup, ec2State, getSubnet, getVpc, nextPrivateIp, setTags, tagsFromSpecs, tagsOf, vpcDns } from '../state.js';
import { mainRouteTableId } from '../vpc-resources.js';
import { addInterface, interfaceGroups } from './network-interfaces.js';

/** The policy an endpoint gets without one: full access (AWS's default, policy version 2008-10-17). */
const FULL_ACCESS_POLICY = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

/** The account AWS PrivateLink creates endpoint interfaces as (their RequesterId). */
const PRIVATELINK_REQUESTER = '727180483921';

/** The hosted zone of regional `vpce.amazonaws.com` names (us-east-1's; the sandbox uses it everywhere). */
const VPCE_HOSTED_ZONE = 'Z7HUB22UULQXV';

/** The endpoint, or InvalidVpcEndpointId.NotFound. */
function getEndpoint(state: Ec2State, id: string): VpcEndpointRecord {
  const endpoint = own(state.vpcEndpoints, id);
  if (!endpoint) throw Ec2Errors.vpcEndpointNotFound(id);
  return endpoint;
}

function findService(ctx: RequestContext, name: string): EndpointService {
  const service = endpointServices(ctx.region).find((s) => s.name === name);
  if (!service) throw Ec2Errors.serviceNameInvalid(name);
  return service;
}

/** A policy document as given, or InvalidPolicyDocument when it is not a JSON object. */
function checkPolicy(document: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw Ec2Errors.invalidPolicyDocument();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw Ec2Errors.invalidPolicyDocument();
  return document;
}

/** Private DNS needs the VPC's DNS support and DNS hostnames, as AWS requires. */
function checkPrivateDns(state: Ec2State, vpcId: string): void {
  const dns = vpcDns(state, vpcId);
  if (!dns.support || !dns.hostnames) throw Ec2Errors.privateDnsNeedsVpcDns(vpcId);
}

/**
 * The subnets an interface endpoint is to have: the VPC's, at most one per Availability Zone,
 * each new one with an address left for the endpoint's interface.
 */
function endpointSubnets(state: Ec2State, vpcId: string, subnetIds: readonly string[], current: readonly string[] = []): Omit<Subnet, 'Tags'>[] {
  const subnets = [...new Set(subnetIds)].map((id) => getSubnet(state, id));
  const zones = new Map<string, string>();
  for (const subnet of subnets) {
    // Message not verified.
    if (subnet.VpcId !== vpcId) throw Ec2Errors.invalidParameterValue(`The subnet ID '${subnet.SubnetId}' does not belong to VPC '${vpcId}'.`);
    const other = zones.get(subnet.AvailabilityZone!);
    if (other) throw Ec2Errors.duplicateSubnetsInSameZone(other);
    zones.set(subnet.AvailabilityZone!, subnet.SubnetId!);
    if (!current.includes(subnet.SubnetId!)) nextPrivateIp(state, subnet);
  }
  return subnets;
}

/** Gives an interface endpoint its interface in a subnet. */
function addEndpointInterface(ctx: RequestContext, state: Ec2State, endpoint: VpcEndpointRecord, subnet: Omit<Subnet, 'Tags'>): string {
  return addInterface(ctx, state, {
    subnet,
    groups: endpoint.Groups ?? [],
    privateIpAddress: nextPrivateIp(state, subnet),
    publicIp: undefined,
    description: `VPC Endpoint Interface ${endpoint.VpcEndpointId}`,
    requesterId: PRIVATELINK_REQUESTER,
    interfaceType: 'vpc_endpoint',
  }).NetworkInterfaceId!;
}

/** Deletes an endpoint's interfaces in the given subnets (all of them by default). */
function removeEndpointInterfaces(state: Ec2State, endpoint: VpcEndpointRecord, subnetIds?: readonly string[]): void {
  const kept: string[] = [];
  for (const id of endpoint.NetworkInterfaceIds ?? []) {
    const eni = state.networkInterfaces[id];
    if (eni && subnetIds && !subnetIds.includes(eni.SubnetId!)) {
      kept.push(id);
      continue;
    }
    delete state.networkInterfaces[id];
    delete state.tags[id];
  }
  endpoint.NetworkInterfaceIds = kept;
}

/** An interface endpoint's DNS names: its own (regional, then one per zone) and, with private DNS, the service's. */
function dnsEntries(ctx: RequestContext, state: Ec2State, endpoint: VpcEndpointRecord): DnsEntry[] {
  if (endpoint.VpcEndpointType !== 'Interface') return [];
  const service = endpointServices(ctx.region).find((s) => s.name === endpoint.ServiceName);
  if (!service) return [];
  const name = `${endpoint.VpcEndpointId}-${endpoint.VpcEndpointId!.slice(-8)}`;
  const zones = (endpoint.SubnetIds ?? []).map((id) => state.subnets[id]?.AvailabilityZone).filter((z): z is string => z !== undefined);
  const entries: DnsEntry[] = [
    { DnsName: `${name}.${service.baseDnsName}`, HostedZoneId: VPCE_HOSTED_ZONE },
    ...zones.map((zone) => ({ DnsName: `${name}-${zone}.${service.baseDnsName}`, HostedZoneId: VPCE_HOSTED_ZONE })),
  ];
  if (endpoint.PrivateDnsEnabled) entries.push({ DnsName: service.privateDnsName });
  return entries;
}

function present(ctx: RequestContext, state: Ec2State, endpoint: VpcEndpointRecord): VpcEndpoint {
  return { ...outputOf(ctx, endpoint), DnsEntries: dnsEntries(ctx, state, endpoint), Tags: tagsOf(state, endpoint.VpcEndpointId!) ?? [] };
}

/** The route tables a gateway endpoint is associated with: the VPC's (the sandbox's VPCs have their main table only). */
function endpointRouteTables(vpcId: string, ids: readonly string[]): string[] {
  for (const id of ids) if (id !== mainRouteTableId(vpcId)) throw Ec2Errors.routeTableNotFound(id);
  return [...new Set(ids)];
}

/** `list` without `removed`, then with `added` (each once). */
function changeList(list: readonly string[] | undefined, added: readonly string[] | undefined, removed: readonly string[] | undefined): string[] {
  return [...new Set([...(list ?? []).filter((x) => !removed?.includes(x)), ...(added ?? [])])];
}

/** VPC endpoint operations. */
export const vpcEndpointHandlers: HandlerMap<EC2> = {
  CreateVpcEndpoint(input, ctx) {
    const state = ec2State(ctx);
    const vpcId = getVpc(state, input.VpcId ?? '').VpcId!;
    const type = input.VpcEndpointType ?? 'Gateway';
    // Code from the EC2 error code list; message not verified.
    if (type !== 'Interface' && type !== 'Gateway') throw Ec2Errors.invalidParameterValue(`The ecs-lab sandbox offers Interface and Gateway endpoints only, not '${type}'.`);
    const service = findService(ctx, input.ServiceName ?? '');
    if (!service.types.includes(type)) throw Ec2Errors.endpointTypeUnsupported(service.name, type);
    const policy = checkPolicy(input.PolicyDocument ?? FULL_ACCESS_POLICY);
    const id = ec2Id('vpce');
    const endpoint: VpcEndpointRecord = {
      VpcEndpointId: id,
      VpcEndpointType: type,
      VpcId: vpcId,
      ServiceName: service.name,
      // EC2 reports endpoint states in lower case, which the SDK's State enum lacks.
      State: 'available' as VpcEndpoint['State'],
      PolicyDocument: policy,
      RouteTableIds: [],
      SubnetIds: [],
      Groups: [],
      NetworkInterfaceIds: [],
      PrivateDnsEnabled: false,
      RequesterManaged: false,
      CreationTimestamp: ctx.now,
      OwnerId: ctx.account,
    };
    let subnets: Omit<Subnet, 'Tags'>[] = [];
    if (type === 'Interface') {
      subnets = endpointSubnets(state, vpcId, input.SubnetIds ?? []);
      const groupIds = input.SecurityGroupIds?.length ? input.SecurityGroupIds : [defaultSecurityGroup(state, vpcId)?.GroupId ?? ''];
      endpoint.Groups = interfaceGroups(state, vpcId, groupIds);
      // PrivateDnsEnabled defaults to true for interface endpoints of AWS services.
      endpoint.PrivateDnsEnabled = input.PrivateDnsEnabled ?? true;
      if (endpoint.PrivateDnsEnabled) checkPrivateDns(state, vpcId);
      endpoint.SubnetIds = subnets.map((s) => s.SubnetId!);
      endpoint.IpAddressType = 'ipv4';
      endpoint.DnsOptions = { DnsRecordIpType: 'ipv4' };
    } else {
      endpoint.RouteTableIds = endpointRouteTables(vpcId, input.RouteTableIds ?? []);
    }
    // Everything is checked: tag, then create.
    setTags(state, id, tagsFromSpecs(input.TagSpecifications, 'vpc-endpoint'));
    state.vpcEndpoints[id] = endpoint;
    endpoint.NetworkInterfaceIds = subnets.map((subnet) => addEndpointInterface(ctx, state, endpoint, subnet));
    return { VpcEndpoint: present(ctx, state, endpoint) };
  },

  ModifyVpcEndpoint(input, ctx) {
    const state = ec2State(ctx);
    const endpoint = getEndpoint(state, input.VpcEndpointId ?? '');
    const vpcId = endpoint.VpcId!;
    const policy = input.ResetPolicy ? FULL_ACCESS_POLICY : input.PolicyDocument === undefined ? undefined : checkPolicy(input.PolicyDocument);
    const interfaceOnly = [input.AddSubnetIds, input.RemoveSubnetIds, input.AddSecurityGroupIds, input.RemoveSecurityGroupIds].some((l) => l?.length) || input.PrivateDnsEnabled !== undefined;
    const gatewayOnly = [input.AddRouteTableIds, input.RemoveRouteTableIds].some((l) => l?.length);
    // Messages not verified.
    if (endpoint.VpcEndpointType === 'Gateway' && interfaceOnly) throw Ec2Errors.invalidParameterValue('Subnets, security groups and private DNS apply to Interface endpoints only.');
    if (endpoint.VpcEndpointType === 'Interface' && gatewayOnly) throw Ec2Errors.invalidParameterValue('Route tables apply to Gateway endpoints only.');
    for (const id of [...(input.RemoveSubnetIds ?? [])]) getSubnet(state, id);
    const subnetIds = changeList(endpoint.SubnetIds, input.AddSubnetIds, input.RemoveSubnetIds);
    const subnets = endpointSubnets(state, vpcId, subnetIds, endpoint.SubnetIds);
    const groups = interfaceGroups(state, vpcId, changeList(endpoint.Groups?.map((g) => g.GroupId!), input.AddSecurityGroupIds, input.RemoveSecurityGroupIds));
    const routeTables = endpointRouteTables(vpcId, changeList(endpoint.RouteTableIds, input.AddRouteTableIds, input.RemoveRouteTableIds));
    const privateDns = input.PrivateDnsEnabled ?? endpoint.PrivateDnsEnabled ?? false;
    if (privateDns && !endpoint.PrivateDnsEnabled) checkPrivateDns(state, vpcId);
    // Checked: apply.
    if (policy !== undefined) endpoint.PolicyDocument = policy;
    endpoint.RouteTableIds = routeTables;
    endpoint.PrivateDnsEnabled = privateDns;
    if (endpoint.VpcEndpointType === 'Interface') {
      endpoint.Groups = groups;
      const gone = (endpoint.SubnetIds ?? []).filter((id) => !subnetIds.includes(id));
      removeEndpointInterfaces(state, endpoint, gone);
      for (const id of endpoint.NetworkInterfaceIds ?? []) {
        const eni = state.networkInterfaces[id];
        if (eni) eni.Groups = groups.map((g) => ({ ...g }));
      }
      const added = subnets.filter((s) => !endpoint.SubnetIds?.includes(s.SubnetId!));
      endpoint.NetworkInterfaceIds = [...(endpoint.NetworkInterfaceIds ?? []), ...added.map((subnet) => addEndpointInterface(ctx, state, endpoint, subnet))];
      endpoint.SubnetIds = subnetIds;
    }
    return { Return: true };
  },

  DeleteVpcEndpoints(input, ctx) {
    const state = ec2State(ctx);
    const unsuccessful: UnsuccessfulItem[] = [];
    for (const id of input.VpcEndpointIds ?? []) {
      const endpoint = own(state.vpcEndpoints, id);
      if (!endpoint) {
        // The code and message DescribeVpcEndpoints gives (for this list, not verified).
        const error = Ec2Errors.vpcEndpointNotFound(id);
        unsuccessful.push({ ResourceId: id, Error: { Code: error.code, Message: error.message } });
        continue;
      }
      removeEndpointInterfaces(state, endpoint);
      delete state.vpcEndpoints[id];
      delete state.tags[id];
    }
    return { Unsuccessful: unsuccessful };
  },

  DescribeVpcEndpoints(input, ctx) {
    const state = ec2State(ctx);
    const all = Object.values(state.vpcEndpoints);
    const endpoints = applyFilters(state, byIds(all, input.VpcEndpointIds, (e) => e.VpcEndpointId, Ec2Errors.vpcEndpointNotFound), input.Filters, {
      'vpc-endpoint-id': (e) => e.VpcEndpointId,
      'vpc-id': (e) => e.VpcId,
      'service-name': (e) => e.ServiceName,
      'vpc-endpoint-state': (e) => e.State,
      'vpc-endpoint-type': (e) => e.VpcEndpointType,
      'ip-address-type': (e) => e.IpAddressType,
    }, (e) => e.VpcEndpointId!);
    const p = page(endpoints, input.NextToken, input.MaxResults);
    return { VpcEndpoints: p.items.map((e) => present(ctx, state, e)), NextToken: p.NextToken };
  },

  DescribeVpcEndpointServices(input, ctx) {
    const state = ec2State(ctx);
    const zones = zonesFor(ctx.region).map((z) => z.ZoneName!);
    const services = applyFilters(state, byIds(endpointServices(ctx.region), input.ServiceNames, (s) => s.name, Ec2Errors.serviceNameInvalid), input.Filters, {
      'service-name': (s) => s.name,
      'service-type': (s) => s.types,
      'owner': () => 'amazon',
      'service-region': () => ctx.region,
    }, (s) => s.name);
    const p = page(services, input.NextToken, input.MaxResults);
    return {
      ServiceNames: p.items.map((s) => s.name),
      ServiceDetails: p.items.map((s) => ({
        ServiceName: s.name,
        // AWS's own services have one id per Region; the sandbox's is stable per name.
        ServiceId: stableEc2Id('vpce-svc', s.name),
        ServiceType: s.types.map((ServiceType) => ({ ServiceType })),
        ServiceRegion: ctx.region,
        AvailabilityZones: zones,
        Owner: 'amazon',
        BaseEndpointDnsNames: [s.baseDnsName],
        PrivateDnsName: s.types.includes('Interface') ? s.privateDnsName : undefined,
        PrivateDnsNames: s.types.includes('Interface') ? [{ PrivateDnsName: s.privateDnsName }] : undefined,
        PrivateDnsNameVerificationState: s.types.includes('Interface') ? 'verified' : undefined,
        VpcEndpointPolicySupported: true,
        AcceptanceRequired: false,
        ManagesVpcEndpoints: false,
        SupportedIpAddressTypes: ['ipv4'],
        Tags: [],
      })),
      NextToken: p.NextToken,
    };
  },
};
