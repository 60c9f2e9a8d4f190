/**
 * CloudWatch Logs state for one account and Region: log groups keyed by name, with their tags,
 * retention and class. Other services (EC2 flow logs, ECS awslogs) look groups up with
 * {@link findLogGroup}.
 */
import type { LogGroup, LogGroupClass } from '@aws-sdk/client-cloudwatch-logs';
import { asDictionaries } from '../dictionary.js';
import type { RequestContext } from '../types.js';
import { LogsErrors } from './errors.js';

/** A log group as stored. */
export interface LogGroupRecord {
  logGroupName: string;
  /** Epoch milliseconds, as CloudWatch Logs reports it. */
  creationTime: number;
  retentionInDays: number | undefined;
  kmsKeyId: string | undefined;
  logGroupClass: LogGroupClass;
  tags: Record<string, string>;
}

/** CloudWatch Logs state of one account and Region. */
export interface LogsState {
  groups: Record<string, LogGroupRecord>;
}

/** The Logs state of the request's account and Region. */
export function logsState(ctx: RequestContext): LogsState {
  const state = asDictionaries(ctx.state<LogsState>('logs', () => ({ groups: {} })), ['groups']);
  for (const group of Object.values(state.groups)) asDictionaries(group, ['tags']);
  return state;
}

/** A log group of the request's account and Region, if it exists (for other services). */
export function findLogGroup(ctx: RequestContext, name: string): LogGroupRecord | undefined {
  return logsState(ctx).groups[name];
}

/** A log group by name, or ResourceNotFoundException. */
export function getLogGroup(state: LogsState, name: string | undefined): LogGroupRecord {
  const group = name ? state.groups[name] : undefined;
  if (!group) throw LogsErrors.notFound();
  return group;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>` (the tagging form, without `:*`). */
export function logGroupArn(ctx: RequestContext, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${name}`;
}

/** Validates a log group name. */
export function checkName(name: string | undefined): string {
  if (!name || name.length > 512 || !/^[.\-_/#A-Za-z0-9]+$/.test(name)) {
    throw LogsErrors.invalidParameter(`1 validation error detected: Value '${name ?? ''}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
  }
  if (name.startsWith('aws/')) throw LogsErrors.invalidParameter('Log group names starting with aws/ are reserved for AWS use.');
  return name;
}

/** Validates tags and merges them (at most 50, no `aws:` prefix). */
export function mergeTags(existing: Readonly<Record<string, string>>, add: Readonly<Record<string, string>> | undefined): Record<string, string> {
  // A tag may be called `__proto__`: keep tags in a dictionary without a prototype.
  const out: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, existing);
  for (const [key, value] of Object.entries(add ?? {})) {
    if (key.length === 0 || key.length > 128 || key.toLowerCase().startsWith('aws:')) {
      throw LogsErrors.invalidParameter(`Tag key ${key} is not valid: keys are 1 to 128 characters and cannot start with aws:.`);
    }
    if (value.length > 256) throw LogsErrors.invalidParameter(`Tag value for ${key} is longer than 256 characters.`);
    out[key] = value;
  }
  if (Object.keys(out).length > 50) throw LogsErrors.tooManyTags();
  return out;
}

/** The SDK view of a log group. */
export function presentLogGroup(ctx: RequestContext, group: LogGroupRecord): LogGroup {
  const arn = logGroupArn(ctx, group.logGroupName);
  return {
    logGroupName: group.logGroupName,
    creationTime: group.creationTime,
    retentionInDays: group.retentionInDays,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    logGroupArn: arn,
    storedBytes: 0,
    kmsKeyId: group.kmsKeyId,
    logGroupClass: group.logGroupClass,
  };
}
