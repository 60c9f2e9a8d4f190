/** Who clicked, and where: always from the signed payload's user, never from a button value. */
import type { BlockAction } from '@slack/bolt';
import type { Invocation } from '../../core.js';
import type { Delivery } from '../../responder.js';

export function invocationOf(body: BlockAction, label: string, respond: Delivery['respond'], receivedAt: number): Invocation {
  const user = body.user.id;
  const team = body.user.team_id ?? body.team?.id ?? '';
  const channel = body.channel?.id;
  const fromHome = body.container?.type === 'view' || Boolean(body.view && !body.response_url);
  return {
    team,
    user,
    channel,
    label,
    origin: fromHome ? 'home' : 'message',
    delivery: { user, channel, responseUrl: body.response_url, respond: body.response_url ? respond : undefined, receivedAt },
  };
}
