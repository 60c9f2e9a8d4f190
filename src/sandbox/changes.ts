/**
 * What one request changed in sandbox state, so that only that is written to disk.
 *
 * Handlers mutate state records in place. During a mutating request they see each service's
 * state through tracking views (proxies): a read that hands out a value the handler could change
 * in place (a record, a list, a Date; not a string, number or boolean), a write and a delete each
 * mark a path, at most {@link MAX_DEPTH}
 * keys below the service root. Marking on read is conservative - a record read is recorded even
 * if it was not changed - which keeps the scheme correct for in-place changes of any depth while a
 * request touches only a handful of paths. At the end of the request each marked path becomes one
 * journal record holding that path's final value (or its deletion): replaying the records in
 * any order over the previous state gives the new state, and replaying them twice changes
 * nothing, which makes crash recovery (store.ts) simple.
 */
import { isPlainRecord } from './json-text.js';
import { clonePlain } from './services/clone.js';

/** Paths are marked at most this many keys below the service root (e.g. map -> family -> revision). */
export const MAX_DEPTH = 3;


/** One change: the final value at `path` under a service's state, or its deletion. */
export interface ChangeRecord {
  /** Region, or null for a global service (IAM, STS). */
  readonly r: string | null;
  /** Service state name. */
  readonly s: string;
  /** Keys from the service root; [] replaces the whole service state. */
  readonly p: readonly string[];
  /** The value (absent when deleted). */
  readonly v?: unknown;
  /** 1 when the path was deleted. */
  readonly d?: 1;
}

interface Tracked {
  readonly owner: string;
  readonly region: string | null;
  readonly service: string;
  readonly root: object;
  whole: boolean;
  /** Marked paths, joined with NUL. */
  readonly paths: Set<string>;
  view?: object;
}

const SEP = '\u0000';

/**
 * Read through a tracking view, this key gives the raw object the view stands for; any other
 * object has no such member. A symbol the views answer, rather than a WeakMap of views: making a
 * view is on the path of every changing request, and a weak-table insertion cost more than the
 * proxy itself.
 */
const RAW: unique symbol = Symbol('ecs-lab.raw-state');

/** The raw object behind a tracking view, or undefined for anything else. */
export function rawOf(value: unknown): object | undefined {
  return typeof value === 'object' && value !== null ? ((value as { [RAW]?: object })[RAW] ?? undefined) : undefined;
}

/** Whether a value is a tracking view (state as a mutating request's handler sees it). */
export function isTrackingView(value: unknown): boolean {
  return rawOf(value) !== undefined;
}

/** Plain records and lists are tracked through; Dates, byte arrays and primitives are leaves. */
function isContainer(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  return Array.isArray(value) || isPlainRecord(value);
}

/** The changes of one request, across the accounts and services it touched. */
export class ChangeTracker {
  private readonly tracked = new Map<string, Tracked>();

  /**
   * The state a handler should use: a tracking view when `track` is set (mutating requests),
   * else the state itself. A state created by this request is recorded whole either way.
   */
  view<T extends object>(owner: string, region: string | null, service: string, state: T, created: boolean, track: boolean): T {
    const key = `${owner}${SEP}${region ?? ''}${SEP}${service}`;
    let t = this.tracked.get(key);
    if (!t) {
      t = { owner, region, service, root: state, whole: false, paths: new Set() };
      this.tracked.set(key, t);
    }
    if (created) t.whole = true;
    if (!track) return state;
    t.view ??= this.wrapView(t, state, []);
    return t.view as T;
  }

  /** Whether anything needs writing. */
  get empty(): boolean {
    for (const t of this.tracked.values()) if (t.whole || t.paths.size > 0) return false;
    return true;
  }

  /** The records to persist, per owning account. */
  records(): Map<string, ChangeRecord[]> {
    const out = new Map<string, ChangeRecord[]>();
    for (const t of this.tracked.values()) {
      if (!t.whole && t.paths.size === 0) continue;
      const list = out.get(t.owner) ?? [];
      out.set(t.owner, list);
      if (t.whole) {
        list.push({ r: t.region, s: t.service, p: [], v: t.root });
        continue;
      }
      const paths = [...t.paths].map((p) => p.split(SEP));
      const marked = t.paths;
      const lengths: ChangeRecord[] = [];
      for (const path of paths) {
        // A marked ancestor's record carries this path's value already.
        let covered = false;
        for (let i = 1; i < path.length && !covered; i++) covered = marked.has(path.slice(0, i).join(SEP));
        if (covered) continue;
        const record = resolve(t, path);
        // List lengths go last so that they truncate after the elements are written.
        (path[path.length - 1] === 'length' ? lengths : list).push(record);
      }
      list.push(...lengths);
    }
    return out;
  }

  /** A tracking view of `target`, found at `path` under the service root (for ViewHandler too). */
  wrapView(t: Tracked, target: object, path: readonly string[]): object {
    return new Proxy(target, new ViewHandler(this, t, path));
  }

  /**
   * Replaces views inside a value about to be stored by copies of the records they stand for.
   * A copy, not the record itself: state stored at two paths would be one object in memory but
   * two on disk, and a later change through one path would then be lost for the other.
   */
  unwrap(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    // A view must never be stored inside state.
    const raw = rawOf(value);
    if (raw) return clonePlain(raw);
    if (!isContainer(value)) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const inner: unknown = value[i];
        if (inner !== null && typeof inner === 'object') value[i] = this.unwrap(inner);
      }
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const inner = record[key];
      if (inner !== null && typeof inner === 'object') {
        const replaced = this.unwrap(inner);
        if (replaced !== inner) Object.defineProperty(record, key, { value: replaced, writable: true, enumerable: true, configurable: true });
      }
    }
    return value;
  }
}

/** The record for one marked path: its current value, or the deletion of its first missing key. */
function resolve(t: Tracked, path: readonly string[]): ChangeRecord {
  let node: unknown = t.root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) {
      return { r: t.region, s: t.service, p: path.slice(0, i + 1), d: 1 };
    }
    node = (node as Record<string, unknown>)[key];
  }
  return { r: t.region, s: t.service, p: path, v: node };
}

/**
 * Applies journal records to a service bag (`account.regional[region]` or `account.global`).
 * @returns false when a record's parent path does not exist (a journal that does not match its
 * snapshot); the record is then skipped.
 */
export function applyRecord(bag: Record<string, unknown>, record: ChangeRecord): boolean {
  if (record.p.length === 0) {
    if (record.d) delete bag[record.s];
    else define(bag, record.s, record.v);
    return true;
  }
  let node: unknown = bag[record.s];
  for (let i = 0; i < record.p.length - 1; i++) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[record.p[i]!];
  }
  if (node === null || typeof node !== 'object') return false;
  const key = record.p[record.p.length - 1]!;
  if (Array.isArray(node) && key === 'length') {
    node.length = record.v as number;
  } else if (record.d) {
    delete (node as Record<string, unknown>)[key];
  } else {
    define(node, key, record.v);
  }
  return true;
}

/** Assignment that is safe for any key (`__proto__` included). */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The traps of one tracking view: one object per view, with the trap functions shared by all
 * views (a view per record a mutating request reads is made on every such request).
 */
class ViewHandler implements ProxyHandler<object> {
  private children: Map<string, object> | undefined;
  /** The view's path joined with NUL and ending in one, so a marked key is `prefix + key`. */
  private readonly prefix: string;

  constructor(
    private readonly tracker: ChangeTracker,
    private readonly t: Tracked,
    private readonly path: readonly string[],
  ) {
    this.prefix = path.length === 0 ? '' : `${path.join(SEP)}${SEP}`;
  }

  private mark(prop: string): void {
    this.t.paths.add(this.prefix + prop);
    this.children?.delete(prop);
  }

  get(obj: object, prop: string | symbol, receiver: unknown): unknown {
    if (prop === RAW) return obj;
    if (typeof prop === 'symbol' || !Object.hasOwn(obj, prop)) return Reflect.get(obj, prop, receiver);
    const value = (obj as Record<string, unknown>)[prop];
    if (prop === 'length' && Array.isArray(obj)) return value;
    if (isContainer(value) && this.path.length + 1 < MAX_DEPTH) {
      this.children ??= new Map();
      let wrapped = this.children.get(prop);
      if (!wrapped) {
        wrapped = this.tracker.wrapView(this.t, value, [...this.path, prop]);
        this.children.set(prop, wrapped);
      }
      return wrapped;
    }
    // A primitive cannot be changed in place: reading one changes nothing, so it is not marked
    // (a scan that reads a field of every record would otherwise journal them all).
    if (value === null || typeof value !== 'object') return value;
    this.t.paths.add(this.prefix + prop);
    return value;
  }

  set(obj: object, prop: string | symbol, value: unknown): boolean {
    if (typeof prop === 'string') this.mark(prop);
    return Reflect.set(obj, prop, this.tracker.unwrap(value));
  }

  defineProperty(obj: object, prop: string | symbol, descriptor: PropertyDescriptor): boolean {
    if (typeof prop === 'string') this.mark(prop);
    return Reflect.defineProperty(obj, prop, 'value' in descriptor ? { ...descriptor, value: this.tracker.unwrap(descriptor.value) } : descriptor);
  }

  deleteProperty(obj: object, prop: string | symbol): boolean {
    if (typeof prop === 'string') this.mark(prop);
    return Reflect.deleteProperty(obj, prop);
  }
}
