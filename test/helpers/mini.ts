/** The small two-scenario fixture (test/fixtures/mini-scenarios.yaml), parsed as the engine loads it. */
import { readFileSync } from 'node:fs';
import { parseScenarios, type LoadedScenarios } from '../../src/scenarios/load.js';

export const MINI_SCENARIOS_FILE = new URL('../fixtures/mini-scenarios.yaml', import.meta.url).pathname;

/** A fresh parse of the fixture (tests may change what they get). */
export function miniScenarios(): LoadedScenarios {
  return parseScenarios(readFileSync(MINI_SCENARIOS_FILE, 'utf8'), 'mini.yaml');
}
