/**
 * CloudTrail Insights selectors on trails, and the CloudTrail Lake reads. The sandbox analyses
 * nothing: PutInsightSelectors stores the selectors (DescribeTrails then reports
 * HasInsightSelectors) and no Insights event is ever generated (LookupEvents with
 * EventCategory `insight` stays empty). The sandbox has no event data stores: the list is empty
 * and a named one is not found; event data store parameters are answered the same way.
 */
import type { CloudTrail, InsightSelector } from '@aws-sdk/client-cloudtrail';
import { AwsError } from '../../../errors.js';
import type { HandlerMap, RequestContext } from '../../types.js';
import type { TrailRecord } from '../state.js';
import { findTrail, requireHomeRegion, trailState } from '../state.js';

const INSIGHT_TYPES = new Set(['ApiCallRateInsight', 'ApiErrorRateInsight']);
const CATEGORIES = new Set(['Management', 'Data']);

// message not verified
const dataStoreNotFound = (id: string) => new AwsError('EventDataStoreNotFoundException', `The specified event data store ${id} was not found.`);
// message not verified
const invalidSelectors = (message: string) => new AwsError('InvalidInsightSelectorsException', message);
// message not verified
const notEnabled = (arn: string) => new AwsError('InsightNotEnabledException', `Trail ${arn} does not have Insights enabled.`);
// message not verified
const combination = (message: string) => new AwsError('InvalidParameterCombinationException', message);

/** Validates Insights selectors: known types, each at most once, categories Management or Data. */
function checkSelectors(selectors: readonly InsightSelector[]): InsightSelector[] {
  const seen = new Set<string>();
  return selectors.map((s) => {
    const type = s.InsightType ?? '';
    if (!INSIGHT_TYPES.has(type)) throw invalidSelectors(`Insight type ${type || 'null'} is not valid. Valid values are ApiCallRateInsight and ApiErrorRateInsight.`);
    if (seen.has(type)) throw invalidSelectors(`Insight type ${type} is specified more than once.`);
    seen.add(type);
    for (const c of s.EventCategories ?? []) if (!CATEGORIES.has(c)) throw invalidSelectors(`Event category ${c} is not valid. Valid values are Management and Data.`);
    return s.EventCategories ? { InsightType: s.InsightType, EventCategories: [...s.EventCategories] } : { InsightType: s.InsightType };
  });
}

/** The trail an Insights call names (the sandbox has no event data stores to name instead). */
function insightsTrail(ctx: RequestContext, input: { TrailName?: string; EventDataStore?: string }): TrailRecord {
  if (input.EventDataStore !== undefined) {
    if (input.TrailName !== undefined) throw combination('You cannot specify both TrailName and EventDataStore.');
    throw dataStoreNotFound(input.EventDataStore);
  }
  if (input.TrailName === undefined) throw combination('You must specify either TrailName or EventDataStore.');
  return findTrail(ctx, trailState(ctx), input.TrailName);
}

/** PutInsightSelectors, GetInsightSelectors, ListEventDataStores and GetEventDataStore. */
export const insightAndLakeHandlers: HandlerMap<CloudTrail> = {
  PutInsightSelectors(input, ctx) {
    const record = insightsTrail(ctx, input);
    requireHomeRegion(ctx, record);
    // An empty list turns Insights off.
    const selectors = checkSelectors(input.InsightSelectors ?? []);
    if (selectors.length > 0) record.insightSelectors = selectors;
    else delete record.insightSelectors;
    return { TrailARN: record.trail.TrailARN, InsightSelectors: structuredClone(selectors) };
  },

  GetInsightSelectors(input, ctx) {
    const record = insightsTrail(ctx, input);
    if (!record.insightSelectors?.length) throw notEnabled(record.trail.TrailARN!);
    return { TrailARN: record.trail.TrailARN, InsightSelectors: structuredClone(record.insightSelectors) };
  },

  ListEventDataStores() {
    return { EventDataStores: [] };
  },

  GetEventDataStore(input) {
    throw dataStoreNotFound(input.EventDataStore!);
  },
};
