/**
 * Writes scenarios.schema.json from the zod schema (itself built from the check and resource
 * registries). scenarios.yaml names it on its first line, so editors complete and validate it.
 * Run: npm run schema   (a unit test fails when the committed file is stale)
 */
import { writeFileSync } from 'node:fs';
import { renderJsonSchema } from './schema-lib.js';

writeFileSync(new URL('../scenarios.schema.json', import.meta.url), renderJsonSchema());
console.error('wrote scenarios.schema.json');
