import { afterEach, describe, expect, it } from 'vitest';
import { KEY, renderTui, scriptedEngine, type Tui } from '../../../test/helpers/tui.js';
import { miniScenarios } from '../../../test/helpers/mini.js';

const mini = miniScenarios();

let tui: Tui | undefined;
afterEach(() => tui?.unmount());

describe('help overlay', () => {
  it('lists every key over the current screen, which keeps its state underneath', async () => {
    const { engine } = scriptedEngine(mini);
    tui = await renderTui(engine);
    await tui.press(KEY.enter);
    await tui.waitFor('Case 1 · demo');
    await tui.press('j');
    await tui.press('?');
    const help = await tui.waitFor('In a scenario');
    for (const k of ['enter', 'esc', 'c ', 'w ', 'h ', 's ', 'r ', 'e ', 'p ', '? ', 'q ']) expect(help).toContain(`  ${k}`);
    expect(help).toContain('check every step against the live state');
    expect(help).toContain('NO_COLOR=1');
    expect(help).not.toContain('Case 1 · demo');
    // keys of the screen underneath do nothing while help is open
    await tui.press('c');
    expect(tui.session.snapshot().scenarios.demo?.phase ?? 'idle').toBe('idle');
    await tui.press(KEY.esc);
    const back = await tui.waitFor('Case 1 · demo');
    expect(back).toMatch(/› • not checked +2\. The cluster is tagged/);
  });

  it('scrolls on a small terminal so every line can be read', async () => {
    const { engine } = scriptedEngine(mini);
    tui = await renderTui(engine, { columns: 80, rows: 24 });
    await tui.press('?');
    const top = await tui.waitFor('Everywhere');
    expect(top).toContain('more line(s)');
    expect(top).not.toContain('NO_COLOR=1');
    await tui.press(' ', ' ', ' ');
    const bottom = await tui.waitFor('NO_COLOR=1');
    expect(bottom).toContain('show or hide the credentials');
    expect(bottom.split('\n').length).toBeLessThanOrEqual(23);
  });

  it('quits from help with q', async () => {
    const { engine } = scriptedEngine(mini);
    tui = await renderTui(engine);
    await tui.press('?');
    await tui.waitFor('Keys');
    await tui.press('q');
    expect(tui.quits).toBe(1);
  });
});

describe('confirmation', () => {
  it('ignores q and other keys until answered', async () => {
    const { engine } = scriptedEngine(mini);
    tui = await renderTui(engine);
    await tui.press(KEY.enter);
    await tui.waitFor('Case 1 · demo');
    await tui.press('r');
    await tui.waitFor('Reset demo?');
    await tui.press('c', '?');
    expect(tui.frame()).toContain('Reset demo?');
    await tui.press('q');
    await tui.waitFor((f) => !f.includes('Reset demo?'));
    expect(tui.quits).toBe(0);
  });
});
