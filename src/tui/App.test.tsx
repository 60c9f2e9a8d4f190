import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderTui, scriptedEngine, type Tui } from '../../test/helpers/tui.js';
import { miniScenarios } from '../../test/helpers/mini.js';

const mini = miniScenarios();

let tui: Tui | undefined;
afterEach(() => {
  tui?.unmount();
  delete process.env.INK_SCREEN_READER;
});

describe('screen reader mode (INK_SCREEN_READER=true)', () => {
  it('renders linear text with roles and states instead of bars, boxes and spinners', async () => {
    process.env.INK_SCREEN_READER = 'true';
    const { engine, script } = scriptedEngine(mini);
    script.results = { closed: { status: 'fail', message: 'Security group lab-open-sg is open.' }, tagged: { status: 'pass' } };
    tui = await renderTui(engine, { animate: true });
    const list = await tui.waitFor('Scenarios, 1 case.');
    expect(list).toContain('listitem: (selected) Case 1, demo: Demo scenario. Launch types FARGATE. 0 of 3 steps pass, not started.');
    expect(list).toContain('Overall: 0/3 steps pass');
    expect(list).toMatch(/Keys: ↑↓ move, enter open/);
    for (const drawing of ['█', '░', '─', '│', '╭']) expect(list).not.toContain(drawing);
    await tui.press(KEY.enter);
    await tui.waitFor('Press enter to start');
    await tui.press('c');
    const checked = await tui.waitFor('1 of 3 steps pass');
    expect(checked).toMatch(/listitem: \(selected\) .*✖ fail +1\. No ingress from anywhere/);
    expect(checked).toContain('Security group lab-open-sg is open.');
    for (const spin of ['⠋', '⠙', '⠹']) expect(checked).not.toContain(spin);
  });
});

describe('quitting', () => {
  it('quits with Ctrl+C too, and stops watching', async () => {
    const { engine, script } = scriptedEngine(mini);
    tui = await renderTui(engine);
    await tui.press(KEY.enter);
    await tui.waitFor('Case 1 · demo');
    await tui.press('w');
    await tui.waitFor('◉ watching');
    await tui.press(KEY.ctrlC);
    expect(tui.quits).toBe(1);
    const calls = script.calls.check;
    await new Promise((r) => setTimeout(r, 150));
    expect(script.calls.check).toBeLessThanOrEqual(calls + 1);
  });
});
