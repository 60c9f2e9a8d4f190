/**
 * `ecs-account-setting`: an account default that makes a starting state insecure (for example
 * awsvpcTrunking disabled). Account settings carry no tags, so `reset` cannot tell the lab's
 * value from a learner's: it leaves settings as they are, and `start` only sets one when its
 * effective value differs, so running it twice changes nothing.
 *
 * It comes last in creation order so that it can tell a first start from a restart: when every
 * other resource of its scenario was found (the scenario is already running), the value there is
 * the learner's progress, and `start` leaves it as it is instead of undoing their fix.
 */
import { z } from 'zod';
import { defineResourceKind } from './types.js';

const schema = z.strictObject({
  type: z.literal('ecs-account-setting'),
  name: z.enum(['awsvpcTrunking', 'fargateTaskRetirementWaitPeriod', 'containerInsights']).describe('The setting, set as the account default.'),
  value: z.string().min(1).describe('The default value to start from, e.g. disabled or 0.'),
  tags: z.record(z.string(), z.string()).optional().describe('Ignored: account settings carry no tags.'),
});

export const ecsAccountSetting = defineResourceKind({
  type: 'ecs-account-setting',
  description: 'An ECS account setting default (not tagged; left in place by reset).',
  schema,
  order: 90,
  async ensure(ctx, spec) {
    const ecs = await ctx.aws.ecs();
    const arn = `arn:aws:ecs:${ctx.region}:${ctx.account}:account-setting/${spec.name}`;
    const current = await ecs.listAccountSettings({ name: spec.name, effectiveSettings: true });
    if (current.settings?.find((s) => s.name === spec.name)?.value === spec.value) {
      return { type: spec.type, name: spec.name, id: spec.name, arn, status: 'found' };
    }
    const siblings = [...ctx.refs.values()].filter((r) => r.type !== spec.type && r.scenario !== undefined && r.scenario === ctx.scenario);
    if (siblings.length > 0 && siblings.every((r) => r.status === 'found')) {
      return { type: spec.type, name: spec.name, id: spec.name, arn, status: 'found' };
    }
    await ecs.putAccountSettingDefault({ name: spec.name, value: spec.value });
    return { type: spec.type, name: spec.name, id: spec.name, arn, status: 'created' };
  },
  async findLabTagged() {
    return [];
  },
  async remove() {
    return [];
  },
});
