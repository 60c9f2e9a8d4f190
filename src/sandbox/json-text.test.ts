import { describe, expect, it } from 'vitest';
import { isPlainRecord, scalarJson } from './json-text.js';

describe('JSON text pieces', () => {
  it('writes scalars as JSON.stringify does', () => {
    const values: unknown[] = ['', 'plain arn:aws:ecs:us-east-1:1:service/a', 'quote "', 'back \\', 'line \n', 'control \u0001 \u001f', 'separators \u2028 \u2029', 'pair 😀', 'lone \ud800 and \udfff', 'é', 0, -0, 1.5, 1e21, 1e-7, -12, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, false, null, undefined, { a: 1 }, [1, 'x']];
    for (const value of values) expect(scalarJson(value), String(value)).toBe(JSON.stringify(value));
  });

  it('tells plain records from other objects', () => {
    expect([{}, Object.create(null) as object].map(isPlainRecord)).toEqual([true, true]);
    expect([[], new Date(0), new Map(), new Uint8Array(1)].map(isPlainRecord)).toEqual([false, false, false, false]);
  });
});
