/** The help overlay and the yes/no confirmation, drawn in place of the screen's body. */
import { Box, Text } from 'ink';
import { useState } from 'react';
import { useKeys } from '../hooks/use-keys.js';
import { useUi } from '../hooks/use-ui.js';
import type { KeyHint } from '../text.js';
import { Footer } from './Footer.js';
import { Lines, line, type Line } from './Lines.js';
import { wrap } from '../text.js';

export const HELP_SECTIONS: Array<{ title: string; keys: KeyHint[] }> = [
  {
    title: 'Everywhere',
    keys: [
      { key: '↑ ↓ / k j', label: 'move the focus (marked ›)' },
      { key: 'enter', label: 'open; on a quiz step, choose an answer' },
      { key: 'esc', label: 'back' },
      { key: 'e', label: 'sandbox: target, endpoint, account, AWS CLI setup' },
      { key: 'p', label: 'progress summary' },
      { key: '?', label: 'this help' },
      { key: 'q', label: 'quit (progress is saved; a sandbox started here stops)' },
    ],
  },
  {
    title: 'In a scenario',
    keys: [
      { key: 'enter', label: 'start a scenario not started yet; on a step, show only that step (esc to return)' },
      { key: 'c', label: 'check every step against the live state' },
      { key: 'w', label: 'watch: check again every few seconds, marking what changed' },
      { key: 'h', label: 'next hint for the focused step (3 levels, the last is the solution)' },
      { key: 's', label: 'reference solution for the focused step (asks first)' },
      { key: 'r', label: 'reset: delete what the lab created (asks first)' },
      { key: 'b', label: 'show the briefing' },
      { key: 'pgup pgdn', label: 'scroll the details (also space, ctrl+u, ctrl+d)' },
    ],
  },
  {
    title: 'In the sandbox panel',
    keys: [{ key: 'v', label: 'show or hide the credentials in the export lines' }],
  },
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const ui = useUi();
  const [offset, setOffset] = useState(0);
  useKeys((input, key) => {
    if (key.escape || input === '?' || key.return) onClose();
    else if (key.downArrow || input === 'j' || input === ' ' || key.pageDown) setOffset((o) => o + (key.pageDown || input === ' ' ? 10 : 1));
    else if (key.upArrow || input === 'k' || key.pageUp) setOffset((o) => Math.max(0, o - (key.pageUp ? 10 : 1)));
  });
  const keyWidth = 11;
  const lines: Line[] = [];
  for (const section of HELP_SECTIONS) {
    if (lines.length) lines.push(line(''));
    lines.push(line(section.title, undefined, true));
    for (const k of section.keys) {
      const body = wrap(k.label, ui.columns - keyWidth - 5);
      body.forEach((b, i) => lines.push([{ text: `  ${(i === 0 ? k.key : '').padEnd(keyWidth)} `, tone: 'accent' }, { text: b }]));
    }
  }
  lines.push(line(''));
  lines.push(line('Status words: ✔ pass, ✖ fail, ! error (state could not be read), - skipped, • not checked.', 'dim'));
  lines.push(line('Colour is off with NO_COLOR=1, --no-color or TERM=dumb; INK_SCREEN_READER=true gives linear text.', 'dim'));
  // a small terminal scrolls the list
  const room = Math.max(2, ui.bodyRows - 1);
  const top = Math.min(offset, Math.max(0, lines.length - room));
  let shown = lines.slice(top, top + room);
  if (top + room < lines.length) shown = [...shown.slice(0, -1), line(`↓ ${lines.length - top - room + 1} more line(s): ↓ or space`, 'dim')];
  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} paddingX={1} overflowY="hidden">
        <Text bold>Keys</Text>
        <Lines lines={ui.screenReader ? lines : shown} />
      </Box>
      <Footer keys={[...(lines.length > room ? [{ key: '↑↓', label: 'scroll' }] : []), { key: 'esc', label: 'close help' }, { key: 'q', label: 'quit' }]} />
    </Box>
  );
}

export interface ConfirmRequest {
  title: string;
  body: string;
  yes: string;
  onYes: () => void;
}

export function ConfirmOverlay({ request, onDone }: { request: ConfirmRequest; onDone: () => void }) {
  const ui = useUi();
  useKeys((input, key) => {
    if (input === 'y' || input === 'Y') {
      onDone();
      request.onYes();
    } else if (input === 'n' || input === 'N' || key.escape || input === 'q') onDone();
  });
  return (
    <Box flexDirection="column" flexGrow={1}>
      <Box flexDirection="column" flexGrow={1} paddingX={1} paddingY={1}>
        <Box flexDirection="column" borderStyle={ui.screenReader ? undefined : 'round'} paddingX={1}>
          <Text bold>{request.title}</Text>
          <Lines lines={wrap(request.body, ui.columns - 8).map((l) => line(l))} />
          <Text> </Text>
          <Text>
            <Text bold color="cyan">
              y
            </Text>{' '}
            {request.yes}
            {'   '}
            <Text bold color="cyan">
              n
            </Text>{' '}
            cancel
          </Text>
        </Box>
      </Box>
      <Footer keys={[{ key: 'y', label: request.yes }, { key: 'n/esc', label: 'cancel' }]} />
    </Box>
  );
}
