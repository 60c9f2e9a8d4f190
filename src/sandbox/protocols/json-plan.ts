/**
 * A compiled awsJson1_1 output writer. The SDK's JsonShapeSerializer walks every member of every
 * structure schema for each value it writes (an ECS Service has about forty), which made response
 * encoding the largest cost of a DescribeServices call. Here each schema is turned once into a
 * plan - for a structure, a map from member name to the member's plan - and a value is written by
 * walking the keys it actually has, straight to JSON text. The output is what the SDK writer produces (a differential
 * test compares the two over generated values of every output shape); shapes this writer does not
 * handle (big numbers, JSON media types, sparse collections, idempotency
 * tokens) make `compileOutput` return undefined, and the caller keeps using the SDK codec.
 */
import type { NormalizedSchema } from '@smithy/core/schema';
import { isPlainRecord, scalarJson } from '../json-text.js';

type Plan =
  | { readonly k: 'struct'; members: Map<string, Member>; writer?: StructWriter }
  | { readonly k: 'list'; item: Plan }
  | { readonly k: 'map'; value: Plan }
  | { readonly k: 'timestamp'; readonly format: 5 | 6 | 7 }
  | { readonly k: 'blob' }
  | { readonly k: 'document' }
  | { readonly k: 'number' }
  | { readonly k: 'plain' };

type StructWriter = (value: object) => string;

let generatedWriters = true;

/** Whether structure writers compiled from now on are generated code (tests cover both paths). */
export function useGeneratedWriters(on: boolean): void {
  generatedWriters = on;
}

/** A structure member: its plan and its `"name":` prefix, written once. */
interface Member {
  readonly plan: Plan;
  readonly key: string;
}

const PLAIN: Plan = { k: 'plain' };
const NUMBER: Plan = { k: 'number' };
const BLOB: Plan = { k: 'blob' };
const DOCUMENT: Plan = { k: 'document' };

class Unsupported extends Error {}

/** Compiled plans by schema object (recursive shapes reuse their plan while it is being built). */
const plans = new WeakMap<object, Plan>();

/**
 * @param building plans made by this compilation, published to `plans` only once all of it
 * succeeded (a structure abandoned half-way must never be found by a later compilation)
 */
function planOf(ns: NormalizedSchema, building: Map<object, Plan>): Plan {
  const traits = ns.getMergedTraits() as { sparse?: unknown; mediaType?: string };
  // A union is written as a structure with one member set (handlers never hold `$unknown`).
  if (ns.isStructSchema()) {
    const key = ns.getSchema() as unknown;
    const cacheable = typeof key === 'object' && key !== null;
    const cached = cacheable ? (plans.get(key) ?? building.get(key)) : undefined;
    if (cached) return cached;
    const plan: Plan = { k: 'struct', members: new Map() };
    if (cacheable) building.set(key, plan);
    for (const [name, member] of ns.structIterator()) {
      if (member.isIdempotencyToken()) throw new Unsupported();
      plan.members.set(name, { plan: planOf(member, building), key: `${JSON.stringify(name)}:` });
    }
    return plan;
  }
  if (ns.isListSchema() || ns.isMapSchema()) {
    if (traits.sparse) throw new Unsupported();
    const value = planOf(ns.getValueSchema(), building);
    return ns.isListSchema() ? { k: 'list', item: value } : { k: 'map', value };
  }
  if (ns.isDocumentSchema()) return DOCUMENT;
  if (ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) throw new Unsupported();
  if (ns.isTimestampSchema()) {
    const schema = ns.getSchema() as unknown;
    return { k: 'timestamp', format: schema === 5 || schema === 6 ? schema : 7 };
  }
  if (ns.isBlobSchema()) return BLOB;
  if (ns.isStringSchema() && traits.mediaType) {
    const json = traits.mediaType === 'application/json' || traits.mediaType.endsWith('+json');
    if (json) throw new Unsupported();
  }
  if (ns.isNumericSchema()) return NUMBER;
  return PLAIN;
}

/**
 * The JSON text of `value` written by `plan`, or undefined when nothing is written (an absent
 * value). Text is built directly, without an intermediate copy of the value: members in the
 * value's own key order, as JSON.stringify of such a copy would give.
 */
function write(plan: Plan, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (plan.k) {
    case 'struct':
      if (typeof value !== 'object') return JSON.stringify(value);
      plan.writer ??= structWriter(plan);
      return plan.writer(value);
    case 'list': {
      if (!Array.isArray(value)) return JSON.stringify(value);
      let out = '';
      for (const item of value as unknown[]) {
        if (item === null || item === undefined) continue;
        // An item that writes nothing is null in a JSON array, as JSON.stringify writes it.
        const written = write(plan.item, item) ?? 'null';
        out += out === '' ? written : `,${written}`;
      }
      return `[${out}]`;
    }
    case 'map': {
      if (typeof value !== 'object') return JSON.stringify(value);
      let out = '';
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        if (item === null || item === undefined) continue;
        const written = write(plan.value, item);
        if (written === undefined) continue;
        out += `${out === '' ? '' : ','}${scalarJson(key)}:${written}`;
      }
      return `{${out}}`;
    }
    case 'timestamp':
      if (!(value instanceof Date)) return JSON.stringify(value);
      if (plan.format === 7) return scalarJson(value.getTime() / 1000);
      if (plan.format === 5) return JSON.stringify(value.toISOString().replace('.000Z', 'Z'));
      return JSON.stringify(value.toUTCString());
    case 'blob':
      if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
      if (typeof value === 'string') return JSON.stringify(Buffer.from(value, 'utf8').toString('base64'));
      return JSON.stringify(value);
    case 'number':
      return typeof value === 'number' && !Number.isFinite(value) ? JSON.stringify(String(value)) : scalarJson(value);
    case 'document':
      return JSON.stringify(writeDocument(value));
    default:
      return scalarJson(value);
  }
}

/** A structure written by walking the keys the value has (where code cannot be generated). */
function walkStruct(plan: Extract<Plan, { k: 'struct' }>): StructWriter {
  return (value) => {
    let out = '';
    for (const name of Object.keys(value)) {
      const member = plan.members.get(name);
      if (!member) continue;
      const written = write(member.plan, (value as Record<string, unknown>)[name]);
      if (written === undefined) continue;
      out += out === '' ? member.key + written : `,${member.key}${written}`;
    }
    return `{${out}}`;
  };
}

/**
 * A structure writer generated as code, one statement per member in model order: plain property
 * reads and the common scalars written in place, which is several times faster than walking a
 * map per value (DescribeServices writes ten services of some forty members each). The code is
 * built from the SDK model's member names only (quoted with JSON.stringify), never from request
 * data. Where generating code is not allowed (--disallow-code-generation-from-strings), the
 * writer walks the value's keys instead.
 */
function structWriter(plan: Extract<Plan, { k: 'struct' }>): StructWriter {
  if (!generatedWriters) return walkStruct(plan);
  const nested: ((value: unknown) => string | undefined)[] = [];
  const lines: string[] = ['let s = "";', 'let x, w;'];
  for (const [name, member] of plan.members) {
    const quoted = JSON.stringify(name);
    // A member named like an Object.prototype property is read only when the value has it.
    const read = name in Object.prototype ? `(Object.hasOwn(v, ${quoted}) ? v[${quoted}] : undefined)` : `v[${quoted}]`;
    const key = JSON.stringify(member.key);
    const m = member.plan;
    let written: string;
    if (m.k === 'plain') written = 'Q(x)';
    else if (m.k === 'timestamp' && m.format === 7) written = '(x instanceof Date ? Q(x.getTime() / 1000) : Q(x))';
    else if (m.k === 'number') written = '(typeof x === "number" && !Number.isFinite(x) ? JSON.stringify(String(x)) : Q(x))';
    else {
      nested.push((value) => write(m, value));
      written = `W[${nested.length - 1}](x)`;
    }
    lines.push(`x = ${read}; if (x !== undefined && x !== null) { w = ${written}; if (w !== undefined) s += s === "" ? ${key} + w : "," + ${key} + w; }`);
  }
  lines.push('return "{" + s + "}";');
  try {
    const make = new Function('W', 'Q', `return function writeStruct(v) {\n${lines.join('\n')}\n};`) as (w: typeof nested, q: typeof scalarJson) => StructWriter;
    return make(nested, scalarJson);
  } catch {
    return walkStruct(plan);
  }
}

/** A document (free-form JSON) member, as the SDK writes one; big numbers need the SDK writer. */
function writeDocument(value: unknown): unknown {
  if (typeof value === 'bigint') throw new Unsupported();
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map((item) => writeDocument(item));
  if (!isPlainRecord(value)) throw new Unsupported();
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, { value: writeDocument((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A writer for an output structure, or undefined when its shapes need the SDK's own writer; the
 * writer itself returns undefined for a value it cannot write (a big number inside a document).
 */
export function compileOutput(ns: NormalizedSchema): ((value: unknown) => string | undefined) | undefined {
  let plan: Plan;
  const building = new Map<object, Plan>();
  try {
    plan = planOf(ns, building);
    for (const [key, built] of building) plans.set(key, built);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return (value) => {
    try {
      return write(plan, value) ?? '{}';
    } catch (error) {
      if (error instanceof Unsupported) return undefined;
      throw error;
    }
  };
}
