/** The one-line footer of the keys active on the current screen. */
import { Box, Text } from 'ink';
import { useUi } from '../hooks/use-ui.js';
import { footerLine } from '../frame.js';
import type { KeyHint } from '../text.js';
import { LineText } from './Lines.js';

export function Footer({ keys }: { keys: readonly KeyHint[] }) {
  const ui = useUi();
  if (ui.screenReader) return <Text>Keys: {keys.map((k) => `${k.key} ${k.label}`).join(', ')}</Text>;
  return (
    <Box paddingX={1} height={1}>
      <LineText value={footerLine(keys, ui.columns - 2)} />
    </Box>
  );
}
