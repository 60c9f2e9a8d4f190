/**
 * Scaling activities: one for each instance the group simulation (capacity.ts) launches or
 * terminates, with the Description, Cause and Details that Amazon EC2 Auto Scaling writes. The
 * sandbox acts at once, so every activity is Successful, Progress 100, and ends when it starts.
 *
 * Kept per group ARN (state.ts), so a group deleted and created again under its name does not
 * inherit the old group's history; the old one is returned with IncludeDeletedGroups only.
 *
 * Caps: the newest {@link MAX_ACTIVITIES_PER_GROUP} activities of each group (one
 * DescribeScalingActivities page at MaxRecords 100), and the activities of the
 * {@link MAX_DELETED_GROUPS} groups deleted last. As in AWS, only activities that started in the
 * last six weeks are described.
 */
import type { Activity, AutoScaling, Filter } from '@aws-sdk/client-auto-scaling';
import { own } from '../dictionary.js';
import { ec2State } from '../ec2/state.js';
import { uuid } from '../ids.js';
import type { HandlerMap, RequestContext } from '../types.js';
import { AsgErrors } from './errors.js';
import type { AsgState, GroupRecord } from './state.js';
import { asgState, pageOf } from './state.js';

/** Activities kept per group. */
export const MAX_ACTIVITIES_PER_GROUP = 100;
/** Deleted groups whose activities are kept. */
export const MAX_DELETED_GROUPS = 20;
const SIX_WEEKS_MS = 42 * 24 * 3600 * 1000;

/** Why instances are launched or terminated. */
export interface Reason {
  /**
   * What the instances answer: the difference between desired and actual capacity (the
   * default), an instance refresh, an EC2 health check that found the instance terminated, or a
   * user's request to terminate that instance.
   */
  readonly by?: 'capacity' | 'refresh' | 'health' | 'user';
  /** For a termination `by: 'user'` (TerminateInstanceInAutoScalingGroup): the desired capacity shrank with it. */
  readonly decrement?: boolean;
  /** The Cause's first sentence when a request changed the desired capacity ({@link userRequest}). */
  readonly trigger?: string;
}

/** One launch or termination. */
export interface Change {
  readonly kind: 'launch' | 'terminate';
  readonly instanceId: string;
  readonly subnetId: string | undefined;
  readonly zone: string | undefined;
  /** For a capacity change: the group's capacity before the batch of this instance, and after it. */
  readonly from?: number;
  readonly to?: number;
}

/** A time as Causes write it: `2026-11-30T12:00:00Z`. */
function stamp(now: Date): string {
  return now.toISOString().replace(/\.[0-9]{3}Z$/, 'Z');
}

/**
 * The sentence a user request that created the group, or changed its desired capacity, opens the
 * Cause with (undefined when the desired capacity did not change).
 */
export function userRequest(now: Date, created: boolean, sizes: { min: number; max: number; desired: number }, from: number): string | undefined {
  const what = created ? 'created an AutoScalingGroup' : `update of AutoScalingGroup constraints to min: ${sizes.min}, max: ${sizes.max}, desired: ${sizes.desired}`;
  return changing(now, what, from, sizes.desired);
}

/** The same for SetDesiredCapacity ("a user request explicitly set group desired capacity …"). */
export function explicitRequest(now: Date, from: number, to: number): string | undefined {
  return changing(now, 'explicitly set group desired capacity', from, to);
}

function changing(now: Date, what: string, from: number, to: number): string | undefined {
  if (to === from) return undefined;
  return `At ${stamp(now)} a user request ${what} changing the desired capacity from ${from} to ${to}.`;
}

function cause(now: Date, change: Change, reason: Reason): string {
  const at = `At ${stamp(now)}`;
  const by = reason.by ?? 'capacity';
  const selected = `${at} instance ${change.instanceId} was selected for termination.`;
  let sentences: string[];
  if (change.kind === 'launch') {
    sentences = [
      by === 'refresh'
        ? `${at} an instance was launched in response to an instance refresh.`
        : `${at} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${change.from} to ${change.to}.`,
    ];
  } else if (by === 'user') {
    const shrinking = reason.decrement ? `, shrinking the capacity from ${change.from} to ${change.to}` : '';
    sentences = [`${at} instance ${change.instanceId} was taken out of service in response to a user request${shrinking}.`];
  } else if (by === 'health') {
    sentences = [`${at} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`];
  } else if (by === 'refresh') {
    sentences = [`${at} an instance was taken out of service in response to an instance refresh.`, selected];
  } else {
    sentences = [`${at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${change.from} to ${change.to}.`, selected];
  }
  return [reason.trigger, ...sentences].filter(Boolean).join('  ');
}

/** Records the activity of one launch or termination (and returns it). */
export function recordActivity(ctx: RequestContext, group: GroupRecord, change: Change, reason: Reason): Activity {
  const arn = group.group.AutoScalingGroupARN!;
  const details: Record<string, string> = {};
  if (change.subnetId) details['Subnet ID'] = change.subnetId;
  if (change.zone) details['Availability Zone'] = change.zone;
  const activity: Activity = {
    ActivityId: uuid(),
    AutoScalingGroupName: group.group.AutoScalingGroupName,
    AutoScalingGroupARN: arn,
    Description: change.kind === 'launch' ? `Launching a new EC2 instance: ${change.instanceId}` : `Terminating EC2 instance: ${change.instanceId}`,
    Cause: cause(ctx.now, change, reason),
    StartTime: ctx.now,
    EndTime: ctx.now,
    StatusCode: 'Successful',
    Progress: 100,
    Details: JSON.stringify(details),
  };
  const state = asgState(ctx);
  if (!own(state.activities, arn)) state.activities[arn] = [];
  const list = state.activities[arn]!;
  list.push(activity);
  if (list.length > MAX_ACTIVITIES_PER_GROUP) list.splice(0, list.length - MAX_ACTIVITIES_PER_GROUP);
  return activity;
}

/** The subnet an EC2 instance runs in (for an activity's Details). */
export function subnetOf(ctx: RequestContext, instanceId: string): string | undefined {
  return own(ec2State(ctx).instances, instanceId)?.instance.SubnetId;
}

/** Drops the activities of deleted groups beyond the {@link MAX_DELETED_GROUPS} deleted last. */
export function forgetOldDeletedGroups(state: AsgState): void {
  const current = new Set(Object.values(state.groups).map((g) => g.group.AutoScalingGroupARN));
  // Newest group first (maps keep insertion order), for groups whose last activities tie.
  const deleted = Object.keys(state.activities).filter((arn) => !current.has(arn)).reverse();
  if (deleted.length <= MAX_DELETED_GROUPS) return;
  // A group's last activity is at or before its deletion: order the deleted groups by it.
  const last = (arn: string) => state.activities[arn]!.at(-1)?.StartTime?.getTime() ?? 0;
  const byRecency = deleted.map((arn) => ({ arn, at: last(arn) })).sort((a, b) => b.at - a.at);
  for (const { arn } of byRecency.slice(MAX_DELETED_GROUPS)) delete state.activities[arn];
}

/** A filter's time bound (ISO 8601; without an offset, UTC). */
function bound(filter: Filter): number {
  const value = filter.Values?.[0] ?? '';
  const time = Date.parse(/[zZ]|[+-][0-9]{2}:?[0-9]{2}$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(time)) throw AsgErrors.validation(`The value ${value} of filter ${filter.Name ?? ''} is not a valid ISO 8601 timestamp.`);
  return time;
}

const FILTERS = ['StartTimeLowerBound', 'StartTimeUpperBound', 'Status'];

/** Whether an activity passes DescribeScalingActivities' Filters (ANDed; a filter's values ORed). */
function matches(activity: Activity, filters: readonly Filter[]): boolean {
  const start = activity.StartTime!.getTime();
  return filters.every((f) => {
    if (f.Name === 'StartTimeLowerBound') return start >= bound(f);
    if (f.Name === 'StartTimeUpperBound') return start <= bound(f);
    return (f.Values ?? []).includes(String(activity.StatusCode));
  });
}

/** DescribeScalingActivities. */
export const activityHandlers: HandlerMap<AutoScaling> = {
  DescribeScalingActivities(input, ctx) {
    const state = asgState(ctx);
    const name = input.AutoScalingGroupName;
    const filters = input.Filters ?? [];
    for (const f of filters) {
      if (!FILTERS.includes(f.Name ?? '')) throw AsgErrors.validation(`Filter type ${f.Name ?? ''} is not correct. Allowed Filter types are: ${FILTERS.join(' ')}`);
      if (f.Name === 'Status' && name === undefined) throw AsgErrors.validation('The Status filter can only be used together with AutoScalingGroupName.');
    }
    const current = new Set(Object.values(state.groups).map((g) => g.group.AutoScalingGroupARN));
    const since = ctx.now.getTime() - SIX_WEEKS_MS;
    const ids = input.ActivityIds?.length ? new Set(input.ActivityIds) : undefined;
    // A name that no group has (any more) is not an error: the list is empty, as in AWS.
    const activities = Object.entries(state.activities)
      .filter(([arn]) => input.IncludeDeletedGroups || current.has(arn))
      .flatMap(([, list]) => [...list].reverse())
      .filter((a) => (name === undefined || a.AutoScalingGroupName === name) && a.StartTime!.getTime() >= since && (!ids || ids.has(a.ActivityId!)) && matches(a, filters))
      // Newest first (a stable sort keeps a request's activities in reverse order of recording).
      .sort((a, b) => b.StartTime!.getTime() - a.StartTime!.getTime());
    const page = pageOf(activities, input.NextToken, input.MaxRecords, 100, 100);
    return { Activities: page.items.map((a) => ({ ...a })), NextToken: page.NextToken };
  },
};
