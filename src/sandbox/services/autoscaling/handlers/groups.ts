/** Auto Scaling groups: create, update, delete, describe, instances and scale-in protection. */
import type { AutoScaling, AutoScalingGroup, AutoScalingInstanceDetails } from '@aws-sdk/client-auto-scaling';
import type { HandlerMap, RequestContext } from '../../types.js';
import { uuid } from '../../ids.js';
import { own } from '../../dictionary.js';
import { ec2State } from '../../ec2/state.js';
import { ensureLinkedRole, linkedRoleArn, linkedService } from '../../iam/service-linked.js';
import { iamState } from '../../iam/state.js';
import { forgetOldDeletedGroups, userRequest } from '../activities.js';
import { checkLaunchable, checkSubnets, liveInstances, reconcile, terminate } from '../capacity.js';
import { AsgErrors } from '../errors.js';
import { onUnprotected } from '../refresh.js';
import type { GroupRecord } from '../state.js';
import { asgState, getGroup, pageOf, requestedTemplate, templateSpec } from '../state.js';
import { checkTagList, matchesTagFilters } from './tags.js';

const NAME = /^[^\u0000-\u001f:]{1,255}$/;

function checkSizes(min: number, max: number, desired: number): void {
  if (min < 0 || max < 0) throw AsgErrors.validation('MinSize and MaxSize must be at least 0.');
  if (max < min) throw AsgErrors.validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max) throw AsgErrors.validation(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
}

/** Subnets from VPCZoneIdentifier, or the default subnets of the given Availability Zones. */
function subnetsFor(ctx: RequestContext, vpcZoneIdentifier: string | undefined, zones: readonly string[] | undefined): string[] {
  const ids = (vpcZoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length > 0 || !zones?.length) return ids;
  const subnets = Object.values(ec2State(ctx).subnets).filter((s) => s.DefaultForAz);
  return zones.map((zone) => {
    const subnet = subnets.find((s) => s.AvailabilityZone === zone);
    if (!subnet) throw AsgErrors.validation(`The availability zone ${zone} is not legally formatted or has no default subnet.`);
    return subnet.SubnetId!;
  });
}

function present(ctx: RequestContext, record: GroupRecord): AutoScalingGroup {
  return {
    ...structuredClone(record.group),
    Instances: structuredClone(liveInstances(ctx, record)),
    Tags: structuredClone(record.tags),
  } as AutoScalingGroup;
}

function onlyLaunchTemplates(input: { LaunchConfigurationName?: string; MixedInstancesPolicy?: unknown; InstanceId?: string }): void {
  if (input.LaunchConfigurationName || input.MixedInstancesPolicy || input.InstanceId) {
    throw AsgErrors.validation('The ecs-lab sandbox supports Auto Scaling groups with a LaunchTemplate only.');
  }
}

/** Group operations. */
export const groupHandlers: HandlerMap<AutoScaling> = {
  CreateAutoScalingGroup(input, ctx) {
    const state = asgState(ctx);
    const name = input.AutoScalingGroupName!;
    if (!NAME.test(name)) throw AsgErrors.validation(`AutoScalingGroupName ${name} is not valid.`);
    if (own(state.groups, name)) throw AsgErrors.alreadyExists(name);
    onlyLaunchTemplates(input);
    if (!input.LaunchTemplate) {
      throw AsgErrors.validation('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
    }
    const min = input.MinSize!;
    const max = input.MaxSize!;
    const desired = input.DesiredCapacity ?? min;
    checkSizes(min, max, desired);
    const resolved = requestedTemplate(ctx, input.LaunchTemplate);
    const subnets = subnetsFor(ctx, input.VPCZoneIdentifier, input.AvailabilityZones);
    const zones = checkSubnets(ctx, subnets);
    const record: GroupRecord = {
      group: {
        AutoScalingGroupName: name,
        AutoScalingGroupARN: `arn:aws:autoscaling:${ctx.region}:${ctx.account}:autoScalingGroup:${uuid()}:autoScalingGroupName/${name}`,
        LaunchTemplate: templateSpec(resolved, input.LaunchTemplate.Version),
        MinSize: min,
        MaxSize: max,
        DesiredCapacity: desired,
        DefaultCooldown: input.DefaultCooldown ?? 300,
        AvailabilityZones: zones,
        LoadBalancerNames: input.LoadBalancerNames ?? [],
        TargetGroupARNs: input.TargetGroupARNs ?? [],
        HealthCheckType: input.HealthCheckType ?? 'EC2',
        HealthCheckGracePeriod: input.HealthCheckGracePeriod ?? 0,
        CreatedTime: ctx.now,
        SuspendedProcesses: [],
        VPCZoneIdentifier: subnets.join(','),
        EnabledMetrics: [],
        TerminationPolicies: input.TerminationPolicies ?? ['Default'],
        NewInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn ?? false,
        ServiceLinkedRoleARN: input.ServiceLinkedRoleARN ?? linkedRoleArn(ctx.account, 'autoscaling.amazonaws.com'),
        MaxInstanceLifetime: input.MaxInstanceLifetime,
        CapacityRebalance: input.CapacityRebalance ?? false,
        DefaultInstanceWarmup: input.DefaultInstanceWarmup,
        TrafficSources: [],
      },
      instances: [],
      tags: [],
      refreshes: [],
    };
    record.tags = checkTagList(name, input.Tags ?? [], []);
    checkLaunchable(ctx, record);
    // The group acts through a service-linked role: a named one must exist, the default one is
    // created on first use (as Amazon EC2 Auto Scaling does).
    if (input.ServiceLinkedRoleARN === undefined) ensureLinkedRole(ctx, 'autoscaling.amazonaws.com');
    else if (!Object.values(iamState(ctx).roles).some((r) => r.arn === input.ServiceLinkedRoleARN && linkedService(r) === 'autoscaling.amazonaws.com')) {
      throw AsgErrors.validation('ARN specified for Service-Linked Role does not exist.');
    }
    state.groups[name] = record;
    reconcile(ctx, record, userRequest(ctx.now, true, { min, max, desired }, 0));
    return {};
  },

  UpdateAutoScalingGroup(input, ctx) {
    const record = getGroup(asgState(ctx), input.AutoScalingGroupName!);
    onlyLaunchTemplates(input);
    const group = structuredClone(record.group);
    if (input.LaunchTemplate) group.LaunchTemplate = templateSpec(requestedTemplate(ctx, input.LaunchTemplate), input.LaunchTemplate.Version);
    if (input.VPCZoneIdentifier !== undefined || input.AvailabilityZones !== undefined) {
      const subnets = subnetsFor(ctx, input.VPCZoneIdentifier, input.AvailabilityZones);
      group.AvailabilityZones = checkSubnets(ctx, subnets);
      group.VPCZoneIdentifier = subnets.join(',');
    }
    const min = input.MinSize ?? group.MinSize!;
    const max = input.MaxSize ?? group.MaxSize!;
    // A new MinSize above (or MaxSize below) the current capacity moves the capacity with it.
    let desired = input.DesiredCapacity ?? group.DesiredCapacity!;
    if (input.DesiredCapacity === undefined) desired = Math.min(Math.max(desired, min), max);
    checkSizes(min, max, desired);
    Object.assign(group, { MinSize: min, MaxSize: max, DesiredCapacity: desired });
    for (const key of ['DefaultCooldown', 'HealthCheckType', 'HealthCheckGracePeriod', 'TerminationPolicies', 'NewInstancesProtectedFromScaleIn', 'ServiceLinkedRoleARN', 'MaxInstanceLifetime', 'CapacityRebalance', 'DefaultInstanceWarmup'] as const) {
      if (input[key] !== undefined) (group as Record<string, unknown>)[key] = structuredClone(input[key]);
    }
    const candidate: GroupRecord = { ...record, group };
    checkLaunchable(ctx, candidate);
    const before = record.group.DesiredCapacity!;
    record.group = group;
    reconcile(ctx, record, userRequest(ctx.now, false, { min, max, desired }, before));
    return {};
  },

  DeleteAutoScalingGroup(input, ctx) {
    const state = asgState(ctx);
    const name = input.AutoScalingGroupName!;
    const record = getGroup(state, name);
    const live = liveInstances(ctx, record);
    if (live.length > 0 && !input.ForceDelete) throw AsgErrors.inUse();
    // Deleting sets the group's minimum, maximum and desired capacity to 0, then terminates.
    const trigger = userRequest(ctx.now, false, { min: 0, max: 0, desired: 0 }, record.group.DesiredCapacity!);
    terminate(ctx, record, live.map((i) => i.InstanceId!), { trigger });
    delete state.groups[name];
    // Its activities stay (IncludeDeletedGroups), within the cap on deleted groups.
    forgetOldDeletedGroups(state);
    return {};
  },

  DescribeAutoScalingGroups(input, ctx) {
    const state = asgState(ctx);
    let records = Object.values(state.groups).sort((a, b) => a.group.AutoScalingGroupName!.localeCompare(b.group.AutoScalingGroupName!));
    if (input.AutoScalingGroupNames?.length) records = records.filter((r) => input.AutoScalingGroupNames!.includes(r.group.AutoScalingGroupName!));
    records = records.filter((r) => matchesTagFilters(r.tags, input.Filters, ['tag-key', 'tag-value']));
    const page = pageOf(records, input.NextToken, input.MaxRecords);
    return { AutoScalingGroups: page.items.map((r) => present(ctx, r)), NextToken: page.NextToken };
  },

  DescribeAutoScalingInstances(input, ctx) {
    const state = asgState(ctx);
    const details: AutoScalingInstanceDetails[] = Object.values(state.groups).flatMap((r) =>
      liveInstances(ctx, r).map((i) => ({ ...structuredClone(i), AutoScalingGroupName: r.group.AutoScalingGroupName, LifecycleState: String(i.LifecycleState) })),
    );
    const wanted = input.InstanceIds?.length ? details.filter((d) => input.InstanceIds!.includes(d.InstanceId!)) : details;
    const page = pageOf(wanted, input.NextToken, input.MaxRecords, 50);
    return { AutoScalingInstances: page.items, NextToken: page.NextToken };
  },

  SetInstanceProtection(input, ctx) {
    const record = getGroup(asgState(ctx), input.AutoScalingGroupName!);
    const live = liveInstances(ctx, record);
    const targets = (input.InstanceIds ?? []).map((id) => {
      const instance = live.find((i) => i.InstanceId === id);
      if (!instance) throw AsgErrors.validation(`The instance ${id} is not part of Auto Scaling group ${record.group.AutoScalingGroupName}.`);
      return instance;
    });
    for (const instance of targets) instance.ProtectedFromScaleIn = input.ProtectedFromScaleIn!;
    if (!input.ProtectedFromScaleIn) {
      onUnprotected(ctx, record, targets.map((i) => i.InstanceId!));
      // Instances above the desired capacity that protection kept can now be scaled in.
      reconcile(ctx, record);
    }
    return {};
  },
};

