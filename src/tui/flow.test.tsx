/**
 * The key flows on the real engine and the embedded sandbox in-process: start a scenario from the
 * TUI, fix a step with the real SDK as the learner would with the AWS CLI, check, and watch the
 * step turn to pass; quiz answered in place; the shipped scenarios included.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EC2 } from '@aws-sdk/client-ec2';
import { ECS } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectTarget } from '../aws/connect.js';
import { resolveTargetSpec } from '../aws/target.js';
import { startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { createEngine, type Engine } from '../scenarios/engine.js';
import { loadScenarios } from '../scenarios/load.js';
import { ProgressStore, storePath } from '../store/store.js';
import { KEY, renderTui, row, type Tui } from '../../test/helpers/tui.js';

const MINI = new URL('../../test/fixtures/mini-scenarios.yaml', import.meta.url).pathname;

let sandbox: RunningSandbox;
let store: ProgressStore;
let tui: Tui | undefined;
let closeConnection: (() => Promise<void>) | undefined;
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterEach(async () => {
  tui?.unmount();
  tui = undefined;
  await closeConnection?.();
  store?.close();
  await sandbox.close();
});

/** The engine exactly as `ecs-lab` builds it, on the local target (which finds the sandbox above). */
function realEngine(file?: string): Engine {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-tui-flow-'));
  const env = { ECS_LAB_HOME: home, ECS_LAB_LOCAL_PORT: String(sandbox.port), AWS_REGION: 'us-east-1' };
  const spec = resolveTargetSpec({}, env);
  store = new ProgressStore(storePath(home));
  return createEngine({
    scenarios: loadScenarios(file),
    store,
    learner: 'alice',
    connect: async () => {
      const c = await connectTarget(spec, 'alice', env);
      closeConnection = c.close;
      return c;
    },
  });
}

const learnerClients = () => {
  const config = { endpoint: sandbox.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  return { ec2: new EC2(config), ecs: new ECS(config) };
};

describe('terminal UI on the real engine and the in-process sandbox', () => {
  it('start -> check -> fix with the SDK -> c turns the step to pass -> watch -> quiz -> complete', async () => {
    const engine = realEngine(MINI);
    tui = await renderTui(engine, { watchIntervalMs: 100 });
    await tui.waitFor(`account 000000000000`);
    await tui.press(KEY.enter);
    await tui.waitFor('Press enter to start');
    await tui.press(KEY.enter);
    const startedFrame = await tui.waitFor('0 of 3 steps pass');
    expect(startedFrame).toContain('Started: ');
    expect(row(startedFrame, 'No ingress from anywhere')).toContain('✖ fail');
    expect(startedFrame).toContain('security group lab-open-sg');

    const { ec2, ecs } = learnerClients();
    const group = (await ec2.describeSecurityGroups({ Filters: [{ Name: 'group-name', Values: ['lab-open-sg'] }] })).SecurityGroups![0]!;
    await ec2.revokeSecurityGroupIngress({ GroupId: group.GroupId!, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
    await tui.press('c');
    const fixed = await tui.waitFor('1 of 3 steps pass');
    expect(row(fixed, 'No ingress from anywhere')).toContain('✔ pass');
    expect(row(fixed, 'No ingress from anywhere')).toContain('◆ changed, was fail');
    expect(row(fixed, 'The cluster is tagged')).toContain('✖ fail');

    await tui.press('w');
    await tui.waitFor('◉ watching');
    const cluster = (await ecs.describeClusters({ clusters: ['lab-demo'] })).clusters![0]!;
    await ecs.tagResource({ resourceArn: cluster.clusterArn!, tags: [{ key: 'environment', value: 'prod' }] });
    const watched = await tui.waitFor((f) => row(f, 'The cluster is tagged').includes('✔ pass'));
    expect(row(watched, 'The cluster is tagged')).toContain('◆ changed, was fail');
    await tui.press('w');

    await tui.press('j', 'j', KEY.enter, KEY.enter);
    const done = await tui.waitFor('✔ Right.');
    expect(row(done, 'A quiz')).toContain('✔ pass');
    await tui.press('c');
    await tui.waitFor('All 3 steps pass: demo is complete.');
    expect(engine.progress()[0]).toMatchObject({ passed: 3, total: 3, status: 'complete' });
    await tui.press(KEY.esc);
    expect(row(await tui.waitFor('Overall'), 'demo')).toMatch(/██████████\s+3\/3\s+✔ complete/);
  });

  it('a shipped scenario: network-isolation starts failing and its trunking step passes once the learner turns trunking on', async () => {
    const engine = realEngine();
    tui = await renderTui(engine);
    await tui.waitFor('account 000000000000');
    await tui.press('3', KEY.enter);
    await tui.waitFor('Case 3 · network-isolation');
    await tui.press(KEY.enter);
    const initial = await tui.waitFor('0 of 7 steps pass');
    expect(row(initial, 'ENI trunking for task density on EC2')).toContain('✖ fail');
    await learnerClients().ecs.putAccountSettingDefault({ name: 'awsvpcTrunking', value: 'enabled' });
    await tui.press('c');
    const after = await tui.waitFor('1 of 7 steps pass');
    expect(row(after, 'ENI trunking for task density on EC2')).toMatch(/✔ pass .*◆ changed, was fail/);
    expect(row(after, 'Tasks get their own network interfaces')).toContain('✖ fail');
  });
});
