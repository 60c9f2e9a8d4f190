import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderTui, row, scriptedEngine, type Tui } from '../../../test/helpers/tui.js';
import { miniScenarios } from '../../../test/helpers/mini.js';

const mini = miniScenarios();

let tui: Tui | undefined;
afterEach(() => tui?.unmount());

describe('progress summary', () => {
  it('shows steps passed, hints used, solutions revealed and the last check per scenario', async () => {
    const { engine } = scriptedEngine(mini);
    tui = await renderTui(engine);
    await tui.press('p');
    const before = await tui.waitFor('Progress of alice');
    expect(row(before, 'demo')).toMatch(/0\/3\s+0\s+0\s+never\s+not started/);
    await tui.press(KEY.esc, KEY.enter);
    await tui.waitFor('Case 1 · demo');
    await tui.press('c');
    await tui.waitFor('0 of 3 steps pass');
    await tui.press('h', 'h', 's', 'y');
    await tui.waitFor('Solution:');
    engine.answer('demo', 'quiz', 'a');
    await tui.press('p');
    const after = await tui.waitFor('Progress of alice');
    expect(after).toContain('1/3 steps pass · 0 of 1 scenarios complete · 2 hint(s) · 1 solution(s) revealed');
    expect(row(after, 'demo')).toMatch(/1\/3\s+2\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+in progress/);
  });
});
