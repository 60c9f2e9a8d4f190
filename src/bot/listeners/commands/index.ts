import type { App } from '@slack/bolt';
import type { SlackSide } from '../index.js';
import { ecslabCommand } from './ecslab.js';

export const COMMAND = '/ecslab';

export function register(app: App, side: SlackSide): void {
  app.command(COMMAND, ecslabCommand(side));
}
