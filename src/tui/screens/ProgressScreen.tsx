/** The progress summary: per scenario, steps passed, hints used, solutions revealed, last check. */
import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import type { ProgressRow } from '../../scenarios/types.js';
import { Footer } from '../components/Footer.js';
import { LineText, Lines, line, type Line } from '../components/Lines.js';
import { useUi } from '../hooks/use-ui.js';
import { bar } from '../text.js';

const WORD: Record<ProgressRow['status'], string> = { 'not-started': 'not started', 'in-progress': 'in progress', complete: '✔ complete' };

function when(iso?: string): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toTimeString().slice(0, 5)}`;
}

export function ProgressScreen({ rows, learner, active, onBack }: { rows: ProgressRow[]; learner: string; active: boolean; onBack(): void }) {
  const ui = useUi();
  useKeys(
    (_input, key) => {
      if (key.escape) onBack();
    },
    { isActive: active },
  );
  const passed = rows.reduce((n, r) => n + r.passed, 0);
  const total = rows.reduce((n, r) => n + r.total, 0);
  const hints = rows.reduce((n, r) => n + r.hintsUsed, 0);
  const solutions = rows.reduce((n, r) => n + r.solutionsRevealed, 0);
  const complete = rows.filter((r) => r.status === 'complete').length;
  const summary = `${passed}/${total} steps pass · ${complete} of ${rows.length} scenarios complete · ${hints} hint(s) · ${solutions} solution(s) revealed`;
  const idWidth = Math.max(8, ...rows.map((r) => r.id.length));
  const wideCols = ui.columns >= 100;
  const head = `${'case'.padEnd(5)}${'scenario'.padEnd(idWidth + 2)}${'steps'.padEnd(wideCols ? 19 : 7)}${'hints'.padEnd(7)}${'solutions'.padEnd(11)}${wideCols ? 'last check'.padEnd(18) : ''}status`;
  const lines: Line[] = rows.map((r) => [
    { text: `${String(r.case).padEnd(5)}${r.id.padEnd(idWidth + 2)}` },
    ...(wideCols ? [{ text: `${bar(r.passed, r.total, 10)} `, tone: r.status === 'complete' ? ('good' as const) : ('info' as const) }] : []),
    { text: `${`${r.passed}/${r.total}`.padEnd(7)}${String(r.hintsUsed).padEnd(7)}${String(r.solutionsRevealed).padEnd(11)}${wideCols ? when(r.lastCheckAt).padEnd(18) : ''}` },
    { text: WORD[r.status], tone: r.status === 'complete' ? 'good' : r.status === 'in-progress' ? 'info' : 'dim' },
  ]);
  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} paddingX={1} overflowY="hidden">
        <Text bold>Progress of {learner}</Text>
        <LineText value={line(summary)} />
        <Text> </Text>
        <Text dimColor>{head}</Text>
        <Lines lines={lines} />
      </Box>
      <Footer keys={[{ key: 'esc', label: 'back' }, { key: '?', label: 'help' }, { key: 'q', label: 'quit' }]} />
    </Box>
  );
}
