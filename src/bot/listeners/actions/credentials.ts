/** App Home "Show credentials" and the modal's "Rotate secret": the modal is the user's alone. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotCore } from '../../core.js';
import { invocationOf } from './identity.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function credentialsButton(core: BotCore) {
  return async ({ ack, body, respond }: Args): Promise<void> => {
    const receivedAt = Date.now();
    await ack();
    void core.showCredentials(invocationOf(body, 'button lab_creds', respond, receivedAt), body.trigger_id);
  };
}

export function rotateButton(core: BotCore) {
  return async ({ ack, body, respond }: Args): Promise<void> => {
    const receivedAt = Date.now();
    await ack();
    const inv = invocationOf(body, 'button lab_creds_rotate', respond, receivedAt);
    if (!body.view?.id) return core.auditNow(inv, 'usage', receivedAt);
    void core.rotateCredentials(inv, body.view.id);
  };
}
