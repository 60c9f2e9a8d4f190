/** The scenario list as lines (pure: the Ink screen and the instant first frame draw the same). */
import type { ScenarioSummary } from '../../scenarios/types.js';
import { bar, line, truncate, wrap, type KeyHint, type Line } from '../text.js';

export const STATUS_WORD: Record<ScenarioSummary['progress']['status'], { text: string; tone: 'good' | 'info' | 'dim' }> = {
  'not-started': { text: 'not started', tone: 'dim' },
  'in-progress': { text: 'in progress', tone: 'info' },
  complete: { text: '✔ complete', tone: 'good' },
};

export const LIST_KEYS: KeyHint[] = [
  { key: '↑↓', label: 'move' },
  { key: 'enter', label: 'open' },
  { key: 'e', label: 'sandbox' },
  { key: 'p', label: 'progress' },
  { key: '?', label: 'help' },
  { key: 'q', label: 'quit' },
];

export function overallLine(rows: ScenarioSummary[], width: number, screenReader: boolean): Line {
  const passed = rows.reduce((n, r) => n + r.progress.passed, 0);
  const total = rows.reduce((n, r) => n + r.progress.total, 0);
  const complete = rows.filter((r) => r.progress.status === 'complete').length;
  const words = `${passed}/${total} steps pass · ${complete} of ${rows.length} scenarios complete`;
  if (screenReader) return line(`Overall: ${words}.`);
  return [{ text: 'Overall  ', bold: true }, { text: bar(passed, total, Math.min(30, Math.max(10, width - words.length - 12))), tone: 'good' }, { text: `  ${words}` }];
}

/**
 * The list body, `width` columns and at most `height` rows: the overall progress, two rows per
 * scenario (case, id, bar, count, status; title and launch types), and when there is room the
 * focused scenario's case question.
 */
export function listLines(rows: ScenarioSummary[], cursor: number, width: number, height: number): Line[] {
  const barWidth = width >= 100 ? 20 : 10;
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  const out: Line[] = [overallLine(rows, width, false), line('')];
  rows.forEach((r, i) => {
    const focused = i === cursor;
    const st = STATUS_WORD[r.progress.status];
    const count = `${r.progress.passed}/${r.progress.total}`.padStart(5);
    const launch = r.launchTypes.join(' · ');
    out.push([
      { text: `${focused ? '›' : ' '} ${String(r.case).padStart(2)}  ${r.id.padEnd(idWidth)}  `, tone: focused ? 'accent' : undefined, bold: focused },
      { text: bar(r.progress.passed, r.progress.total, barWidth), tone: r.progress.status === 'complete' ? 'good' : r.progress.passed > 0 ? 'info' : 'dim' },
      { text: ` ${count}  ` },
      { text: st.text, tone: st.tone },
    ]);
    out.push([
      { text: `      ${truncate(r.title, Math.max(10, width - launch.length - 9))}`, bold: focused },
      { text: `  ${launch}`, tone: 'dim' },
    ]);
  });
  const selected = rows[cursor];
  const room = height - out.length - 1;
  if (selected && room >= 2) {
    out.push(line(''), line(`Case ${selected.case} question`, 'dim'), ...wrap(selected.question, width - 2).slice(0, room - 1).map((q) => line(q)));
  }
  return out.slice(0, height);
}
