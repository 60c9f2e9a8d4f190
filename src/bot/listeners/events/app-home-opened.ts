/** Publishes the user's App Home each time they open its Home tab (Bolt acknowledges events itself). */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotCore } from '../../core.js';

export function appHomeOpened(core: BotCore) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    const receivedAt = Date.now();
    const team = (body as { team_id?: string }).team_id ?? '';
    const who = { team, user: event.user, channel: event.channel, label: 'event app_home_opened' };
    try {
      await core.home.now(`${team}:${event.user}`, () => core.publishHome(team, event.user));
      core.auditNow(who, 'ok', receivedAt);
    } catch {
      core.auditNow(who, 'error', receivedAt);
    }
  };
}
