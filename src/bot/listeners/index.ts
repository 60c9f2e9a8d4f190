/** Wires every listener to the app: one module per kind, as in Slack's bolt-ts starter. */
import type { App } from '@slack/bolt';
import type { BotCore } from '../core.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';

export function registerListeners(app: App, core: BotCore): void {
  commands.register(app, core);
  actions.register(app, core);
  events.register(app, core);
}
