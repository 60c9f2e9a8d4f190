/**
 * capabilities on the embedded sandbox, through the SDK: alternative valid fixes pass, partial
 * fixes fail exactly the step they leave unfinished.
 */
import { ECS, type ContainerDefinition, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../helpers/lab.js';

let lab: Lab;
let ecs: ECS;
beforeAll(async () => {
  lab = await startLab();
  ecs = new ECS(lab.clientConfig);
});
afterAll(async () => {
  await lab?.close();
});
beforeEach(async () => {
  await lab.cli('reset', '--all');
  expect((await lab.cli('start', 'capabilities')).code).toBe(0);
});

const image = 'public.ecr.aws/docker/library/busybox:1.36';
const agent = (c: Partial<ContainerDefinition>, td: Partial<RegisterTaskDefinitionCommandInput> = {}) =>
  ecs.registerTaskDefinition({ family: 'metrics-agent', requiresCompatibilities: ['EC2'], networkMode: 'bridge', memory: '256', containerDefinitions: [{ name: 'agent', image, essential: true, ...c }], ...td });
const profiler = (c: Partial<ContainerDefinition>, td: Partial<RegisterTaskDefinitionCommandInput> = {}) =>
  ecs.registerTaskDefinition({ family: 'profiler', memory: '256', containerDefinitions: [{ name: 'profiler', image, essential: true, ...c }], ...td });
const hardened = { user: '1000', readonlyRootFilesystem: true, linuxParameters: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } };
const fargateProfiler = { requiresCompatibilities: ['FARGATE' as const], networkMode: 'awsvpc' as const, cpu: '256', memory: '512' };

describe('capabilities: valid fixes', () => {
  it('a named non-root user, an explicit task PID mode and a bigger Fargate size all pass', async () => {
    await agent({ ...hardened, user: 'nobody:nogroup' }, { pidMode: 'task' });
    await profiler({ linuxParameters: { capabilities: { drop: ['ALL'], add: ['SYS_PTRACE'] } } }, { ...fargateProfiler, cpu: '1024', memory: '2048' });
    await ecs.updateService({ cluster: 'lab-prod', service: 'metrics-agent', taskDefinition: 'metrics-agent' });
    const s = await lab.statuses('capabilities');
    expect(s).toMatchObject({ 'no-privileged': 'pass', 'metrics-agent-capabilities': 'pass', 'metrics-agent-hardened': 'pass', 'profiler-on-fargate': 'pass', 'services-run-hardened': 'pass' });
  });

  it('the service may name the exact revision instead of the family', async () => {
    const r = await agent(hardened);
    await profiler({ linuxParameters: { capabilities: { drop: ['ALL'], add: ['SYS_PTRACE'] } } }, fargateProfiler);
    await ecs.updateService({ cluster: 'lab-prod', service: 'metrics-agent', taskDefinition: r.taskDefinition!.taskDefinitionArn });
    expect((await lab.statuses('capabilities'))['services-run-hardened']).toBe('pass');
  });
});

describe('capabilities: partial fixes fail the unfinished step', () => {
  it('adding a capability beyond NET_ADMIN fails the capabilities step only', async () => {
    await agent({ ...hardened, linuxParameters: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] } } });
    const s = await lab.statuses('capabilities');
    expect(s['metrics-agent-capabilities']).toBe('fail');
    expect(s['metrics-agent-hardened']).toBe('pass');
  });

  it('a hardened revision that is registered but not deployed fails only the deployment step', async () => {
    await agent(hardened);
    const r = await lab.check('capabilities');
    const s = Object.fromEntries(r.steps.map((x) => [x.id, x.status]));
    expect(s['metrics-agent-capabilities']).toBe('pass');
    expect(s['metrics-agent-hardened']).toBe('pass');
    expect(s['services-run-hardened']).toBe('fail');
    const msg = r.steps.find((x) => x.id === 'services-run-hardened')!.checks[0]!.message;
    expect(msg).toMatch(/^Service lab-prod\/metrics-agent runs metrics-agent:(\d+), but the newest revision is metrics-agent:(\d+): start a deployment\.$/);
  });

  it('uid 0 as the user fails the hardening step', async () => {
    await agent({ ...hardened, user: '0' });
    expect((await lab.statuses('capabilities'))['metrics-agent-hardened']).toBe('fail');
  });

  it('a Fargate profiler that keeps privileged fails the no-privileged step', async () => {
    await agent(hardened);
    await expect(profiler({ privileged: true }, fargateProfiler)).rejects.toThrow();
    await profiler({ privileged: true });
    expect((await lab.statuses('capabilities'))['no-privileged']).toBe('fail');
  });
});

describe('capabilities: the quiz on the command line', () => {
  it('check shows an unanswered quiz\'s question and choices, and no longer once it is answered', async () => {
    const before = await lab.cli('check', 'capabilities');
    expect(before.stdout).toContain('A container sets privileged: true and linuxParameters.capabilities drop [ALL]. What does it get, and what may a Fargate task add?');
    expect(before.stdout).toMatch(/^ {8}a\) .+\n {8}b\) .+\n {8}c\) .+$/m);
    const quiz = (await lab.check('capabilities')).steps.find((s) => s.kind === 'quiz')!;
    const usage = await lab.cli('answer', 'capabilities', '--step', quiz.id);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^ecs-lab: Usage: ecs-lab answer capabilities --step privileged-semantics CHOICE\. A container sets privileged: true .* a\) .* b\) .* c\) .*\n$/);
    expect((await lab.cli('answer', 'capabilities', '--step', quiz.id, 'b')).code).toBe(0); // scenarios.yaml: answer b
    expect((await lab.cli('check', 'capabilities')).stdout).not.toContain('What does it get, and what may a Fargate task add?');
  });
});
