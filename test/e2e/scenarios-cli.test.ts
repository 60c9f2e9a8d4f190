/**
 * Every scenario, driven from scenarios.yaml: start -> every check step fails -> apply each step's
 * reference solution through the real AWS CLI, in order; after each, that step passes and no step
 * that passed before fails again -> quizzes answered -> all pass -> start again changes nothing ->
 * reset leaves nothing lab-tagged and an untagged resource made beforehand intact.
 */
import { ECS } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenarios/load.js';
import { plantedSecrets } from '../../src/scenarios/secrets.js';
import { startLab, type Lab } from '../helpers/lab.js';

const loaded = loadScenarios();
const scenarios = loaded.scenarios.filter((s) => s.steps.some((st) => st.kind === 'check'));
/** Every secret value planted by any starting state: none may appear in anything the lab prints. */
const planted = [...loaded.shared.resources, ...loaded.scenarios.flatMap((s) => s.resources)].flatMap((r) => plantedSecrets(r));

describe.each(scenarios.map((s) => [s.id, s] as const))('%s with the reference AWS CLI solutions', (id, scenario) => {
  let lab: Lab;
  let printed = '';
  beforeAll(async () => {
    lab = await startLab();
    const cli = lab.cli.bind(lab);
    // record everything the lab prints, to scan it for planted secrets at the end
    lab.cli = async (...args) => {
      const r = await cli(...args);
      printed += r.stdout + r.stderr;
      return r;
    };
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('start -> fail -> solve step by step -> pass -> reset', async () => {
    const ecs = new ECS(lab.clientConfig);
    await ecs.createCluster({ clusterName: 'learner-own-cluster' });

    const started = await lab.cli('start', id);
    expect(started.code, started.stderr).toBe(0);
    const initial = await lab.statuses(id);
    for (const step of scenario.steps) {
      expect(initial[step.id], `step ${step.id} on the starting state`).not.toBe('pass');
      if (step.kind === 'check') expect(initial[step.id], `step ${step.id} on the starting state`).toBe('fail');
    }

    const passed = new Set<string>();
    for (const step of scenario.steps) {
      if (step.kind === 'quiz') {
        expect((await lab.cli('answer', id, '--step', step.id, step.answer)).code).toBe(0);
      } else {
        await lab.shell(step.solution.cli.join('\n'));
      }
      const now = await lab.statuses(id);
      expect(now[step.id], `step ${step.id} after its solution`).toBe('pass');
      for (const earlier of passed) expect(now[earlier], `step ${earlier} after the solution of ${step.id}`).toBe('pass');
      passed.add(step.id);
    }
    const final = await lab.check(id);
    expect(final.status).toBe('pass');

    const again = JSON.parse((await lab.cli('start', id, '--json')).stdout);
    expect(again.resources.filter((r: { status: string }) => r.status !== 'found')).toEqual([]);

    const reset = await lab.cli('reset', '--all', '--json');
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout).leftovers).toEqual([]);
    const own = await ecs.describeClusters({ clusters: ['learner-own-cluster'] });
    expect(own.clusters?.[0]?.status).toBe('ACTIVE');

    for (const step of scenario.steps) {
      await lab.cli('hint', id, '--step', step.id);
      await lab.cli('solution', id, '--step', step.id);
    }
    expect(planted.length).toBeGreaterThan(0);
    expect(printed.length).toBeGreaterThan(1000);
    for (const secret of planted) expect(printed.includes(secret), `a planted secret value appears in the output of ${id}`).toBe(false);
  });
});
