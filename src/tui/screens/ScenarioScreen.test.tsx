import { afterEach, describe, expect, it } from 'vitest';
import type { ProvisionedResource } from '../../scenarios/provision.js';
import { KEY, renderTui, row, scriptedEngine, type Tui } from '../../../test/helpers/tui.js';
import { miniScenarios } from '../../../test/helpers/mini.js';

const mini = miniScenarios();
const demo = mini.scenarios[0]!;

const resource = (type: string, name: string, status: 'created' | 'found'): ProvisionedResource => ({ type, name, id: name, arn: `arn:${name}`, status, scenario: 'demo' });

let tui: Tui | undefined;
afterEach(() => tui?.unmount());

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

/** The demo scenario opened, started and checked once (closed fails, tagged passes). */
async function started(opts: { columns?: number; rows?: number } = {}) {
  const lab = scriptedEngine(mini);
  lab.script.resources = [resource('ec2-vpc', 'lab-vpc', 'found'), resource('ec2-security-group', 'lab-open-sg', 'created')];
  lab.script.results = {
    closed: { status: 'fail', id: 'sg-no-open-ingress', message: 'Security group lab-open-sg allows 0.0.0.0/0 on tcp 0-65535.', resources: ['arn:aws:ec2:us-east-1:000000000000:security-group/sg-123'], controls: ['EC2.19'] },
    tagged: { status: 'pass' },
  };
  tui = await renderTui(lab.engine, opts);
  await tui.press(KEY.enter);
  await tui.waitFor('Press enter to start');
  await tui.press(KEY.enter);
  await tui.waitFor('1 of 3 steps pass');
  return { ...lab, tui };
}

describe('scenario view: not started', () => {
  it('shows the case question and briefing and offers to start, then shows each resource as it is created', async () => {
    const lab = scriptedEngine(mini);
    const gate = deferred();
    lab.script.gate = gate.promise;
    lab.script.resources = [resource('ec2-vpc', 'lab-vpc', 'found'), resource('ec2-security-group', 'lab-open-sg', 'created'), resource('ecs-cluster', 'lab-demo', 'created')];
    tui = await renderTui(lab.engine);
    await tui.press(KEY.enter);
    const offer = await tui.waitFor('Press enter to start');
    expect(offer).toContain('Case 1 · demo · Demo scenario');
    expect(offer).toContain(`Q: ${demo.question}`);
    expect(offer).toContain(demo.briefing);
    expect(row(offer, 'No ingress from anywhere')).toContain('• not checked');
    expect(offer).toContain('enter start');
    await tui.press(KEY.enter);
    const building = await tui.waitFor('+ created  ec2-security-group lab-open-sg');
    expect(building).toContain('= found    ec2-vpc lab-vpc');
    expect(building).toContain('2 resource(s) so far, 1 created, 1 already there');
    expect(building).not.toContain('ecs-cluster lab-demo');
    gate.release();
    const done = await tui.waitFor('Started: 2 resource(s) created, 1 already there');
    expect(lab.script.calls.start).toBe(1);
    // starting runs a first check, so the learner sees what to fix
    await tui.waitFor('0 of 3 steps pass');
    expect(done).not.toContain('Press enter to start');
  });

  it('reports a start that fails, and offers to start again', async () => {
    const lab = scriptedEngine(mini);
    lab.script.fail = { start: 'Could not create ec2-vpc lab-vpc: AccessDenied' };
    tui = await renderTui(lab.engine);
    await tui.press(KEY.enter);
    await tui.waitFor('Press enter to start');
    await tui.press(KEY.enter);
    const f = await tui.waitFor('Could not start demo');
    expect(f).toContain('AccessDenied');
    expect(f).toContain('Press enter to start');
  });
});

describe('scenario view: checks', () => {
  it('streams results in as each step finishes, with a spinner word only while running', async () => {
    const { tui, script } = await started();
    const gate = deferred();
    script.gate = gate.promise;
    script.results.closed = { status: 'pass' };
    await tui.press('c');
    const running = await tui.waitFor('checking step 1 of 3');
    expect(row(running, 'No ingress from anywhere')).toMatch(/… checking/);
    expect(row(running, 'The cluster is tagged')).not.toContain('checking');
    gate.release();
    const f = await tui.waitFor('2 of 3 steps pass');
    expect(f).not.toContain('checking');
    expect(row(f, 'No ingress from anywhere')).toContain('✔ pass');
    expect(row(f, 'No ingress from anywhere')).toContain('◆ changed, was fail');
    expect(row(f, 'The cluster is tagged')).not.toContain('changed');
    expect(row(f, 'A quiz')).toContain('✖ fail');
  });

  it('shows a failing check with its message, resources and control ids', async () => {
    const { tui } = await started();
    const f = tui.frame();
    expect(row(f, 'No ingress from anywhere')).toMatch(/› ✖ fail +1\. No ingress from anywhere/);
    expect(f).toContain('✖ fail  sg-no-open-ingress');
    expect(f).toContain('Security group lab-open-sg allows 0.0.0.0/0 on tcp 0-65535.');
    expect(f).toContain('resource: arn:aws:ec2:us-east-1:000000000000:security-group/sg-123');
    expect(f).toContain('controls: EC2.19');
    expect(f).toContain('Why it matters: A group open to 0.0.0.0/0');
    await tui.press('j');
    expect(row(tui.frame(), 'The cluster is tagged')).toMatch(/› ✔ pass/);
    expect(tui.frame()).toContain('✔ pass  tagged-check');
  });

  it('shows a check run that cannot run, and keeps the steps', async () => {
    const { tui, script } = await started();
    script.fail = { check: 'Cannot reach the target http://127.0.0.1:4566 (ECONNREFUSED).' };
    await tui.press('c');
    const f = await tui.waitFor('The check could not run');
    expect(f).toContain('ECONNREFUSED');
    expect(row(f, 'The cluster is tagged')).toContain('✔ pass');
  });

  it('watches: checks again every few seconds, marks what changed, and stops when every step passes', async () => {
    const { tui, script, engine } = await started();
    await tui.press('w');
    await tui.waitFor('◉ watching');
    const before = script.calls.check;
    await tui.waitFor(() => script.calls.check >= before + 2);
    script.results.closed = { status: 'pass' };
    const changed = await tui.waitFor((f) => row(f, 'No ingress from anywhere').includes('◆ changed, was fail'));
    expect(row(changed, 'No ingress from anywhere')).toContain('✔ pass');
    expect(changed).toContain('◉ watching');
    engine.answer('demo', 'quiz', 'a');
    const done = await tui.waitFor('All 3 steps pass: demo is complete.');
    expect(done).not.toContain('◉ watching');
    const calls = script.calls.check;
    await new Promise((r) => setTimeout(r, 150));
    expect(script.calls.check).toBe(calls);
  });

  it('stops watching on w, and when leaving the scenario', async () => {
    const { tui, script } = await started();
    await tui.press('w');
    await tui.waitFor('◉ watching');
    await tui.press('w');
    await tui.waitFor((f) => !f.includes('◉ watching'));
    await tui.press('w');
    await tui.waitFor('◉ watching');
    await tui.press(KEY.esc);
    await tui.waitFor('Overall');
    const calls = script.calls.check;
    await new Promise((r) => setTimeout(r, 150));
    expect(script.calls.check).toBeLessThanOrEqual(calls + 1);
    expect(tui.session.snapshot().scenarios.demo!.watching).toBe(false);
  });
});

describe('scenario view: hints, solutions, quiz, reset', () => {
  it('escalates hints one level per press and asks before the level that is the full solution', async () => {
    const { tui, engine } = await started();
    await tui.press('h');
    expect(await tui.waitFor('Hint 1 of 3:')).toContain(`Hint 1 of 3: ${demo.steps[0]!.hints[0]}`);
    await tui.press('h');
    const two = await tui.waitFor('Hint 2 of 3:');
    expect(two).toContain('Hint 1 of 3:');
    await tui.press('h');
    const ask = await tui.waitFor('Show the full solution of step 1?');
    expect(ask).toContain('y show it');
    await tui.press('n');
    const declined = await tui.waitFor('Hint 2 of 3:');
    expect(declined).not.toContain('Hint 3 of 3');
    expect(engine.state('demo').hintLevels.closed).toBe(2);
    await tui.press('h');
    await tui.waitFor('Show the full solution');
    await tui.press('y');
    const three = await tui.waitFor('Hint 3 of 3 (the solution):');
    expect(three).toContain(demo.steps[0]!.hints[2]!.slice(0, 30));
    expect(engine.state('demo').hintLevels.closed).toBe(3);
    // nothing more to show: no question, nothing recorded again
    const used = engine.progress()[0]!.hintsUsed;
    await tui.press('h');
    expect(tui.frame()).not.toContain('Show the full solution');
    expect(engine.progress()[0]!.hintsUsed).toBe(used);
  });

  it('asks before revealing the reference solution, with its AWS CLI commands', async () => {
    const { tui, engine } = await started();
    await tui.press('s');
    await tui.waitFor('Reveal the reference solution of step 1?');
    await tui.press(KEY.esc);
    await tui.waitFor((f) => !f.includes('Reveal the reference'));
    expect(tui.frame()).not.toContain('Solution:');
    await tui.press('s', 'y');
    const f = await tui.waitFor('Solution: Revoke the open rule.');
    expect(f).toContain('$ aws ec2 revoke-security-group-ingress');
    expect(engine.progress()[0]!.solutionsRevealed).toBe(1);
  });

  it('answers a quiz step in place: a wrong choice says so, the right one passes the step', async () => {
    const { tui, engine } = await started();
    await tui.press('j', 'j');
    const quiz = await tui.waitFor('Question: Which?');
    expect(quiz).toContain('a) Right');
    expect(quiz).toContain('Press enter to answer.');
    await tui.press(KEY.enter);
    await tui.waitFor('› a) Right');
    expect(tui.frame()).toContain('enter answer');
    await tui.press('j');
    await tui.waitFor('› b) Wrong');
    await tui.press(KEY.enter);
    await tui.waitFor('"b" is not the answer');
    expect(row(tui.frame(), 'A quiz')).toContain('✖ fail');
    await tui.press('k', KEY.enter);
    const right = await tui.waitFor('✔ Right. Because a is right.');
    expect(row(right, 'A quiz')).toContain('✔ pass');
    expect(engine.state('demo').steps.quiz).toBe('pass');
    // focus is back on the steps
    await tui.press('k');
    expect(row(tui.frame(), 'The cluster is tagged')).toContain('›');
  });

  it('resets after a confirmation, and offers to start again', async () => {
    const { tui, script } = await started();
    await tui.press('r');
    const ask = await tui.waitFor('Reset demo?');
    expect(ask).toContain('resources tagged ecs-lab:scenario=demo');
    await tui.press('n');
    await tui.waitFor((f) => !f.includes('Reset demo?'));
    expect(script.calls.reset).toBe(0);
    await tui.press('r', 'y');
    const f = await tui.waitFor('Reset demo: 2 resource(s) deleted; nothing lab-tagged is left.');
    expect(f).toContain('Press enter to start');
    expect(script.calls.reset).toBe(1);
  });

  it('shows an incomplete reset', async () => {
    const { tui, script } = await started();
    script.fail = { reset: 'Reset left 1 lab-tagged resource(s): ecs-cluster lab-demo (DeleteCluster: ClusterContainsServicesException).' };
    await tui.press('r', 'y');
    expect(await tui.waitFor('Reset incomplete')).toContain('ClusterContainsServicesException');
  });

  it('shows the briefing on b and scrolls long details', async () => {
    const { tui } = await started({ columns: 80, rows: 20 });
    await tui.press('b');
    await tui.waitFor('Briefing');
    await tui.press('b');
    await tui.waitFor((f) => !f.includes('Briefing'));
    await tui.press('h', 'h');
    const long = await tui.waitFor('more line(s): pgdn');
    expect(long).toContain('Hint 1 of 3');
    await tui.press(KEY.pageDown);
    await tui.waitFor((f) => !f.includes('Hint 1 of 3') && f.includes('EC2.19'));
  });
});

describe('scenario view: layout', () => {
  it('zooms into the focused step with enter, leaving room for its details, and back with esc', async () => {
    const { tui } = await started({ columns: 80, rows: 24 });
    await tui.press(KEY.enter);
    const zoomed = await tui.waitFor((f) => !f.includes('The cluster is tagged'));
    expect(zoomed).toMatch(/› ✖ fail +1\. No ingress from anywhere/);
    await tui.press(KEY.esc);
    await tui.waitFor('The cluster is tagged');
    expect(tui.frame()).toContain('Case 1 · demo');
  });

  it('fits 80x24 with the header, checklist, details and footer', async () => {
    const { tui } = await started({ columns: 80, rows: 24 });
    const lines = tui.frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain('ecs-lab');
    expect(lines.at(-1)).toMatch(/c check .*q quit/);
    expect(tui.frame()).toContain('sg-no-open-ingress');
  });

  it('puts the checklist and the details side by side on a wide terminal', async () => {
    const { tui } = await started({ columns: 150, rows: 40 });
    const f = tui.frame();
    const line = row(f, 'No ingress from anywhere');
    expect(line).toContain('│');
    expect(line.indexOf('│')).toBeLessThan(line.length - 5);
    expect(f).toContain('controls: EC2.19');
  });
});
