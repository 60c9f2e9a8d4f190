/**
 * LookupEvents: CloudTrail event history, served from the sandbox's own record of the API calls
 * of the request's account and Region (see ../recorder.ts), newest first.
 */
import type { CloudTrail, Event, LookupAttribute } from '@aws-sdk/client-cloudtrail';
import { own } from '../../dictionary.js';
import type { HandlerMap } from '../../types.js';
import { CloudTrailErrors } from '../errors.js';
import type { EventSummary, StoredEvent } from '../recorder.js';
import { EVENT_LOG } from '../recorder.js';

/** Event history covers the last 90 days. */
const HISTORY_MS = 90 * 24 * 3600 * 1000;

const MATCHERS: Readonly<Record<string, (e: EventSummary, value: string) => boolean>> = {
  EventId: (e, v) => e.id === v,
  EventName: (e, v) => e.name === v,
  ReadOnly: (e, v) => String(e.readOnly) === v,
  Username: (e, v) => e.username === v,
  ResourceType: (e, v) => e.resources.some((r) => r.type === v),
  ResourceName: (e, v) => e.resources.some((r) => r.name === v),
  EventSource: (e, v) => e.source === v,
  AccessKeyId: (e, v) => e.accessKeyId === v,
};

function matcher(attributes: readonly LookupAttribute[] | undefined): (e: EventSummary) => boolean {
  if (!attributes || attributes.length === 0) return () => true;
  if (attributes.length > 1) throw CloudTrailErrors.lookupAttributes('You can only specify one lookup attribute.');
  const [attribute] = attributes as [LookupAttribute];
  const test = own(MATCHERS, attribute.AttributeKey ?? '');
  if (!test) throw CloudTrailErrors.lookupAttributes(`${attribute.AttributeKey ?? 'null'} is not a valid lookup attribute key.`);
  const value = attribute.AttributeValue ?? '';
  if (value.length === 0) throw CloudTrailErrors.lookupAttributes('The lookup attribute value cannot be empty.');
  return (e) => test(e, value);
}

function encodeToken(e: EventSummary): string {
  return Buffer.from(JSON.stringify({ t: e.time, i: e.id })).toString('base64');
}

function decodeToken(token: string): { t: number; i: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { t?: unknown; i?: unknown };
    if (typeof parsed.t !== 'number' || typeof parsed.i !== 'string') throw new Error('bad');
    return { t: parsed.t, i: parsed.i };
  } catch {
    throw CloudTrailErrors.nextToken();
  }
}

function present(e: StoredEvent): Event {
  return {
    EventId: e.id,
    EventName: e.name,
    ReadOnly: String(e.readOnly),
    AccessKeyId: e.accessKeyId,
    EventTime: new Date(e.time),
    EventSource: e.source,
    Username: e.username,
    Resources: e.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: e.json,
  };
}

/** The LookupEvents operation. */
export const lookupEventsHandlers: HandlerMap<CloudTrail> = {
  LookupEvents(input, ctx) {
    const max = input.MaxResults ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 50) throw CloudTrailErrors.maxResults();
    const end = input.EndTime?.getTime() ?? ctx.now.getTime();
    const start = input.StartTime?.getTime() ?? end - HISTORY_MS;
    if (start > end) throw CloudTrailErrors.timeRange();
    const matches = matcher(input.LookupAttributes);
    if (input.EventCategory !== undefined && input.EventCategory !== 'insight') throw CloudTrailErrors.eventCategory();
    const after = input.NextToken ? decodeToken(input.NextToken) : undefined;
    // Insights are never generated in the sandbox.
    if (input.EventCategory === 'insight') return { Events: [] };

    const events = ctx.log<EventSummary>(EVENT_LOG);
    const page: number[] = [];
    let more = false;
    let skipping = after !== undefined;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (skipping) {
        // Resume after the token's event; if it was dropped meanwhile, after its time.
        if (e.id === after!.i) skipping = false;
        else if (e.time < after!.t) skipping = false;
        else continue;
        if (e.id === after!.i) continue;
      }
      if (e.time < start) break;
      if (e.time > end || e.region !== ctx.region || !matches(e)) continue;
      if (page.length === max) {
        more = true;
        break;
      }
      page.push(i);
    }
    return {
      Events: ctx.logRecords<StoredEvent>(EVENT_LOG, page).map(present),
      NextToken: more ? encodeToken(events[page[page.length - 1]!]!) : undefined,
    };
  },
};
