/** EC2 images, instances, instance types and their offerings. */
import type {
  EC2,
  IamInstanceProfile,
  IamInstanceProfileSpecification,
  Image,
  Instance,
  InstanceState,
  InstanceMetadataOptionsRequest,
  InstanceTypeInfo,
  InstanceTypeOffering,
  Reservation,
  ResponseLaunchTemplateData,
  Tag,
} from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { AwsError } from '../../../errors.js';
import { own } from '../../dictionary.js';
import { ec2Id } from '../../ids.js';
import { reconcile } from '../../autoscaling/capacity.js';
import { asgState } from '../../autoscaling/state.js';
import { registerHost } from '../../ecs/handlers/container-instances.js';
import { reconcileService, stopTask } from '../../ecs/scheduler.js';
import { ecsState, findTaskDefinition, runningTasksOn } from '../../ecs/state.js';
import { iamState } from '../../iam/state.js';
import { resolveImageParameter } from '../../ssm/index.js';
import { AMAZON_OWNER_ID, ecsImages, instanceTypes, isKnownInstanceType, zonesFor } from '../catalog.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, page } from '../filters.js';
import type { Ec2State, InstanceRecord } from '../state.js';
import { defaultSecurityGroup, ec2State, getInstance, getSecurityGroup, getSubnet, nextPrivateIp, privateDnsName, publicDnsName, setTags, tagsFromSpecs, tagsOf } from '../state.js';
import { withMetadataChange } from './instance-attributes.js';
import { findLaunchTemplate, findVersion } from './launch-templates.js';
import { attachPrimaryInterface, instanceInterfaces, publicIpAddress, releaseInterfaces } from './network-interfaces.js';
import { rootVolumeAtLaunch } from './volumes.js';

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
  const image = allImages(ctx, state).find((i) => i.ImageId === imageId);
  if (!image) throw Ec2Errors.amiNotFound(imageId);
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
    const rootVolume = rootVolumeAtLaunch(ctx, image, data.BlockDeviceMappings);
    const record: InstanceRecord = { instance, reservationId, networkInterfaceIds: [eniId], userData, rootVolume };
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

type StateName = NonNullable<InstanceState['Name']>;

function stateOf(name: StateName): InstanceState {
  return { Code: STATE_CODES[name] ?? 16, Name: name };
}

/** `User initiated (2026-12-01 00:52:03 GMT)`, as EC2 words a user's stop in StateTransitionReason. */
function userInitiated(now: Date): string {
  return `User initiated (${now.toISOString().slice(0, 19).replace('T', ' ')} GMT)`;
}

/**
 * Every named instance, checked before any changes: InvalidInstanceID.NotFound for an unknown
 * one, IncorrectInstanceState for one in a state `allowed` rejects.
 */
function instancesFor(ctx: RequestContext, ids: readonly string[] | undefined, allowed: readonly string[], verb: string): InstanceRecord[] {
  const state = ec2State(ctx);
  if (!ids?.length) throw Ec2Errors.missingParameter('InstanceId');
  const records = [...new Set(ids)].map((id) => getInstance(state, id));
  for (const record of records) {
    if (!allowed.includes(record.instance.State?.Name ?? 'running')) throw incorrectState(record.instance.InstanceId!, verb);
  }
  return records;
}

/**
 * IncorrectInstanceState. Verified for StartInstances ("The instance 'i-…' is not in a state from
 * which it can be started.", burstable-ai/burst#42); the stop and reboot wording is by analogy
 * (message not verified).
 */
function incorrectState(id: string, verb: string): AwsError {
  return new AwsError('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be ${verb}.`);
}

/** Sets or clears the auto-assigned public address of an instance and its primary interface. */
function setPublicIp(ctx: RequestContext, state: Ec2State, record: InstanceRecord, ip: string | undefined): void {
  const instance = record.instance;
  const dns = publicDnsName(state, ctx.region, instance.VpcId, ip);
  if (ip) instance.PublicIpAddress = ip;
  else delete instance.PublicIpAddress;
  instance.PublicDnsName = dns ?? '';
  const eni = state.networkInterfaces[record.networkInterfaceIds?.[0] ?? ''];
  if (!eni) return;
  const association = ip ? { IpOwnerId: 'amazon', PublicDnsName: dns, PublicIp: ip } : undefined;
  eni.Association = association;
  for (const address of eni.PrivateIpAddresses ?? []) if (address.Primary) address.Association = association && { ...association };
}

/**
 * What the instance's ECS container instance sees when its host stops or reboots. The sandbox has
 * no agent, so "at once": the agent disconnects (a stop) and the tasks on the host stop as their
 * containers die with it, with the reason ECS gives tasks of a lost host; services then place
 * replacements on the cluster's other connected instances (scheduler.ts skips disconnected ones).
 */
function hostDown(ctx: RequestContext, instanceId: string, agentConnected: boolean): void {
  const ecs = ecsState(ctx);
  const touched = new Set<string>();
  for (const ci of Object.values(ecs.containerInstances)) {
    if (ci.instance.ec2InstanceId !== instanceId || ci.instance.status === 'INACTIVE') continue;
    ci.instance.agentConnected = agentConnected;
    for (const task of runningTasksOn(ecs, ci.instance.containerInstanceArn)) {
      // stoppedReason as ECS reports tasks of a stopped or terminated host; the stop code is not verified.
      stopTask(ctx, ecs, task, `Host EC2 (instance ${instanceId}) stopped/terminated.`, 'EssentialContainerExited');
      if (task.group?.startsWith('service:')) touched.add(`${ci.clusterName}/${task.group.slice('service:'.length)}`);
    }
  }
  for (const key of touched) {
    const service = ecs.services[key];
    if (service?.status === 'ACTIVE') reconcileService(ctx, ecs, service, findTaskDefinition(ecs, service.taskDefinition!));
  }
}

/**
 * Stops an instance. EC2 answers `stopping`; the sandbox's instance is `stopped` at once. Its
 * auto-assigned public address is released (a new one comes with the next start), its private
 * address, interfaces and root volume stay. Its ECS container instance disconnects ({@link hostDown}).
 *
 * An Auto Scaling group's EC2 health check counts an instance in any state but `running` as
 * unhealthy, and the group terminates and replaces it within minutes (Amazon EC2 Auto Scaling
 * User Guide, "About the health checks for your Auto Scaling group"). The sandbox does so at once:
 * a stopped group member is terminated and the group launches its replacement, with the health
 * check activity Auto Scaling records (autoscaling/capacity.ts, reconcile).
 */
function stopInstance(ctx: RequestContext, record: InstanceRecord): void {
  const state = ec2State(ctx);
  const instance = record.instance;
  instance.State = stateOf('stopped');
  instance.StateTransitionReason = userInitiated(ctx.now);
  instance.StateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
  if (instance.PublicIpAddress) record.publicIpOnStart = true;
  setPublicIp(ctx, state, record, undefined);
  hostDown(ctx, instance.InstanceId!, false);
  // Group members carry the tag Auto Scaling gives them; only then is its state read.
  const groupName = state.tags[instance.InstanceId!]?.['aws:autoscaling:groupName'];
  const group = groupName === undefined ? undefined : Object.values(asgState(ctx).groups).find((g) => g.instances.some((i) => i.InstanceId === instance.InstanceId));
  if (group) {
    terminateInstance(ctx, record);
    reconcile(ctx, group);
  }
}

/** Starts a stopped instance: `pending` in EC2's answer, `running` at once here, with a new LaunchTime (and public address). */
function startInstance(ctx: RequestContext, record: InstanceRecord): void {
  const state = ec2State(ctx);
  const instance = record.instance;
  instance.State = stateOf('running');
  instance.StateTransitionReason = '';
  delete instance.StateReason;
  instance.LaunchTime = ctx.now;
  if (record.publicIpOnStart) setPublicIp(ctx, state, record, publicIpAddress());
  delete record.publicIpOnStart;
  const ecs = ecsState(ctx);
  for (const ci of Object.values(ecs.containerInstances)) {
    if (ci.instance.ec2InstanceId === instance.InstanceId && ci.instance.status !== 'INACTIVE') ci.instance.agentConnected = true;
  }
}

/** A short boot log like an ECS-optimized AL2023 instance's serial console shows. */
function bootLog(record: InstanceRecord): string {
  const i = record.instance;
  const host = (i.PrivateDnsName ?? '').split('.')[0] ?? '';
  return [
    '[    0.000000] Linux version 6.1.0 (mockbuild@amazon.com) #1 SMP',
    `[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz root=UUID=${i.InstanceId} ro console=tty0 console=ttyS0,115200n8`,
    '[    1.204311] systemd[1]: Detected virtualization xen.',
    '[    2.017762] cloud-init[1530]: Cloud-init v. 22.2.2 running \'init\'.',
    `[    3.412020] cloud-init[1530]: ci-info: |  ens5  | True |   ${i.PrivateIpAddress ?? ''}   |`,
    '[    5.881046] systemd[1]: Started ecs.service - Amazon Elastic Container Service - container agent.',
    '',
    `Amazon Linux 2023`,
    `Kernel 6.1.0 on an x86_64 (-)`,
    '',
    `${host} login: `,
  ].join('\n');
}

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

  StopInstances(input, ctx) {
    const records = instancesFor(ctx, input.InstanceIds, ['running', 'stopped', 'stopping'], 'stopped');
    return {
      StoppingInstances: records.map((record) => {
        const previous = record.instance.State?.Name ?? 'running';
        if (previous === 'running') stopInstance(ctx, record);
        return { InstanceId: record.instance.InstanceId, CurrentState: stateOf(previous === 'running' ? 'stopping' : previous), PreviousState: stateOf(previous) };
      }),
    };
  },

  StartInstances(input, ctx) {
    const records = instancesFor(ctx, input.InstanceIds, ['running', 'stopped', 'pending'], 'started');
    return {
      StartingInstances: records.map((record) => {
        const previous = record.instance.State?.Name ?? 'running';
        if (previous === 'stopped') startInstance(ctx, record);
        return { InstanceId: record.instance.InstanceId, CurrentState: stateOf(previous === 'stopped' ? 'pending' : previous), PreviousState: stateOf(previous) };
      }),
    };
  },

  /**
   * Reboots running instances: nothing in EC2 changes (not even LaunchTime), but the containers on
   * an ECS host die with the reboot, so its tasks stop and services replace them ({@link hostDown});
   * its agent is back at once.
   */
  RebootInstances(input, ctx) {
    const records = instancesFor(ctx, input.InstanceIds, ['running', 'pending'], 'rebooted');
    for (const record of records) hostDown(ctx, record.instance.InstanceId!, true);
    return {};
  },

  /**
   * The serial console's recent output, base64 (AWS answers without Output until the instance has
   * written some; a stopped instance keeps its last output). Latest is accepted and ignored.
   */
  GetConsoleOutput(input, ctx) {
    const state = ec2State(ctx);
    if (!input.InstanceId) throw Ec2Errors.missingParameter('InstanceId');
    const record = getInstance(state, input.InstanceId);
    return {
      InstanceId: record.instance.InstanceId,
      Timestamp: record.instance.LaunchTime,
      Output: Buffer.from(bootLog(record), 'utf8').toString('base64'),
    };
  },

  /**
   * The CPU credit option of burstable instances: T3, T3a and T4g launch `unlimited`, T2
   * `standard` (the defaults; the sandbox has no ModifyInstanceCreditSpecification). Without ids,
   * the `unlimited` ones; with ids, each instance's option (`standard` for one that is not
   * burstable, as the current API reference says; older versions of it say an error).
   */
  DescribeInstanceCreditSpecifications(input, ctx) {
    const state = ec2State(ctx);
    const option = (type: string | undefined): 'standard' | 'unlimited' | undefined =>
      /^t2\./.test(type ?? '') ? 'standard' : /^t(3a?|4g)\./.test(type ?? '') ? 'unlimited' : undefined;
    let records = Object.values(state.instances).filter((r) => r.instance.State?.Name !== 'terminated');
    if (input.InstanceIds?.length) records = input.InstanceIds.map((id) => getInstance(state, id));
    else records = records.filter((r) => option(r.instance.InstanceType) === 'unlimited');
    records = applyFilters(state, records, input.Filters, { 'instance-id': (r) => r.instance.InstanceId }, (r) => r.instance.InstanceId!);
    const p = page(records, input.NextToken, input.MaxResults);
    return {
      InstanceCreditSpecifications: p.items.map((r) => ({ InstanceId: r.instance.InstanceId, CpuCredits: option(r.instance.InstanceType) ?? 'standard' })),
      NextToken: p.NextToken,
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
