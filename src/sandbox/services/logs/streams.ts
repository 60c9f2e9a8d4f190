/** CloudWatch Logs log streams and their events: create, delete, describe, put, get, filter. */
import type { CloudWatchLogs, FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { own } from '../dictionary.js';
import { paginate } from '../paging.js';
import type { HandlerMap } from '../types.js';
import { LogsErrors } from './errors.js';
import { eventId, eventPage, putEvents } from './events.js';
import { patternMatcher } from './patterns.js';
import { deliverFlowLogs } from '../ec2/flow-log-delivery.js';
import type { RequestContext } from '../types.js';
import type { LogGroupRecord, LogsState, LogStreamRecord } from './state.js';
import { addStream, checkLimit, checkStreamName, getLogGroup, getStream, logsState, presentLogStream, requestedGroup, sequenceToken, storedLogsState, streamsOf } from './state.js';

const ORDERS: readonly string[] = ['LogStreamName', 'LastEventTime'];

function byName(a: LogStreamRecord, b: LogStreamRecord): number {
  return a.logStreamName < b.logStreamName ? -1 : a.logStreamName > b.logStreamName ? 1 : 0;
}

/** Streams without events sort before any with events. */
function byLastEvent(a: LogStreamRecord, b: LogStreamRecord): number {
  return (a.lastEventTimestamp ?? -1) - (b.lastEventTimestamp ?? -1) || byName(a, b);
}

/**
 * The group a read names, after pending VPC flow log records were delivered to it. These reads are
 * tracked (`persistedReads` in logs/index.ts) so that the delivery is persisted; they then read the state as stored, not
 * through tracking views, so that only what the delivery changed is journaled.
 */
function readGroup(ctx: RequestContext, input: { logGroupName?: string; logGroupIdentifier?: string }): { state: LogsState; group: LogGroupRecord } {
  // Found in the stored state, so that a read with nothing to deliver marks (and journals) nothing;
  // state saved before it had every map gets them through logsState (which journals them once).
  const readable = (): LogsState => {
    const stored = storedLogsState(ctx);
    return stored?.streams && stored.metricFilters ? stored : logsState(ctx);
  };
  const name = requestedGroup(ctx, readable(), input).logGroupName;
  deliverFlowLogs(ctx, name);
  const state = readable();
  return { state, group: getLogGroup(state, name) };
}

/** Log stream and log event operations. */
export const streamHandlers: HandlerMap<CloudWatchLogs> = {
  CreateLogStream(input, ctx) {
    const state = logsState(ctx);
    const group = getLogGroup(state, input.logGroupName);
    const name = checkStreamName(input.logStreamName);
    if (own(streamsOf(state, group.logGroupName), name)) throw LogsErrors.streamAlreadyExists();
    addStream(state, group.logGroupName, name, ctx.now);
    return {};
  },

  DeleteLogStream(input, ctx) {
    const state = logsState(ctx);
    const group = getLogGroup(state, input.logGroupName);
    const stream = getStream(state, group.logGroupName, input.logStreamName);
    delete state.streams[group.logGroupName]![stream.logStreamName];
    return {};
  },

  DescribeLogStreams(input, ctx) {
    const { state, group } = readGroup(ctx, input);
    checkLimit(input.limit, 50);
    const order = input.orderBy ?? 'LogStreamName';
    if (!ORDERS.includes(order)) {
      throw LogsErrors.invalidParameter(`1 validation error detected: Value '${order}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [${ORDERS.join(', ')}]`);
    }
    const prefix = input.logStreamNamePrefix;
    if (order === 'LastEventTime' && prefix !== undefined) throw LogsErrors.invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const streams = Object.values(streamsOf(state, group.logGroupName))
      .filter((s) => prefix === undefined || s.logStreamName.startsWith(prefix))
      .sort(order === 'LastEventTime' ? byLastEvent : byName);
    if (input.descending) streams.reverse();
    const page = paginate(streams, input.nextToken, input.limit, 50, LogsErrors.invalidNextToken);
    return { logStreams: page.items.map((s) => presentLogStream(ctx, group.logGroupName, s)), nextToken: page.nextToken };
  },

  PutLogEvents(input, ctx) {
    const state = logsState(ctx);
    const group = getLogGroup(state, input.logGroupName);
    const stream = getStream(state, group.logGroupName, input.logStreamName);
    // The sequence token is ignored, as AWS now does.
    const rejected = putEvents(stream, input.logEvents ?? [], ctx.now.getTime(), group.retentionInDays);
    return { nextSequenceToken: sequenceToken(stream.uploads), rejectedLogEventsInfo: rejected };
  },

  GetLogEvents(input, ctx) {
    const { state, group } = readGroup(ctx, input);
    const stream = getStream(state, group.logGroupName, input.logStreamName);
    checkLimit(input.limit, 10_000);
    return eventPage(stream, input);
  },

  FilterLogEvents(input, ctx) {
    const { state, group } = readGroup(ctx, input);
    checkLimit(input.limit, 10_000);
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw LogsErrors.invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    }
    const matches = patternMatcher(input.filterPattern, 'filter');
    const { startTime, endTime, logStreamNames: names, logStreamNamePrefix: prefix } = input;
    const events: FilteredLogEvent[] = Object.values(streamsOf(state, group.logGroupName))
      .filter((s) => (names === undefined || names.includes(s.logStreamName)) && (prefix === undefined || s.logStreamName.startsWith(prefix)))
      .flatMap((s) =>
        s.events
          .filter((e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp <= endTime) && matches(e.message))
          .map((e) => ({ logStreamName: s.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: eventId(s, e) })),
      )
      // Interleaved across streams by time (AWS ignores `interleaved` and always does this).
      .sort((a, b) => a.timestamp! - b.timestamp! || (a.eventId! < b.eventId! ? -1 : 1));
    const page = paginate(events, input.nextToken, input.limit, 10_000, LogsErrors.invalidNextToken);
    return { events: page.items, nextToken: page.nextToken };
  },
};
