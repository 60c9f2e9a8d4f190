/**
 * Log events of a stream: PutLogEvents' checks and the per-stream cap, and GetLogEvents' tokens
 * (FilterLogEvents' patterns: patterns.ts).
 *
 * Cap: a stream keeps its newest {@link MAX_EVENTS_PER_STREAM} events and at most
 * {@link MAX_BYTES_PER_STREAM} bytes of them (counted as PutLogEvents counts a batch: the UTF-8
 * message plus 26 bytes per event); older events are dropped as if their retention had expired.
 * The stream's first/last event timestamps keep their values. A stream is stored, and journaled
 * on each PutLogEvents, as one record, so the cap bounds both memory and what a write costs.
 */
import type { InputLogEvent, OutputLogEvent, RejectedLogEventsInfo } from '@aws-sdk/client-cloudwatch-logs';
import { LogsErrors } from './errors.js';
import type { LogEventRecord, LogStreamRecord } from './state.js';

/** Events kept per stream. */
export const MAX_EVENTS_PER_STREAM = 1000;
/** Bytes of events kept per stream (messages in UTF-8 plus 26 bytes each). */
export const MAX_BYTES_PER_STREAM = 256 * 1024;
/** PutLogEvents' batch limits. */
const MAX_BATCH_BYTES = 1_048_576;
const MAX_BATCH_EVENTS = 10_000;
const EVENT_OVERHEAD = 26;
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

function size(message: string): number {
  return Buffer.byteLength(message, 'utf8') + EVENT_OVERHEAD;
}

/** Events in stream order: timestamp, then arrival. */
export function byTime(a: LogEventRecord, b: LogEventRecord): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

/**
 * Checks a PutLogEvents batch and adds its acceptable events to the stream. Events older than 14
 * days (or than the group's retention) and more than 2 hours ahead are rejected and reported, as
 * AWS does; the rest are stored.
 */
export function putEvents(stream: LogStreamRecord, events: readonly InputLogEvent[], now: number, retentionInDays: number | undefined): RejectedLogEventsInfo | undefined {
  if (events.length < 1 || events.length > MAX_BATCH_EVENTS) {
    const bound = events.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_BATCH_EVENTS}`;
    throw LogsErrors.invalidParameter(`1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length ${bound}`);
  }
  let bytes = 0;
  events.forEach((e, i) => {
    if (!e.message) {
      throw LogsErrors.invalidParameter(`1 validation error detected: Value '' at 'logEvents.${i + 1}.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1`);
    }
    if (i > 0 && e.timestamp! < events[i - 1]!.timestamp!) throw LogsErrors.invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    bytes += size(e.message);
  });
  if (bytes > MAX_BATCH_BYTES) throw LogsErrors.invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);

  const expiredBefore = retentionInDays === undefined ? -Infinity : now - retentionInDays * DAY;
  const tooOldBefore = now - 14 * DAY;
  const tooNewAfter = now + 2 * HOUR;
  const info: RejectedLogEventsInfo = {};
  const accepted: InputLogEvent[] = [];
  events.forEach((e, i) => {
    const t = e.timestamp!;
    if (t < expiredBefore) info.expiredLogEventEndIndex = i + 1;
    else if (t < tooOldBefore) info.tooOldLogEventEndIndex = i + 1;
    else if (t > tooNewAfter) info.tooNewLogEventStartIndex ??= i;
    else accepted.push(e);
  });
  if (accepted.length > 0 && accepted[accepted.length - 1]!.timestamp! - accepted[0]!.timestamp! > DAY) {
    throw LogsErrors.invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }

  stream.uploads += 1;
  if (accepted.length > 0) {
    const added = accepted.map((e) => ({ timestamp: e.timestamp!, ingestionTime: now, message: e.message!, seq: ++stream.lastSeq }));
    stream.events = capped([...stream.events, ...added].sort(byTime));
    stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? Infinity, added[0]!.timestamp);
    stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? -Infinity, added[added.length - 1]!.timestamp);
    stream.lastIngestionTime = now;
  }
  return Object.keys(info).length > 0 ? info : undefined;
}

/** The newest events within the per-stream cap. */
function capped(events: LogEventRecord[]): LogEventRecord[] {
  let start = Math.max(0, events.length - MAX_EVENTS_PER_STREAM);
  let bytes = 0;
  for (let i = events.length - 1; i >= start; i--) {
    bytes += size(events[i]!.message);
    if (bytes > MAX_BYTES_PER_STREAM) {
      start = i + 1;
      break;
    }
  }
  return start === 0 ? events : events.slice(start);
}

/** A position between events: the (timestamp, seq) of the event it follows or precedes. */
interface Position {
  timestamp: number;
  seq: number;
}

const START: Position = { timestamp: 0, seq: 0 };

/** `f/` or `b/`, 56 digits and `/s`, as AWS's tokens look. */
function token(direction: 'f' | 'b', at: Position): string {
  return `${direction}/${String(at.timestamp).padStart(20, '0')}${String(at.seq).padStart(36, '0')}/s`;
}

function parseToken(value: string): { direction: 'f' | 'b'; at: Position } {
  const m = /^([fb])\/([0-9]{20})([0-9]{36})\/s$/.exec(value);
  if (!m) throw LogsErrors.invalidNextToken();
  return { direction: m[1] as 'f' | 'b', at: { timestamp: Number(m[2]), seq: Number(m[3]) } };
}

function after(e: LogEventRecord, at: Position): boolean {
  return e.timestamp > at.timestamp || (e.timestamp === at.timestamp && e.seq > at.seq);
}

/**
 * One GetLogEvents page. Without a token: the first `limit` events (startFromHead) or the last.
 * A forward token returns the events after the previous page, a backward token those before it;
 * at either end the page is empty and the token comes back unchanged, as in AWS.
 */
export function eventPage(
  stream: LogStreamRecord,
  input: { startTime?: number; endTime?: number; limit?: number; nextToken?: string; startFromHead?: boolean },
): { events: OutputLogEvent[]; nextForwardToken: string; nextBackwardToken: string } {
  const limit = input.limit ?? MAX_BATCH_EVENTS;
  const events = stream.events.filter((e) => (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp < input.endTime));
  let page: LogEventRecord[];
  let at = START;
  if (input.nextToken) {
    const parsed = parseToken(input.nextToken);
    at = parsed.at;
    page = parsed.direction === 'f' ? events.filter((e) => after(e, at)).slice(0, limit) : events.filter((e) => !after(e, at) && !(e.timestamp === at.timestamp && e.seq === at.seq)).slice(-limit);
  } else {
    page = input.startFromHead ? events.slice(0, limit) : events.slice(-limit);
  }
  const first = page[0] ?? at;
  const last = page[page.length - 1] ?? at;
  return {
    events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: token('f', { timestamp: last.timestamp, seq: last.seq }),
    nextBackwardToken: token('b', { timestamp: first.timestamp, seq: first.seq }),
  };
}

/** An event's id in FilterLogEvents: 56 digits from its timestamp, stream and arrival. */
export function eventId(stream: LogStreamRecord, e: LogEventRecord): string {
  return `${String(e.timestamp).padStart(20, '0')}${stream.id}${String(e.seq).padStart(16, '0')}`;
}
