/**
 * Instance refresh simulation.
 *
 * StartInstanceRefresh replaces the instances at once: each old instance is terminated (and its
 * ECS container instance deregistered) and a new one is launched from the group's CURRENT launch
 * template version (after applying DesiredConfiguration), so EC2 and ECS show the result
 * immediately. What progresses with time is the status, deterministically: the instances are
 * replaced in batches sized by Min/MaxHealthyPercentage, and each batch "warms up" for
 * `min(InstanceWarmup, 10)` seconds (InstanceWarmup defaults to the group's
 * DefaultInstanceWarmup, else its HealthCheckGracePeriod, else 0). The refresh reads InProgress
 * with a rising PercentageComplete until the last batch has warmed up, then Successful with 100.
 * With the default warm-up of 0 it is Successful as soon as it is described.
 *
 * Scale-in protected instances follow ScaleInProtectedInstances: `Refresh` replaces them,
 * `Ignore` skips them, `Wait` (the default, as in AWS) waits for SetInstanceProtection to remove
 * the protection, replacing each instance when it does, and fails after one hour. Cancelling
 * stops the clock (status Cancelled); instances already replaced stay replaced. A rollback
 * (RollbackInstanceRefresh, while the refresh is InProgress, as AWS allows) puts the group's
 * launch template back and replaces the instances launched so far at once (status
 * RollbackSuccessful). Checkpoints, bake time and auto rollback are accepted and echoed but not
 * simulated.
 */
import type { DesiredConfiguration, InstanceRefresh, LaunchTemplateSpecification, RefreshPreferences } from '@aws-sdk/client-auto-scaling';
import type { RequestContext } from '../types.js';
import { isCurrent, launch, liveInstances, terminate } from './capacity.js';
import type { GroupRecord } from './state.js';

/** One instance refresh as stored. */
export interface RefreshRecord {
  id: string;
  startTime: Date;
  preferences: RefreshPreferences;
  desiredConfiguration: DesiredConfiguration | undefined;
  /** How many instances the refresh has to replace (waited-for protected ones included). */
  total: number;
  /** Epoch ms at which each replaced instance has warmed up. */
  warmedAt: number[];
  /** Protected instances a `Wait` refresh still waits for. */
  waitingFor: string[];
  warmupMs: number;
  batchSize: number;
  cancelledAt?: Date;
  /** The group's launch template before a desired configuration replaced it (what a rollback restores). */
  previousLaunchTemplate?: LaunchTemplateSpecification;
  rolledBackAt?: Date;
}

/** The sandbox compresses warm-up so a lab refresh takes seconds, not minutes. */
export const MAX_SIMULATED_WARMUP_SECONDS = 10;
/** AWS gives up waiting for protected instances after one hour. */
const WAIT_LIMIT_MS = 3600 * 1000;
/** Refreshes kept per group. */
const HISTORY = 50;

/** The preferences with AWS's defaults filled in. */
export function withDefaults(preferences: RefreshPreferences | undefined): RefreshPreferences {
  return {
    MinHealthyPercentage: 90,
    MaxHealthyPercentage: 100,
    SkipMatching: false,
    AutoRollback: false,
    ScaleInProtectedInstances: 'Wait',
    StandbyInstances: 'Wait',
    ...structuredClone(preferences ?? {}),
  };
}

/** Replaces instances now, recording when each one's batch has warmed up. */
function replace(ctx: RequestContext, group: GroupRecord, refresh: RefreshRecord, ids: readonly string[]): void {
  const now = ctx.now.getTime();
  const done = refresh.warmedAt.length;
  ids.forEach((id, k) => {
    // New instances take the group's NewInstancesProtectedFromScaleIn, as any launch does.
    terminate(ctx, group, [id], { by: 'refresh' });
    launch(ctx, group, 1, { by: 'refresh' });
    const batch = Math.floor((done + k) / refresh.batchSize);
    refresh.warmedAt.push(now + (batch + 1) * refresh.warmupMs);
  });
}

/** Starts a refresh: picks the instances to replace and replaces them. */
export function startRefresh(
  ctx: RequestContext,
  group: GroupRecord,
  id: string,
  preferences: RefreshPreferences,
  desired: DesiredConfiguration | undefined,
  targetVersion: string,
  previousLaunchTemplate: LaunchTemplateSpecification | undefined,
): RefreshRecord {
  const warmupSeconds = preferences.InstanceWarmup ?? group.group.DefaultInstanceWarmup ?? group.group.HealthCheckGracePeriod ?? 0;
  const capacity = Math.max(1, group.group.DesiredCapacity ?? 1);
  const spread = (preferences.MaxHealthyPercentage ?? 100) - (preferences.MinHealthyPercentage ?? 90);
  const refresh: RefreshRecord = {
    id,
    startTime: ctx.now,
    preferences,
    desiredConfiguration: desired,
    total: 0,
    warmedAt: [],
    waitingFor: [],
    warmupMs: Math.min(warmupSeconds, MAX_SIMULATED_WARMUP_SECONDS) * 1000,
    batchSize: Math.max(1, Math.floor((capacity * spread) / 100)),
    previousLaunchTemplate,
  };
  const templateId = group.group.LaunchTemplate?.LaunchTemplateId;
  const candidates = liveInstances(ctx, group).filter(
    (i) => !(preferences.SkipMatching && i.LaunchTemplate?.LaunchTemplateId === templateId && i.LaunchTemplate?.Version === targetVersion),
  );
  const protectedMode = preferences.ScaleInProtectedInstances ?? 'Wait';
  const now: string[] = [];
  for (const instance of candidates) {
    if (!instance.ProtectedFromScaleIn || protectedMode === 'Refresh') now.push(instance.InstanceId!);
    else if (protectedMode === 'Wait') refresh.waitingFor.push(instance.InstanceId!);
  }
  refresh.total = now.length + refresh.waitingFor.length;
  replace(ctx, group, refresh, now);
  group.refreshes.push(refresh);
  if (group.refreshes.length > HISTORY) group.refreshes.splice(0, group.refreshes.length - HISTORY);
  return refresh;
}

/** The refresh as DescribeInstanceRefreshes shows it at `now`. */
export function presentRefresh(groupName: string, refresh: RefreshRecord, now: Date): InstanceRefresh {
  const at = (refresh.cancelledAt ?? refresh.rolledBackAt)?.getTime() ?? now.getTime();
  const warmed = refresh.warmedAt.filter((t) => t <= at).length;
  const deadline = refresh.startTime.getTime() + WAIT_LIMIT_MS;
  let status: InstanceRefresh['Status'];
  let reason: string | undefined;
  let end: Date | undefined;
  if (refresh.rolledBackAt) {
    status = 'RollbackSuccessful';
    // Not verified against AWS: the sandbox's wording.
    reason = 'Rollback requested by user.';
    end = refresh.rolledBackAt;
  } else if (refresh.cancelledAt) {
    status = 'Cancelled';
    reason = 'Cancelled due to user request.';
    end = refresh.cancelledAt;
  } else if (refresh.waitingFor.length > 0 && now.getTime() >= deadline) {
    status = 'Failed';
    reason = `Instance refresh failed: ${refresh.waitingFor.length} instance(s) protected from scale in were not unprotected within one hour.`;
    end = new Date(deadline);
  } else if (refresh.waitingFor.length > 0) {
    status = 'InProgress';
    reason = `Waiting for ${refresh.waitingFor.length} instance(s) protected from scale in to be unprotected.`;
  } else if (warmed === refresh.warmedAt.length) {
    status = 'Successful';
    end = new Date(Math.max(refresh.startTime.getTime(), ...refresh.warmedAt));
  } else {
    status = 'InProgress';
    reason = 'Waiting for instances to warm up before continuing.';
  }
  const percentage = refresh.total === 0 ? 100 : Math.floor((100 * warmed) / refresh.total);
  const toUpdate = refresh.total - warmed;
  return {
    InstanceRefreshId: refresh.id,
    AutoScalingGroupName: groupName,
    Status: status,
    StatusReason: reason,
    StartTime: refresh.startTime,
    EndTime: end,
    PercentageComplete: percentage,
    InstancesToUpdate: toUpdate,
    ProgressDetails: { LivePoolProgress: { PercentageComplete: percentage, InstancesToUpdate: toUpdate } },
    Preferences: structuredClone(refresh.preferences),
    DesiredConfiguration: structuredClone(refresh.desiredConfiguration),
    Strategy: 'Rolling',
    RollbackDetails: refresh.rolledBackAt
      ? { RollbackReason: 'Rollback requested by user.', RollbackStartTime: refresh.rolledBackAt, PercentageCompleteOnRollback: 100, InstancesToUpdateOnRollback: 0 }
      : undefined,
  };
}

/** Whether a refresh still blocks another one (Pending, InProgress or Cancelling). */
export function isActive(groupName: string, refresh: RefreshRecord, now: Date): boolean {
  return presentRefresh(groupName, refresh, now).Status === 'InProgress';
}

/** The group's active refresh, if any. */
export function activeRefresh(group: GroupRecord, now: Date): RefreshRecord | undefined {
  return group.refreshes.find((r) => isActive(group.group.AutoScalingGroupName!, r, now));
}

/** SetInstanceProtection removed protection: an active `Wait` refresh replaces those instances now. */
export function onUnprotected(ctx: RequestContext, group: GroupRecord, ids: readonly string[]): void {
  const refresh = activeRefresh(group, ctx.now);
  if (!refresh) return;
  const released = refresh.waitingFor.filter((id) => ids.includes(id));
  if (released.length === 0) return;
  refresh.waitingFor = refresh.waitingFor.filter((id) => !released.includes(id));
  replace(ctx, group, refresh, released);
}

/**
 * Rolls an active refresh back: the group's launch template becomes what it was before the
 * refresh, and every instance not on it is replaced now (the caller checked that the refresh
 * can be rolled back).
 */
export function rollbackRefresh(ctx: RequestContext, group: GroupRecord, refresh: RefreshRecord): void {
  group.group.LaunchTemplate = structuredClone(refresh.previousLaunchTemplate);
  refresh.waitingFor = [];
  refresh.rolledBackAt = ctx.now;
  for (const instance of liveInstances(ctx, group).filter((i) => !isCurrent(ctx, group, i))) {
    terminate(ctx, group, [instance.InstanceId!], { by: 'refresh' });
    launch(ctx, group, 1, { by: 'refresh' });
  }
}
