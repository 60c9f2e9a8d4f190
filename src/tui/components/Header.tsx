/** The top line: the app, the learner and the state of the target connection, in words. */
import { Box, Text } from 'ink';
import { useUi } from '../hooks/use-ui.js';
import { connectionLabel, headerLine } from '../frame.js';
import type { ConnectionView } from '../session.js';
import { LineText } from './Lines.js';

export function Header({ connection, learner }: { connection: ConnectionView; learner: string }) {
  const ui = useUi();
  if (ui.screenReader) return <Text>ecs-lab, learner {learner}. Target: {connectionLabel(connection).text.slice(2)}.</Text>;
  return (
    <Box paddingX={1} height={1}>
      <LineText value={headerLine(connection, learner, ui.columns - 2)} />
    </Box>
  );
}
