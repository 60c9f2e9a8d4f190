/** App Home "Show credentials" and the modal's "Rotate secret": the modal is the user's alone. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackSide } from '../index.js';
import { invocationOf } from './identity.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function credentialsButton({ runtime }: SlackSide) {
  return async ({ ack, body }: Args): Promise<void> => {
    const receivedAt = Date.now();
    await ack();
    runtime.credentials(invocationOf(body, 'button lab_creds', receivedAt), { triggerId: body.trigger_id });
  };
}

export function rotateButton({ runtime, audit }: SlackSide) {
  return async ({ ack, body }: Args): Promise<void> => {
    const receivedAt = Date.now();
    await ack();
    const inv = invocationOf(body, 'button lab_creds_rotate', receivedAt);
    if (!body.view?.id) {
      audit.record({ team: inv.team, user: inv.user, channel: inv.channel, command: inv.label, outcome: 'usage', durationMs: Date.now() - receivedAt });
      return;
    }
    runtime.credentials(inv, { viewId: body.view.id });
  };
}
