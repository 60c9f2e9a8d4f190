import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadScenariosCached } from './cache.js';
import { DEFAULT_SCENARIOS_FILE, loadScenarios } from './load.js';

const mini = readFileSync(new URL('../../test/fixtures/mini-scenarios.yaml', import.meta.url), 'utf8');

let dir: string;
let cacheDir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-cache-'));
  cacheDir = path.join(dir, 'cache');
  file = path.join(dir, 'scenarios.yaml');
  writeFileSync(file, mini);
});

describe('loadScenariosCached', () => {
  it('validates on the first load and reads the same scenarios back from the cache afterwards', async () => {
    const first = await loadScenariosCached(file, cacheDir, '1.0.0');
    expect(first.validated).toBe(true);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const second = await loadScenariosCached(file, cacheDir, '1.0.0');
    expect(second.validated).toBe(false);
    expect(second.scenarios).toEqual(first.scenarios);
  });

  it('gives exactly what the loader gives for the shipped scenarios', async () => {
    await loadScenariosCached(DEFAULT_SCENARIOS_FILE, cacheDir, 'x');
    const cached = await loadScenariosCached(DEFAULT_SCENARIOS_FILE, cacheDir, 'x');
    expect(cached.validated).toBe(false);
    expect(cached.scenarios).toEqual(loadScenarios(DEFAULT_SCENARIOS_FILE));
  });

  it('validates again when the file or the version changes, keeping one entry', async () => {
    await loadScenariosCached(file, cacheDir, '1.0.0');
    writeFileSync(file, mini.replace('title: Demo scenario', 'title: Renamed scenario'));
    const edited = await loadScenariosCached(file, cacheDir, '1.0.0');
    expect(edited.validated).toBe(true);
    expect(edited.scenarios.scenarios[0]!.title).toBe('Renamed scenario');
    expect((await loadScenariosCached(file, cacheDir, '1.0.1')).validated).toBe(true);
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it('reports a mistake in the file with its line, also after a valid version was cached', async () => {
    await loadScenariosCached(file, cacheDir, '1.0.0');
    writeFileSync(file, mini.replace('launchTypes: [FARGATE]', 'launchTypes: [FARGATE, LAMBDA]'));
    await expect(loadScenariosCached(file, cacheDir, '1.0.0')).rejects.toThrow(/scenarios\.yaml:\d+:\d+: scenarios\[0\]\.launchTypes\[1\]: .*valid: FARGATE, EC2, EXTERNAL/);
  });

  it('treats a damaged entry as a miss', async () => {
    await loadScenariosCached(file, cacheDir, '1.0.0');
    const entry = path.join(cacheDir, readdirSync(cacheDir)[0]!);
    writeFileSync(entry, '{"scen');
    const again = await loadScenariosCached(file, cacheDir, '1.0.0');
    expect(again.validated).toBe(true);
    expect(again.scenarios.scenarios.map((s) => s.id)).toEqual(['demo']);
  });

  it('still loads when the cache directory cannot be written', async () => {
    writeFileSync(path.join(dir, 'not-a-dir'), '');
    const r = await loadScenariosCached(file, path.join(dir, 'not-a-dir', 'cache'), '1.0.0');
    expect(r.scenarios.scenarios).toHaveLength(1);
  });
});
