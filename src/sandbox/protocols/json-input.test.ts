import { createRequire } from 'node:module';
import { JsonCodec } from '@aws-sdk/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../test-fixtures/fuzz-mutations.js';
import { jsonOperationShapes } from '../test-fixtures/shapes.js';
import { Fallback, compileInput } from './json-input.js';
import { checkTypes } from './json.js';

const require = createRequire(import.meta.url);

/** A wrong JSON value of some kind, for a value of a given schema. */
function wrong(next: () => number): unknown {
  return [null, 'text', 42, 1e400, true, [], {}, '17'][Math.floor(next() * 8)];
}

/**
 * A parsed JSON request body of a schema's shape, as a client (or a fuzzer) sends it: epoch
 * seconds, base64 blobs, unknown and null members, and now and then a value of the wrong type.
 */
function generate(ns: NormalizedSchema, next: () => number, depth: number, noise: number): unknown {
  if (next() < noise) return wrong(next);
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    if (depth > 5) return out;
    for (const [name, member] of ns.structIterator()) {
      const roll = next();
      if (roll < 0.6) out[name] = generate(member, next, depth + 1, noise);
      else if (roll < 0.65) out[name] = null;
    }
    if (next() < 0.2) out.unknownMember = { not: 'in the model' };
    if (next() < noise) out.__type = 'com.amazonaws#Thing';
    return out;
  }
  if (ns.isListSchema()) {
    if (depth > 5) return [];
    return Array.from({ length: Math.floor(next() * 4) }, () => generate(ns.getValueSchema(), next, depth + 1, noise));
  }
  if (ns.isMapSchema()) {
    const out: Record<string, unknown> = {};
    if (depth > 5) return out;
    for (let i = 0; i < Math.floor(next() * 3); i++) out[['k', 'constructor', 'a b', 'toString'][i % 4]! + String(i)] = generate(ns.getValueSchema(), next, depth + 1, noise);
    return out;
  }
  if (ns.isTimestampSchema()) return next() < 0.8 ? Math.floor(next() * 2e9) + (next() < 0.5 ? 0 : 0.123) : String(Math.floor(next() * 2e9));
  if (ns.isBlobSchema()) return Buffer.from(`blob-${next()}`).toString('base64');
  if (ns.isBooleanSchema()) return next() < 0.5;
  if (ns.isNumericSchema()) return Math.floor(next() * 1e6) / (next() < 0.5 ? 1 : 8);
  if (ns.isStringSchema()) return `s-${Math.floor(next() * 1000)}-é`;
  if (ns.isDocumentSchema()) return { a: [1, 'two', null, { deep: true }], n: 1.5 };
  return 'x';
}

type Outcome = { value: unknown } | { error: string };

/** The checked path: json.ts's type checks, then the SDK's JSON shape deserializer. */
function checked(codec: JsonCodec, ns: NormalizedSchema, parsed: unknown): Outcome {
  try {
    const copy = structuredClone(parsed);
    checkTypes(ns, copy, '', 0);
    return { value: codec.createDeserializer().readObject(ns, copy as never) };
  } catch (error) {
    return { error: String(error) };
  }
}

describe('compiled awsJson input reader', () => {
  it('decodes what the type checks and the SDK deserializer decode, for every input shape of the JSON services', () => {
    const codec = new JsonCodec({ timestampFormat: { useTrait: true, default: 7 }, jsonName: false });
    let fast = 0;
    let fellBack = 0;
    let refusedByBoth = 0;
    const unsupported: string[] = [];
    for (const { pkg, name, shape: input } of jsonOperationShapes('input')) {
      const read = compileInput(input);
      if (!read) {
        unsupported.push(name);
        continue;
      }
      for (let seed = 1; seed <= 6; seed++) {
        // Seeds 1-3: well-formed bodies; 4-6: bodies with wrong types here and there.
        const parsed = generate(input, rng(seed * 7919 + name.length), 0, seed <= 3 ? 0 : 0.08);
        const before = JSON.stringify(parsed);
        const expected = checked(codec, input, parsed);
        let actual: unknown;
        try {
          actual = read(parsed);
        } catch (error) {
          if (!(error instanceof Fallback)) throw error;
          fellBack++;
          if ('error' in expected) refusedByBoth++;
          continue;
        }
        // Whatever the reader decodes, the checked path decodes to the same value.
        expect(expected, `${pkg} ${name} seed ${seed}`).toEqual({ value: actual });
        expect(JSON.stringify(parsed), 'the reader leaves the parsed body as it was').toBe(before);
        fast++;
      }
    }
    expect(fast).toBeGreaterThan(1_000);
    // Most fallbacks are bodies that the checked path refuses too (the error comes from there).
    expect(refusedByBoth).toBeGreaterThan(fellBack / 2);
    // Only inputs with big numbers or JSON-text members always take the SDK path.
    expect(unsupported.length, unsupported.join(', ')).toBeLessThan(3);
  });

  it('compiles the inputs of the calls a lab makes most', () => {
    const ecs = require('@aws-sdk/client-ecs') as Record<string, unknown[]>;
    const register = compileInput(NormalizedSchema.of(ecs.RegisterTaskDefinition$![4] as never))!;
    // A union inside the shape (resource requirement sharing) falls back only when a value uses it.
    expect(register({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 256, environment: [{ name: 'A', value: 'b' }] }] })).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'nginx', memory: 256, environment: [{ name: 'A', value: 'b' }] }],
    });
    for (const op of ['DescribeServices', 'CreateService', 'UpdateService', 'DescribeTaskDefinition', 'ListServices', 'PutAccountSetting']) {
      expect(compileInput(NormalizedSchema.of(ecs[`${op}$`]![4] as never)), op).toBeDefined();
    }
  });

  it('leaves blobs, nulls in lists and over-deep nesting to the checked path', () => {
    const read = compileInput(NormalizedSchema.of([3, 'ns', 'In', 0, ['Blob', 'Names'], [21, 64 | 0]] as never))!;
    expect(read({ Names: ['a', 'b'] })).toEqual({ Names: ['a', 'b'] });
    expect(() => read({ Blob: 'AAEC' })).toThrow(Fallback);
    expect(() => read({ Names: ['a', null] })).toThrow(Fallback);
    const nested = compileInput(NormalizedSchema.of([3, 'ns', 'Doc', 0, ['Doc'], [15]] as never))!;
    expect(nested({ Doc: { any: [1, null, { x: 'y' }] } })).toEqual({ Doc: { any: [1, null, { x: 'y' }] } });
  });
});
