/**
 * The built `ecs-lab` binary end to end against moto_server, with the learner's fix made through
 * the real AWS CLI (v1 from pip) in a separate process, as a learner would.
 * Needs `npm run build` first (CI does it).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../helpers/moto.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const bin = path.join(root, 'dist/cli.js');
let moto: Moto;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error('dist/cli.js is missing: run npm run build first');
  moto = await startMoto();
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-e2e-')),
    ECS_LAB_SCENARIOS: path.join(root, 'test/fixtures/mini-scenarios.yaml'),
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
  };
});
afterAll(async () => {
  await moto?.stop();
});

async function lab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args], { env, cwd: root });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function awsCli(...args: string[]): Promise<string> {
  const r = await run('aws', ['--endpoint-url', moto.endpoint, '--output', 'json', ...args], { env });
  return r.stdout;
}

describe('ecs-lab binary + AWS CLI on moto_server', () => {
  it('list --json lists what the scenarios file holds', async () => {
    const r = await lab('list', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((s: { id: string }) => s.id)).toEqual(['demo']);
  });

  it('the shipped scenarios.yaml lists the six CON307 cases', async () => {
    const r = await run(process.execPath, [bin, 'list', '--json'], { env: { ...env, ECS_LAB_SCENARIOS: '' }, cwd: root });
    expect(JSON.parse(r.stdout).map((s: { id: string; case: number }) => `${s.case}:${s.id}`)).toEqual([
      '1:patching',
      '2:task-roles',
      '3:network-isolation',
      '4:secrets',
      '5:capabilities',
      '6:tag-access',
    ]);
  });

  it('start -> check fails (exit 1) -> fix with the AWS CLI -> check passes (exit 0) -> reset (exit 0)', async () => {
    expect((await lab('start', 'demo')).code).toBe(0);
    const before = await lab('check', 'demo');
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/✖ FAIL {2}1\. No ingress from anywhere/);

    const groups = JSON.parse(await awsCli('ec2', 'describe-security-groups', '--filters', 'Name=group-name,Values=lab-open-sg'));
    const groupId = groups.SecurityGroups[0].GroupId as string;
    await awsCli('ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--protocol', 'tcp', '--port', '0-65535', '--cidr', '0.0.0.0/0');
    const clusterArn = JSON.parse(await awsCli('ecs', 'describe-clusters', '--clusters', 'lab-demo')).clusters[0].clusterArn as string;
    await awsCli('ecs', 'tag-resource', '--resource-arn', clusterArn, '--tags', 'key=environment,value=prod');
    expect((await lab('answer', 'demo', '--step', 'quiz', 'a')).code).toBe(0);

    const after = await lab('check', 'demo');
    expect(after.stdout).toMatch(/✔ All 3 steps pass\./);
    expect(after.code).toBe(0);

    const reset = await lab('reset', 'demo', '--yes');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/nothing lab-tagged is left/);
  });

  it('hint escalates and solution prints AWS CLI commands', async () => {
    const h1 = await lab('hint', 'demo', '--step', 'closed');
    const h2 = await lab('hint', 'demo', '--step', 'closed');
    expect(h1.stdout).toContain('Hint 1/3');
    expect(h2.stdout).toContain('Hint 2/3');
    const s = await lab('solution', 'demo', '--step', 'closed');
    expect(s.stdout).toContain('aws ec2 revoke-security-group-ingress');
  });
});
