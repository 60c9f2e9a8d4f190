/**
 * EC2 network interfaces: the primary interface every instance is launched with, and
 * DescribeNetworkInterfaces (which also lists the interfaces ECS creates for awsvpc tasks).
 */
import { randomBytes } from 'node:crypto';
import type {
  EC2,
  GroupIdentifier,
  InstanceNetworkInterface,
  NetworkInterface,
  NetworkInterfaceAssociation,
  NetworkInterfaceAttachment,
  NetworkInterfaceType,
  Subnet,
} from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { clonePlain } from '../../clone.js';
import { ec2Id, hex } from '../../ids.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, page } from '../filters.js';
import type { Ec2State, InstanceRecord } from '../state.js';
import { ec2State, getSecurityGroup, privateDnsName, publicDnsName, tagsOf } from '../state.js';

/** The addresses and groups of an instance's primary interface. */
export interface PrimaryInterfaceSpec {
  instanceId: string;
  subnet: Omit<Subnet, 'Tags'>;
  groups: readonly GroupIdentifier[];
  privateIpAddress: string;
  /** The auto-assigned public IPv4 address, if the instance gets one. */
  publicIp: string | undefined;
}

/** A public IPv4 address from Amazon's pool (3.0.0.0/8), as auto-assignment hands out. */
export function publicIpAddress(): string {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return `3.${a}.${b}.${1 + (c % 254)}`;
}

/** What an interface is made of; {@link addInterface} fills in the rest. */
export interface InterfaceSpec {
  subnet: Omit<Subnet, 'Tags'>;
  groups: readonly GroupIdentifier[];
  privateIpAddress: string;
  /** The auto-assigned public IPv4 address, if it gets one (owned by Amazon, not the account). */
  publicIp: string | undefined;
  description: string;
  /** The account of the service that manages the interface (an ECS task ENI); absent for the account's own. */
  requesterId?: string;
  /** Absent for an interface attached to nothing (a VPC endpoint's, which is in use all the same). */
  attachment?: NetworkInterfaceAttachment;
  /** Default `interface`. */
  interfaceType?: NetworkInterfaceType;
}

/** How many security groups an interface may have (the default quota, DescribeAccountAttributes). */
export const GROUPS_PER_INTERFACE = 5;

/**
 * The groups an interface in `vpcId` is given, as it lists them.
 * @throws InvalidGroup.NotFound, InvalidParameterValue for a group of another VPC, or
 * SecurityGroupsPerInterfaceLimitExceeded.
 */
export function interfaceGroups(state: Ec2State, vpcId: string | undefined, groupIds: readonly string[]): GroupIdentifier[] {
  const groups = [...new Set(groupIds)].map((id) => getSecurityGroup(state, id));
  // The same message as RunInstances gives for a group of another VPC (not verified for these calls).
  if (groups.some((g) => g.VpcId !== vpcId)) throw Ec2Errors.invalidParameterValue('Security group and subnet belong to different networks.');
  if (groups.length > GROUPS_PER_INTERFACE) throw Ec2Errors.groupsPerInterfaceExceeded();
  return groups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName }));
}

/**
 * Creates an in-use network interface in EC2 state: the instances' primary interfaces and the
 * interfaces ECS gives awsvpc tasks are both made here.
 */
export function addInterface(ctx: RequestContext, state: Ec2State, spec: InterfaceSpec): Omit<NetworkInterface, 'TagSet'> {
  const id = ec2Id('eni');
  const publicName = publicDnsName(state, ctx.region, spec.subnet.VpcId, spec.publicIp);
  const privateName = privateDnsName(ctx.region, spec.privateIpAddress);
  const association = (): NetworkInterfaceAssociation | undefined => (spec.publicIp ? { IpOwnerId: 'amazon', PublicDnsName: publicName, PublicIp: spec.publicIp } : undefined);
  const eni: Omit<NetworkInterface, 'TagSet'> = {
    NetworkInterfaceId: id,
    SubnetId: spec.subnet.SubnetId,
    VpcId: spec.subnet.VpcId,
    AvailabilityZone: spec.subnet.AvailabilityZone,
    AvailabilityZoneId: spec.subnet.AvailabilityZoneId,
    Description: spec.description,
    Groups: spec.groups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName })),
    InterfaceType: spec.interfaceType ?? 'interface',
    MacAddress: `0e:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}`,
    OwnerId: ctx.account,
    PrivateDnsName: privateName,
    PrivateIpAddress: spec.privateIpAddress,
    PrivateIpAddresses: [{ Primary: true, PrivateDnsName: privateName, PrivateIpAddress: spec.privateIpAddress, Association: association() }],
    Association: association(),
    Attachment: spec.attachment,
    Ipv6Addresses: [],
    RequesterId: spec.requesterId,
    RequesterManaged: spec.requesterId !== undefined,
    SourceDestCheck: true,
    Status: 'in-use',
  };
  state.networkInterfaces[id] = eni;
  return eni;
}

/**
 * Creates an instance's primary interface: device index 0, attached at launch and deleted when
 * the instance terminates (DeleteOnTermination), in the instance's subnet with its groups.
 * @returns the interface id.
 */
export function attachPrimaryInterface(ctx: RequestContext, state: Ec2State, spec: PrimaryInterfaceSpec): string {
  return addInterface(ctx, state, {
    subnet: spec.subnet,
    groups: spec.groups,
    privateIpAddress: spec.privateIpAddress,
    publicIp: spec.publicIp,
    description: '',
    attachment: {
      AttachmentId: ec2Id('eni-attach'),
      AttachTime: ctx.now,
      DeleteOnTermination: true,
      DeviceIndex: 0,
      NetworkCardIndex: 0,
      InstanceId: spec.instanceId,
      InstanceOwnerId: ctx.account,
      Status: 'attached',
    },
  }).NetworkInterfaceId!;
}

/**
 * Deletes a terminated instance's interfaces, with their public addresses: the sandbox attaches
 * only primary interfaces, and those are DeleteOnTermination.
 */
export function releaseInterfaces(state: Ec2State, record: InstanceRecord): void {
  for (const id of record.networkInterfaceIds ?? []) {
    delete state.networkInterfaces[id];
    delete state.tags[id];
  }
  record.networkInterfaceIds = [];
}

/** An instance's interfaces as DescribeInstances shows them (state saved before they existed has none). */
export function instanceInterfaces(state: Ec2State, record: InstanceRecord): InstanceNetworkInterface[] {
  return (record.networkInterfaceIds ?? []).flatMap((id) => {
    const eni = state.networkInterfaces[id];
    return eni ? [asInstanceInterface(eni)] : [];
  });
}

/** The instance's view of an interface: the attachment without the instance it names. */
function asInstanceInterface(eni: Omit<NetworkInterface, 'TagSet'>): InstanceNetworkInterface {
  const attachment = eni.Attachment;
  const association = (a: NetworkInterfaceAssociation | undefined) => a && { IpOwnerId: a.IpOwnerId, PublicDnsName: a.PublicDnsName, PublicIp: a.PublicIp };
  return clonePlain({
    Association: association(eni.Association),
    Attachment: attachment && {
      AttachTime: attachment.AttachTime,
      AttachmentId: attachment.AttachmentId,
      DeleteOnTermination: attachment.DeleteOnTermination,
      DeviceIndex: attachment.DeviceIndex,
      NetworkCardIndex: attachment.NetworkCardIndex,
      Status: attachment.Status,
    },
    Description: eni.Description,
    Groups: eni.Groups,
    Ipv6Addresses: eni.Ipv6Addresses,
    MacAddress: eni.MacAddress,
    NetworkInterfaceId: eni.NetworkInterfaceId,
    OwnerId: eni.OwnerId,
    PrivateDnsName: eni.PrivateDnsName,
    PrivateIpAddress: eni.PrivateIpAddress,
    PrivateIpAddresses: eni.PrivateIpAddresses?.map((a) => ({
      Association: association(a.Association),
      Primary: a.Primary,
      PrivateDnsName: a.PrivateDnsName,
      PrivateIpAddress: a.PrivateIpAddress,
    })),
    SourceDestCheck: eni.SourceDestCheck,
    Status: eni.Status,
    SubnetId: eni.SubnetId,
    VpcId: eni.VpcId,
    InterfaceType: eni.InterfaceType,
  });
}

/** The interface, or InvalidNetworkInterfaceID.NotFound. */
function getInterface(state: Ec2State, id: string): Omit<NetworkInterface, 'TagSet'> {
  const eni = Object.hasOwn(state.networkInterfaces, id) ? state.networkInterfaces[id] : undefined;
  if (!eni) throw Ec2Errors.eniNotFound(id);
  return eni;
}

/** The attributes DescribeNetworkInterfaceAttribute names (wire name) and the member it answers with. */
const ENI_ATTRIBUTES: Readonly<Record<string, (eni: Omit<NetworkInterface, 'TagSet'>) => object>> = {
  description: (eni) => ({ Description: { Value: eni.Description ?? '' } }),
  groupSet: (eni) => ({ Groups: clonePlain(eni.Groups ?? []) }),
  sourceDestCheck: (eni) => ({ SourceDestCheck: { Value: eni.SourceDestCheck ?? true } }),
  attachment: (eni) => (eni.Attachment ? { Attachment: clonePlain(eni.Attachment) } : {}),
  associatePublicIpAddress: (eni) => ({ AssociatePublicIpAddress: eni.Association?.PublicIp !== undefined }),
};

/** Network interface operations. */
export const networkInterfaceHandlers: HandlerMap<EC2> = {
  ModifyNetworkInterfaceAttribute(input, ctx) {
    const state = ec2State(ctx);
    const eni = getInterface(state, input.NetworkInterfaceId ?? '');
    const given = [
      input.Description?.Value !== undefined && 'description',
      input.Groups?.length && 'groupSet',
      input.SourceDestCheck?.Value !== undefined && 'sourceDestCheck',
      input.Attachment && 'attachment',
    ].filter((name): name is string => typeof name === 'string');
    if (given.length === 0) throw Ec2Errors.missingParameter('Description, Groups, SourceDestCheck or Attachment');
    // The message of ModifyVpcAttribute's same check (not verified for interfaces).
    if (given.length > 1) throw Ec2Errors.invalidParameterCombination(`Fields for multiple attribute types specified: ${given.join(', ')}`);
    // Interfaces that ECS (awsvpc tasks) or PrivateLink (endpoints) manage are changed through them.
    if (eni.RequesterManaged) throw Ec2Errors.requesterManaged();
    const primaryOf = eni.Attachment?.DeviceIndex === 0 && eni.Attachment.InstanceId ? state.instances[eni.Attachment.InstanceId]?.instance : undefined;
    if (input.Description?.Value !== undefined) eni.Description = input.Description.Value;
    if (input.Groups?.length) {
      eni.Groups = interfaceGroups(state, eni.VpcId, input.Groups);
      // An instance's groups are its primary interface's.
      if (primaryOf) primaryOf.SecurityGroups = clonePlain(eni.Groups);
    }
    if (input.SourceDestCheck?.Value !== undefined) {
      eni.SourceDestCheck = input.SourceDestCheck.Value;
      if (primaryOf) primaryOf.SourceDestCheck = eni.SourceDestCheck;
    }
    if (input.Attachment) {
      if (!eni.Attachment || eni.Attachment.AttachmentId !== input.Attachment.AttachmentId) {
        throw Ec2Errors.attachmentNotFound(input.Attachment.AttachmentId ?? '');
      }
      if (input.Attachment.DeleteOnTermination !== undefined) eni.Attachment.DeleteOnTermination = input.Attachment.DeleteOnTermination;
    }
    return {};
  },

  DescribeNetworkInterfaceAttribute(input, ctx) {
    const eni = getInterface(ec2State(ctx), input.NetworkInterfaceId ?? '');
    const attribute = String(input.Attribute ?? '');
    const read = Object.hasOwn(ENI_ATTRIBUTES, attribute) ? ENI_ATTRIBUTES[attribute] : undefined;
    if (!read) throw Ec2Errors.unknownAttribute(attribute);
    return { NetworkInterfaceId: eni.NetworkInterfaceId, ...read(eni) };
  },

  DescribeNetworkInterfaces(input, ctx) {
    const state = ec2State(ctx);
    let enis = Object.values(state.networkInterfaces);
    for (const id of input.NetworkInterfaceIds ?? []) if (!state.networkInterfaces[id]) throw Ec2Errors.eniNotFound(id);
    if (input.NetworkInterfaceIds?.length) enis = enis.filter((n) => input.NetworkInterfaceIds!.includes(n.NetworkInterfaceId!));
    enis = applyFilters(state, enis, input.Filters, {
      'network-interface-id': (n) => n.NetworkInterfaceId,
      'vpc-id': (n) => n.VpcId,
      'subnet-id': (n) => n.SubnetId,
      'group-id': (n) => n.Groups?.map((g) => g.GroupId),
      'group-name': (n) => n.Groups?.map((g) => g.GroupName),
      'description': (n) => n.Description,
      'interface-type': (n) => n.InterfaceType,
      'requester-managed': (n) => n.RequesterManaged,
      'status': (n) => n.Status,
      'availability-zone': (n) => n.AvailabilityZone,
      'mac-address': (n) => n.MacAddress,
      'owner-id': (n) => n.OwnerId,
      'private-ip-address': (n) => n.PrivateIpAddress,
      'addresses.private-ip-address': (n) => n.PrivateIpAddresses?.map((a) => a.PrivateIpAddress),
      'addresses.association.public-ip': (n) => n.PrivateIpAddresses?.map((a) => a.Association?.PublicIp),
      'association.public-ip': (n) => n.Association?.PublicIp,
      'association.ip-owner-id': (n) => n.Association?.IpOwnerId,
      'attachment.attachment-id': (n) => n.Attachment?.AttachmentId,
      'attachment.instance-id': (n) => n.Attachment?.InstanceId,
      'attachment.instance-owner-id': (n) => n.Attachment?.InstanceOwnerId,
      'attachment.device-index': (n) => n.Attachment?.DeviceIndex,
      'attachment.status': (n) => n.Attachment?.Status,
      'attachment.delete-on-termination': (n) => n.Attachment?.DeleteOnTermination,
    }, (n) => n.NetworkInterfaceId!);
    const p = page(enis, input.NextToken, input.MaxResults);
    return { NetworkInterfaces: p.items.map((n): NetworkInterface => ({ ...structuredClone(n), TagSet: tagsOf(state, n.NetworkInterfaceId!) })), NextToken: p.NextToken };
  },
};
