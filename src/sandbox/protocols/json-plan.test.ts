import { createRequire } from 'node:module';
import { JsonCodec } from '@aws-sdk/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { describe, expect, it } from 'vitest';
import { compileOutput } from './json-plan.js';
import { mulberry32 as rng } from '../test-fixtures/fuzz-mutations.js';

const require = createRequire(import.meta.url);
const JSON_SERVICES = ['@aws-sdk/client-ecs', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', '@aws-sdk/client-cloudtrail', '@aws-sdk/client-cloudwatch-logs'];

/** A random value of a schema's shape, with the noise handlers can leave in records. */
function generate(ns: NormalizedSchema, next: () => number, depth: number): unknown {
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    if (depth > 5) return out;
    for (const [name, member] of ns.structIterator()) {
      const roll = next();
      if (roll < 0.55) out[name] = generate(member, next, depth + 1);
      else if (roll < 0.6) out[name] = null;
      else if (roll < 0.65) out[name] = undefined;
    }
    if (next() < 0.3) out.internalOnly = { not: 'in the model' };
    return out;
  }
  if (ns.isListSchema()) {
    if (depth > 5) return [];
    return Array.from({ length: Math.floor(next() * 4) }, () => (next() < 0.1 ? null : generate(ns.getValueSchema(), next, depth + 1)));
  }
  if (ns.isMapSchema()) {
    const out: Record<string, unknown> = {};
    if (depth > 5) return out;
    for (let i = 0; i < Math.floor(next() * 3); i++) out[['k', 'constructor', 'a b', 'toString'][i % 4]! + String(i)] = generate(ns.getValueSchema(), next, depth + 1);
    return out;
  }
  if (ns.isTimestampSchema()) return new Date(Math.floor(next() * 2e12) + (next() < 0.5 ? 0 : 123));
  if (ns.isBlobSchema()) return next() < 0.5 ? new Uint8Array([1, 2, 3, Math.floor(next() * 255)]) : 'text blob';
  if (ns.isBooleanSchema()) return next() < 0.5;
  if (ns.isNumericSchema()) {
    const roll = next();
    return roll < 0.05 ? Number.NaN : roll < 0.1 ? Number.POSITIVE_INFINITY : Math.floor(next() * 1e6) / (roll < 0.5 ? 1 : 7);
  }
  if (ns.isStringSchema()) return `s-${Math.floor(next() * 1000)}-é`;
  if (ns.isDocumentSchema()) return { a: [1, 'two', null, { when: new Date(1_700_000_000_123), raw: new Uint8Array([9]) }], n: Number.NaN, nested: { deep: true } };
  return 'x';
}

describe('compiled awsJson output writer', () => {
  it('writes what the SDK JsonCodec writes for every output shape of the JSON services (5 generated values each)', () => {
    const codec = new JsonCodec({ timestampFormat: { useTrait: true, default: 7 }, jsonName: false });
    let compared = 0;
    let fallbacks = 0;
    for (const pkg of JSON_SERVICES) {
      const exports = require(pkg) as Record<string, unknown>;
      for (const [name, raw] of Object.entries(exports)) {
        if (!name.endsWith('$') || !Array.isArray(raw) || raw[0] !== 9) continue;
        const output = NormalizedSchema.of(raw[5] as never);
        if (!output.isStructSchema()) continue;
        const writer = compileOutput(output);
        if (!writer) {
          fallbacks++;
          continue;
        }
        for (let seed = 1; seed <= 5; seed++) {
          const value = generate(output, rng(seed * 7919 + name.length), 0);
          const serializer = codec.createSerializer();
          serializer.write(output, structuredClone(value) as never);
          const expected = JSON.parse(String(serializer.flush())) as unknown;
          expect(JSON.parse(writer(value) ?? "null"), `${pkg} ${name} seed ${seed}`).toEqual(expected);
          compared++;
        }
      }
    }
    // Nearly every operation takes the compiled path; the rest keep the SDK writer.
    expect(compared).toBeGreaterThan(5 * 300);
    expect(fallbacks).toBeLessThan(10);
  });

  it('falls back to the SDK writer for what it does not handle (big decimals; a bigint in a document)', () => {
    expect(compileOutput(NormalizedSchema.of([3, 'ns', 'Out', 0, ['Big'], [19]] as never))).toBeUndefined();
    const withDocument = compileOutput(NormalizedSchema.of([3, 'ns', 'Out', 0, ['Doc'], [15]] as never));
    expect(withDocument?.({ Doc: { n: 1n } })).toBeUndefined();
    expect(withDocument?.({ Doc: { n: 1 } })).toBe('{"Doc":{"n":1}}');
  });
});
