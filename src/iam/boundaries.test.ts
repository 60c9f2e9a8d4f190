/**
 * Import boundaries of src/iam: no adapter libraries (architecture rule), and the AGPL oracle only
 * in test files (licence rule: ecs-lab is Apache-2.0).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

function importsOf(file: string): string[] {
  const text = readFileSync(join(here, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] as string);
}

describe('src/iam import boundaries', () => {
  it('has source files to check', () => {
    expect(sources).toContain('evaluate.ts');
    expect(importsOf('evaluate.ts')).toContain('./parse.js');
  });

  it.each(sources)('%s imports only relative modules with .js suffixes', (file) => {
    for (const specifier of importsOf(file)) {
      expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[a-z0-9-]+\.js$/);
    }
  });

  it('keeps @cloud-copilot (AGPL) out of everything but tests', () => {
    const offenders = sources.filter((f) => readFileSync(join(here, f), 'utf8').includes('@cloud-copilot'));
    expect(offenders).toEqual([]);
  });

  it('uses no adapter library (http, react, ink, slack)', () => {
    const offenders = sources.flatMap((f) => importsOf(f).filter((s) => /^(node:)?https?$|^react|^ink|^@slack\//.test(s)).map((s) => `${f}: ${s}`));
    expect(offenders).toEqual([]);
  });
});
