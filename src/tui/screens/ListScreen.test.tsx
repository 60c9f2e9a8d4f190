import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios, type LoadedScenarios } from '../../scenarios/load.js';
import { KEY, renderTui, row, scriptedEngine, type Tui } from '../../../test/helpers/tui.js';

let scenarios: LoadedScenarios;
beforeAll(() => {
  scenarios = loadScenarios();
});

let tui: Tui | undefined;
afterEach(() => tui?.unmount());

const recordRun = (store: ReturnType<typeof scriptedEngine>['store'], scenario: string, pass: string[], all: string[]) =>
  store.recordCheck({
    learner: 'alice',
    scenario,
    status: 'fail',
    passed: pass.length,
    total: all.length,
    durationMs: 1,
    apiCalls: 1,
    target: 'local',
    steps: all.map((id) => ({ id, status: pass.includes(id) ? 'pass' : 'fail' })),
  });

describe('scenario list', () => {
  it('shows every case with its number, id, title, launch types and progress, and the overall progress', async () => {
    const { engine, store } = scriptedEngine(scenarios);
    const secrets = scenarios.scenarios.find((s) => s.id === 'secrets')!;
    const ids = secrets.steps.map((s) => s.id);
    recordRun(store, 'secrets', ids.slice(0, 3), ids);
    tui = await renderTui(engine);
    const f = await tui.waitFor('secrets');
    for (const s of scenarios.scenarios) {
      expect(row(f, s.id)).toContain(String(s.case));
      expect(f).toContain(s.title);
      expect(f).toContain(s.launchTypes.join(' · '));
    }
    expect(row(f, 'secrets')).toMatch(/████░░░░░░\s+3\/7\s+in progress/);
    expect(row(f, 'patching')).toMatch(/░{10}\s+0\/7\s+not started/);
    const total = scenarios.scenarios.reduce((n, s) => n + s.steps.length, 0);
    expect(row(f, 'Overall')).toContain(`3/${total} steps pass · 0 of 6 scenarios complete`);
    // the focused scenario's case question
    expect(f).toContain(scenarios.scenarios[0]!.question.slice(0, 40));
  });

  it('moves the focus with arrows, j/k and case numbers, and opens the focused scenario with enter', async () => {
    const { engine } = scriptedEngine(scenarios);
    tui = await renderTui(engine);
    expect(row(tui.frame(), 'patching')).toMatch(/^ › +1 +patching/);
    await tui.press('j', KEY.down);
    expect(row(tui.frame(), 'network-isolation')).toMatch(/› +3 +network-isolation/);
    expect(row(tui.frame(), 'patching')).not.toContain('›');
    await tui.press('k');
    expect(row(tui.frame(), 'task-roles')).toContain('›');
    await tui.press(KEY.up, KEY.up);
    expect(row(tui.frame(), 'patching')).toContain('›');
    await tui.press('6');
    expect(row(tui.frame(), 'tag-access')).toContain('›');
    await tui.press(KEY.enter);
    await tui.waitFor('Case 6 · tag-access');
    await tui.press(KEY.esc);
    const back = await tui.waitFor('Overall');
    expect(row(back, 'tag-access')).toContain('›');
  });

  it('handles a burst of keys that arrives in one read, key by key', async () => {
    const { engine } = scriptedEngine(scenarios);
    tui = await renderTui(engine);
    await tui.burst('jj\r');
    await tui.waitFor('Case 3 · network-isolation');
  });

  it('fits 80x24 and uses the room of a larger terminal', async () => {
    const { engine } = scriptedEngine(scenarios);
    tui = await renderTui(engine, { columns: 80, rows: 24 });
    const small = await tui.waitFor('tag-access');
    const lines = small.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(small).toContain('q quit');
    tui.unmount();
    tui = await renderTui(engine, { columns: 140, rows: 40 });
    const big = await tui.waitFor('tag-access');
    expect(row(big, 'patching')).toMatch(/░{20}/);
    expect(big).toContain(scenarios.scenarios[0]!.question);
  });

  it('quits with q', async () => {
    const { engine } = scriptedEngine(scenarios);
    tui = await renderTui(engine);
    await tui.press('q');
    expect(tui.quits).toBe(1);
  });
});
