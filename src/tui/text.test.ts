import { describe, expect, it } from 'vitest';
import { splitKeys } from './hooks/use-keys.js';
import { bar, fitKeys, truncate, wrap } from './text.js';

describe('wrap', () => {
  it('reflows lines, keeps paragraphs and breaks words longer than a line', () => {
    expect(wrap('one two three\nfour five', 9)).toEqual(['one two', 'three', 'four five']);
    expect(wrap('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(wrap('arn:aws:ecs:us-east-1:000000000000:service/x', 16)).toEqual(['arn:aws:ecs:us-e', 'ast-1:0000000000', '00:service/x']);
  });
});

describe('truncate, bar', () => {
  it('cuts with an ellipsis and draws bars that read without colour', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(bar(3, 7, 10)).toBe('████░░░░░░');
    expect(bar(0, 0, 4)).toBe('░░░░');
    expect(bar(7, 7, 4)).toBe('████');
  });
});

describe('fitKeys', () => {
  const keys = [
    { key: 'c', label: 'check' },
    { key: 'h', label: 'hint' },
    { key: 'esc', label: 'back' },
    { key: '?', label: 'help' },
    { key: 'q', label: 'quit' },
  ];
  it('drops the least important keys first and always keeps back, help and quit', () => {
    expect(fitKeys(keys, 80)).toBe('c check  h hint  esc back  ? help  q quit');
    expect(fitKeys(keys, 34)).toBe('c check  esc back  ? help  q quit');
    expect(fitKeys(keys, 26)).toBe('esc back  ? help  q quit');
  });
});

describe('splitKeys', () => {
  it('turns a burst of plain input into single keys', () => {
    expect(splitKeys('jj\r').map(([input, key]) => [input, key.return])).toEqual([
      ['j', false],
      ['j', false],
      ['', true],
    ]);
  });
});
