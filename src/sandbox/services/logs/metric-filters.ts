/**
 * Metric filters (the CloudTrail-to-CloudWatch alarm pattern): Put, Describe, Delete and
 * TestMetricFilter, and DescribeSubscriptionFilters (the sandbox has no subscription filters).
 * The sandbox keeps metric filters but publishes no metrics: there is no CloudWatch metrics
 * service behind them. Deleting a log group deletes its metric filters (handlers.ts).
 *
 * Checks: the pattern parses (patterns.ts; InvalidParameterException "Invalid metric filter
 * pattern", as AWS answers), one metric transformation, and at most
 * {@link MAX_METRIC_FILTERS_PER_GROUP} filters per log group (AWS's quota; LimitExceededException).
 */
import type { CloudWatchLogs, MetricFilter, MetricTransformation } from '@aws-sdk/client-cloudwatch-logs';
import { own } from '../dictionary.js';
import { paginate } from '../paging.js';
import type { HandlerMap } from '../types.js';
import { LogsErrors } from './errors.js';
import { compilePattern, patternMatcher } from './patterns.js';
import type { LogsState, MetricFilterRecord } from './state.js';
import { checkLimit, getLogGroup, logsState } from './state.js';

/** AWS's quota of metric filters per log group. */
export const MAX_METRIC_FILTERS_PER_GROUP = 100;

/** A model constraint failure, worded as AWS words them. */
function constraint(value: string, member: string, rule: string): never {
  throw LogsErrors.invalidParameter(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must ${rule}`);
}

function checkFilterName(name: string | undefined): string {
  if (!name || name.length > 512 || /[:*]/.test(name)) constraint(name ?? '', 'filterName', 'satisfy regular expression pattern: [^:*]*');
  return name;
}

function checkTransformations(list: readonly MetricTransformation[] | undefined): MetricTransformation[] {
  if (!list || list.length !== 1) {
    const rule = (list?.length ?? 0) < 1 ? 'have length greater than or equal to 1' : 'have length less than or equal to 1';
    throw LogsErrors.invalidParameter(`1 validation error detected: Value at 'metricTransformations' failed to satisfy constraint: Member must ${rule}`);
  }
  return list.map((t, i) => {
    const at = `metricTransformations.${i + 1}.member`;
    for (const key of ['metricName', 'metricNamespace'] as const) {
      const value = t[key];
      if (!value || value.length > 255 || /[:*$]/.test(value)) constraint(value ?? '', `${at}.${key}`, 'satisfy regular expression pattern: [^:*$]*');
    }
    if (!t.metricValue || t.metricValue.length > 100) constraint(t.metricValue ?? '', `${at}.metricValue`, 'have length between 1 and 100');
    const dimensions = Object.keys(t.dimensions ?? {});
    // AWS's rules; these two messages are the sandbox's (not verified).
    if (dimensions.length > 3) throw LogsErrors.invalidParameter('A metric transformation can have at most 3 dimensions.');
    if (dimensions.length > 0 && t.defaultValue !== undefined) throw LogsErrors.invalidParameter('A metric transformation with dimensions cannot have a default value.');
    return structuredClone(t);
  });
}

function present(groupName: string, f: MetricFilterRecord): MetricFilter {
  return {
    filterName: f.filterName,
    filterPattern: f.filterPattern,
    metricTransformations: structuredClone(f.metricTransformations),
    creationTime: f.creationTime,
    logGroupName: groupName,
    applyOnTransformedLogs: f.applyOnTransformedLogs,
  };
}

function byName<T extends { filterName: string }>(a: T, b: T): number {
  return a.filterName < b.filterName ? -1 : a.filterName > b.filterName ? 1 : 0;
}

/** The filters of one group (an empty map when it has none; not stored until one is put). */
function filtersOf(state: LogsState, groupName: string): Record<string, MetricFilterRecord> {
  return own(state.metricFilters, groupName) ?? (Object.create(null) as Record<string, MetricFilterRecord>);
}

/** Metric filter operations. */
export const metricFilterHandlers: HandlerMap<CloudWatchLogs> = {
  PutMetricFilter(input, ctx) {
    const state = logsState(ctx);
    const group = getLogGroup(state, input.logGroupName);
    const name = checkFilterName(input.filterName);
    const pattern = input.filterPattern ?? '';
    if (pattern.length > 1024) constraint(pattern, 'filterPattern', 'have length less than or equal to 1024');
    compilePattern(pattern, 'metric filter');
    const transformations = checkTransformations(input.metricTransformations);
    const existing = filtersOf(state, group.logGroupName);
    if (!own(existing, name) && Object.keys(existing).length >= MAX_METRIC_FILTERS_PER_GROUP) throw LogsErrors.limitExceeded();
    if (!own(state.metricFilters, group.logGroupName)) state.metricFilters[group.logGroupName] = Object.create(null) as Record<string, MetricFilterRecord>;
    state.metricFilters[group.logGroupName]![name] = {
      filterName: name,
      filterPattern: pattern,
      metricTransformations: transformations,
      // A filter put again under its name keeps its creation time.
      creationTime: own(existing, name)?.creationTime ?? ctx.now.getTime(),
      applyOnTransformedLogs: input.applyOnTransformedLogs ?? false,
    };
    return {};
  },

  DescribeMetricFilters(input, ctx) {
    const state = logsState(ctx);
    checkLimit(input.limit, 50);
    const { metricName, metricNamespace } = input;
    if ((metricName === undefined) !== (metricNamespace === undefined)) {
      // AWS requires the two together; the message is the sandbox's (not verified).
      throw LogsErrors.invalidParameter('metricName and metricNamespace must be specified together.');
    }
    // An unknown log group is ResourceNotFoundException (not verified for this operation).
    const groups = input.logGroupName !== undefined ? [getLogGroup(state, input.logGroupName).logGroupName] : Object.keys(state.metricFilters).sort();
    // filterNamePrefix applies only together with logGroupName, as AWS documents.
    const prefix = input.logGroupName !== undefined ? input.filterNamePrefix : undefined;
    const filters = groups.flatMap((g) =>
      Object.values(filtersOf(state, g))
        .filter((f) => prefix === undefined || f.filterName.startsWith(prefix))
        .filter((f) => metricName === undefined || f.metricTransformations.some((t) => t.metricName === metricName && t.metricNamespace === metricNamespace))
        .sort(byName)
        .map((f) => present(g, f)),
    );
    const page = paginate(filters, input.nextToken, input.limit, 50, LogsErrors.invalidNextToken);
    return { metricFilters: page.items, nextToken: page.nextToken };
  },

  DeleteMetricFilter(input, ctx) {
    const state = logsState(ctx);
    const group = getLogGroup(state, input.logGroupName);
    const name = input.filterName ?? '';
    if (!own(filtersOf(state, group.logGroupName), name)) throw LogsErrors.metricFilterNotFound();
    delete state.metricFilters[group.logGroupName]![name];
    return {};
  },

  TestMetricFilter(input) {
    const messages = input.logEventMessages ?? [];
    if (messages.length < 1 || messages.length > 50) {
      const rule = messages.length < 1 ? 'have length greater than or equal to 1' : 'have length less than or equal to 50';
      throw LogsErrors.invalidParameter(`1 validation error detected: Value at 'logEventMessages' failed to satisfy constraint: Member must ${rule}`);
    }
    const matches = patternMatcher(input.filterPattern, 'metric filter');
    return {
      matches: messages.flatMap((message, i) => (matches(message) ? [{ eventNumber: i + 1, eventMessage: message, extractedValues: {} }] : [])),
    };
  },

  DescribeSubscriptionFilters(input, ctx) {
    getLogGroup(logsState(ctx), input.logGroupName);
    checkLimit(input.limit, 50);
    return { subscriptionFilters: [] };
  },
};
