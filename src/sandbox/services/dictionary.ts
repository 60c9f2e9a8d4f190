import { rawOf } from '../changes.js';

/**
 * State maps are keyed by names the client chooses (a cluster, role or tag may be called
 * `constructor` or `__proto__`), so they must not inherit from Object.prototype: a lookup of
 * `constructor` would find a function, and an assignment to `__proto__` would replace the
 * prototype (for a map keyed by principal ARN, of every object in the process).
 */

/**
 * Makes the named members of a service's state prototype-less dictionaries, in place. State
 * revived from disk comes back with ordinary prototypes, so this runs on every access; it costs a
 * prototype check per map once converted. A tracking view (changes.ts) is checked through the
 * raw state behind it: a prototype is not state that is written to disk, and reading every map
 * through the view would make a view of each.
 */
export function asDictionaries<T extends object>(state: T, keys: readonly (keyof T)[]): T {
  const target = (rawOf(state) ?? state) as T;
  for (const key of keys) {
    const map = target[key];
    if (map !== null && typeof map === 'object' && Object.getPrototypeOf(map) !== null) Object.setPrototypeOf(map, null);
  }
  return state;
}

/** `map[key]` when `key` is the map's own key (never an inherited member). */
export function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * A service state with the maps that a newer sandbox added to it, for state saved before they
 * existed. A changing request adds them through its tracking view (so that they are persisted
 * before anything is stored inside them); a reading request must not change state, so it gets a
 * copy of the root with empty maps instead.
 */
export function withMaps<T extends object>(ctx: { readonly readOnly: boolean }, state: T, keys: readonly (keyof T)[]): T {
  const missing = keys.filter((key) => state[key] === undefined);
  if (missing.length === 0) return state;
  const target = ctx.readOnly ? { ...state } : state;
  for (const key of missing) (target as Record<keyof T, unknown>)[key] = Object.create(null) as object;
  return target;
}
