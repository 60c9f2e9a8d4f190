/** The one-line footer of the keys active on the current screen. */
import { Box, Text } from 'ink';
import { useUi } from '../hooks/use-ui.js';
import { fitKeys, type KeyHint } from '../text.js';

export function Footer({ keys }: { keys: readonly KeyHint[] }) {
  const ui = useUi();
  if (ui.screenReader) return <Text>Keys: {keys.map((k) => `${k.key} ${k.label}`).join(', ')}</Text>;
  return (
    <Box paddingX={1} height={1}>
      <Text dimColor wrap="truncate-end">
        {fitKeys(keys, ui.columns - 2)}
      </Text>
    </Box>
  );
}
