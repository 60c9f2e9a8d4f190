/**
 * `/ecslab …`: acknowledged at once (help and usage errors are the acknowledgement itself; other
 * commands get an ephemeral "working" note), then handed to the runtime, whose result replaces
 * that note through the response_url.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpMessage, workingMessage } from '../../blocks.js';
import { commandLabel, parseCommand } from '../../commands.js';
import { workingText } from '../../core.js';
import type { SlackSide } from '../index.js';

export function ecslabCommand({ runtime, audit }: SlackSide) {
  return async ({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const receivedAt = Date.now();
    const parsed = parseCommand(command.text ?? '');
    const who = { team: command.team_id, user: command.user_id, channel: command.channel_id };
    if (!parsed.ok || parsed.command.kind === 'help') {
      const note = parsed.ok ? undefined : parsed.reason === 'unknown' ? `${parsed.message} Here is what it knows:` : parsed.message;
      await ack({ response_type: 'ephemeral', ...helpMessage(note) });
      const label = parsed.ok ? 'help' : parsed.reason === 'unknown' ? 'unknown' : 'usage';
      audit.record({ ...who, command: label, outcome: parsed.ok ? 'ok' : 'usage', durationMs: Date.now() - receivedAt });
      return;
    }
    const cmd = parsed.command;
    await ack({ response_type: 'ephemeral', ...workingMessage(workingText(cmd)) });
    runtime.dispatch({ ...who, label: commandLabel(cmd), origin: 'command', responseUrl: command.response_url, receivedAt }, cmd, false);
  };
}
