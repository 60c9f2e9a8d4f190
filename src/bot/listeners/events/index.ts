import type { App } from '@slack/bolt';
import type { SlackSide } from '../index.js';
import { appHomeOpened } from './app-home-opened.js';

export function register(app: App, side: SlackSide): void {
  app.event('app_home_opened', appHomeOpened(side));
}
