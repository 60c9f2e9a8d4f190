/**
 * The scenario list: case number, id, title, launch types and a progress bar per scenario, the
 * overall progress, and the focused scenario's case question when there is room.
 */
import { Box, Text } from 'ink';
import { useRef } from 'react';
import { useKeys } from '../hooks/use-keys.js';
import type { ScenarioSummary } from '../../scenarios/types.js';
import { Footer } from '../components/Footer.js';
import { LineText, Lines } from '../components/Lines.js';
import { useUi } from '../hooks/use-ui.js';
import { LIST_KEYS, listLines, overallLine, STATUS_WORD } from './list-lines.js';

export { LIST_KEYS } from './list-lines.js';

export interface ListScreenProps {
  rows: ScenarioSummary[];
  cursor: number;
  active: boolean;
  onCursor(update: (current: number) => number): void;
  onOpen(id: string): void;
  onSandbox(): void;
  onProgress(): void;
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

  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} paddingX={1} overflowY="hidden">
        <Lines lines={listLines(rows, cursor, width, ui.bodyRows)} />
      </Box>
      <Footer keys={LIST_KEYS} />
    </Box>
  );
}
