/** The top line: the app, the learner and the state of the target connection, in words. */
import { Box, Text } from 'ink';
import { useUi } from '../hooks/use-ui.js';
import type { ConnectionView } from '../session.js';
import { toneColor, type ToneName } from '../theme.js';

export function connectionLabel(c: ConnectionView): { text: string; tone: ToneName } {
  if (c.state === 'ready' && c.target) {
    const where = c.target.endpoint ? ` ${c.target.endpoint.replace(/^https?:\/\//, '')}` : ` ${c.target.region}`;
    const what = c.target.kind === 'local' ? 'local sandbox' : c.target.kind === 'endpoint' ? 'endpoint' : 'AWS';
    return { text: `● ${what}${where} · account ${c.account ?? '?'}`, tone: 'good' };
  }
  if (c.state === 'error') return { text: '✖ target error (e for details)', tone: 'bad' };
  return { text: '◌ connecting…', tone: 'dim' };
}

export function Header({ connection, learner }: { connection: ConnectionView; learner: string }) {
  const ui = useUi();
  const status = connectionLabel(connection);
  if (ui.screenReader) return <Text>ecs-lab, learner {learner}. Target: {status.text.slice(2)}.</Text>;
  return (
    <Box paddingX={1} height={1} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          ecs-lab
        </Text>
        <Text dimColor> · {learner}</Text>
      </Text>
      <Text wrap="truncate-start" color={toneColor(status.tone)} dimColor={status.tone === 'dim'}>
        {status.text}
      </Text>
    </Box>
  );
}
