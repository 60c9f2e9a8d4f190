import type { App } from '@slack/bolt';
import type { BotCore } from '../../core.js';
import { appHomeOpened } from './app-home-opened.js';

export function register(app: App, core: BotCore): void {
  app.event('app_home_opened', appHomeOpened(core));
}
