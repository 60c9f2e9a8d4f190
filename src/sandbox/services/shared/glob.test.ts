import { describe, expect, it } from 'vitest';
import { wildcardMatch } from './glob.js';

describe('wildcardMatch', () => {
  it('matches * and ? like ARN patterns', () => {
    expect(wildcardMatch('arn:aws:s3:::lab-*', 'arn:aws:s3:::lab-audit')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::lab-?udit', 'arn:aws:s3:::lab-audit')).toBe(true);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::other/*', 'arn:aws:s3:::lab-audit')).toBe(false);
    expect(wildcardMatch('a*b*c', 'aXbYc')).toBe(true);
    expect(wildcardMatch('a*b*c', 'aXbY')).toBe(false);
  });

  it('stays fast on patterns that make a regular expression backtrack', () => {
    const started = Date.now();
    expect(wildcardMatch(`${'*a'.repeat(40)}b`, 'a'.repeat(5000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
