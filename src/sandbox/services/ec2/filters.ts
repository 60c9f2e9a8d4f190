/**
 * EC2 `Filter.N.Name/Value.M` semantics: values within a filter are ORed, filters are ANDed,
 * values may use `*` and `?` wildcards, and `tag:<key>`, `tag-key`, `tag-value` work on every
 * resource through the shared tag store.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import type { AwsError } from '../../errors.js';
import { paginate } from '../paging.js';
import { Ec2Errors } from './errors.js';
import type { Ec2State } from './state.js';

/** Filter name -> the value(s) of an item it compares against. */
export type Accessors<T> = Readonly<Record<string, (item: T) => unknown>>;

/**
 * Whether `text` matches `pattern` (`*` any run, `?` any one character). Greedy with one
 * backtrack point, so O(pattern × text) at worst: a regular expression built from the pattern
 * backtracks exponentially on inputs such as `*a*a*a*…b`, which a filter value may be.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function values(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw.flatMap(values);
  return [String(raw)];
}

/**
 * Applies EC2 filters.
 * @param idOf the resource id, for tag filters.
 * @throws InvalidParameterValue for a filter name the resource does not support.
 */
export function applyFilters<T>(state: Ec2State, items: readonly T[], filters: readonly Filter[] | undefined, accessors: Accessors<T>, idOf: (item: T) => string): T[] {
  if (!filters || filters.length === 0) return [...items];
  const tests = filters.map((filter) => {
    const name = filter.Name ?? '';
    const patterns = filter.Values ?? [];
    let get: (item: T) => unknown;
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      get = (item) => state.tags[idOf(item)]?.[key];
    } else if (name === 'tag-key') {
      get = (item) => Object.keys(state.tags[idOf(item)] ?? {});
    } else if (name === 'tag-value') {
      get = (item) => Object.values(state.tags[idOf(item)] ?? {});
    } else {
      const accessor = Object.hasOwn(accessors, name) ? accessors[name] : undefined;
      if (!accessor) throw Ec2Errors.invalidFilter(name);
      get = accessor;
    }
    return (item: T) => {
      const actual = values(get(item));
      return patterns.some((p) => actual.some((v) => globMatch(p, v)));
    };
  });
  return items.filter((item) => tests.every((test) => test(item)));
}

/** EC2 pagination (`MaxResults` / `NextToken`). */
export function page<T>(items: readonly T[], nextToken: string | undefined, maxResults: number | undefined): { items: T[]; NextToken: string | undefined } {
  const p = paginate(items, nextToken, maxResults, 1000, Ec2Errors.invalidNextToken);
  return { items: p.items, NextToken: p.nextToken };
}

/**
 * The items a describe call names by id (`RouteTableIds`, …), in the order named, or every item
 * when it names none.
 * @throws `notFound(id)` for the first id no item has.
 */
export function byIds<T>(items: readonly T[], ids: readonly string[] | undefined, idOf: (item: T) => string | undefined, notFound: (id: string) => AwsError): T[] {
  if (!ids?.length) return [...items];
  const known = new Map(items.map((item) => [idOf(item), item]));
  return [...new Set(ids)].map((id) => {
    const item = known.get(id);
    if (item === undefined) throw notFound(id);
    return item;
  });
}
