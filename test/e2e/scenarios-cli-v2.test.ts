/**
 * One scenario's reference solutions through AWS CLI v2 (Debian's awscli package, 2.9.19, which
 * ignores AWS_ENDPOINT_URL and so gets --endpoint-url on every call, as the learner help says).
 * .ci/run installs it; elsewhere the test is skipped with the reason.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenarios/load.js';
import { startLab, type Lab } from '../helpers/lab.js';

const V2 = '/usr/bin/aws';
const hasV2 = existsSync(V2) && /aws-cli\/2\./.test(execFileSync(V2, ['--version'], { encoding: 'utf8' }));
const scenario = loadScenarios().scenarios.find((s) => s.id === 'secrets')!;

describe.skipIf(!hasV2)('secrets with AWS CLI v2 (Debian awscli)', () => {
  let lab: Lab;
  const saved = process.env.ECS_LAB_AWS_CLI;
  beforeAll(async () => {
    process.env.ECS_LAB_AWS_CLI = V2;
    lab = await startLab();
  });
  afterAll(async () => {
    process.env.ECS_LAB_AWS_CLI = saved;
    await lab?.close();
  });

  it('every step turns green with the v2 CLI', async () => {
    expect((await lab.cli('start', scenario.id)).code).toBe(0);
    for (const step of scenario.steps) {
      if (step.kind === 'quiz') await lab.cli('answer', scenario.id, '--step', step.id, step.answer);
      else await lab.shell(step.solution.cli.join('\n'));
      expect((await lab.statuses(scenario.id))[step.id], step.id).toBe('pass');
    }
  });
});
