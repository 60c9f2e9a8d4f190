import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsSession } from '../aws/session.js';
import { resolveTargetSpec } from '../aws/target.js';
import { ProgressStore } from '../store/store.js';
import { createEngine, type Engine } from './engine.js';
import { foldReport, type RunEvent } from './report.js';
import { miniScenarios } from '../../test/helpers/mini.js';

const ecs = mockClient(ECSClient);
const ec2 = mockClient(EC2Client);
const scenarios = miniScenarios();

function openGroup(open: boolean) {
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [{ GroupName: 'lab-open-sg', IpPermissions: [{ IpRanges: [{ CidrIp: open ? '0.0.0.0/0' : '10.0.0.0/16' }] }] }],
  });
}
function clusterTags(env?: string) {
  ecs.on(DescribeClustersCommand).resolves({
    clusters: [{ clusterName: 'lab-demo', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/lab-demo', status: 'ACTIVE', tags: env ? [{ key: 'environment', value: env }] : [] }],
  });
}

let store: ProgressStore;
let engine: Engine;
beforeEach(() => {
  store = new ProgressStore(':memory:');
  const spec = resolveTargetSpec({ endpoint: 'http://127.0.0.1:9' }, {});
  const aws = new AwsSession(spec, { maxAttempts: 1 });
  engine = createEngine({
    scenarios,
    store,
    learner: 'alice',
    connect: async () => ({
      aws,
      target: { kind: 'endpoint', endpoint: 'http://127.0.0.1:9', account: '123456789012', region: 'us-east-1' },
      account: '123456789012',
      principal: 'arn:aws:iam::123456789012:user/alice',
      enforcesIam: false,
      close: async () => {},
    }),
  });
});
afterEach(() => {
  ecs.reset();
  ec2.reset();
  store.close();
});

async function collect(id: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const e of engine.check(id)) events.push(e);
  return events;
}

describe('engine.check', () => {
  it('streams started, step-started, check-finished, step-finished and finished, in order', async () => {
    openGroup(true);
    clusterTags();
    const types = (await collect('demo')).map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('finished');
    expect(types.filter((t) => t === 'step-started')).toHaveLength(3);
    expect(types.filter((t) => t === 'check-finished')).toHaveLength(4);
    expect(types.indexOf('step-started')).toBeLessThan(types.indexOf('check-finished'));
  });

  it('folds into the CONTRACT §4 report: fails on the starting state', async () => {
    openGroup(true);
    clusterTags();
    const r = await foldReport(engine.check('demo'));
    expect(r).toMatchObject({ scenario: 'demo', learner: 'alice', status: 'fail', passed: 0, total: 3 });
    expect(r.target).toEqual({ kind: 'endpoint', endpoint: 'http://127.0.0.1:9', account: '123456789012', region: 'us-east-1' });
    const closed = r.steps[0]!;
    expect(closed).toMatchObject({ id: 'closed', kind: 'check', status: 'fail' });
    expect(closed.checks.map((c) => c.id)).toEqual(['aws-read', 'group-exists']);
    expect(closed.checks[0]!.controls).toContain('EC2.19');
    expect(closed.checks[0]!.message).toContain('security group lab-open-sg');
    expect(r.steps[2]).toMatchObject({ kind: 'quiz', status: 'fail' });
    expect(typeof r.durationMs).toBe('number');
  });

  it('passes every check step once fixed, and the quiz once answered right', async () => {
    openGroup(false);
    clusterTags('prod');
    expect(engine.answer('demo', 'quiz', 'b').correct).toBe(false);
    expect((await foldReport(engine.check('demo'))).status).toBe('fail');
    expect(engine.answer('demo', 'quiz', 'A')).toMatchObject({ correct: true, explanation: 'Because a is right.' });
    const r = await foldReport(engine.check('demo'));
    expect(r).toMatchObject({ status: 'pass', passed: 3, total: 3 });
  });

  it('reports an unreadable state as error, never fail, with the AWS code', async () => {
    ec2.on(DescribeSecurityGroupsCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'UnauthorizedOperation', $metadata: {} }));
    clusterTags('prod');
    const r = await foldReport(engine.check('demo'));
    expect(r.status).toBe('error');
    expect(r.steps[0]!.status).toBe('error');
    expect(r.steps[0]!.checks[0]!.message).toMatch(/UnauthorizedOperation/);
    expect(r.steps[1]!.status).toBe('pass');
  });

  it('records each run in the progress store', async () => {
    openGroup(false);
    clusterTags();
    await foldReport(engine.check('demo'));
    expect(Object.fromEntries(store.latestStepStatuses('alice', 'demo'))).toEqual({ closed: 'pass', tagged: 'fail', quiz: 'fail' });
    expect(engine.progress()[0]).toMatchObject({ id: 'demo', passed: 1, total: 3, status: 'in-progress' });
  });
});

describe('engine.hint and solution', () => {
  it('escalates one level per call on the first failing step, then stays at the full solution', async () => {
    openGroup(false);
    clusterTags();
    await foldReport(engine.check('demo'));
    const levels = [1, 2, 3, 4].map(() => engine.hint('demo'));
    expect(levels.map((h) => h?.step)).toEqual(['tagged', 'tagged', 'tagged', 'tagged']);
    expect(levels.map((h) => h?.level)).toEqual([1, 2, 3, 3]);
    expect(levels[2]!.final).toBe(true);
    expect(levels[0]!.text).toBe('Tags.');
    expect(engine.progress()[0]!.hintsUsed).toBe(4);
  });

  it('hints a named step, and returns null when every step passes', async () => {
    expect(engine.hint('demo', 'quiz')?.text).toBe('h1');
    openGroup(false);
    clusterTags('prod');
    engine.answer('demo', 'quiz', 'a');
    await foldReport(engine.check('demo'));
    expect(engine.hint('demo')).toBeNull();
  });

  it('records revealed solutions', () => {
    const s = engine.solution('demo', 'closed');
    expect(s.cli[0]).toMatch(/^aws ec2 revoke-security-group-ingress/);
    expect(engine.solution('demo', 'quiz').text).toMatch(/^Answer a: Right/);
    expect(engine.progress()[0]!.solutionsRevealed).toBe(2);
  });
});

describe('engine errors', () => {
  it('names the valid ids for an unknown scenario, step or choice', async () => {
    expect(() => engine.get('nope')).toThrow('Unknown scenario "nope" (valid: demo).');
    expect(() => engine.hint('demo', 'nope')).toThrow('(valid: closed, tagged, quiz)');
    expect(() => engine.answer('demo', 'closed', 'a')).toThrow('is not a quiz (quiz steps: quiz)');
    expect(() => engine.answer('demo', 'quiz', 'z')).toThrow('(valid: a, b)');
    await expect(foldReport(engine.check('nope'))).rejects.toThrow(/Unknown scenario/);
  });
});
