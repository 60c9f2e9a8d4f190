import { NormalizedSchema } from '@smithy/core/schema';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test-fixtures/fuzz-mutations.js';
import { generateOutput, jsonOperationShapes } from '../../test-fixtures/shapes.js';
import { element, referenceElement } from './elements.js';

/** A structure schema from [name, schema] members (0: string; the traits object marks sensitive). */
function struct(members: [string, unknown][]): NormalizedSchema {
  return NormalizedSchema.of([3, 'ns', 'S', 0, members.map(([name]) => name), members.map(([, schema]) => schema)] as never);
}

describe('CloudTrail requestParameters and responseElements', () => {
  it('are written as the reference writes them, for generated values of every JSON operation input and output', () => {
    let compared = 0;
    for (const side of ['input', 'output'] as const) {
      for (const { pkg, name, shape } of jsonOperationShapes(side)) {
        for (let seed = 1; seed <= 6; seed++) {
          const value = generateOutput(shape, mulberry32(seed * 104_729 + name.length), 0);
          expect(element(shape, value), `${pkg} ${name} ${side} seed ${seed}`).toBe(referenceElement(shape, value));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(6 * 600);
  });

  it('hide sensitive members, secret member names and bytes, and write member names lowerCamelCase', () => {
    const shape = struct([
      ['SecretString', [0, 'ns', 'Sensitive', { sensitive: 1 }, 0]],
      ['Password', 0],
      ['Name', 0],
      ['Created', 4],
      ['Raw', 21],
      ['Items', [1, 'ns', 'L', 0, 0]],
    ]);
    const value = { SecretString: 's3cr3t', Password: 'p', Name: 'n', Created: new Date(Date.UTC(2026, 11, 1, 3, 4, 5, 678)), Raw: new Uint8Array([1]), Items: ['a', null] };
    const text = element(shape, value);
    expect(text).toBe('{"secretString":"HIDDEN_DUE_TO_SECURITY_REASONS","password":"HIDDEN_DUE_TO_SECURITY_REASONS","name":"n","created":"2026-12-01T03:04:05Z","raw":"HIDDEN_DUE_TO_SECURITY_REASONS","items":["a",null]}');
    expect(text).not.toContain('s3cr3t');
    expect(text).toBe(referenceElement(shape, value));
  });

  it('leave to the reference what it alone decides: keys that lowerCamelCase makes one, a __proto__ map key', () => {
    const shape = struct([
      ['Name', 0],
      ['Tags', [2, 'ns', 'M', 0, 0, 0]],
    ]);
    const colliding = { Name: 'member', name: 'stray' };
    expect(element(shape, colliding)).toBe(referenceElement(shape, colliding));
    expect(JSON.parse(element(shape, colliding))).toEqual({ name: 'stray' });
    const tags = JSON.parse('{"Tags":{"__proto__":{"x":1},"k":"v"}}') as unknown;
    expect(element(shape, tags)).toBe(referenceElement(shape, tags));
  });

  it('are null when empty, and an omission note when larger than 64 KB', () => {
    const shape = struct([['Name', 0]]);
    expect(element(shape, {})).toBe('null');
    expect(element(shape, { Name: undefined })).toBe('null');
    expect(element(shape, { Name: 'x'.repeat(70_000) })).toBe('{"omitted":true,"reason":"larger than 64 KB"}');
  });
});
