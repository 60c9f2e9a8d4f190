/**
 * The scenario list: case number, id, title, launch types and a progress bar per scenario, the
 * overall progress, and the focused scenario's case question when there is room.
 */
import { Box, Text } from 'ink';
import { useRef } from 'react';
import { useKeys } from '../hooks/use-keys.js';
import type { ScenarioSummary } from '../../scenarios/types.js';
import { Footer } from '../components/Footer.js';
import { LineText, Lines, line, type Line } from '../components/Lines.js';
import { useUi } from '../hooks/use-ui.js';
import { bar, truncate, wrap, type KeyHint } from '../text.js';

const STATUS_WORD: Record<ScenarioSummary['progress']['status'], { text: string; tone: 'good' | 'info' | 'dim' }> = {
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

export interface ListScreenProps {
  rows: ScenarioSummary[];
  cursor: number;
  active: boolean;
  onCursor(update: (current: number) => number): void;
  onOpen(id: string): void;
  onSandbox(): void;
  onProgress(): void;
}

export function overallLine(rows: ScenarioSummary[], width: number, screenReader: boolean): Line {
  const passed = rows.reduce((n, r) => n + r.progress.passed, 0);
  const total = rows.reduce((n, r) => n + r.progress.total, 0);
  const complete = rows.filter((r) => r.progress.status === 'complete').length;
  const words = `${passed}/${total} steps pass · ${complete} of ${rows.length} scenarios complete`;
  if (screenReader) return line(`Overall: ${words}.`);
  return [{ text: 'Overall  ', bold: true }, { text: bar(passed, total, Math.min(30, Math.max(10, width - words.length - 12))), tone: 'good' }, { text: `  ${words}` }];
}

export function ListScreen({ rows, cursor, active, onCursor, onOpen, onSandbox, onProgress }: ListScreenProps) {
  const ui = useUi();
  // keys of one burst ("jj\r") are handled before React re-renders: track the focus here
  const focus = useRef(cursor);
  focus.current = cursor;
  const move = (to: number) => {
    focus.current = Math.max(0, Math.min(rows.length - 1, to));
    const i = focus.current;
    onCursor(() => i);
  };
  useKeys(
    (input, key) => {
      if (key.upArrow || input === 'k') move(focus.current - 1);
      else if (key.downArrow || input === 'j') move(focus.current + 1);
      else if (key.return && rows[focus.current]) onOpen(rows[focus.current]!.id);
      else if (input === 'e') onSandbox();
      else if (input === 'p') onProgress();
      else if (/^[1-9]$/.test(input)) {
        const i = rows.findIndex((r) => r.case === Number(input));
        if (i >= 0) move(i);
      }
    },
    { isActive: active },
  );

  const width = ui.columns - 2;
  const selected = rows[cursor];

  if (ui.screenReader) {
    return (
      <Box flexDirection="column">
        <Text>Scenarios, {rows.length === 1 ? '1 case' : `${rows.length} cases`}. Move with arrow keys, enter opens.</Text>
        <Box flexDirection="column" aria-role="list">
          {rows.map((r, i) => (
            <Box key={r.id} aria-role="listitem" aria-state={{ selected: i === cursor }}>
              <Text>
                Case {r.case}, {r.id}: {r.title}. Launch types {r.launchTypes.join(', ')}. {r.progress.passed} of {r.progress.total} steps pass, {STATUS_WORD[r.progress.status].text}.
              </Text>
            </Box>
          ))}
        </Box>
        <LineText value={overallLine(rows, width, true)} />
        <Footer keys={LIST_KEYS} />
      </Box>
    );
  }

  // Each scenario takes two rows; a tall terminal also shows the focused case question.
  const barWidth = width >= 100 ? 20 : 10;
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  const used = 2 + rows.length * 2 + 1;
  const question = selected ? wrap(selected.question, width - 2) : [];
  const room = ui.bodyRows - used - 2;
  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} paddingX={1} overflow="hidden">
        <LineText value={overallLine(rows, width, false)} />
        <Text> </Text>
        {rows.map((r, i) => {
          const focused = i === cursor;
          const st = STATUS_WORD[r.progress.status];
          const count = `${r.progress.passed}/${r.progress.total}`.padStart(5);
          const head = `${focused ? '›' : ' '} ${String(r.case).padStart(2)}  ${r.id.padEnd(idWidth)}  `;
          const launch = r.launchTypes.join(' · ');
          return (
            <Box key={r.id} flexDirection="column">
              <LineText
                value={[
                  { text: head, tone: focused ? 'accent' : undefined, bold: focused },
                  { text: bar(r.progress.passed, r.progress.total, barWidth), tone: r.progress.status === 'complete' ? 'good' : r.progress.passed > 0 ? 'info' : 'dim' },
                  { text: ` ${count}  ` },
                  { text: st.text, tone: st.tone },
                ]}
              />
              <LineText
                value={[
                  { text: `      ${truncate(r.title, Math.max(10, width - launch.length - 9))}`, bold: focused },
                  { text: `  ${launch}`, tone: 'dim' },
                ]}
              />
            </Box>
          );
        })}
        {selected && room >= 2 ? (
          <>
            <Text> </Text>
            <Lines lines={[line(`Case ${selected.case} question`, 'dim'), ...question.slice(0, room - 1).map((q) => line(q))]} />
          </>
        ) : null}
      </Box>
      <Footer keys={LIST_KEYS} />
    </Box>
  );
}
