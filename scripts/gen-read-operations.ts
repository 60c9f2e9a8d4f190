/**
 * Writes src/aws/read-operations.json: the read-only operations (Describe*, List*, Get*,
 * Lookup*, Head*) of every SDK client the lab uses, so scenarios.yaml can be validated at load
 * without importing the SDK. Operations that return secret material are left out on purpose.
 * Run: npx tsx scripts/gen-read-operations.ts  (a unit test fails when the file is stale)
 */
import { writeFileSync } from 'node:fs';
import { computeReadOperations } from './read-operations-lib.js';

const ops = await computeReadOperations();
writeFileSync(new URL('../src/aws/read-operations.json', import.meta.url), `${JSON.stringify(ops, null, 1)}\n`);
console.error(`wrote ${Object.values(ops).reduce((n, l) => n + l.length, 0)} operations`);
