import { NormalizedSchema } from '@smithy/core/schema';
import { describe, expect, it } from 'vitest';
import { compileOutput } from './json-plan.js';
import { compareWithSdk } from '../test-fixtures/json-compare.js';

describe('compiled awsJson output writer', () => {
  it('writes what the SDK JsonCodec writes for every output shape of the JSON services (5 generated values each)', () => {
    compareWithSdk();
  });

  it('falls back to the SDK writer for what it does not handle (big decimals; a bigint in a document)', () => {
    expect(compileOutput(NormalizedSchema.of([3, 'ns', 'Out', 0, ['Big'], [19]] as never))).toBeUndefined();
    const withDocument = compileOutput(NormalizedSchema.of([3, 'ns', 'Out', 0, ['Doc'], [15]] as never));
    expect(withDocument?.({ Doc: { n: 1n } })).toBeUndefined();
    expect(withDocument?.({ Doc: { n: 1 } })).toBe('{"Doc":{"n":1}}');
  });

  it('reads a member named like an Object.prototype property only when the value has it', () => {
    const writer = compileOutput(NormalizedSchema.of([3, 'ns', 'Out', 0, ['constructor', 'name'], [0, 0]] as never))!;
    expect(writer({ name: 'a' })).toBe('{"name":"a"}');
    expect(writer(Object.assign(Object.create(null) as object, { constructor: 'c' }))).toBe('{"constructor":"c"}');
  });
});
