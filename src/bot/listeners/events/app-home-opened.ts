/** Publishes the user's App Home each time they open its Home tab (Bolt acknowledges events itself). */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackSide } from '../index.js';

export function appHomeOpened({ runtime }: SlackSide) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    const team = (body as { team_id?: string }).team_id ?? '';
    runtime.homeOpened({ team, user: event.user, channel: event.channel, label: 'event app_home_opened', origin: 'home', receivedAt: Date.now() });
  };
}
