/**
 * The first frame, painted before Ink loads: the header, the scenario list and the footer, the
 * very lines Ink draws a moment later (frame.ts, screens/list-lines.ts). Loading Ink and React
 * takes a few hundred milliseconds; this makes the list appear within a few Node start-ups.
 * Ink's first render clears it and draws the same screen, now interactive; keys typed meanwhile
 * wait in stdin (raw mode is on, so they are not echoed).
 */
import type { ScenarioSummary } from '../scenarios/types.js';
import { footerLine, headerLine, paintLine } from './frame.js';
import { LIST_KEYS, listLines } from './screens/list-lines.js';

export interface FirstFrameOptions {
  columns: number;
  rows: number;
  learner: string;
  color: boolean;
}

/** The list screen as terminal text, from the top-left corner, `rows - 1` lines. */
export function firstFrame(list: ScenarioSummary[], o: FirstFrameOptions): string {
  const columns = Math.max(40, o.columns);
  const rows = Math.max(12, o.rows);
  const width = columns - 2;
  const body = listLines(list, 0, width, rows - 3);
  const lines = [headerLine({ state: 'connecting' }, o.learner, width), ...body, ...Array.from({ length: rows - 3 - body.length }, () => []), footerLine(LIST_KEYS, width)];
  return lines.map((l) => paintLine(l, columns - 1, o.color)).join('\n');
}
