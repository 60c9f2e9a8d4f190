import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios } from '../scenarios/load.js';
import { renderTui, scriptedEngine, type Tui } from '../../test/helpers/tui.js';
import { firstFrame } from './first-frame.js';
import { colorFor } from './hooks/use-ui.js';

let tui: Tui | undefined;
afterEach(() => tui?.unmount());

describe('the first frame painted before Ink loads', () => {
  it('is the very screen Ink draws next, line for line', async () => {
    const { engine, store } = scriptedEngine(loadScenarios());
    store.recordEvent('alice', 'secrets', 'start');
    for (const [columns, rows] of [
      [100, 30],
      [80, 24],
      [140, 45],
    ] as const) {
      tui = await renderTui(engine, { columns, rows, autoConnect: false });
      const ink = (await tui.waitFor('Overall')).split('\n').map((l) => l.trimEnd());
      const painted = firstFrame(engine.list(), { columns, rows, learner: 'alice', color: false }).split('\n');
      expect(painted).toEqual(ink.slice(0, painted.length));
      expect(painted).toHaveLength(rows - 1);
      tui.unmount();
      tui = undefined;
    }
  });

  it('is coloured only when colour is allowed', () => {
    const { engine } = scriptedEngine(loadScenarios());
    const sgr = /\u001b\[\d+m/;
    expect(firstFrame(engine.list(), { columns: 100, rows: 30, learner: 'a', color: true })).toMatch(sgr);
    expect(firstFrame(engine.list(), { columns: 100, rows: 30, learner: 'a', color: false })).not.toMatch(sgr);
  });
});

describe('colorFor', () => {
  it('follows FORCE_COLOR, NO_COLOR and TERM=dumb, then whether the output is a terminal', () => {
    expect(colorFor({ isTTY: true }, {})).toBe(true);
    expect(colorFor({ isTTY: false }, {})).toBe(false);
    expect(colorFor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorFor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorFor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorFor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });
});
