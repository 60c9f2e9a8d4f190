/**
 * CloudWatch Logs Insights: StartQuery, GetQueryResults, StopQuery and DescribeQueries over the
 * sandbox's stored log events, with the query language subset of insights-query.ts.
 *
 * A query runs when it is started and is `Complete` at once (GetQueryResults never answers
 * `Running`; StopQuery finds nothing to stop). Its results and statistics are kept, as AWS keeps
 * them for seven days, in the account and Region's `logs-insights` state: the newest
 * {@link MAX_QUERIES} queries. Values are strings as AWS returns them; @timestamp and
 * @ingestionTime read `YYYY-MM-DD HH:MM:SS.mmm` (UTC); event rows end with their `@ptr`.
 * Only Logs Insights QL (queryLanguage CWLI) is understood.
 */
import type { CloudWatchLogs, QueryInfo, QueryStatistics, ResultField } from '@aws-sdk/client-cloudwatch-logs';
import { AwsError } from '../../errors.js';
import { asDictionaries, own } from '../dictionary.js';
import { uuid } from '../ids.js';
import { paginate } from '../paging.js';
import type { HandlerMap, RequestContext } from '../types.js';
import { LogsErrors } from './errors.js';
import type { Row, Value } from './insights-query.js';
import { discoverFields, parseQuery, runQuery } from './insights-query.js';
import { getLogGroup, logsState, parseLogGroupArn, streamsOf } from './state.js';

/** One query and its results, as stored. */
export interface QueryRecord {
  queryId: string;
  queryString: string;
  logGroupNames: string[];
  /** Epoch milliseconds. */
  createTime: number;
  status: 'Complete' | 'Cancelled';
  results: ResultField[][];
  statistics: QueryStatistics;
}

/** Insights state of one account and Region. */
export interface InsightsState {
  /** By query id, oldest first. */
  queries: Record<string, QueryRecord>;
}

/** Queries kept per account and Region (the oldest are dropped). */
export const MAX_QUERIES = 50;
/** Rows a query returns when neither the request nor the query limits them (not verified). */
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

function insightsState(ctx: RequestContext): InsightsState {
  return asDictionaries(ctx.state<InsightsState>('logs-insights', () => ({ queries: {} })), ['queries']);
}

// message not verified
const queryNotFound = () => new AwsError('ResourceNotFoundException', 'Query does not exist.');

function timeText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The log group names a StartQuery request names (exactly one of the three members). */
function requestedGroups(ctx: RequestContext, input: { logGroupName?: string; logGroupNames?: string[]; logGroupIdentifiers?: string[] }): string[] {
  const given = [input.logGroupName !== undefined, input.logGroupNames !== undefined, input.logGroupIdentifiers !== undefined].filter(Boolean).length;
  // message not verified
  if (given !== 1) throw LogsErrors.invalidParameter('Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified.');
  const names = input.logGroupName !== undefined ? [input.logGroupName] : (input.logGroupNames ?? input.logGroupIdentifiers ?? []);
  // message not verified
  if (names.length < 1 || names.length > 50) throw LogsErrors.invalidParameter('A query can name 1 to 50 log groups.');
  const state = logsState(ctx);
  return [
    ...new Set(
      names.map((n) => {
        if (!n.startsWith('arn:')) return getLogGroup(state, n).logGroupName;
        const arn = parseLogGroupArn(n);
        if (!arn) throw LogsErrors.invalidParameter(`The specified resource ARN is not valid: ${n}`);
        if (arn.region !== ctx.region || arn.account !== ctx.account) throw LogsErrors.notFound();
        return getLogGroup(state, arn.name).logGroupName;
      }),
    ),
  ];
}

/** The events of the groups within [from, to] (epoch ms) as rows, oldest first, and what was scanned. */
function eventRows(ctx: RequestContext, groups: readonly string[], from: number, to: number): { rows: Row[]; bytes: number } {
  const state = logsState(ctx);
  const rows: Row[] = [];
  let bytes = 0;
  for (const group of groups) {
    for (const stream of Object.values(streamsOf(state, group))) {
      for (const e of stream.events) {
        if (e.timestamp < from || e.timestamp > to) continue;
        bytes += Buffer.byteLength(e.message, 'utf8');
        const row: Row = new Map<string, Value>();
        discoverFields(e.message, row);
        row.set('@timestamp', e.timestamp);
        row.set('@message', e.message);
        row.set('@logStream', stream.logStreamName);
        row.set('@log', `${ctx.account}:${group}`);
        row.set('@ingestionTime', e.ingestionTime);
        row.set('@ptr', Buffer.from(`${ctx.account}:${group}:${stream.logStreamName}:${e.seq}`).toString('base64'));
        rows.push(row);
      }
    }
  }
  rows.sort((a, b) => (a.get('@timestamp') as number) - (b.get('@timestamp') as number));
  return { rows, bytes };
}

function text(field: string, value: Value, timeFields: ReadonlySet<string>): string {
  return typeof value === 'number' && timeFields.has(field) ? timeText(value) : String(value);
}

const DEFAULT_COLUMNS = ['@timestamp', '@message', '@logStream', '@log'];

function presentQuery(q: QueryRecord): QueryInfo {
  return { queryLanguage: 'CWLI', queryId: q.queryId, queryString: q.queryString, status: q.status, createTime: q.createTime, logGroupName: q.logGroupNames[0] };
}

/** Logs Insights operations. */
export const insightsHandlers: HandlerMap<CloudWatchLogs> = {
  StartQuery(input, ctx) {
    if (input.queryLanguage !== undefined && input.queryLanguage !== 'CWLI') {
      throw LogsErrors.invalidParameter(`The sandbox runs Logs Insights QL (CWLI) queries only, not ${input.queryLanguage}.`);
    }
    const groups = requestedGroups(ctx, input);
    const start = input.startTime ?? 0;
    const end = input.endTime ?? 0;
    // message not verified
    if (start > end) throw LogsErrors.invalidParameter('End time must be greater than or equal to start time.');
    if (input.limit !== undefined && (input.limit < 1 || input.limit > MAX_LIMIT)) {
      throw LogsErrors.invalidParameter(`1 validation error detected: Value '${input.limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIMIT}`);
    }
    const commands = parseQuery(input.queryString ?? '');
    const { rows, bytes } = eventRows(ctx, groups, start * 1000, end * 1000 + 999);
    const out = runQuery(commands, rows, input.limit ?? DEFAULT_LIMIT);
    // Time fields: the system ones, and bin() groups (named `bin(…)` or aliased).
    const timeFields = new Set(['@timestamp', '@ingestionTime']);
    for (const c of commands) if (c.kind === 'stats') for (const g of c.by) if (g.binMs !== undefined) timeFields.add(g.name);
    const results = out.rows.map((row) => {
      const columns = out.columns ?? DEFAULT_COLUMNS;
      const fields: ResultField[] = columns.filter((f) => row.has(f)).map((f) => ({ field: f, value: text(f, row.get(f)!, timeFields) }));
      if (!out.aggregated && row.has('@ptr')) fields.push({ field: '@ptr', value: String(row.get('@ptr')) });
      return fields;
    });
    const record: QueryRecord = {
      queryId: uuid(),
      queryString: input.queryString!,
      logGroupNames: groups,
      createTime: ctx.now.getTime(),
      status: 'Complete',
      results,
      statistics: { recordsMatched: out.matched, recordsScanned: rows.length, bytesScanned: bytes, estimatedRecordsSkipped: 0, estimatedBytesSkipped: 0, logGroupsScanned: groups.length },
    };
    const queries = insightsState(ctx).queries;
    queries[record.queryId] = record;
    const ids = Object.keys(queries);
    for (const id of ids.slice(0, Math.max(0, ids.length - MAX_QUERIES))) delete queries[id];
    return { queryId: record.queryId };
  },

  GetQueryResults(input, ctx) {
    const q = own(insightsState(ctx).queries, input.queryId ?? '');
    if (!q) throw queryNotFound();
    return { queryLanguage: 'CWLI', status: q.status, results: structuredClone(q.results), statistics: { ...q.statistics } };
  },

  StopQuery(input, ctx) {
    const q = own(insightsState(ctx).queries, input.queryId ?? '');
    if (!q) throw queryNotFound();
    // Every query completed when it started: there is nothing to stop (not verified against AWS).
    return { success: false };
  },

  DescribeQueries(input, ctx) {
    if (input.maxResults !== undefined && (input.maxResults < 1 || input.maxResults > 1000)) {
      throw LogsErrors.invalidParameter(`1 validation error detected: Value '${input.maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`);
    }
    const queries = Object.values(insightsState(ctx).queries)
      .filter((q) => (input.logGroupName === undefined || q.logGroupNames.includes(input.logGroupName)) && (input.status === undefined || q.status === input.status))
      .reverse();
    const page = paginate(queries, input.nextToken, input.maxResults, 1000, LogsErrors.invalidNextToken);
    return { queries: page.items.map(presentQuery), nextToken: page.nextToken };
  },
};
