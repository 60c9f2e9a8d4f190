/** The JSON services' operation shapes and generated values of them, for the differential tests of the compiled codecs. */
import { createRequire } from 'node:module';
import { NormalizedSchema } from '@smithy/core/schema';

const require = createRequire(import.meta.url);
const JSON_SERVICES = ['@aws-sdk/client-ecs', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', '@aws-sdk/client-cloudtrail', '@aws-sdk/client-cloudwatch-logs'];

/** Every operation of the awsJson1_1 services, with its input or output structure (`side`). */
export function* jsonOperationShapes(side: 'input' | 'output'): Generator<{ pkg: string; name: string; shape: NormalizedSchema }> {
  for (const pkg of JSON_SERVICES) {
    const exports = require(pkg) as Record<string, unknown>;
    for (const [name, raw] of Object.entries(exports)) {
      if (!name.endsWith('$') || !Array.isArray(raw) || raw[0] !== 9) continue;
      const shape = NormalizedSchema.of(raw[side === 'input' ? 4 : 5] as never);
      if (shape.isStructSchema()) yield { pkg, name, shape };
    }
  }
}

/** A random value of a schema's shape, with the noise handlers can leave in records. */
export function generateOutput(ns: NormalizedSchema, next: () => number, depth: number): unknown {
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    if (depth > 5) return out;
    for (const [name, member] of ns.structIterator()) {
      const roll = next();
      if (roll < 0.55) out[name] = generateOutput(member, next, depth + 1);
      else if (roll < 0.6) out[name] = null;
      else if (roll < 0.65) out[name] = undefined;
    }
    if (next() < 0.3) out.internalOnly = { not: 'in the model' };
    return out;
  }
  if (ns.isListSchema()) {
    if (depth > 5) return [];
    return Array.from({ length: Math.floor(next() * 4) }, () => (next() < 0.1 ? null : generateOutput(ns.getValueSchema(), next, depth + 1)));
  }
  if (ns.isMapSchema()) {
    const out: Record<string, unknown> = {};
    if (depth > 5) return out;
    for (let i = 0; i < Math.floor(next() * 3); i++) out[['k', 'constructor', 'a b', 'toString'][i % 4]! + String(i)] = generateOutput(ns.getValueSchema(), next, depth + 1);
    return out;
  }
  if (ns.isTimestampSchema()) return new Date(Math.floor(next() * 2e12) + (next() < 0.5 ? 0 : 123));
  if (ns.isBlobSchema()) return next() < 0.5 ? new Uint8Array([1, 2, 3, Math.floor(next() * 255)]) : 'text blob';
  if (ns.isBooleanSchema()) return next() < 0.5;
  if (ns.isNumericSchema()) {
    const roll = next();
    return roll < 0.05 ? Number.NaN : roll < 0.1 ? Number.POSITIVE_INFINITY : Math.floor(next() * 1e6) / (roll < 0.5 ? 1 : 7);
  }
  if (ns.isStringSchema()) return next() < 0.15 ? `"quoted" back\\slash\nline\ttab\u0001 \u2028 😀 lone \ud800 ${Math.floor(next() * 1000)}` : `s-${Math.floor(next() * 1000)}-é`;
  if (ns.isDocumentSchema()) return { a: [1, 'two', null, { when: new Date(1_700_000_000_123), raw: new Uint8Array([9]) }], n: Number.NaN, nested: { deep: true } };
  return 'x';
}

