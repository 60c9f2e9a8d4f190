/** EC2 images, instances, instance types and their offerings. */
import type {
  EC2,
  IamInstanceProfile,
  IamInstanceProfileSpecification,
  Image,
  Instance,
  InstanceMetadataOptionsRequest,
  InstanceTypeInfo,
  InstanceTypeOffering,
  Reservation,
  ResponseLaunchTemplateData,
  Tag,
} from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { own } from '../../dictionary.js';
import { ec2Id } from '../../ids.js';
import { registerHost } from '../../ecs/handlers/container-instances.js';
import { ecsState } from '../../ecs/state.js';
import { iamState } from '../../iam/state.js';
import { resolveImageParameter } from '../../ssm/index.js';
import { AMAZON_OWNER_ID, ecsImages, instanceTypes, isKnownInstanceType, zonesFor } from '../catalog.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, page } from '../filters.js';
import type { Ec2State, InstanceRecord } from '../state.js';
import { defaultSecurityGroup, ec2State, getSecurityGroup, getSubnet, nextPrivateIp, privateDnsName, publicDnsName, setTags, tagsFromSpecs, tagsOf } from '../state.js';
import { withMetadataChange } from './instance-attributes.js';
import { findLaunchTemplate, findVersion } from './launch-templates.js';
import { attachPrimaryInterface, instanceInterfaces, publicIpAddress, releaseInterfaces } from './network-interfaces.js';

/**
 * Resolves `resolve:ssm:<parameter>[:version]` through SSM: the public ECS-optimized AMI
 * parameters (the catalogue EC2 seeds its images from) or the account's own parameter.
 * Anything unresolvable is returned unchanged (and then fails as a malformed image id).
 */
export function resolveImageAlias(ctx: RequestContext, imageId: string): string {
  if (!imageId.startsWith('resolve:ssm:')) return imageId;
  return resolveImageParameter(ctx, imageId.slice('resolve:ssm:'.length)) ?? imageId;
}

/** All images visible in the Region: the seeded public ones and the account's own. */
export function allImages(ctx: RequestContext, state: Ec2State): Image[] {
  return [...ecsImages(ctx.region), ...Object.values(state.images).map((i) => ({ ...structuredClone(i), Tags: tagsOf(state, i.ImageId!) }))];
}

function presentInstance(state: Ec2State, record: InstanceRecord): Instance {
  return { ...structuredClone(record.instance), NetworkInterfaces: instanceInterfaces(state, record), Tags: tagsOf(state, record.instance.InstanceId!) };
}

/**
 * The instance profile a launch names, by ARN or else by name, as the instance shows it: the
 * profile of the caller's account in IAM.
 * @throws InvalidParameterValue when IAM has no such profile (EC2's message names the member).
 */
function resolveInstanceProfile(ctx: RequestContext, spec: IamInstanceProfileSpecification | undefined): IamInstanceProfile | undefined {
  if (!spec?.Arn && !spec?.Name) return undefined;
  const profiles = iamState(ctx).instanceProfiles;
  if (spec.Arn) {
    // The name is the ARN's last segment; comparing whole ARNs rejects another path or account.
    const profile = own(profiles, spec.Arn.slice(spec.Arn.lastIndexOf('/') + 1));
    if (!profile || profile.arn !== spec.Arn) throw Ec2Errors.instanceProfileArnInvalid(spec.Arn);
    return { Arn: profile.arn, Id: profile.id };
  }
  const profile = own(profiles, spec.Name!);
  if (!profile) throw Ec2Errors.instanceProfileNameInvalid(spec.Name!);
  return { Arn: profile.arn, Id: profile.id };
}

/** What to launch (RunInstances, or an Auto Scaling group). */
export interface LaunchRequest {
  imageId?: string;
  instanceType?: string;
  count: number;
  subnetId?: string;
  securityGroupIds?: string[];
  userData?: string;
  iamInstanceProfile?: IamInstanceProfileSpecification;
  /** Overrides the subnet's MapPublicIpOnLaunch (the primary interface's AssociatePublicIpAddress). */
  associatePublicIp?: boolean;
  tags?: Tag[];
  launchTemplate?: { id?: string; name?: string; version?: string };
  /** Overrides the launch template's metadata options, member by member. */
  metadataOptions?: InstanceMetadataOptionsRequest;
}

/**
 * Launches instances, each with a primary network interface (and a public address when the
 * subnet maps one on launch). When the (base64) user data sets `ECS_CLUSTER=<name>` and that
 * cluster exists, each instance registers as a container instance, as the ECS agent would.
 * Everything is checked before the first instance starts, so `count: 0` only validates.
 */
export function launchInstances(ctx: RequestContext, req: LaunchRequest): Reservation {
  const state = ec2State(ctx);
  let data: ResponseLaunchTemplateData = {};
  if (req.launchTemplate) {
    const record = findLaunchTemplate(state, req.launchTemplate.id, req.launchTemplate.name);
    data = structuredClone(findVersion(record, req.launchTemplate.version).LaunchTemplateData ?? {});
  }
  const imageId = resolveImageAlias(ctx, req.imageId ?? data.ImageId ?? '');
  if (!imageId) throw Ec2Errors.missingParameter('ImageId');
  if (!/^ami-[0-9a-f]+$/.test(imageId)) throw Ec2Errors.amiMalformed(imageId);
  if (!allImages(ctx, state).some((i) => i.ImageId === imageId)) throw Ec2Errors.amiNotFound(imageId);
  const instanceType = req.instanceType ?? data.InstanceType ?? 'm1.small';
  if (!isKnownInstanceType(instanceType)) throw Ec2Errors.instanceTypeInvalid(instanceType);
  const subnet = req.subnetId
    ? getSubnet(state, req.subnetId)
    : Object.values(state.subnets).find((s) => s.DefaultForAz);
  if (!subnet) throw Ec2Errors.missingParameter('SubnetId');
  let groupIds = req.securityGroupIds ?? data.SecurityGroupIds ?? [];
  if (groupIds.length === 0) {
    const fallback = defaultSecurityGroup(state, subnet.VpcId!);
    groupIds = fallback ? [fallback.GroupId!] : [];
  }
  const groups = groupIds.map((id) => getSecurityGroup(state, id));
  if (groups.some((g) => g.VpcId !== subnet.VpcId)) throw Ec2Errors.invalidParameterValue('Security group and subnet belong to different networks.');
  const profile = resolveInstanceProfile(ctx, req.iamInstanceProfile ?? data.IamInstanceProfile);
  const assignPublicIp = req.associatePublicIp ?? data.NetworkInterfaces?.[0]?.AssociatePublicIpAddress ?? subnet.MapPublicIpOnLaunch ?? false;
  const userData = req.userData ?? data.UserData;
  const metadataOptions = withMetadataChange(withMetadataChange(undefined, data.MetadataOptions), req.metadataOptions);
  const decoded = userData ? Buffer.from(userData, 'base64').toString('utf8') : '';
  const clusterName = /ECS_CLUSTER=([A-Za-z0-9_-]+)/.exec(decoded)?.[1];
  const reservationId = ec2Id('r');
  const instances: Instance[] = [];
  for (let i = 0; i < req.count; i++) {
    const id = ec2Id('i');
    const ip = nextPrivateIp(state, subnet);
    const publicIp = assignPublicIp ? publicIpAddress() : undefined;
    const instance: Instance = {
      InstanceId: id,
      ImageId: imageId,
      InstanceType: instanceType as Instance['InstanceType'],
      State: { Code: 16, Name: 'running' },
      PrivateDnsName: privateDnsName(ctx.region, ip),
      PrivateIpAddress: ip,
      PublicDnsName: publicDnsName(state, ctx.region, subnet.VpcId, publicIp) ?? '',
      PublicIpAddress: publicIp,
      Placement: { AvailabilityZone: subnet.AvailabilityZone, Tenancy: 'default', GroupName: '' },
      SubnetId: subnet.SubnetId,
      VpcId: subnet.VpcId,
      SecurityGroups: groups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName })),
      LaunchTime: ctx.now,
      AmiLaunchIndex: i,
      Architecture: 'x86_64',
      RootDeviceType: 'ebs',
      RootDeviceName: '/dev/xvda',
      Hypervisor: 'xen',
      VirtualizationType: 'hvm',
      Monitoring: { State: 'disabled' },
      EbsOptimized: false,
      EnaSupport: true,
      SourceDestCheck: true,
      IamInstanceProfile: profile && { ...profile },
      MetadataOptions: { ...metadataOptions },
    };
    const eniId = attachPrimaryInterface(ctx, state, { instanceId: id, subnet, groups: instance.SecurityGroups!, privateIpAddress: ip, publicIp });
    const record: InstanceRecord = { instance, reservationId, networkInterfaceIds: [eniId], userData };
    state.instances[id] = record;
    setTags(state, id, req.tags);
    instances.push(presentInstance(state, record));
    if (clusterName) {
      const ecs = ecsState(ctx);
      if (ecs.clusters[clusterName]?.status === 'ACTIVE') {
        registerHost(ctx, ecs, clusterName, { instanceId: id, imageId, instanceType, availabilityZone: subnet.AvailabilityZone! });
      }
    }
  }
  return { ReservationId: reservationId, OwnerId: ctx.account, Groups: [], Instances: instances };
}

/** Terminates an instance, releases its interfaces and public address, and deregisters its container instance. */
export function terminateInstance(ctx: RequestContext, record: InstanceRecord): { previous: string } {
  const previous = record.instance.State?.Name ?? 'running';
  record.instance.State = { Code: 48, Name: 'terminated' };
  record.instance.StateTransitionReason = `User initiated (${ctx.now.toISOString()})`;
  delete record.instance.PublicIpAddress;
  record.instance.PublicDnsName = '';
  releaseInterfaces(ec2State(ctx), record);
  const ecs = ecsState(ctx);
  for (const ci of Object.values(ecs.containerInstances)) {
    if (ci.instance.ec2InstanceId === record.instance.InstanceId) {
      ci.instance.status = 'INACTIVE';
      ci.instance.agentConnected = false;
    }
  }
  return { previous };
}

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

/** Image, instance and instance type operations. */
export const instanceHandlers: HandlerMap<EC2> = {
  DescribeImages(input, ctx) {
    const state = ec2State(ctx);
    let images = allImages(ctx, state);
    for (const id of input.ImageIds ?? []) {
      if (!/^ami-[0-9a-f]+$/.test(id)) throw Ec2Errors.amiMalformed(id);
      if (!images.some((i) => i.ImageId === id)) throw Ec2Errors.amiNotFound(id);
    }
    if (input.ImageIds?.length) images = images.filter((i) => input.ImageIds!.includes(i.ImageId!));
    if (input.Owners?.length) {
      images = images.filter((i) =>
        input.Owners!.some((o) => o === i.OwnerId || (o === 'self' && i.OwnerId === ctx.account) || (o === 'amazon' && i.OwnerId === AMAZON_OWNER_ID)),
      );
    }
    images = applyFilters(state, images, input.Filters, {
      'name': (i) => i.Name,
      'image-id': (i) => i.ImageId,
      'owner-id': (i) => i.OwnerId,
      'owner-alias': (i) => i.ImageOwnerAlias,
      'state': (i) => i.State,
      'architecture': (i) => i.Architecture,
      'is-public': (i) => i.Public,
      'root-device-type': (i) => i.RootDeviceType,
      'virtualization-type': (i) => i.VirtualizationType,
      'platform-details': (i) => i.PlatformDetails,
    }, (i) => i.ImageId!);
    const p = page(images, input.NextToken, input.MaxResults);
    return { Images: p.items, NextToken: p.NextToken };
  },

  RunInstances(input, ctx) {
    const min = input.MinCount ?? 1;
    const max = input.MaxCount ?? min;
    if (min < 1 || max < min) throw Ec2Errors.invalidParameterValue('MinCount and MaxCount must be at least 1, and MaxCount at least MinCount.');
    if (max > 20) throw Ec2Errors.invalidParameterValue('The sandbox launches at most 20 instances per request.');
    const nic = input.NetworkInterfaces?.[0];
    return launchInstances(ctx, {
      imageId: input.ImageId,
      instanceType: input.InstanceType,
      count: max,
      subnetId: input.SubnetId ?? nic?.SubnetId,
      securityGroupIds: input.SecurityGroupIds ?? nic?.Groups,
      userData: input.UserData,
      iamInstanceProfile: input.IamInstanceProfile,
      associatePublicIp: nic?.AssociatePublicIpAddress,
      metadataOptions: input.MetadataOptions,
      tags: tagsFromSpecs(input.TagSpecifications, 'instance'),
      launchTemplate: input.LaunchTemplate
        ? { id: input.LaunchTemplate.LaunchTemplateId, name: input.LaunchTemplate.LaunchTemplateName, version: input.LaunchTemplate.Version }
        : undefined,
    });
  },

  DescribeInstances(input, ctx) {
    const state = ec2State(ctx);
    if (input.InstanceIds?.length && input.MaxResults !== undefined) {
      throw Ec2Errors.invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults');
    }
    let records = Object.values(state.instances);
    for (const id of input.InstanceIds ?? []) if (!state.instances[id]) throw Ec2Errors.instanceNotFound(id);
    if (input.InstanceIds?.length) records = records.filter((r) => input.InstanceIds!.includes(r.instance.InstanceId!));
    records = applyFilters(state, records, input.Filters, {
      'instance-id': (r) => r.instance.InstanceId,
      'instance-state-name': (r) => r.instance.State?.Name,
      'instance-state-code': (r) => r.instance.State?.Code,
      'instance-type': (r) => r.instance.InstanceType,
      'image-id': (r) => r.instance.ImageId,
      'vpc-id': (r) => r.instance.VpcId,
      'subnet-id': (r) => r.instance.SubnetId,
      'availability-zone': (r) => r.instance.Placement?.AvailabilityZone,
      'instance.group-id': (r) => r.instance.SecurityGroups?.map((g) => g.GroupId),
      'private-ip-address': (r) => r.instance.PrivateIpAddress,
      'ip-address': (r) => r.instance.PublicIpAddress,
      'private-dns-name': (r) => r.instance.PrivateDnsName,
      'dns-name': (r) => r.instance.PublicDnsName || undefined,
      'iam-instance-profile.arn': (r) => r.instance.IamInstanceProfile?.Arn,
      'reservation-id': (r) => r.reservationId,
    }, (r) => r.instance.InstanceId!);
    const p = page(records, input.NextToken, input.MaxResults);
    const byReservation = new Map<string, Reservation>();
    for (const r of p.items) {
      let reservation = byReservation.get(r.reservationId);
      if (!reservation) {
        reservation = { ReservationId: r.reservationId, OwnerId: ctx.account, Groups: [], Instances: [] };
        byReservation.set(r.reservationId, reservation);
      }
      reservation.Instances!.push(presentInstance(state, r));
    }
    return { Reservations: [...byReservation.values()], NextToken: p.NextToken };
  },

  TerminateInstances(input, ctx) {
    const state = ec2State(ctx);
    const records = (input.InstanceIds ?? []).map((id) => {
      const record = state.instances[id];
      if (!record) throw Ec2Errors.instanceNotFound(id);
      return record;
    });
    return {
      TerminatingInstances: records.map((record) => {
        const { previous } = terminateInstance(ctx, record);
        return {
          InstanceId: record.instance.InstanceId,
          CurrentState: { Code: 48, Name: 'terminated' },
          PreviousState: { Code: STATE_CODES[previous] ?? 16, Name: previous as 'running' },
        };
      }),
    };
  },

  DescribeInstanceTypes(input, ctx) {
    const state = ec2State(ctx);
    let types: InstanceTypeInfo[] = instanceTypes();
    for (const t of input.InstanceTypes ?? []) if (!isKnownInstanceType(t)) throw Ec2Errors.instanceTypeInvalid(t);
    if (input.InstanceTypes?.length) types = types.filter((t) => input.InstanceTypes!.includes(t.InstanceType!));
    types = applyFilters(state, types, input.Filters, {
      'instance-type': (t) => t.InstanceType,
      'current-generation': (t) => t.CurrentGeneration,
      'network-info.maximum-network-interfaces': (t) => t.NetworkInfo?.MaximumNetworkInterfaces,
      'vcpu-info.default-vcpus': (t) => t.VCpuInfo?.DefaultVCpus,
      'memory-info.size-in-mib': (t) => t.MemoryInfo?.SizeInMiB,
    }, (t) => String(t.InstanceType));
    const p = page(types, input.NextToken, input.MaxResults);
    return { InstanceTypes: p.items, NextToken: p.NextToken };
  },

  DescribeInstanceTypeOfferings(input, ctx) {
    const state = ec2State(ctx);
    const locationType = input.LocationType ?? 'region';
    const zones = zonesFor(ctx.region);
    const locations: Readonly<Record<string, readonly string[]>> = {
      'region': [ctx.region],
      'availability-zone': zones.map((z) => z.ZoneName!),
      'availability-zone-id': zones.map((z) => z.ZoneId!),
      // The sandbox has no Outposts.
      'outpost': [],
    };
    const where = own(locations, locationType);
    if (!where) throw Ec2Errors.invalidParameterValue(`Value (${locationType}) for parameter locationType is invalid.`);
    const types = instanceTypes().map((t) => t.InstanceType);
    let offerings: InstanceTypeOffering[] = where.flatMap((Location) => types.map((InstanceType) => ({ InstanceType, LocationType: locationType, Location })));
    offerings = applyFilters(state, offerings, input.Filters, {
      'location': (o) => o.Location,
      'instance-type': (o) => o.InstanceType,
    }, (o) => `${o.Location}/${o.InstanceType}`);
    const p = page(offerings, input.NextToken, input.MaxResults);
    return { InstanceTypeOfferings: p.items, NextToken: p.NextToken };
  },
};
