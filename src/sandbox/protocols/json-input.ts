/**
 * A compiled awsJson1_1 input reader: the type checks of `json.ts` and the SDK's JSON shape
 * deserializer in one walk over a parsed request body. The SDK reader builds a NormalizedSchema
 * for every member of every structure on each request, which made decoding a small
 * DescribeServices input cost as much as its handler.
 *
 * The reader takes only the common path (strings, booleans, finite numbers, epoch-seconds
 * timestamps, lists, maps, structures, documents) and throws {@link Fallback} at anything else
 * - a null inside a list, a wrong JSON type, a blob, a union value, a `__type` member, nesting
 * deeper than the type checks allow - so that the caller runs the checks and the SDK reader as before, which
 * produce the exact error or value. A differential test compares the two over generated
 * inputs of every JSON operation.
 */
import type { NormalizedSchema } from '@smithy/core/schema';

/** The value needs the checked SDK path (an error to report, or a shape this reader skips). */
export class Fallback extends Error {}

const FALLBACK = new Fallback('fallback');

type Reader = (value: unknown, depth: number) => unknown;

/** Nesting the type checks allow (json.ts MAX_DEPTH); a container at this depth takes the checked path. */
const MAX_DEPTH = 32;

class Unsupported extends Error {}

function fail(): never {
  throw FALLBACK;
}

const readString: Reader = (value) => (typeof value === 'string' ? value : fail());
const readBoolean: Reader = (value) => (typeof value === 'boolean' ? value : fail());
const readNumber: Reader = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : fail());
const readDocument: Reader = (value) => value;
const readEpoch: Reader = (value) => (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e12 ? new Date(Math.round(value * 1000)) : fail());

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * @param building readers of structures being compiled (recursive shapes call their own reader
 * through this map once it is complete)
 */
function readerOf(ns: NormalizedSchema, building: Map<object, { read?: Reader }>): Reader {
  if (ns.isStructSchema()) {
    // A union value (rare in requests) takes the SDK path, which knows its unknown-member rules.
    if (ns.isUnionSchema()) return fail;
    const key = ns.getSchema() as unknown;
    if (typeof key === 'object' && key !== null) {
      const slot = building.get(key);
      if (slot) return (value, depth) => slot.read!(value, depth);
    }
    const slot: { read?: Reader } = {};
    if (typeof key === 'object' && key !== null) building.set(key, slot);
    // Members by name: a value is read by walking the keys it has (a container definition has
    // some fifty members and a request sets a handful), not the model's members.
    const index = new Map<string, Reader>();
    for (const [name, member] of ns.structIterator()) index.set(name, readerOf(member, building));
    slot.read = (value, depth) => {
      if (!isRecord(value) || depth >= MAX_DEPTH || typeof value.__type === 'string') fail();
      const out: Record<string, unknown> = {};
      for (const name of Object.keys(value)) {
        const read = index.get(name);
        const member = value[name];
        if (read !== undefined && member !== undefined && member !== null) out[name] = read(member, depth + 1);
      }
      return out;
    };
    return slot.read;
  }
  if (ns.isListSchema()) {
    const item = readerOf(ns.getValueSchema(), building);
    return (value, depth) => {
      if (!Array.isArray(value) || depth >= MAX_DEPTH) fail();
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (v === null || v === undefined) fail();
        out[i] = item(v, depth + 1);
      }
      return out;
    };
  }
  if (ns.isMapSchema()) {
    const item = readerOf(ns.getValueSchema(), building);
    return (value, depth) => {
      if (!isRecord(value) || depth >= MAX_DEPTH) fail();
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        const v = value[k];
        if (v === null || v === undefined || k === '__proto__') fail();
        out[k] = item(v, depth + 1);
      }
      return out;
    };
  }
  if (ns.isDocumentSchema()) return readDocument;
  if (ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) throw new Unsupported();
  if (ns.isTimestampSchema()) {
    const schema = ns.getSchema() as unknown;
    // Epoch seconds (the awsJson default); string formats take the SDK path.
    return schema === 5 || schema === 6 ? fail : readEpoch;
  }
  if (ns.isBlobSchema()) return fail;
  if (ns.isBooleanSchema()) return readBoolean;
  if (ns.isNumericSchema()) return readNumber;
  if (ns.isStringSchema()) {
    const mediaType = (ns.getMergedTraits() as { mediaType?: string }).mediaType;
    if (mediaType && (mediaType === 'application/json' || mediaType.endsWith('+json'))) throw new Unsupported();
    return readString;
  }
  throw new Unsupported();
}

/**
 * A reader for an input structure, or undefined when its shapes always need the SDK path. The
 * reader returns the decoded input or throws {@link Fallback}; it never changes `parsed`.
 */
export function compileInput(ns: NormalizedSchema): ((parsed: unknown) => Record<string, unknown>) | undefined {
  try {
    const read = readerOf(ns, new Map());
    return (parsed) => read(parsed, 0) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
