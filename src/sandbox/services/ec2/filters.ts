/**
 * EC2 `Filter.N.Name/Value.M` semantics: values within a filter are ORed, filters are ANDed,
 * values may use `*` and `?` wildcards, and `tag:<key>`, `tag-key`, `tag-value` work on every
 * resource through the shared tag store.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import { paginate } from '../paging.js';
import { Ec2Errors } from './errors.js';
import type { Ec2State } from './state.js';

/** Filter name -> the value(s) of an item it compares against. */
export type Accessors<T> = Readonly<Record<string, (item: T) => unknown>>;

function toRegex(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
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
    const patterns = (filter.Values ?? []).map(toRegex);
    let get: (item: T) => unknown;
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      get = (item) => state.tags[idOf(item)]?.[key];
    } else if (name === 'tag-key') {
      get = (item) => Object.keys(state.tags[idOf(item)] ?? {});
    } else if (name === 'tag-value') {
      get = (item) => Object.values(state.tags[idOf(item)] ?? {});
    } else {
      const accessor = accessors[name];
      if (!accessor) throw Ec2Errors.invalidFilter(name);
      get = accessor;
    }
    return (item: T) => {
      const actual = values(get(item));
      return patterns.some((p) => actual.some((v) => p.test(v)));
    };
  });
  return items.filter((item) => tests.every((test) => test(item)));
}

/** EC2 pagination (`MaxResults` / `NextToken`). */
export function page<T>(items: readonly T[], nextToken: string | undefined, maxResults: number | undefined): { items: T[]; NextToken: string | undefined } {
  const p = paginate(items, nextToken, maxResults, 1000, Ec2Errors.invalidNextToken);
  return { items: p.items, NextToken: p.nextToken };
}
