/**
 * CloudWatch Logs state for one account and Region: log groups keyed by name, with their tags,
 * retention and class, and their log streams with the newest events of each. Other services (EC2
 * flow logs, ECS awslogs) look groups up with {@link findLogGroup} and add streams with
 * {@link ensureLogStream}.
 *
 * Streams live beside the groups (`streams[group][stream]`), not inside them: a request that
 * writes events to one stream then records that stream alone, not the group with all its streams
 * (changes.ts tracks paths three keys deep).
 */
import type { LogGroup, LogGroupClass, LogStream, MetricTransformation } from '@aws-sdk/client-cloudwatch-logs';
import { asDictionaries, own, withMaps } from '../dictionary.js';
import { digits } from '../ids.js';
import { storedState } from '../stored.js';
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

/** One stored log event. */
export interface LogEventRecord {
  /** Epoch milliseconds the event occurred. */
  timestamp: number;
  /** Epoch milliseconds the sandbox received it. */
  ingestionTime: number;
  message: string;
  /** Order of arrival in its stream: with the timestamp, a total order (GetLogEvents tokens). */
  seq: number;
}

/** A log stream as stored. */
export interface LogStreamRecord {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp: number | undefined;
  lastEventTimestamp: number | undefined;
  lastIngestionTime: number | undefined;
  /** PutLogEvents calls so far (the deprecated uploadSequenceToken). */
  uploads: number;
  /** The last event `seq` handed out. */
  lastSeq: number;
  /** 20 random digits, so that event ids differ between streams. */
  id: string;
  /** The newest events (see events.ts for the cap), in timestamp order. */
  events: LogEventRecord[];
}

/** A metric filter as stored (metric-filters.ts). */
export interface MetricFilterRecord {
  filterName: string;
  filterPattern: string;
  metricTransformations: MetricTransformation[];
  creationTime: number;
  applyOnTransformedLogs: boolean;
}

/** CloudWatch Logs state of one account and Region. */
export interface LogsState {
  groups: Record<string, LogGroupRecord>;
  /** Log group name -> stream name -> stream. */
  streams: Record<string, Record<string, LogStreamRecord>>;
  /** Log group name -> filter name -> metric filter (beside the groups, as streams are). */
  metricFilters: Record<string, Record<string, MetricFilterRecord>>;
}

/** The Logs state of the request's account and Region. */
export function logsState(ctx: RequestContext): LogsState {
  const raw = ctx.state<LogsState>('logs', () => ({ groups: {}, streams: {}, metricFilters: {} }));
  const state = asDictionaries(withMaps(ctx, raw, ['streams', 'metricFilters']), ['groups', 'streams', 'metricFilters']);
  // On the stored records: read through a changing request's tracking view, every group's tags
  // would count as changed and be journaled on each call.
  for (const group of Object.values(storedLogsState(ctx)?.groups ?? {})) asDictionaries(group, ['tags']);
  return state;
}

/** The Region's CloudWatch Logs state as stored (no tracking view, nothing created), or undefined. */
export function storedLogsState(ctx: RequestContext): LogsState | undefined {
  return storedState<LogsState>(ctx, 'logs');
}

/** The streams of a log group (an empty map when it has none yet; not stored until written). */
export function streamsOf(state: LogsState, groupName: string): Record<string, LogStreamRecord> {
  const streams = own(state.streams, groupName);
  if (!streams) return Object.create(null) as Record<string, LogStreamRecord>;
  asDictionaries(state.streams, [groupName]);
  return streams;
}

/** A stream of a log group, or ResourceNotFoundException. */
export function getStream(state: LogsState, groupName: string, streamName: string | undefined): LogStreamRecord {
  const stream = streamName === undefined ? undefined : own(streamsOf(state, groupName), streamName);
  if (!stream) throw LogsErrors.streamNotFound();
  return stream;
}

/** Adds an empty stream to a group (the caller checked that it does not exist). */
export function addStream(state: LogsState, groupName: string, streamName: string, now: Date): LogStreamRecord {
  const stream: LogStreamRecord = {
    logStreamName: streamName,
    creationTime: now.getTime(),
    firstEventTimestamp: undefined,
    lastEventTimestamp: undefined,
    lastIngestionTime: undefined,
    uploads: 0,
    lastSeq: 0,
    id: digits(20),
    events: [],
  };
  if (!own(state.streams, groupName)) state.streams[groupName] = Object.create(null) as Record<string, LogStreamRecord>;
  state.streams[groupName]![streamName] = stream;
  return stream;
}

/**
 * Creates a stream in an existing log group unless it is there already, for services that
 * deliver logs (a VPC flow log writes to `<eni-id>-all`). False when the group does not exist.
 */
export function ensureLogStream(ctx: RequestContext, groupName: string, streamName: string): boolean {
  const state = logsState(ctx);
  if (!own(state.groups, groupName)) return false;
  if (!own(streamsOf(state, groupName), streamName)) addStream(state, groupName, checkStreamName(streamName), ctx.now);
  return true;
}

/** A log group of the request's account and Region, if it exists (for other services). */
export function findLogGroup(ctx: RequestContext, name: string): LogGroupRecord | undefined {
  return logsState(ctx).groups[name];
}

/** A log group by name, or ResourceNotFoundException. */
export function getLogGroup(state: LogsState, name: string | undefined): LogGroupRecord {
  const group = name ? own(state.groups, name) : undefined;
  if (!group) throw LogsErrors.notFound();
  return group;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>` (the tagging form, without `:*`). */
export function logGroupArn(ctx: RequestContext, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${name}`;
}

/** `arn:aws:logs:<region>:<account>:log-group:<group>:log-stream:<stream>`. */
export function logStreamArn(ctx: RequestContext, groupName: string, streamName: string): string {
  return `${logGroupArn(ctx, groupName)}:log-stream:${streamName}`;
}

/** The parts of a log group ARN (`…:log-group:<name>`, optionally `:*`), or undefined. */
export function parseLogGroupArn(arn: string): { region: string; account: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:logs:([^:]*):([0-9]{12}):log-group:([^:]+)(:\*)?$/.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

/**
 * The log group a request names by `logGroupName` or `logGroupIdentifier` (a name or an ARN; one
 * of the two, as AWS requires). An ARN of another account or Region is not found.
 */
export function requestedGroup(ctx: RequestContext, state: LogsState, input: { logGroupName?: string; logGroupIdentifier?: string }): LogGroupRecord {
  const { logGroupName: name, logGroupIdentifier: identifier } = input;
  if (name !== undefined && identifier !== undefined) throw LogsErrors.invalidParameter('LogGroup name and LogGroup identifier are mutually exclusive parameters.');
  if (name === undefined && identifier === undefined) throw LogsErrors.invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
  if (identifier === undefined || !identifier.startsWith('arn:')) return getLogGroup(state, name ?? identifier);
  const arn = parseLogGroupArn(identifier);
  if (!arn) throw LogsErrors.invalidParameter(`The specified resource ARN is not valid: ${identifier}`);
  if (arn.region !== ctx.region || arn.account !== ctx.account) throw LogsErrors.notFound();
  return getLogGroup(state, arn.name);
}

/** Checks a `limit` member against its maximum (AWS's constraint message). */
export function checkLimit(limit: number | undefined, max: number): void {
  if (limit === undefined) return;
  if (limit < 1) throw LogsErrors.invalidParameter(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (limit > max) throw LogsErrors.invalidParameter(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
}

/** Validates a log group name. */
export function checkName(name: string | undefined): string {
  if (!name || name.length > 512 || !/^[.\-_/#A-Za-z0-9]+$/.test(name)) {
    throw LogsErrors.invalidParameter(`1 validation error detected: Value '${name ?? ''}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
  }
  if (name.startsWith('aws/')) throw LogsErrors.invalidParameter('Log group names starting with aws/ are reserved for AWS use.');
  return name;
}

/** Validates a log stream name (1 to 512 characters, no `:` or `*`). */
export function checkStreamName(name: string | undefined): string {
  if (!name || name.length > 512 || /[:*]/.test(name)) {
    throw LogsErrors.invalidParameter(`1 validation error detected: Value '${name ?? ''}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`);
  }
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
export function presentLogGroup(ctx: RequestContext, state: LogsState, group: LogGroupRecord): LogGroup {
  const arn = logGroupArn(ctx, group.logGroupName);
  return {
    logGroupName: group.logGroupName,
    creationTime: group.creationTime,
    retentionInDays: group.retentionInDays,
    metricFilterCount: Object.keys(own(state.metricFilters, group.logGroupName) ?? {}).length,
    arn: `${arn}:*`,
    logGroupArn: arn,
    storedBytes: 0,
    kmsKeyId: group.kmsKeyId,
    logGroupClass: group.logGroupClass,
  };
}

/** The SDK view of a log stream (storedBytes is always 0, as AWS now reports it). */
export function presentLogStream(ctx: RequestContext, groupName: string, stream: LogStreamRecord): LogStream {
  const written = stream.uploads > 0;
  return {
    logStreamName: stream.logStreamName,
    creationTime: stream.creationTime,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    uploadSequenceToken: written ? sequenceToken(stream.uploads) : undefined,
    arn: logStreamArn(ctx, groupName, stream.logStreamName),
    storedBytes: 0,
  };
}

/** A (deprecated, never checked) sequence token: 56 digits, as AWS's look. */
export function sequenceToken(uploads: number): string {
  return String(uploads).padStart(56, '0');
}
