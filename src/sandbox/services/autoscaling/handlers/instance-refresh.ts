/** Instance refreshes: start, describe, cancel, roll back (the simulation lives in ../refresh.ts). */
import type { AutoScaling, RefreshPreferences } from '@aws-sdk/client-auto-scaling';
import type { HandlerMap } from '../../types.js';
import { own } from '../../dictionary.js';
import { uuid } from '../../ids.js';
import { checkLaunchable } from '../capacity.js';
import { AsgErrors } from '../errors.js';
import { activeRefresh, presentRefresh, rollbackRefresh, startRefresh, withDefaults } from '../refresh.js';
import { asgState, getGroup, pageOf, requestedTemplate, resolveTemplate, templateSpec } from '../state.js';

function checkPreferences(p: RefreshPreferences): void {
  const min = p.MinHealthyPercentage!;
  const max = p.MaxHealthyPercentage!;
  if (min < 0 || min > 100) throw AsgErrors.validation('MinHealthyPercentage must be between 0 and 100.');
  if (max < 100 || max > 200) throw AsgErrors.validation('MaxHealthyPercentage must be between 100 and 200.');
  if (max - min > 100) throw AsgErrors.validation('The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100.');
  if (p.InstanceWarmup !== undefined && p.InstanceWarmup < 0) throw AsgErrors.validation('InstanceWarmup must be at least 0.');
  if (!['Refresh', 'Ignore', 'Wait'].includes(String(p.ScaleInProtectedInstances))) {
    throw AsgErrors.validation(`ScaleInProtectedInstances must be Refresh, Ignore or Wait.`);
  }
  if (!['Terminate', 'Ignore', 'Wait'].includes(String(p.StandbyInstances))) throw AsgErrors.validation('StandbyInstances must be Terminate, Ignore or Wait.');
  for (const c of p.CheckpointPercentages ?? []) {
    if (c < 1 || c > 100) throw AsgErrors.validation('CheckpointPercentages values must be between 1 and 100.');
  }
}

/** Instance refresh operations. */
export const instanceRefreshHandlers: HandlerMap<AutoScaling> = {
  StartInstanceRefresh(input, ctx) {
    const record = getGroup(asgState(ctx), input.AutoScalingGroupName!);
    if (activeRefresh(record, ctx.now)) throw AsgErrors.refreshInProgress();
    if (input.Strategy !== undefined && input.Strategy !== 'Rolling') {
      throw AsgErrors.validation(`The ecs-lab sandbox supports the Rolling strategy only (got ${input.Strategy}).`);
    }
    if (input.DesiredConfiguration?.MixedInstancesPolicy) throw AsgErrors.validation('The ecs-lab sandbox supports a LaunchTemplate desired configuration only.');
    const preferences = withDefaults(input.Preferences);
    checkPreferences(preferences);
    const desired = input.DesiredConfiguration?.LaunchTemplate;
    // The replacements must be launchable before the first old instance goes (a template that
    // names a missing instance profile, say), or the group would be left short.
    const candidate = desired ? { ...record, group: { ...record.group, LaunchTemplate: templateSpec(requestedTemplate(ctx, desired), desired.Version) } } : record;
    checkLaunchable(ctx, candidate);
    const previous = desired ? structuredClone(record.group.LaunchTemplate) : undefined;
    if (desired) {
      // AWS applies the desired configuration to the group when the refresh succeeds; the
      // sandbox replaces instances at once, so it applies it now.
      record.group.LaunchTemplate = candidate.group.LaunchTemplate;
    }
    const target = resolveTemplate(ctx, record.group.LaunchTemplate ?? {});
    const refresh = startRefresh(ctx, record, uuid(), preferences, structuredClone(input.DesiredConfiguration), String(target.version.VersionNumber), previous);
    return { InstanceRefreshId: refresh.id };
  },

  DescribeInstanceRefreshes(input, ctx) {
    const record = own(asgState(ctx).groups, input.AutoScalingGroupName!);
    if (!record) return { InstanceRefreshes: [] };
    let refreshes = [...record.refreshes].reverse();
    if (input.InstanceRefreshIds?.length) refreshes = refreshes.filter((r) => input.InstanceRefreshIds!.includes(r.id));
    const page = pageOf(refreshes, input.NextToken, input.MaxRecords);
    return { InstanceRefreshes: page.items.map((r) => presentRefresh(record.group.AutoScalingGroupName!, r, ctx.now)), NextToken: page.NextToken };
  },

  CancelInstanceRefresh(input, ctx) {
    const record = getGroup(asgState(ctx), input.AutoScalingGroupName!);
    const refresh = activeRefresh(record, ctx.now);
    if (!refresh) throw AsgErrors.noActiveRefresh(record.group.AutoScalingGroupName!);
    refresh.cancelledAt = ctx.now;
    return { InstanceRefreshId: refresh.id };
  },

  RollbackInstanceRefresh(input, ctx) {
    const record = getGroup(asgState(ctx), input.AutoScalingGroupName!);
    // Only an InProgress refresh can be rolled back ("You can't roll it back after it's finished").
    const refresh = activeRefresh(record, ctx.now);
    if (!refresh) throw AsgErrors.noActiveRefresh(record.group.AutoScalingGroupName!);
    // AWS: no rollback without a desired configuration (only then is the previous template
    // recorded), to a $Latest/$Default version, or to a template whose image is a Systems Manager
    // parameter.
    const previous = refresh.previousLaunchTemplate;
    if (!previous || !/^[0-9]+$/.test(previous.Version ?? '')) throw AsgErrors.irreversibleRefresh();
    if (resolveTemplate(ctx, previous).version.LaunchTemplateData?.ImageId?.startsWith('resolve:ssm:')) throw AsgErrors.irreversibleRefresh();
    rollbackRefresh(ctx, record, refresh);
    return { InstanceRefreshId: refresh.id };
  },
};
