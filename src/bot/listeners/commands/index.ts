import type { App } from '@slack/bolt';
import type { BotCore } from '../../core.js';
import { ecslabCommand } from './ecslab.js';

export const COMMAND = '/ecslab';

export function register(app: App, core: BotCore): void {
  app.command(COMMAND, ecslabCommand(core));
}
