/** The differential check of the compiled awsJson output writers against the SDK's codec. */
import { JsonCodec } from '@aws-sdk/core/protocols';
import { expect } from 'vitest';
import { compileOutput } from '../protocols/json-plan.js';
import { mulberry32 as rng } from './fuzz-mutations.js';
import { generateOutput as generate, jsonOperationShapes } from './shapes.js';

/** Compares the compiled writers with the SDK's JsonCodec over generated values of every output shape. */
export function compareWithSdk(): void {
  const codec = new JsonCodec({ timestampFormat: { useTrait: true, default: 7 }, jsonName: false });
  let compared = 0;
  let fallbacks = 0;
  for (const { pkg, name, shape: output } of jsonOperationShapes('output')) {
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
      expect(JSON.parse(writer(value) ?? 'null'), `${pkg} ${name} seed ${seed}`).toEqual(expected);
      compared++;
    }
  }
  // Nearly every operation takes the compiled path; the rest keep the SDK writer.
  expect(compared).toBeGreaterThan(5 * 300);
  expect(fallbacks).toBeLessThan(10);
}
