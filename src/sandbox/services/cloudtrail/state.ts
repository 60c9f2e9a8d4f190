/**
 * CloudTrail trails of one account. Trails are kept account-wide (keyed by ARN, with their home
 * Region) because a multi-Region trail is visible in every Region as a "shadow trail"; reads work
 * on shadows, changes must come from the home Region.
 */
import type { AdvancedEventSelector, EventSelector, InsightSelector, Tag, Trail } from '@aws-sdk/client-cloudtrail';
import { asDictionaries, own } from '../dictionary.js';
import type { RequestContext } from '../types.js';
import { CloudTrailErrors } from './errors.js';

/** One trail with its logging status, selectors and tags. */
export interface TrailRecord {
  trail: Trail;
  isLogging: boolean;
  startLoggingTime?: Date;
  stopLoggingTime?: Date;
  /** Exactly one of the two selector kinds is set (classic by default). */
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  /** PutInsightSelectors (absent or empty: Insights are off). */
  insightSelectors?: InsightSelector[];
  tags: Tag[];
}

/** CloudTrail state of one account (all Regions). */
export interface CloudTrailState {
  /** By trail ARN. */
  trails: Record<string, TrailRecord>;
}

/** AWS allows five trails per Region. */
export const MAX_TRAILS_PER_REGION = 5;

/** The account's trails. */
export function trailState(ctx: RequestContext): CloudTrailState {
  return asDictionaries(ctx.state<CloudTrailState>('cloudtrail', () => ({ trails: {} }), 'global'), ['trails']);
}

/** `arn:aws:cloudtrail:<region>:<account>:trail/<name>`. */
export function trailArn(region: string, account: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}

const ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):([0-9]{12}):trail\/(.+)$/;

/** Parses a trail ARN (undefined when `value` is not one). */
export function parseTrailArn(value: string): { region: string; account: string; name: string } | undefined {
  const m = ARN.exec(value);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

/** Validates a trail name with AWS's rules (InvalidTrailNameException). */
export function checkTrailName(name: string): void {
  if (name.length < 3 || name.length > 128) throw CloudTrailErrors.invalidTrailName('Trail name too short or too long. Minimum allowed length: 3 characters. Maximum allowed length: 128 characters.');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$/.test(name)) {
    throw CloudTrailErrors.invalidTrailName('Trail name must start and end with a letter or number and can only contain letters, numbers, periods (.), underscores (_) and hyphens (-).');
  }
  if (/[._-]{2}/.test(name)) throw CloudTrailErrors.invalidTrailName('Trail name cannot have adjacent periods, underscores or dashes.');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) throw CloudTrailErrors.invalidTrailName('Trail name cannot be formatted as an IP address.');
}

/** Whether a trail is visible in the request's Region (its home, or anywhere when multi-Region). */
export function visibleIn(record: TrailRecord, region: string): boolean {
  return record.trail.HomeRegion === region || record.trail.IsMultiRegionTrail === true;
}

/**
 * Finds a trail by name (trails whose home is this Region) or by ARN (any trail of the account
 * visible here, shadows included, as AWS requires the ARN for shadow trails).
 */
export function findTrail(ctx: RequestContext, state: CloudTrailState, nameOrArn: string): TrailRecord {
  if (nameOrArn.startsWith('arn:')) {
    const parsed = parseTrailArn(nameOrArn);
    if (!parsed) throw CloudTrailErrors.invalidTrailName();
    const record = own(state.trails, nameOrArn);
    if (!record || parsed.account !== ctx.account || !visibleIn(record, ctx.region)) {
      throw CloudTrailErrors.trailNotFound(nameOrArn, ctx.account, ctx.region);
    }
    return record;
  }
  checkTrailName(nameOrArn);
  const record = Object.values(state.trails).find((r) => r.trail.Name === nameOrArn && r.trail.HomeRegion === ctx.region);
  if (!record) throw CloudTrailErrors.trailNotFound(nameOrArn, ctx.account, ctx.region);
  return record;
}

/** Changes are only accepted in the trail's home Region (InvalidHomeRegionException). */
export function requireHomeRegion(ctx: RequestContext, record: TrailRecord): void {
  if (record.trail.HomeRegion !== ctx.region) throw CloudTrailErrors.homeRegion(record.trail.TrailARN!);
}

/** Validates tags the way CloudTrail does (at most 50, keys 1-128, values up to 256 characters). */
export function checkTags(tags: readonly Tag[] | undefined, existing: readonly Tag[] = []): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key!, t.Value ?? '']));
  for (const tag of tags ?? []) {
    if (!tag.Key || tag.Key.length > 128) throw CloudTrailErrors.tagParameter('Tag key must be between 1 and 128 characters.');
    if ((tag.Value ?? '').length > 256) throw CloudTrailErrors.tagParameter('Tag value must be at most 256 characters.');
    if (tag.Key.toLowerCase().startsWith('aws:')) throw CloudTrailErrors.tagParameter('Tag keys cannot start with aws:.');
    merged.set(tag.Key, tag.Value ?? '');
  }
  if (merged.size > 50) throw CloudTrailErrors.tagsLimit();
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
