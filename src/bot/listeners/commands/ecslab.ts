/**
 * `/ecslab …`: acknowledged at once (help and usage errors are the acknowledgement itself; other
 * commands get an ephemeral "working" note), then the work is queued and its result replaces that
 * note.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpMessage, workingMessage } from '../../blocks.js';
import { commandLabel, parseCommand } from '../../commands.js';
import { workingText, type BotCore } from '../../core.js';

export function ecslabCommand(core: BotCore) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const receivedAt = Date.now();
    const parsed = parseCommand(command.text ?? '');
    const who = { team: command.team_id, user: command.user_id, channel: command.channel_id };
    if (!parsed.ok || parsed.command.kind === 'help') {
      const note = parsed.ok ? undefined : parsed.reason === 'unknown' ? `${parsed.message} Here is what it knows:` : parsed.message;
      await ack({ response_type: 'ephemeral', ...helpMessage(note) });
      core.auditNow({ ...who, label: parsed.ok ? 'help' : parsed.reason === 'unknown' ? 'unknown' : 'usage' }, parsed.ok ? 'ok' : 'usage', receivedAt);
      return;
    }
    const cmd = parsed.command;
    await ack({ response_type: 'ephemeral', ...workingMessage(workingText(cmd)) });
    void core.dispatch(
      { ...who, label: commandLabel(cmd), origin: 'command', delivery: { user: command.user_id, channel: command.channel_id, responseUrl: command.response_url, respond, receivedAt } },
      cmd,
    );
  };
}
