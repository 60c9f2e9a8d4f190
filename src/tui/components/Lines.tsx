/**
 * Pre-laid-out lines: each is exactly one terminal row (text.ts wraps), so screens know their
 * height. A line is a list of segments, each with its own tone, drawn as one Ink text with the
 * colours already in it: one node per row keeps each frame cheap (a key waits for it).
 */
import { Text } from 'ink';
import { memo } from 'react';
import { styleLine } from '../frame.js';
import { useUi } from '../hooks/use-ui.js';
import type { Line } from '../text.js';

export { line, type Line, type Seg } from '../text.js';

export function LineText({ value }: { value: Line }) {
  const { color } = useUi();
  return <StyledText text={styleLine(value, color) || ' '} />;
}

const StyledText = memo(function StyledText({ text }: { text: string }) {
  return <Text wrap="truncate-end">{text}</Text>;
});

export function Lines({ lines }: { lines: readonly Line[] }) {
  const { color } = useUi();
  return (
    <>
      {lines.map((l, i) => (
        <StyledText key={i} text={styleLine(l, color) || ' '} />
      ))}
    </>
  );
}
