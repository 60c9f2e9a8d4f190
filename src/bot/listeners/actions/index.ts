import type { App } from '@slack/bolt';
import { ACTION } from '../../blocks.js';
import type { SlackSide } from '../index.js';
import { credentialsButton, rotateButton } from './credentials.js';
import { labButton } from './lab-buttons.js';

/** The lab buttons; answer buttons carry their choice in the action id (`lab_answer_b`), which must be unique per block. */
export const LAB_BUTTONS = new RegExp(`^(${[ACTION.check, ACTION.hint, ACTION.solution, ACTION.start].join('|')}|${ACTION.answer}(?:_[a-z0-9-]{1,64})?)$`);

export function register(app: App, side: SlackSide): void {
  app.action(LAB_BUTTONS, labButton(side));
  app.action(ACTION.creds, credentialsButton(side));
  app.action(ACTION.rotate, rotateButton(side));
}
