/** Wires every listener to the app: one module per kind, as in Slack's bolt-ts starter. */
import type { App } from '@slack/bolt';
import type { AuditLog } from '../audit.js';
import type { Runtime } from '../runtime/index.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import * as events from './events/index.js';

/** What listeners hand interactions to: the runtime, and the audit log for what they answer themselves. */
export interface SlackSide {
  runtime: Runtime;
  audit: AuditLog;
}

export function registerListeners(app: App, side: SlackSide): void {
  commands.register(app, side);
  actions.register(app, side);
  events.register(app, side);
}
