/** ECS TagResource / UntagResource / ListTagsForResource over every taggable ECS resource. */
import type { ECS, Tag } from '@aws-sdk/client-ecs';
import type { HandlerMap } from '../../types.js';
import { outputOf } from '../../clone.js';
import { EcsErrors } from '../errors.js';
import type { EcsState } from '../state.js';
import { checkTags, ecsState, findTaskDefinition, mergeTags } from '../state.js';

/** Something whose tags can be read and replaced. */
interface Taggable {
  get(): Tag[];
  set(tags: Tag[]): void;
}

function resolve(state: EcsState, arn: string): Taggable {
  const match = /^arn:aws[a-z-]*:ecs:[^:]*:[0-9]{12}:([a-z-]+)\/(.+)$/.exec(arn);
  if (!match) throw EcsErrors.invalidParameter('The ARN provided is invalid.');
  const [, type, rest] = match as unknown as [string, string, string];
  const holder = (obj: { tags?: Tag[] } | undefined): Taggable => {
    if (!obj) throw EcsErrors.resourceNotFound();
    return { get: () => obj.tags ?? [], set: (tags) => (obj.tags = tags) };
  };
  switch (type) {
    case 'cluster': {
      const cluster = state.clusters[rest];
      if (!cluster || cluster.status !== 'ACTIVE') throw EcsErrors.clusterNotFound();
      return holder(cluster);
    }
    case 'service': {
      const parts = rest.split('/');
      const service = parts.length === 2 ? state.services[rest] : Object.values(state.services).find((s) => s.serviceArn === arn);
      if (!service || service.status === 'INACTIVE') throw EcsErrors.serviceNotFound();
      return holder(service);
    }
    case 'task-definition': {
      const record = rest.includes(':') ? findTaskDefinition(state, arn) : undefined;
      if (!record || record.taskDefinition.status === 'DELETE_IN_PROGRESS') throw EcsErrors.resourceNotFound();
      return { get: () => record.tags, set: (tags) => (record.tags = tags) };
    }
    case 'task':
      return holder(state.tasks[rest.split('/').pop() ?? '']);
    case 'capacity-provider': {
      const provider = state.capacityProviders[rest];
      return holder(provider?.status === 'ACTIVE' ? provider : undefined);
    }
    case 'container-instance':
      return holder(state.containerInstances[rest.split('/').pop() ?? '']?.instance);
    default:
      throw EcsErrors.invalidParameter(`The ARN provided is invalid: resource type ${type} cannot be tagged.`);
  }
}

/** Tagging operations. */
export const tagHandlers: HandlerMap<ECS> = {
  TagResource(input, ctx) {
    const target = resolve(ecsState(ctx), input.resourceArn!);
    const merged = mergeTags(target.get(), checkTags(input.tags));
    if (merged.length > 50) throw EcsErrors.invalidParameter('Too many tags specified. Maximum of 50 allowed.');
    target.set(merged);
    return {};
  },

  UntagResource(input, ctx) {
    const target = resolve(ecsState(ctx), input.resourceArn!);
    const remove = new Set(input.tagKeys ?? []);
    target.set(target.get().filter((t) => !remove.has(t.key!)));
    return {};
  },

  ListTagsForResource(input, ctx) {
    return { tags: outputOf(ctx, resolve(ecsState(ctx), input.resourceArn!).get()) };
  },
};
