/** Writes docs/scenarios.md (npm run docs); a unit test fails when the committed file is stale. */
import { writeFileSync } from 'node:fs';
import { renderScenarioDocs } from './docs-lib.js';

writeFileSync(new URL('../docs/scenarios.md', import.meta.url), renderScenarioDocs());
console.error('wrote docs/scenarios.md');
