import { describe, expect, it } from 'vitest';
import { replacer, stringifyState } from './store.js';
import { mulberry32 } from './test-fixtures/fuzz-mutations.js';

/** A random state-like value: records, lists, Dates, byte arrays, odd numbers and keys. */
function randomValue(next: () => number, depth: number): unknown {
  const roll = next();
  if (depth > 4 || roll < 0.35) {
    const scalars: unknown[] = [
      'text',
      'quote " and \\ and \n and é and \u2028',
      '',
      0,
      -0,
      1.5e300,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      false,
      null,
      undefined,
      new Date(Math.floor(next() * 2e12)),
      new Date(Number.NaN),
      new Uint8Array([0, 255, Math.floor(next() * 256)]),
      Buffer.from('bytes'),
      () => 1,
      Symbol('s'),
    ];
    return scalars[Math.floor(next() * scalars.length)];
  }
  if (roll < 0.55) return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, depth + 1));
  if (roll < 0.6) return new Map([['a', 1]]);
  if (roll < 0.63) return { toJSON: () => ({ custom: true }), other: 1 };
  const out: Record<string, unknown> = next() < 0.1 ? (Object.create(null) as Record<string, unknown>) : {};
  for (let i = 0; i < Math.floor(next() * 6); i++) out[['id', '2', 'name with space', '__proto__x', '10', 'z'][i]!] = randomValue(next, depth + 1);
  return out;
}

describe('stringifyState', () => {
  it('writes what JSON.stringify with the store replacer writes (5,000 random values)', () => {
    for (let seed = 1; seed <= 5_000; seed++) {
      const value = randomValue(mulberry32(seed), 0);
      expect(stringifyState(value), `seed ${seed}`).toBe(JSON.stringify(value, replacer));
    }
  });

  it('throws as JSON.stringify does on a bigint', () => {
    expect(() => stringifyState({ n: 1n })).toThrow(TypeError);
  });
});
