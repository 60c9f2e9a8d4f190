/**
 * How a group's instances come and go. Instances are launched through the EC2 service's own
 * `launchInstances` (so they appear in `ec2 describe-instances`, the template's `resolve:ssm:`
 * image is resolved, and user data naming `ECS_CLUSTER` registers them as ECS container
 * instances) and terminated through its `terminateInstance` (which deregisters them from ECS).
 *
 * Scale-in picks unprotected instances, those not on the group's current launch template version
 * first, then the oldest (a simplified `Default` termination policy).
 *
 * Every launch and termination is recorded as a scaling activity (activities.ts), with the
 * reason the caller gives.
 */
import type { Activity, Instance } from '@aws-sdk/client-auto-scaling';
import { isAwsError } from '../../errors.js';
import { launchInstances, terminateInstance } from '../ec2/handlers/instances.js';
import { ec2State, getSubnet } from '../ec2/state.js';
import type { RequestContext } from '../types.js';
import type { Reason } from './activities.js';
import { recordActivity, subnetOf } from './activities.js';
import { AsgErrors } from './errors.js';
import type { GroupRecord } from './state.js';
import { resolveTemplate } from './state.js';

/** The subnets a group launches into. */
export function groupSubnets(record: GroupRecord): string[] {
  return (record.group.VPCZoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Checks a `VPCZoneIdentifier` and returns its subnets' Availability Zones. */
export function checkSubnets(ctx: RequestContext, ids: readonly string[]): string[] {
  if (ids.length === 0) throw AsgErrors.validation('At least one Availability Zone or VPC Subnet is required.');
  const state = ec2State(ctx);
  const subnets = ids.map((id) => {
    try {
      return getSubnet(state, id);
    } catch {
      throw AsgErrors.validation(`The subnet ID '${id}' does not exist`);
    }
  });
  if (new Set(subnets.map((s) => s.VpcId)).size > 1) throw AsgErrors.validation('The subnets of an Auto Scaling group must all be in the same VPC.');
  return [...new Set(subnets.map((s) => s.AvailabilityZone!))];
}

/** The live (not terminated) EC2 instance ids of a group. */
function liveIds(ctx: RequestContext, record: GroupRecord): Set<string> {
  const instances = ec2State(ctx).instances;
  return new Set(record.instances.filter((i) => {
    const state = instances[i.InstanceId!]?.instance.State?.Name;
    return state !== undefined && state !== 'terminated' && state !== 'shutting-down';
  }).map((i) => i.InstanceId!));
}

/** The group's instances that still run in EC2 (terminated ones are dropped, as ASG does). */
export function liveInstances(ctx: RequestContext, record: GroupRecord): Instance[] {
  const live = liveIds(ctx, record);
  return record.instances.filter((i) => live.has(i.InstanceId!));
}

function launchSpec(ctx: RequestContext, record: GroupRecord) {
  const resolved = resolveTemplate(ctx, record.group.LaunchTemplate ?? {});
  const propagated = record.tags.filter((t) => t.PropagateAtLaunch).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
  return { resolved, propagated };
}

function asValidation(e: unknown): never {
  if (isAwsError(e) && e.code !== 'ValidationError') throw AsgErrors.validation(`You must use a valid fully-formed launch template. ${e.message}`);
  throw e;
}

/** Checks that the group's template can launch in its subnets (as AWS does at create/update). */
export function checkLaunchable(ctx: RequestContext, record: GroupRecord): void {
  const { resolved } = launchSpec(ctx, record);
  for (const subnetId of groupSubnets(record)) {
    try {
      launchInstances(ctx, { launchTemplate: { id: resolved.record.template.LaunchTemplateId, version: String(resolved.version.VersionNumber) }, subnetId, count: 0 });
    } catch (e) {
      asValidation(e);
    }
  }
}

/** Launches `count` instances from the group's current template version, balancing AZs. */
export function launch(ctx: RequestContext, record: GroupRecord, count: number, reason: Reason): Instance[] {
  if (count <= 0) return [];
  const { resolved, propagated } = launchSpec(ctx, record);
  const ec2 = ec2State(ctx);
  const subnets = groupSubnets(record).map((id) => ec2.subnets[id]).filter((s) => s !== undefined);
  const from = liveInstances(ctx, record).length;
  const launched: Instance[] = [];
  for (let n = 0; n < count; n++) {
    const live = liveInstances(ctx, record);
    const perZone = (zone: string | undefined) => live.filter((i) => i.AvailabilityZone === zone).length;
    const subnet = [...subnets].sort((a, b) => perZone(a.AvailabilityZone) - perZone(b.AvailabilityZone))[0];
    if (!subnet) throw AsgErrors.validation('At least one Availability Zone or VPC Subnet is required.');
    let reservation;
    try {
      reservation = launchInstances(ctx, {
        launchTemplate: { id: resolved.record.template.LaunchTemplateId, version: String(resolved.version.VersionNumber) },
        subnetId: subnet.SubnetId,
        count: 1,
        tags: propagated,
      });
    } catch (e) {
      asValidation(e);
    }
    const ec2Instance = reservation.Instances![0]!;
    // Reserved `aws:` tags cannot go through CreateTags; Auto Scaling sets this one itself.
    (ec2.tags[ec2Instance.InstanceId!] ??= Object.create(null) as Record<string, string>)['aws:autoscaling:groupName'] = record.group.AutoScalingGroupName!;
    const instance: Instance = {
      InstanceId: ec2Instance.InstanceId,
      InstanceType: ec2Instance.InstanceType,
      AvailabilityZone: subnet.AvailabilityZone,
      AvailabilityZoneId: subnet.AvailabilityZoneId,
      LifecycleState: 'InService',
      HealthStatus: 'Healthy',
      LaunchTemplate: {
        LaunchTemplateId: resolved.record.template.LaunchTemplateId,
        LaunchTemplateName: resolved.record.template.LaunchTemplateName,
        Version: String(resolved.version.VersionNumber),
      },
      ImageId: ec2Instance.ImageId,
      ProtectedFromScaleIn: record.group.NewInstancesProtectedFromScaleIn ?? false,
    };
    record.instances.push(instance);
    launched.push(instance);
    const change = { kind: 'launch', instanceId: instance.InstanceId!, subnetId: subnet.SubnetId, zone: subnet.AvailabilityZone, from, to: from + count } as const;
    recordActivity(ctx, record, change, reason);
  }
  return launched;
}

/** Terminates instances of the group (EC2 terminate + ECS deregistration), forgets them and returns their activities. */
export function terminate(ctx: RequestContext, record: GroupRecord, ids: readonly string[], reason: Reason): Activity[] {
  const ec2 = ec2State(ctx);
  const from = liveInstances(ctx, record).length;
  const activities: Activity[] = [];
  for (const id of ids) {
    const ec2Record = ec2.instances[id];
    if (ec2Record && ec2Record.instance.State?.Name !== 'terminated') terminateInstance(ctx, ec2Record);
    const zone = record.instances.find((i) => i.InstanceId === id)?.AvailabilityZone;
    activities.push(recordActivity(ctx, record, { kind: 'terminate', instanceId: id, subnetId: subnetOf(ctx, id), zone, from, to: from - ids.length }, reason));
  }
  const drop = new Set(ids);
  record.instances = record.instances.filter((i) => !drop.has(i.InstanceId!));
  return activities;
}

/** Whether an instance runs the group's current launch template version. */
export function isCurrent(ctx: RequestContext, record: GroupRecord, instance: Instance): boolean {
  const resolved = resolveTemplate(ctx, record.group.LaunchTemplate ?? {});
  return instance.LaunchTemplate?.LaunchTemplateId === resolved.record.template.LaunchTemplateId && instance.LaunchTemplate?.Version === String(resolved.version.VersionNumber);
}

/**
 * Brings the group to its desired capacity: drops instances terminated outside the group (as its
 * EC2 health check does), launches or scales in. `trigger` opens the activities' Cause when the
 * request changed the desired capacity (activities.ts, userRequest).
 */
export function reconcile(ctx: RequestContext, record: GroupRecord, trigger?: string): void {
  const live = liveIds(ctx, record);
  for (const gone of record.instances.filter((i) => !live.has(i.InstanceId!))) {
    recordActivity(ctx, record, { kind: 'terminate', instanceId: gone.InstanceId!, subnetId: subnetOf(ctx, gone.InstanceId!), zone: gone.AvailabilityZone }, { by: 'health' });
  }
  record.instances = record.instances.filter((i) => live.has(i.InstanceId!));
  const desired = record.group.DesiredCapacity ?? 0;
  const missing = desired - record.instances.length;
  if (missing > 0) {
    launch(ctx, record, missing, { trigger });
    return;
  }
  if (missing < 0) {
    const candidates = record.instances
      .filter((i) => !i.ProtectedFromScaleIn)
      .map((i, order) => ({ i, order, current: isCurrent(ctx, record, i) }))
      .sort((a, b) => Number(a.current) - Number(b.current) || a.order - b.order);
    terminate(ctx, record, candidates.slice(0, -missing).map((c) => c.i.InstanceId!), { trigger });
  }
}
