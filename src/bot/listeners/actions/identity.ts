/** Who clicked, and where: always from the signed payload's user, never from a button value. */
import type { BlockAction } from '@slack/bolt';
import type { InvocationData } from '../../runtime/index.js';

export function invocationOf(body: BlockAction, label: string, receivedAt: number): InvocationData {
  const fromHome = body.container?.type === 'view' || Boolean(body.view && !body.response_url);
  return {
    team: body.user.team_id ?? body.team?.id ?? '',
    user: body.user.id,
    channel: body.channel?.id,
    label,
    origin: fromHome ? 'home' : 'message',
    responseUrl: body.response_url,
    receivedAt,
  };
}
