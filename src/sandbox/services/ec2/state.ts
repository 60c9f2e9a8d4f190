/**
 * EC2 state for one account and region: SDK-shaped records keyed by id, plus one tag store for
 * every resource (so create-tags/describe-tags and `tag:` filters work the same everywhere).
 * Security group rules are the source of truth; `IpPermissions` are derived from them.
 */
import type {
  FlowLog,
  Image,
  Instance,
  LaunchTemplate,
  LaunchTemplateVersion,
  NetworkInterface,
  SecurityGroup,
  SecurityGroupRule,
  Subnet,
  Tag,
  Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { asDictionaries, own, withMaps } from '../dictionary.js';
import type { RequestContext } from '../types.js';
import { ec2Id } from '../ids.js';
import { Ec2Errors } from './errors.js';
import { zonesFor } from './catalog.js';
import { parseCidr } from './cidr.js';
import type { InternetGatewayRecord } from './vpc-resources.js';
import { defaultInternetGateways, defaultNetworkAclId, internetGateways, mainRouteTableId } from './vpc-resources.js';

/** A security group without its permissions (derived from `rules`). */
export type SecurityGroupRecord = Omit<SecurityGroup, 'IpPermissions' | 'IpPermissionsEgress' | 'Tags'>;

/** One instance with its reservation (its `NetworkInterfaces` are derived from `networkInterfaceIds`). */
export interface InstanceRecord {
  instance: Instance;
  reservationId: string;
  /** The interfaces attached to it, primary first (absent in state saved before instances had any). */
  networkInterfaceIds?: string[];
  /** The base64 user data it was launched with (absent when none, or saved before it was kept). */
  userData?: string;
  /**
   * Its root EBS volume as launched (the launch template's mapping over the image's); absent in
   * state saved before it was kept, where DescribeVolumes falls back to the image's (handlers/volumes.ts).
   */
  rootVolume?: RootVolume;
  /** Whether it gets a new public IPv4 address when started again (set while stopped). */
  publicIpOnStart?: boolean;
}

/** An instance's root volume (its id and attachment derive from the instance). */
export interface RootVolume {
  size: number;
  volumeType: string;
  encrypted: boolean;
  kmsKeyId?: string;
  iops?: number;
  throughput?: number;
  deleteOnTermination: boolean;
  snapshotId?: string;
  createTime: Date;
}

/**
 * A flow log as stored: `deliveredUntil` (epoch ms) is where its CloudWatch Logs delivery got to
 * (flow-log-delivery.ts; absent: nothing delivered yet). DescribeFlowLogs does not output it.
 */
export type FlowLogRecord = Omit<FlowLog, 'Tags'> & { deliveredUntil?: number };

/** A VPC endpoint as stored (tags live in the shared tag store). */
export type VpcEndpointRecord = Omit<VpcEndpoint, 'Tags'>;

/** One launch template with its versions (index = version - 1). */
export interface LaunchTemplateRecord {
  template: Omit<LaunchTemplate, 'Tags'>;
  versions: LaunchTemplateVersion[];
}

/** EC2 state of one account and region. */
export interface Ec2State {
  vpcs: Record<string, Omit<Vpc, 'Tags'>>;
  subnets: Record<string, Omit<Subnet, 'Tags'>>;
  securityGroups: Record<string, SecurityGroupRecord>;
  rules: Record<string, Omit<SecurityGroupRule, 'Tags'>>;
  flowLogs: Record<string, FlowLogRecord>;
  launchTemplates: Record<string, LaunchTemplateRecord>;
  images: Record<string, Omit<Image, 'Tags'>>;
  instances: Record<string, InstanceRecord>;
  networkInterfaces: Record<string, Omit<NetworkInterface, 'TagSet'>>;
  /** resource id -> key -> value. */
  tags: Record<string, Record<string, string>>;
  /** VPC DNS attributes set by ModifyVpcAttribute (absent: the defaults of {@link vpcDns}). */
  vpcDns?: Record<string, VpcDns>;
  /**
   * Internet gateways (absent in state saved before the sandbox had them: read and change them
   * through vpc-resources.ts, which gives such state its default VPC's gateway).
   */
  internetGateways?: Record<string, InternetGatewayRecord>;
  /** VPC endpoints (added by {@link ec2State} to state saved before the sandbox had them). */
  vpcEndpoints: Record<string, VpcEndpointRecord>;
}

/** A VPC's DNS attributes (DescribeVpcAttribute). */
export interface VpcDns {
  support: boolean;
  hostnames: boolean;
}

/** A VPC's DNS attributes: DNS support on; DNS hostnames on in a default VPC only, as AWS creates them. */
export function vpcDns(state: Ec2State, vpcId: string | undefined): VpcDns {
  const set = vpcId !== undefined && state.vpcDns && Object.hasOwn(state.vpcDns, vpcId) ? state.vpcDns[vpcId] : undefined;
  return set ?? { support: true, hostnames: vpcId !== undefined && state.vpcs[vpcId]?.IsDefault === true };
}

const dashed = (ip: string): string => ip.replaceAll('.', '-');

/** The ip-name private hostname of an address (`ip-10-0-1-5.ec2.internal` in us-east-1). */
export function privateDnsName(region: string, ip: string): string {
  const name = `ip-${dashed(ip)}`;
  return region === 'us-east-1' ? `${name}.ec2.internal` : `${name}.${region}.compute.internal`;
}

/**
 * The public hostname of a public address in a VPC, when the VPC has DNS hostnames on
 * (`ec2-3-1-2-3.compute-1.amazonaws.com` in us-east-1); otherwise undefined.
 */
export function publicDnsName(state: Ec2State, region: string, vpcId: string | undefined, ip: string | undefined): string | undefined {
  if (!ip || !vpcDns(state, vpcId).hostnames) return undefined;
  const name = `ec2-${dashed(ip)}`;
  return region === 'us-east-1' ? `${name}.compute-1.amazonaws.com` : `${name}.${region}.compute.amazonaws.com`;
}

/** The EC2 state of the request's account and region (with its default VPC on first use). */
export function ec2State(ctx: RequestContext): Ec2State {
  return asDictionaries(withMaps(ctx, ctx.state('ec2', () => initEc2(ctx)), ['vpcEndpoints']), EC2_MAPS);
}

const EC2_MAPS = ['vpcs', 'subnets', 'securityGroups', 'rules', 'flowLogs', 'launchTemplates', 'images', 'instances', 'networkInterfaces', 'tags', 'vpcDns', 'internetGateways', 'vpcEndpoints'] as const;

function initEc2(ctx: RequestContext): Ec2State {
  const state: Ec2State = {
    vpcs: {},
    subnets: {},
    securityGroups: {},
    rules: {},
    flowLogs: {},
    launchTemplates: {},
    images: {},
    instances: {},
    networkInterfaces: {},
    tags: {},
    vpcEndpoints: {},
  };
  // Every real account has a default VPC with one default subnet per AZ and an internet gateway.
  const vpc = addVpc(state, ctx, '172.31.0.0/16', true);
  zonesFor(ctx.region).forEach((zone, i) => {
    addSubnet(state, ctx, vpc.VpcId!, `172.31.${i * 16}.0/20`, zone.ZoneName!, true);
  });
  state.internetGateways = defaultInternetGateways(state);
  return state;
}

/** Adds a VPC with its default security group (its main route table and default ACL follow from it, vpc-resources.ts). */
export function addVpc(state: Ec2State, ctx: RequestContext, cidr: string, isDefault: boolean): Omit<Vpc, 'Tags'> {
  const id = ec2Id('vpc');
  const vpc: Omit<Vpc, 'Tags'> = {
    VpcId: id,
    OwnerId: ctx.account,
    State: 'available',
    CidrBlock: cidr,
    DhcpOptionsId: ec2Id('dopt'),
    InstanceTenancy: 'default',
    IsDefault: isDefault,
    CidrBlockAssociationSet: [{ AssociationId: ec2Id('vpc-cidr-assoc'), CidrBlock: cidr, CidrBlockState: { State: 'associated' } }],
  };
  state.vpcs[id] = vpc;
  const sg = addSecurityGroup(state, ctx, id, 'default', 'default VPC security group');
  // The default group allows all traffic from itself and all egress.
  addRule(state, ctx, sg.GroupId!, false, { IpProtocol: '-1', ReferencedGroupInfo: { GroupId: sg.GroupId, UserId: ctx.account } });
  addRule(state, ctx, sg.GroupId!, true, { IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' });
  return vpc;
}

/** Adds a subnet. */
export function addSubnet(state: Ec2State, ctx: RequestContext, vpcId: string, cidr: string, zoneName: string, defaultForAz: boolean): Omit<Subnet, 'Tags'> {
  const id = ec2Id('subnet');
  const zone = zonesFor(ctx.region).find((z) => z.ZoneName === zoneName);
  const prefix = Number(cidr.split('/')[1] ?? '24');
  const subnet: Omit<Subnet, 'Tags'> = {
    SubnetId: id,
    SubnetArn: `arn:aws:ec2:${ctx.region}:${ctx.account}:subnet/${id}`,
    VpcId: vpcId,
    CidrBlock: cidr,
    State: 'available',
    AvailabilityZone: zoneName,
    AvailabilityZoneId: zone?.ZoneId,
    AvailableIpAddressCount: Math.max(0, 2 ** (32 - prefix) - 5),
    DefaultForAz: defaultForAz,
    MapPublicIpOnLaunch: defaultForAz,
    OwnerId: ctx.account,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
  };
  state.subnets[id] = subnet;
  return subnet;
}

/** Adds an empty security group (no rules). */
export function addSecurityGroup(state: Ec2State, ctx: RequestContext, vpcId: string, name: string, description: string): SecurityGroupRecord {
  const id = ec2Id('sg');
  const group: SecurityGroupRecord = {
    GroupId: id,
    GroupName: name,
    Description: description,
    VpcId: vpcId,
    OwnerId: ctx.account,
    SecurityGroupArn: `arn:aws:ec2:${ctx.region}:${ctx.account}:security-group/${id}`,
  };
  state.securityGroups[id] = group;
  return group;
}

/** Adds one rule to a group. */
export function addRule(
  state: Ec2State,
  ctx: RequestContext,
  groupId: string,
  isEgress: boolean,
  rule: Omit<SecurityGroupRule, 'SecurityGroupRuleId' | 'GroupId' | 'GroupOwnerId' | 'IsEgress'>,
): Omit<SecurityGroupRule, 'Tags'> {
  const id = ec2Id('sgr');
  const record: Omit<SecurityGroupRule, 'Tags'> = {
    SecurityGroupRuleId: id,
    GroupId: groupId,
    GroupOwnerId: ctx.account,
    IsEgress: isEgress,
    FromPort: rule.IpProtocol === '-1' ? -1 : rule.FromPort,
    ToPort: rule.IpProtocol === '-1' ? -1 : rule.ToPort,
    ...rule,
    SecurityGroupRuleArn: `arn:aws:ec2:${ctx.region}:${ctx.account}:security-group-rule/${id}`,
  };
  if (rule.IpProtocol === '-1') {
    record.FromPort = -1;
    record.ToPort = -1;
  }
  state.rules[id] = record;
  return record;
}

/** The subnet, or InvalidSubnetID.NotFound. */
export function getSubnet(state: Ec2State, id: string): Omit<Subnet, 'Tags'> {
  const subnet = state.subnets[id];
  if (!subnet) throw Ec2Errors.subnetNotFound(id);
  return subnet;
}

/**
 * The next private IPv4 address of a subnet, as EC2 assigns them: the lowest one no interface or
 * instance holds, past the four addresses AWS reserves at the start of every subnet and before
 * the one it reserves at the end. Instances and awsvpc task ENIs draw from the same subnet.
 * @returns undefined when none is left.
 */
export function freePrivateIp(state: Ec2State, subnet: Omit<Subnet, 'Tags'>): string | undefined {
  const cidr = parseCidr(subnet.CidrBlock);
  if (!cidr) return undefined;
  const used = new Set<string>();
  for (const eni of Object.values(state.networkInterfaces)) {
    if (eni.SubnetId === subnet.SubnetId && eni.PrivateIpAddress) used.add(eni.PrivateIpAddress);
  }
  // Instances saved before they had interfaces hold their address on the instance only.
  for (const { instance } of Object.values(state.instances)) {
    if (instance.SubnetId === subnet.SubnetId && instance.PrivateIpAddress && instance.State?.Name !== 'terminated') used.add(instance.PrivateIpAddress);
  }
  for (let address = cidr.first + 4; address < cidr.last; address++) {
    const text = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
    if (!used.has(text)) return text;
  }
  return undefined;
}

/** {@link freePrivateIp}, or InsufficientFreeAddressesInSubnet (RunInstances). */
export function nextPrivateIp(state: Ec2State, subnet: Omit<Subnet, 'Tags'>): string {
  const ip = freePrivateIp(state, subnet);
  if (!ip) throw Ec2Errors.subnetFull(subnet.SubnetId!);
  return ip;
}

/** The instance, or InvalidInstanceID.NotFound. */
export function getInstance(state: Ec2State, id: string): InstanceRecord {
  const record = own(state.instances, id);
  if (!record) throw Ec2Errors.instanceNotFound(id);
  return record;
}

/** The VPC, or InvalidVpcID.NotFound. */
export function getVpc(state: Ec2State, id: string): Omit<Vpc, 'Tags'> {
  const vpc = state.vpcs[id];
  if (!vpc) throw Ec2Errors.vpcNotFound(id);
  return vpc;
}

/** The security group, or InvalidGroup.NotFound. */
export function getSecurityGroup(state: Ec2State, id: string): SecurityGroupRecord {
  const group = state.securityGroups[id];
  if (!group) throw Ec2Errors.groupNotFound(id);
  return group;
}

/** The VPC's `default` security group. */
export function defaultSecurityGroup(state: Ec2State, vpcId: string): SecurityGroupRecord | undefined {
  return Object.values(state.securityGroups).find((g) => g.VpcId === vpcId && g.GroupName === 'default');
}

/** A resource's tags in SDK form (undefined when none, as EC2 omits empty tag sets). */
export function tagsOf(state: Ec2State, id: string): Tag[] | undefined {
  const tags = state.tags[id];
  if (!tags) return undefined;
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return list.length > 0 ? list : undefined;
}

/** Sets tags on a resource. */
export function setTags(state: Ec2State, id: string, tags: readonly Tag[] | undefined): void {
  if (!tags || tags.length === 0) return;
  const bag = (state.tags[id] ??= Object.create(null) as Record<string, string>);
  for (const tag of tags) {
    if (tag.Key === undefined) continue;
    if (tag.Key.toLowerCase().startsWith('aws:')) throw Ec2Errors.invalidParameterValue('Tag keys starting with \'aws:\' are reserved for internal use');
    bag[tag.Key] = tag.Value ?? '';
  }
}

/** Tags from `TagSpecifications` for one resource type. */
export function tagsFromSpecs(specs: readonly { ResourceType?: string; Tags?: Tag[] }[] | undefined, resourceType: string): Tag[] {
  return (specs ?? []).filter((s) => !s.ResourceType || s.ResourceType === resourceType).flatMap((s) => s.Tags ?? []);
}

/** EC2 resource types by id prefix. */
const RESOURCE_TYPES: Readonly<Record<string, string>> = {
  vpc: 'vpc',
  subnet: 'subnet',
  sg: 'security-group',
  sgr: 'security-group-rule',
  fl: 'vpc-flow-log',
  lt: 'launch-template',
  ami: 'image',
  i: 'instance',
  eni: 'network-interface',
  rtb: 'route-table',
  acl: 'network-acl',
  igw: 'internet-gateway',
  vpce: 'vpc-endpoint',
};

/** The EC2 resource type of an id, from its prefix (undefined when unknown). */
export function resourceTypeOf(id: string): string | undefined {
  return own(RESOURCE_TYPES, id.split('-')[0] ?? '');
}

/** Whether a resource id exists in this state. */
export function resourceExists(state: Ec2State, id: string): boolean {
  switch (resourceTypeOf(id)) {
    case 'vpc': return id in state.vpcs;
    case 'subnet': return id in state.subnets;
    case 'security-group': return id in state.securityGroups;
    case 'security-group-rule': return id in state.rules;
    case 'vpc-flow-log': return id in state.flowLogs;
    case 'launch-template': return id in state.launchTemplates;
    case 'image': return true;
    case 'instance': return id in state.instances;
    case 'network-interface': return id in state.networkInterfaces;
    case 'route-table': return Object.keys(state.vpcs).some((vpcId) => mainRouteTableId(vpcId) === id);
    case 'network-acl': return Object.keys(state.vpcs).some((vpcId) => defaultNetworkAclId(vpcId) === id);
    case 'internet-gateway': return Object.hasOwn(internetGateways(state), id);
    case 'vpc-endpoint': return Object.hasOwn(state.vpcEndpoints, id);
    default: return false;
  }
}
