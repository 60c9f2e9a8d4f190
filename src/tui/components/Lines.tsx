/**
 * Pre-laid-out lines: each is exactly one terminal row (text.ts wraps), so screens know their
 * height. A line is a list of segments, each with its own tone.
 */
import { Text } from 'ink';
import type { ToneName } from '../theme.js';
import { toneColor } from '../theme.js';

export interface Seg {
  text: string;
  tone?: ToneName;
  bold?: boolean;
}
export type Line = Seg[];

/** One line of one segment. */
export function line(text: string, tone?: ToneName, bold?: boolean): Line {
  return [{ text, tone, bold }];
}

export function LineText({ value }: { value: Line }) {
  if (value.length === 0 || value.every((s) => s.text === '')) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {value.map((s, i) => (
        <Text key={i} color={toneColor(s.tone)} dimColor={s.tone === 'dim'} bold={s.bold}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

export function Lines({ lines }: { lines: readonly Line[] }) {
  return (
    <>
      {lines.map((l, i) => (
        <LineText key={i} value={l} />
      ))}
    </>
  );
}
