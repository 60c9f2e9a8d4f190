/**
 * Shape normaliser for differential tests: reduces an SDK v3 result (or error) to what must agree
 * between two AWS-compatible endpoints — keys, value types, list forms, error names and HTTP status
 * classes — and forgets what may legitimately differ: ids, the random parts of ARNs, timestamps,
 * request ids, list lengths and ordering.
 */

/** A normalised value: a type tag, a list form, or an object of shapes. */
export type Shape = string | { list: Shape | 'empty' } | { [key: string]: Shape };

/** What one request produced, normalised. */
export type Outcome =
  | { kind: 'ok'; status: string; shape: Shape }
  | { kind: 'error'; status: string; name: string };

/** One difference between two outcomes: a dotted path (`[]` for list elements) and both sides. */
export interface ShapeDiff {
  path: string;
  moto: string;
  sandbox: string;
}

const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s;

/**
 * The template of an ARN: partition, service and region kept, the account and every name or id
 * after the resource type replaced by placeholders, while the number of path segments and the
 * separators stay. So `arn:aws:ecs:us-east-1:123456789012:task/lab/0f…` from two endpoints
 * compares equal, and differs from the old format `task/0f…`.
 */
export function arnTemplate(arn: string): string {
  const m = ARN.exec(arn);
  if (!m) return 'arn:{malformed}';
  const [, partition, service, region, account, resource] = m as unknown as [string, string, string, string, string, string];
  const parts = resource.split(/([/:])/);
  const out = parts.map((part, i) => {
    if (i === 0 || part === '/' || part === ':' || part === '*' || part === '') return part;
    return /^[0-9]+$/.test(part) && parts[i - 1] === ':' ? '{n}' : '{name}';
  });
  const owner = account === '' ? '' : /^[0-9]{12}$/.test(account) ? '{account}' : account;
  return `arn:${partition}:${service}:${region}:${owner}:${out.join('')}`;
}

const ID_KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z]+-[0-9a-f]{8,17})$/i;

function stringShape(value: string): string {
  if (value.startsWith('arn:')) return arnTemplate(value);
  // IAM returns policy documents URL-encoded (RFC 3986); a decoded document is a different wire form.
  if (value.startsWith('%7B')) return 'string(urlencoded-json)';
  if (/^\s*\{/.test(value)) return 'string(json)';
  return 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** Merges two shapes of elements of the same list (union of keys; conflicting scalars joined with `|`). */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (typeof a === 'string' || typeof b === 'string') {
    if (a === b) return a;
    const parts = new Set([...String(typeof a === 'string' ? a : 'object').split('|'), ...String(typeof b === 'string' ? b : 'object').split('|')]);
    return [...parts].sort().join('|');
  }
  if ('list' in a && 'list' in b && Object.keys(a).length === 1 && Object.keys(b).length === 1) {
    if (a.list === 'empty') return b;
    if (b.list === 'empty') return a;
    return { list: mergeShapes(a.list as Shape, b.list as Shape) };
  }
  const out: Record<string, Shape> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = (a as Record<string, Shape>)[key];
    const y = (b as Record<string, Shape>)[key];
    out[key] = x === undefined ? y! : y === undefined ? x : mergeShapes(x, y);
  }
  return out;
}

/** The shape of a value. `undefined` members are dropped (the SDK's way of saying "absent"). */
export function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (value instanceof Date) return 'timestamp';
  if (value instanceof Uint8Array) return 'blob';
  if (Array.isArray(value)) {
    if (value.length === 0) return { list: 'empty' };
    return { list: value.map(shapeOf).reduce(mergeShapes) };
  }
  if (isPlainObject(value)) {
    const out: Record<string, Shape> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === '$metadata' || value[key] === undefined) continue;
      // Map keys that are ids (Secrets Manager's version-id -> stages) are data, not shape.
      const name = ID_KEY.test(key) ? '{id}' : key;
      const shape = shapeOf(value[key]);
      out[name] = out[name] === undefined ? shape : mergeShapes(out[name]!, shape);
    }
    return out;
  }
  if (typeof value === 'string') return stringShape(value);
  return typeof value;
}

function isList(shape: Shape): shape is { list: Shape | 'empty' } {
  return typeof shape === 'object' && 'list' in shape && Object.keys(shape).length === 1;
}

function describe(shape: Shape | undefined): string {
  if (shape === undefined) return 'absent';
  if (typeof shape === 'string') return shape;
  if (isList(shape)) return shape.list === 'empty' ? 'empty list' : 'list';
  return 'structure';
}

/** Differences between the moto shape and the sandbox shape, with paths. */
export function diffShapes(moto: Shape | undefined, sandbox: Shape | undefined, path = ''): ShapeDiff[] {
  if (moto === undefined && sandbox === undefined) return [];
  if (moto === undefined || sandbox === undefined) return [{ path, moto: describe(moto), sandbox: describe(sandbox) }];
  if (typeof moto === 'string' || typeof sandbox === 'string') {
    return moto === sandbox ? [] : [{ path, moto: describe(moto), sandbox: describe(sandbox) }];
  }
  if (isList(moto) || isList(sandbox)) {
    if (!isList(moto) || !isList(sandbox)) return [{ path, moto: describe(moto), sandbox: describe(sandbox) }];
    // An empty list on one side and a filled one on the other is a data difference, not a shape one.
    if (moto.list === 'empty' || sandbox.list === 'empty') return [];
    return diffShapes(moto.list as Shape, sandbox.list as Shape, `${path}[]`);
  }
  const diffs: ShapeDiff[] = [];
  for (const key of [...new Set([...Object.keys(moto), ...Object.keys(sandbox)])].sort()) {
    diffs.push(...diffShapes(moto[key], sandbox[key], path ? `${path}.${key}` : key));
  }
  return diffs;
}

/** The HTTP status class of an SDK result or error (`2xx`, `4xx`, `5xx`, or `none` for a client-side failure). */
export function statusClass(status: number | undefined): string {
  return status === undefined ? 'none' : `${Math.floor(status / 100)}xx`;
}

/** Normalises what an SDK v3 `send` resolved or rejected with. */
export function outcomeOf(result: { ok: true; value: unknown } | { ok: false; error: unknown }): Outcome {
  if (result.ok) {
    const status = (result.value as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
    return { kind: 'ok', status: statusClass(status), shape: shapeOf(result.value) };
  }
  const error = result.error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return { kind: 'error', status: statusClass(error.$metadata?.httpStatusCode), name: error.name ?? 'Error' };
}

/** Differences between two outcomes: kind, error name, status class, then the shapes. */
export function diffOutcomes(moto: Outcome, sandbox: Outcome): ShapeDiff[] {
  const label = (o: Outcome) => (o.kind === 'ok' ? `ok ${o.status}` : `${o.name} ${o.status}`);
  if (moto.kind !== sandbox.kind) return [{ path: '(outcome)', moto: label(moto), sandbox: label(sandbox) }];
  if (moto.kind === 'error' && sandbox.kind === 'error') {
    return moto.name === sandbox.name && moto.status === sandbox.status ? [] : [{ path: '(outcome)', moto: label(moto), sandbox: label(sandbox) }];
  }
  const diffs: ShapeDiff[] = [];
  if (moto.status !== sandbox.status) diffs.push({ path: '(status)', moto: moto.status, sandbox: sandbox.status });
  if (moto.kind === 'ok' && sandbox.kind === 'ok') diffs.push(...diffShapes(moto.shape, sandbox.shape));
  return diffs;
}
