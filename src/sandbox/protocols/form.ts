/**
 * Schema-walking decoder for awsQuery and ec2Query form bodies: the inverse of the SDK's
 * QueryShapeSerializer. awsQuery lists are `Name.member.N` (or `Name.N` when xmlFlattened) and
 * maps `Name.entry.N.key/value`; ec2Query lists are always flat `Name.N` and member names come
 * from `ec2QueryName`, else the capitalised `xmlName`, else the capitalised member name.
 */
import type { NormalizedSchema } from '@smithy/core/schema';
import { valueSchemaOf } from './schema.js';

/** Which of the two query dialects a body uses. */
export type FormStyle = 'query' | 'ec2';

interface Node {
  value?: string;
  children: Map<string, Node>;
}

/** Raised for values that do not fit their schema; protocols map it to their error code. */
export class FormDecodeError extends Error {}

const MAX_DEPTH = 16;
const MAX_LIST = 1000;

function buildTree(form: URLSearchParams): Node {
  const root: Node = { children: new Map() };
  for (const [key, value] of form) {
    let node = root;
    for (const part of key.split('.')) {
      let child = node.children.get(part);
      if (!child) {
        child = { children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

function numbered(node: Node | undefined): Node[] {
  if (!node) return [];
  const entries = [...node.children.entries()]
    .filter(([k]) => /^[1-9][0-9]{0,5}$/.test(k))
    .map(([k, v]) => [Number(k), v] as const)
    .sort((a, b) => a[0] - b[0]);
  if (entries.length > MAX_LIST) throw new FormDecodeError(`Too many list members (${entries.length}).`);
  return entries.map(([, v]) => v);
}

function capitalize(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function memberKey(name: string, member: NormalizedSchema, style: FormStyle): string {
  const traits = member.getMergedTraits();
  if (style === 'ec2') {
    const ec2 = traits.ec2QueryName;
    return typeof ec2 === 'string' ? ec2 : capitalize(typeof traits.xmlName === 'string' ? traits.xmlName : name);
  }
  return typeof traits.xmlName === 'string' ? traits.xmlName : name;
}

function decodeScalar(ns: NormalizedSchema, raw: string, path: string): unknown {
  if (ns.isBooleanSchema()) {
    const lower = raw.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new FormDecodeError(`Value '${raw}' for parameter ${path} is not a valid boolean.`);
  }
  if (ns.isNumericSchema()) {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) {
      throw new FormDecodeError(`Value '${raw}' for parameter ${path} is not a valid number.`);
    }
    return n;
  }
  if (ns.isTimestampSchema()) {
    const d = /^[0-9]+(\.[0-9]+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
    if (Number.isNaN(d.getTime())) throw new FormDecodeError(`Value '${raw}' for parameter ${path} is not a valid timestamp.`);
    return d;
  }
  if (ns.isBlobSchema()) return new Uint8Array(Buffer.from(raw, 'base64'));
  return raw;
}

function decode(ns: NormalizedSchema, node: Node, style: FormStyle, path: string, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new FormDecodeError(`Parameter ${path} is nested too deeply.`);
  if (ns.isListSchema()) {
    const valueSchema = valueSchemaOf(ns);
    const flat = style === 'ec2' || Boolean(ns.getMergedTraits().xmlFlattened);
    const itemKey = typeof valueSchema.getMergedTraits().xmlName === 'string' ? String(valueSchema.getMergedTraits().xmlName) : 'member';
    const items = flat ? numbered(node) : numbered(node.children.get(itemKey));
    return items.map((item, i) => decode(valueSchema, item, style, `${path}.${i + 1}`, depth + 1));
  }
  if (ns.isMapSchema()) {
    const keySchema = ns.getKeySchema();
    const valueSchema = valueSchemaOf(ns);
    const flat = Boolean(ns.getMergedTraits().xmlFlattened);
    const keyTag = typeof keySchema.getMergedTraits().xmlName === 'string' ? String(keySchema.getMergedTraits().xmlName) : 'key';
    const valueTag = typeof valueSchema.getMergedTraits().xmlName === 'string' ? String(valueSchema.getMergedTraits().xmlName) : 'value';
    const out: Record<string, unknown> = {};
    for (const entry of flat ? numbered(node) : numbered(node.children.get('entry'))) {
      const k = entry.children.get(keyTag)?.value;
      const v = entry.children.get(valueTag);
      if (k === undefined || k === '__proto__' || !v) continue;
      out[k] = decode(valueSchema, v, style, `${path}.${k}`, depth + 1);
    }
    return out;
  }
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const key = memberKey(name, member, style);
      const child = node.children.get(key);
      if (child) out[name] = decode(member, child, style, path ? `${path}.${key}` : key, depth + 1);
    }
    return out;
  }
  return decodeScalar(ns, node.value ?? '', path);
}

/**
 * Decodes form fields into a plain object shaped like the SDK input type.
 * Unknown fields (Action, Version, and anything the model does not have) are ignored.
 * @throws FormDecodeError when a value does not fit its schema.
 */
export function decodeForm(input: NormalizedSchema, form: URLSearchParams, style: FormStyle): Record<string, unknown> {
  if (!input.isStructSchema()) return {};
  return decode(input, buildTree(form), style, '', 0) as Record<string, unknown>;
}
