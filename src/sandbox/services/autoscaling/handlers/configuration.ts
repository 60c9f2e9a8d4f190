/**
 * Describe calls about configuration the sandbox does not model, answered honestly: no lifecycle
 * hooks, scaling policies, launch configurations (groups use launch templates only) or warm
 * pools, and the account's limits with the default quotas and the live group count.
 *
 * An unknown group named by DescribeLifecycleHooks, DescribePolicies or DescribeWarmPool is the
 * ValidationError of every other group call here (not verified against AWS for these three).
 */
import type { AutoScaling } from '@aws-sdk/client-auto-scaling';
import type { HandlerMap } from '../../types.js';
import { asgState, getGroup, pageOf } from '../state.js';

/** Default quotas (Amazon EC2 Auto Scaling service quotas, per Region). */
const MAX_GROUPS = 500;
const MAX_LAUNCH_CONFIGURATIONS = 200;

/** Lifecycle hooks, policies, launch configurations, warm pools and account limits. */
export const configurationHandlers: HandlerMap<AutoScaling> = {
  DescribeLifecycleHooks(input, ctx) {
    getGroup(asgState(ctx), input.AutoScalingGroupName!);
    return { LifecycleHooks: [] };
  },

  DescribePolicies(input, ctx) {
    if (input.AutoScalingGroupName !== undefined) getGroup(asgState(ctx), input.AutoScalingGroupName);
    const page = pageOf([], input.NextToken, input.MaxRecords);
    return { ScalingPolicies: page.items, NextToken: page.NextToken };
  },

  DescribeLaunchConfigurations(input) {
    const page = pageOf([], input.NextToken, input.MaxRecords);
    return { LaunchConfigurations: page.items, NextToken: page.NextToken };
  },

  DescribeWarmPool(input, ctx) {
    getGroup(asgState(ctx), input.AutoScalingGroupName!);
    const page = pageOf([], input.NextToken, input.MaxRecords);
    return { Instances: page.items, NextToken: page.NextToken };
  },

  DescribeAccountLimits(_input, ctx) {
    return {
      MaxNumberOfAutoScalingGroups: MAX_GROUPS,
      MaxNumberOfLaunchConfigurations: MAX_LAUNCH_CONFIGURATIONS,
      NumberOfAutoScalingGroups: Object.keys(asgState(ctx).groups).length,
      NumberOfLaunchConfigurations: 0,
    };
  },
};
