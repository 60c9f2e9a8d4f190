/** ECS capacity providers (Auto Scaling group providers; FARGATE and FARGATE_SPOT are built in). */
import type { CapacityProvider, CapacityProviderStrategyItem, ECS, Failure } from '@aws-sdk/client-ecs';
import type { HandlerMap, RequestContext } from '../../types.js';
import { paginate } from '../../paging.js';
import { EcsErrors } from '../errors.js';
import type { EcsState } from '../state.js';
import { checkTags, ecsArn, ecsState, nameFromArn } from '../state.js';
import { outputOf } from '../../clone.js';

const BUILT_IN = ['FARGATE', 'FARGATE_SPOT'];
const NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/**
 * Checks a capacity provider strategy: every provider exists (or is built in) and, when `allowed`
 * is given, is among the cluster's providers.
 */
export function checkStrategy(state: EcsState, strategy: readonly CapacityProviderStrategyItem[] | undefined, allowed: readonly string[] | undefined): void {
  for (const item of strategy ?? []) {
    const name = nameFromArn(item.capacityProvider ?? '', 'capacity-provider');
    if (!BUILT_IN.includes(name) && state.capacityProviders[name]?.status !== 'ACTIVE') {
      throw EcsErrors.invalidParameter(`The specified capacity provider ${name} does not exist. Specify a valid capacity provider and try again.`);
    }
    if (allowed && !allowed.includes(name)) {
      throw EcsErrors.invalidParameter(`The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.`);
    }
    if (item.weight !== undefined && (item.weight < 0 || item.weight > 1000)) throw EcsErrors.invalidParameter('weight must be between 0 and 1000.');
    if (item.base !== undefined && (item.base < 0 || item.base > 100000)) throw EcsErrors.invalidParameter('base must be between 0 and 100000.');
  }
}

function builtIn(ctx: RequestContext, name: string): CapacityProvider {
  return { capacityProviderArn: ecsArn(ctx, `capacity-provider/${name}`), name, status: 'ACTIVE', tags: [] };
}

function getProvider(state: EcsState, identifier: string): CapacityProvider {
  const provider = state.capacityProviders[nameFromArn(identifier, 'capacity-provider')];
  if (!provider || provider.status !== 'ACTIVE') {
    throw EcsErrors.invalidParameter('The specified capacity provider does not exist. Specify a valid name or ARN and try again.');
  }
  return provider;
}

/** Capacity provider operations. */
export const capacityProviderHandlers: HandlerMap<ECS> = {
  CreateCapacityProvider(input, ctx) {
    const state = ecsState(ctx);
    const name = input.name!;
    if (!NAME.test(name) || /^(aws|ecs|fargate)/i.test(name)) {
      throw EcsErrors.invalidParameter('The capacity provider name is invalid. It cannot be prefixed with "aws", "ecs", or "fargate" and may contain letters, numbers, underscores and hyphens.');
    }
    if (state.capacityProviders[name]?.status === 'ACTIVE') {
      throw EcsErrors.client(`The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.`);
    }
    const asg = input.autoScalingGroupProvider;
    if (!asg?.autoScalingGroupArn) throw EcsErrors.missing('autoScalingGroupProvider.autoScalingGroupArn');
    const inUse = Object.values(state.capacityProviders).find(
      (p) => p.status === 'ACTIVE' && p.autoScalingGroupProvider?.autoScalingGroupArn === asg.autoScalingGroupArn,
    );
    if (inUse) throw EcsErrors.client(`The specified Auto Scaling group is already in use by capacity provider ${inUse.name}.`);
    const scaling = asg.managedScaling ?? {};
    const managedScalingOn = (scaling.status ?? 'DISABLED') === 'ENABLED';
    if (asg.managedTerminationProtection === 'ENABLED' && !managedScalingOn) {
      throw EcsErrors.client('The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, managed scaling must also be enabled.');
    }
    const provider: CapacityProvider = {
      capacityProviderArn: ecsArn(ctx, `capacity-provider/${name}`),
      name,
      status: 'ACTIVE',
      autoScalingGroupProvider: {
        autoScalingGroupArn: asg.autoScalingGroupArn,
        managedScaling: {
          status: scaling.status ?? 'DISABLED',
          targetCapacity: scaling.targetCapacity ?? 100,
          minimumScalingStepSize: scaling.minimumScalingStepSize ?? 1,
          maximumScalingStepSize: scaling.maximumScalingStepSize ?? 10000,
          instanceWarmupPeriod: scaling.instanceWarmupPeriod ?? 300,
        },
        managedTerminationProtection: asg.managedTerminationProtection ?? 'DISABLED',
        managedDraining: asg.managedDraining ?? 'ENABLED',
      },
      tags: checkTags(input.tags),
    };
    state.capacityProviders[name] = provider;
    return { capacityProvider: outputOf(ctx, provider) };
  },

  UpdateCapacityProvider(input, ctx) {
    const state = ecsState(ctx);
    const provider = getProvider(state, input.name!);
    const current = provider.autoScalingGroupProvider!;
    const update = input.autoScalingGroupProvider ?? {};
    const scaling = { ...current.managedScaling, ...update.managedScaling };
    const protection = update.managedTerminationProtection ?? current.managedTerminationProtection;
    if (protection === 'ENABLED' && scaling.status !== 'ENABLED') {
      throw EcsErrors.client('The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, managed scaling must also be enabled.');
    }
    provider.autoScalingGroupProvider = {
      ...current,
      managedScaling: scaling,
      managedTerminationProtection: protection,
      managedDraining: update.managedDraining ?? current.managedDraining,
    };
    provider.updateStatus = 'UPDATE_COMPLETE';
    return { capacityProvider: outputOf(ctx, provider) };
  },

  DeleteCapacityProvider(input, ctx) {
    const state = ecsState(ctx);
    const provider = getProvider(state, input.capacityProvider!);
    const cluster = Object.values(state.clusters).find((c) => c.status === 'ACTIVE' && (c.capacityProviders ?? []).includes(provider.name!));
    if (cluster) {
      throw EcsErrors.client(`The specified capacity provider is associated with cluster ${cluster.clusterName}. Remove it from the cluster with PutClusterCapacityProviders before deleting it.`);
    }
    provider.status = 'INACTIVE';
    provider.updateStatus = 'DELETE_COMPLETE';
    return { capacityProvider: outputOf(ctx, provider) };
  },

  DescribeCapacityProviders(input, ctx) {
    const state = ecsState(ctx);
    const include = input.include ?? [];
    const present = (p: CapacityProvider) => {
      const out = outputOf(ctx, p);
      if (!include.includes('TAGS')) delete out.tags;
      return out;
    };
    const failures: Failure[] = [];
    let providers: CapacityProvider[];
    if (input.capacityProviders && input.capacityProviders.length > 0) {
      providers = [];
      for (const id of input.capacityProviders) {
        const name = nameFromArn(id, 'capacity-provider');
        const found = BUILT_IN.includes(name) ? builtIn(ctx, name) : state.capacityProviders[name];
        if (found) providers.push(present(found));
        else failures.push({ arn: id.startsWith('arn:') ? id : ecsArn(ctx, `capacity-provider/${id}`), reason: 'MISSING' });
      }
    } else {
      const all = [...BUILT_IN.map((n) => builtIn(ctx, n)), ...Object.values(state.capacityProviders).filter((p) => p.status === 'ACTIVE')];
      providers = all.map(present);
    }
    const page = paginate(providers, input.nextToken, input.maxResults, 100, EcsErrors.invalidToken);
    return { capacityProviders: page.items, failures, nextToken: page.nextToken };
  },
};
