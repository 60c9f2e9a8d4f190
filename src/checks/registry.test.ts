import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeReadOperations } from '../../scripts/read-operations-lib.js';
import { renderScenarioDocs } from '../../scripts/docs-lib.js';
import { renderJsonSchema } from '../../scripts/schema-lib.js';
import { RESOURCE_KINDS } from '../resources/index.js';
import { CHECKS } from './index.js';

describe('check registry', () => {
  it('has unique kebab-case ids and complete metadata', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) {
      expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(c.title.length).toBeGreaterThan(10);
      expect(['low', 'medium', 'high', 'critical']).toContain(c.severity);
      expect(c.remediation.length).toBeGreaterThan(10);
      for (const d of c.docs) expect(d).toMatch(/^https:\/\//);
    }
  });

  it('has unique resource kinds', () => {
    const types = RESOURCE_KINDS.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it('the committed read-operation list matches the installed SDK clients (npx tsx scripts/gen-read-operations.ts)', async () => {
    const committed = JSON.parse(readFileSync(new URL('../aws/read-operations.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(await computeReadOperations());
  }, 30_000);

  it('the committed scenarios.schema.json is current (npm run schema)', () => {
    expect(readFileSync(new URL('../../scenarios.schema.json', import.meta.url), 'utf8')).toBe(renderJsonSchema());
  });

  it('the committed docs/scenarios.md is current (npm run docs)', () => {
    expect(readFileSync(new URL('../../docs/scenarios.md', import.meta.url), 'utf8')).toBe(renderScenarioDocs());
  });
});
