/**
 * An event's requestParameters and responseElements as CloudTrail writes them: members the
 * service model marks sensitive (and a few well-known secret member names) replaced by
 * `HIDDEN_DUE_TO_SECURITY_REASONS`, structure members lowerCamelCase, timestamps as
 * `YYYY-MM-DDTHH:MM:SSZ`, byte arrays hidden.
 *
 * Two writers give the same text. {@link scrub} copies the value through the schema and
 * JSON.stringify writes the copy: the reference, and what anything unusual falls back to. The
 * writers {@link compileElement} makes per schema write the text directly, without the copy or a
 * schema lookup per value - the recorder turns every call into an event, and for a changing call
 * such as RegisterTaskDefinition the copy of its output was most of that work. A differential
 * test compares the two over generated values of every JSON operation's input and output.
 */
import type { NormalizedSchema } from '@smithy/core/schema';
import { isPlainRecord, scalarJson } from '../../json-text.js';
import { memberSchemasOf, valueSchemaOf } from '../../protocols/schema.js';

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const HIDDEN_JSON = JSON.stringify(HIDDEN);
const SECRET_NAMES = /^(password|newpassword|oldpassword|secretstring|secretbinary|secretaccesskey|sessiontoken|privatekey|rotationtoken)$/i;
const MAX_ELEMENT_CHARS = 64 * 1024;
const MAX_DEPTH = 32;
const OMITTED = JSON.stringify({ omitted: true, reason: 'larger than 64 KB' });

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

function scalar(value: unknown): unknown {
  if (value instanceof Date) return `${value.toISOString().slice(0, 19)}Z`;
  if (value instanceof Uint8Array) return HIDDEN;
  return value;
}

/** Copies `value` as CloudTrail writes it (the reference writer). */
export function scrub(ns: NormalizedSchema | undefined, value: unknown, depth: number): unknown {
  if (value === undefined || value === null) return value;
  if (ns?.getMergedTraits().sensitive) return HIDDEN;
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    const item = ns?.isListSchema() ? valueSchemaOf(ns) : undefined;
    return value.map((v) => scrub(item, v, depth + 1));
  }
  if (typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return scalar(value);
  const out: Record<string, unknown> = {};
  if (ns?.isMapSchema()) {
    const item = valueSchemaOf(ns);
    for (const [k, v] of Object.entries(value)) out[k] = scrub(item, v, depth + 1);
    return out;
  }
  const members = ns?.isStructSchema() ? memberSchemasOf(ns) : undefined;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[lowerFirst(k)] = SECRET_NAMES.test(k) ? HIDDEN : scrub(members?.get(k), v, depth + 1);
  }
  return out;
}

/** requestParameters or responseElements as JSON text, `null` when empty (the reference writer). */
export function referenceElement(ns: NormalizedSchema | undefined, value: unknown): string {
  if (value === undefined || value === null || typeof value !== 'object') return 'null';
  const out = scrub(ns, value, 0) as Record<string, unknown>;
  if (Object.keys(out).length === 0) return 'null';
  const text = JSON.stringify(out);
  return text.length > MAX_ELEMENT_CHARS ? OMITTED : text;
}

/** The value is one the compiled writer leaves to the reference (thrown, caught by {@link element}). */
class Fallback extends Error {}
const FALLBACK = new Fallback('fallback');

/** JSON text of a scrubbed value, or undefined when nothing is written (as JSON.stringify omits it). */
type Writer = (value: unknown, depth: number) => string | undefined;

/** A value with no schema to follow: the reference writes it. */
const generic: Writer = (value, depth) => JSON.stringify(scrub(undefined, value, depth));

function writeScalar(value: unknown): string | undefined {
  if (value instanceof Date) return `"${value.toISOString().slice(0, 19)}Z"`;
  if (value instanceof Uint8Array) return HIDDEN_JSON;
  return scalarJson(value);
}

function writeList(item: Writer, value: unknown[], depth: number): string {
  let out = '';
  for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${item(value[i], depth + 1) ?? 'null'}`;
  return `[${out}]`;
}

/** Compiled writers by schema object (a recursive shape finds its own writer while it is being built). */
const writers = new WeakMap<object, Writer>();

/** A member (or list item, or map value) the model marks sensitive. */
const writeSensitive: Writer = (value) => (value === undefined ? undefined : value === null ? 'null' : HIDDEN_JSON);

function writerOf(ns: NormalizedSchema): Writer {
  // Sensitivity can come from the member, not only from the shape it targets: not cached by shape.
  if (ns.getMergedTraits().sensitive) return writeSensitive;
  const key = ns.getSchema() as unknown;
  const cacheable = typeof key === 'object' && key !== null;
  const cached = cacheable ? writers.get(key) : undefined;
  if (cached) return cached;
  // Set before the members are compiled, so that a recursive shape reaches this writer.
  let body: Writer = () => {
    throw FALLBACK;
  };
  const writer: Writer = (value, depth) => body(value, depth);
  if (cacheable) writers.set(key, writer);
  body = compile(ns);
  return writer;
}

function compile(ns: NormalizedSchema): Writer {
  const list = ns.isListSchema() ? writerOf(valueSchemaOf(ns)) : undefined;
  const map = ns.isMapSchema() ? writerOf(valueSchemaOf(ns)) : undefined;
  const members = ns.isStructSchema() ? new Map([...memberSchemasOf(ns)].map(([name, member]) => [name, { key: `${JSON.stringify(lowerFirst(name))}:`, secret: SECRET_NAMES.test(name), write: writerOf(member) }])) : undefined;
  return (value, depth) => {
    if (value === undefined) return undefined;
    if (value === null || depth > MAX_DEPTH) return 'null';
    if (Array.isArray(value)) return writeList(list ?? generic, value, depth);
    if (typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return writeScalar(value);
    if (!isPlainRecord(value)) throw FALLBACK;
    const record = value as Record<string, unknown>;
    let out = '';
    if (map) {
      // A map: the caller's keys as they are. The reference drops a `__proto__` key (its copy
      // takes it as the prototype): left to it.
      for (const k of Object.keys(record)) {
        if (k === '__proto__') throw FALLBACK;
        const written = map(record[k], depth + 1);
        if (written !== undefined) out += `${out === '' ? '' : ','}${scalarJson(k)}:${written}`;
      }
      return `{${out}}`;
    }
    if (!members) return generic(value, depth);
    let checked = false;
    for (const k of Object.keys(record)) {
      const v = record[k];
      if (v === undefined) continue;
      const member = members.get(k);
      let written: string | undefined;
      let prefix: string;
      if (member) {
        prefix = member.key;
        written = member.secret ? HIDDEN_JSON : member.write(v, depth + 1);
      } else {
        // A member the model does not have. Keys that lowerCamelCase makes equal are one key in
        // the reference's copy: left to it.
        if (!checked) {
          const keys = Object.keys(record).filter((name) => record[name] !== undefined);
          if (new Set(keys.map(lowerFirst)).size !== keys.length) throw FALLBACK;
          checked = true;
        }
        prefix = `${JSON.stringify(lowerFirst(k))}:`;
        written = SECRET_NAMES.test(k) ? HIDDEN_JSON : generic(v, depth + 1);
      }
      if (written !== undefined) out += `${out === '' ? '' : ','}${prefix}${written}`;
    }
    return `{${out}}`;
  };
}

/**
 * requestParameters or responseElements as JSON text, `null` when empty: written by the schema's
 * compiled writer, or by the reference when the value holds something it leaves to it.
 */
export function element(ns: NormalizedSchema | undefined, value: unknown): string {
  if (value === undefined || value === null || typeof value !== 'object') return 'null';
  if (!ns?.isStructSchema() || ns.getMergedTraits().sensitive || Array.isArray(value) || !isPlainRecord(value)) return referenceElement(ns, value);
  const record = value as Record<string, unknown>;
  if (!Object.keys(record).some((k) => record[k] !== undefined)) return 'null';
  let text: string | undefined;
  try {
    text = writerOf(ns)(value, 0);
  } catch (error) {
    if (error instanceof Fallback) return referenceElement(ns, value);
    throw error;
  }
  if (text === undefined) return referenceElement(ns, value);
  return text.length > MAX_ELEMENT_CHARS ? OMITTED : text;
}
