/**
 * Check / Hint / Solution / Start / Answer buttons, on messages and in App Home. The value names
 * a scenario (and a step or choice); it cannot name a learner, so a forged value can only ever
 * act on the clicker's own sandbox.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ACTION, parseButtonValue } from '../../blocks.js';
import type { LabCommand } from '../../commands.js';
import type { SlackSide } from '../index.js';
import { invocationOf } from './identity.js';

function commandOf(actionId: string, value: string | undefined): LabCommand | undefined {
  const v = parseButtonValue(value);
  if (!v) return undefined;
  if (actionId.startsWith(ACTION.answer)) return v.step && v.choice ? { kind: 'answer', scenario: v.scenario, step: v.step, choice: v.choice } : undefined;
  switch (actionId) {
    case ACTION.check:
      return { kind: 'check', scenario: v.scenario };
    case ACTION.start:
      return { kind: 'start', scenario: v.scenario };
    case ACTION.hint:
      return { kind: 'hint', scenario: v.scenario, step: v.step };
    case ACTION.solution:
      return { kind: 'solution', scenario: v.scenario, step: v.step };
    default:
      return undefined;
  }
}

export function labButton({ runtime }: SlackSide) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    const receivedAt = Date.now();
    await ack();
    const inv = invocationOf(body, `button ${action.action_id}`, receivedAt);
    const cmd = commandOf(action.action_id, action.value);
    if (!cmd) return runtime.refuse(inv, 'That button is not valid any more; run the command again.');
    runtime.dispatch(inv, cmd, inv.origin === 'message' && cmd.kind === 'check');
  };
}
