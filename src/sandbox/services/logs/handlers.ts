/** CloudWatch Logs log groups: create, delete, describe, retention and tags (ARN and legacy name forms). Streams and events: streams.ts. */
import type { CloudWatchLogs, LogGroupClass } from '@aws-sdk/client-cloudwatch-logs';
import { paginate } from '../paging.js';
import type { HandlerMap, RequestContext } from '../types.js';
import { LogsErrors } from './errors.js';
import type { LogGroupRecord } from './state.js';
import { checkLimit, checkName, getLogGroup, logsState, mergeTags, parseLogGroupArn, presentLogGroup } from './state.js';

/** Retention periods CloudWatch Logs accepts. */
const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const CLASSES: readonly string[] = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];

/** The log group an ARN names (`arn:aws:logs:<region>:<account>:log-group:<name>`, optionally `:*`). */
function groupByArn(ctx: RequestContext, arn: string | undefined): LogGroupRecord {
  const parsed = parseLogGroupArn(arn ?? '');
  if (!parsed) throw LogsErrors.invalidParameter(`The specified resource ARN is not valid: ${arn ?? ''}`);
  if (parsed.region !== ctx.region || parsed.account !== ctx.account) throw LogsErrors.notFound();
  return getLogGroup(logsState(ctx), parsed.name);
}

function byName(a: LogGroupRecord, b: LogGroupRecord): number {
  return a.logGroupName < b.logGroupName ? -1 : a.logGroupName > b.logGroupName ? 1 : 0;
}

/** Log group operations. */
export const logsHandlers: HandlerMap<CloudWatchLogs> = {
  CreateLogGroup(input, ctx) {
    const state = logsState(ctx);
    const name = checkName(input.logGroupName);
    if (state.groups[name]) throw LogsErrors.alreadyExists();
    if (input.logGroupClass !== undefined && !CLASSES.includes(input.logGroupClass)) {
      throw LogsErrors.invalidParameter(`Invalid log group class ${input.logGroupClass}.`);
    }
    state.groups[name] = {
      logGroupName: name,
      creationTime: ctx.now.getTime(),
      retentionInDays: undefined,
      kmsKeyId: input.kmsKeyId,
      logGroupClass: (input.logGroupClass ?? 'STANDARD') as LogGroupClass,
      tags: mergeTags({}, input.tags),
    };
    return {};
  },

  DeleteLogGroup(input, ctx) {
    const state = logsState(ctx);
    const group = getLogGroup(state, input.logGroupName);
    delete state.groups[group.logGroupName];
    // Its streams and their events, and its metric filters, go with it.
    delete state.streams[group.logGroupName];
    delete state.metricFilters[group.logGroupName];
    return {};
  },

  DescribeLogGroups(input, ctx) {
    if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
      throw LogsErrors.invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    }
    checkLimit(input.limit, 50);
    const identifiers = (input.logGroupIdentifiers ?? []).map((id) => parseLogGroupArn(id)?.name ?? id);
    // logGroupNamePattern is a case-sensitive substring match.
    const pattern = input.logGroupNamePattern;
    const state = logsState(ctx);
    const groups = Object.values(state.groups)
      .filter((g) => input.logGroupNamePrefix === undefined || g.logGroupName.startsWith(input.logGroupNamePrefix))
      .filter((g) => pattern === undefined || g.logGroupName.includes(pattern))
      .filter((g) => identifiers.length === 0 || identifiers.includes(g.logGroupName))
      .filter((g) => input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass)
      .sort(byName);
    const page = paginate(groups, input.nextToken, input.limit, 50, LogsErrors.invalidNextToken);
    return { logGroups: page.items.map((g) => presentLogGroup(ctx, state, g)), nextToken: page.nextToken };
  },

  PutRetentionPolicy(input, ctx) {
    const group = getLogGroup(logsState(ctx), input.logGroupName);
    const days = input.retentionInDays ?? 0;
    if (!RETENTION_DAYS.includes(days)) {
      throw LogsErrors.invalidParameter(`1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
    }
    group.retentionInDays = days;
    return {};
  },

  DeleteRetentionPolicy(input, ctx) {
    getLogGroup(logsState(ctx), input.logGroupName).retentionInDays = undefined;
    return {};
  },

  TagResource(input, ctx) {
    const group = groupByArn(ctx, input.resourceArn);
    group.tags = mergeTags(group.tags, input.tags);
    return {};
  },

  UntagResource(input, ctx) {
    const group = groupByArn(ctx, input.resourceArn);
    for (const key of input.tagKeys ?? []) delete group.tags[key];
    return {};
  },

  ListTagsForResource(input, ctx) {
    return { tags: { ...groupByArn(ctx, input.resourceArn).tags } };
  },

  TagLogGroup(input, ctx) {
    const group = getLogGroup(logsState(ctx), input.logGroupName);
    group.tags = mergeTags(group.tags, input.tags);
    return {};
  },

  UntagLogGroup(input, ctx) {
    const group = getLogGroup(logsState(ctx), input.logGroupName);
    for (const key of input.tags ?? []) delete group.tags[key];
    return {};
  },

  ListTagsLogGroup(input, ctx) {
    return { tags: { ...getLogGroup(logsState(ctx), input.logGroupName).tags } };
  },
};
