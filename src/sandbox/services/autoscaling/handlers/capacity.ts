/**
 * Capacity by hand: SetDesiredCapacity and TerminateInstanceInAutoScalingGroup. Both act through
 * the group simulation (../capacity.ts), so their launches and terminations are scaling
 * activities with AWS's Cause wording (../activities.ts). HonorCooldown is accepted and ignored:
 * the sandbox's activities finish at once, so no cooldown is ever in effect.
 */
import type { AutoScaling } from '@aws-sdk/client-auto-scaling';
import type { HandlerMap } from '../../types.js';
import { explicitRequest } from '../activities.js';
import { liveInstances, reconcile, terminate } from '../capacity.js';
import { AsgErrors } from '../errors.js';
import { asgState, getGroup } from '../state.js';

/** Capacity operations. */
export const capacityHandlers: HandlerMap<AutoScaling> = {
  SetDesiredCapacity(input, ctx) {
    const record = getGroup(asgState(ctx), input.AutoScalingGroupName!);
    const desired = input.DesiredCapacity!;
    const { MinSize: min, MaxSize: max, DesiredCapacity: before } = record.group;
    // AWS's messages, as its responses quote them.
    if (desired > max!) throw AsgErrors.validation(`New SetDesiredCapacity value ${desired} is above max value ${max} for the AutoScalingGroup.`);
    if (desired < min!) throw AsgErrors.validation(`New SetDesiredCapacity value ${desired} is below min value ${min} for the AutoScalingGroup.`);
    record.group.DesiredCapacity = desired;
    reconcile(ctx, record, explicitRequest(ctx.now, before!, desired));
    return {};
  },

  TerminateInstanceInAutoScalingGroup(input, ctx) {
    const id = input.InstanceId!;
    const record = Object.values(asgState(ctx).groups).find((g) => liveInstances(ctx, g).some((i) => i.InstanceId === id));
    if (!record) throw AsgErrors.noManagedInstance(id);
    const decrement = input.ShouldDecrementDesiredCapacity!;
    if (decrement) {
      const { MinSize: min, DesiredCapacity: desired } = record.group;
      if (desired! <= min!) throw AsgErrors.belowMinSize(min!);
      record.group.DesiredCapacity = desired! - 1;
    }
    const [activity] = terminate(ctx, record, [id], { by: 'user', decrement });
    // Without the decrement, the group launches a replacement.
    reconcile(ctx, record);
    return { Activity: { ...activity! } };
  },
};
