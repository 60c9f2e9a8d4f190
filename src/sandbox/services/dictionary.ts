/**
 * State maps are keyed by names the client chooses (a cluster, role or tag may be called
 * `constructor` or `__proto__`), so they must not inherit from Object.prototype: a lookup of
 * `constructor` would find a function, and an assignment to `__proto__` would replace the
 * prototype (for a map keyed by principal ARN, of every object in the process).
 */

/**
 * Makes the named members of a service's state prototype-less dictionaries, in place. State
 * revived from disk comes back with ordinary prototypes, so this runs on every access; it costs a
 * prototype check per map once converted.
 */
export function asDictionaries<T extends object>(state: T, keys: readonly (keyof T)[]): T {
  for (const key of keys) {
    const map = state[key];
    if (map !== null && typeof map === 'object' && Object.getPrototypeOf(map) !== null) Object.setPrototypeOf(map, null);
  }
  return state;
}

/** `map[key]` when `key` is the map's own key (never an inherited member). */
export function own<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
