/** The differential check of the compiled awsJson output writers against the SDK's codec. */
import { createRequire } from 'node:module';
import { JsonCodec } from '@aws-sdk/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { expect } from 'vitest';
import { compileOutput } from '../protocols/json-plan.js';
import { mulberry32 as rng } from './fuzz-mutations.js';
import { generateOutput as generate } from './shapes.js';

const require = createRequire(import.meta.url);
const JSON_SERVICES = ['@aws-sdk/client-ecs', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', '@aws-sdk/client-cloudtrail', '@aws-sdk/client-cloudwatch-logs'];

/** Compares the compiled writers with the SDK's JsonCodec over generated values of every output shape. */
export function compareWithSdk(): void {
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
}
