/**
 * A small path language over Describe* results, so that simple checks can live in
 * scenarios.yaml: `clusters[0].settings[?name==containerInsights].value`.
 *
 * Segments: `.key`, `[n]`, `[*]` (every element), `[?field==value]` / `[?field!=value]` (filter).
 * A path yields a list of values: projections flatten, missing keys yield nothing.
 */
import { z } from 'zod';

type Segment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; field: string; op: '==' | '!='; value: string };

/** Parses a path; throws with the offending position on a syntax error. */
export function parsePath(path: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  const re = {
    key: /^\.?([A-Za-z_$][\w$-]*)/,
    index: /^\[(\d+)\]/,
    all: /^\[\*\]/,
    filter: /^\[\?([A-Za-z_$][\w$.-]*)\s*(==|!=)\s*([^\]]*)\]/,
  };
  while (i < path.length) {
    const rest = path.slice(i);
    let m: RegExpExecArray | null;
    if ((m = re.all.exec(rest))) segs.push({ kind: 'all' });
    else if ((m = re.index.exec(rest))) segs.push({ kind: 'index', index: Number(m[1]) });
    else if ((m = re.filter.exec(rest))) segs.push({ kind: 'filter', field: m[1]!, op: m[2] as '==' | '!=', value: m[3]!.trim().replace(/^['"]|['"]$/g, '') });
    else if ((m = re.key.exec(rest)) && (i === 0 || rest.startsWith('.'))) segs.push({ kind: 'key', key: m[1]! });
    else throw new Error(`invalid path "${path}" at character ${i + 1}`);
    i += m[0].length;
  }
  return segs;
}

function getField(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Evaluates a path against a value; the result is always a list. */
export function selectPath(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const seg of parsePath(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg.kind === 'key') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          const x = (v as Record<string, unknown>)[seg.key];
          if (x !== undefined) next.push(x);
        } else if (Array.isArray(v)) {
          // projecting a key over a list flattens, as JMESPath's `list[*].key` does
          for (const el of v) {
            const x = el !== null && typeof el === 'object' ? (el as Record<string, unknown>)[seg.key] : undefined;
            if (x !== undefined) next.push(x);
          }
        }
      } else if (seg.kind === 'index') {
        if (Array.isArray(v) && seg.index < v.length) next.push(v[seg.index]);
      } else if (seg.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
      } else if (Array.isArray(v)) {
        for (const el of v) {
          const eq = String(getField(el, seg.field)) === seg.value;
          if (seg.op === '==' ? eq : !eq) next.push(el);
        }
      }
    }
    current = next;
  }
  return current;
}

export const OPERATORS = ['eq', 'ne', 'in', 'notIn', 'contains', 'notContains', 'exists', 'absent', 'regex', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'] as const;
export type Operator = (typeof OPERATORS)[number];

export const expectationSchema = z
  .object({
    op: z.enum(OPERATORS).describe('comparison applied to each selected value'),
    value: z.unknown().optional().describe('the expected value (not used by exists/absent/empty/notEmpty)'),
  })
  .strict();
export type Expectation = z.infer<typeof expectationSchema>;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);

/** Applies one operator to one selected value. `exists`/`absent` are handled over the whole selection. */
export function compare(actual: unknown, exp: Expectation): boolean {
  const v = exp.value;
  switch (exp.op) {
    case 'eq':
      return same(actual, v);
    case 'ne':
      return !same(actual, v);
    case 'in':
      return Array.isArray(v) && v.some((x) => same(actual, x));
    case 'notIn':
      return Array.isArray(v) && !v.some((x) => same(actual, x));
    case 'contains':
      return Array.isArray(actual) ? actual.some((x) => same(x, v)) : typeof actual === 'string' && actual.includes(String(v));
    case 'notContains':
      return Array.isArray(actual) ? !actual.some((x) => same(x, v)) : !(typeof actual === 'string' && actual.includes(String(v)));
    case 'regex':
      return typeof actual === 'string' && new RegExp(String(v)).test(actual);
    case 'gt':
      return Number(actual) > Number(v);
    case 'gte':
      return Number(actual) >= Number(v);
    case 'lt':
      return Number(actual) < Number(v);
    case 'lte':
      return Number(actual) <= Number(v);
    case 'empty':
      return actual === '' || (Array.isArray(actual) && actual.length === 0) || (typeof actual === 'object' && actual !== null && Object.keys(actual).length === 0);
    case 'notEmpty':
      return !compare(actual, { op: 'empty' });
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'absent':
      return actual === undefined || actual === null;
  }
}

/** Human wording of an expectation, for messages: "eq 1.4.0" -> "equal to 1.4.0". */
export function describeExpectation(exp: Expectation): string {
  const v = JSON.stringify(exp.value);
  const words: Record<Operator, string> = {
    eq: `equal to ${v}`,
    ne: `different from ${v}`,
    in: `one of ${v}`,
    notIn: `none of ${v}`,
    contains: `containing ${v}`,
    notContains: `not containing ${v}`,
    exists: 'present',
    absent: 'absent',
    regex: `matching /${String(exp.value)}/`,
    gt: `greater than ${v}`,
    gte: `at least ${v}`,
    lt: `less than ${v}`,
    lte: `at most ${v}`,
    empty: 'empty',
    notEmpty: 'not empty',
  };
  return words[exp.op];
}
