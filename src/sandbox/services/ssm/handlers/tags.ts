/** Tags on parameters (ResourceType `Parameter`; the resource id is the parameter name). */
import type { SSM, Tag } from '@aws-sdk/client-ssm';
import type { HandlerMap, RequestContext } from '../../types.js';
import { SsmErrors } from '../errors.js';
import type { ParameterRecord } from '../state.js';
import { ssmState } from '../state.js';

/** Validates `add` (keys present, no `aws:` prefix) and merges it into `existing` (at most 50). */
export function checkTags(existing: readonly Tag[], add: readonly Tag[] | undefined): Tag[] {
  const map = new Map(existing.map((t) => [t.Key!, t.Value ?? '']));
  for (const tag of add ?? []) {
    if (!tag.Key || tag.Key.length > 128) throw SsmErrors.validation('Tag keys must be between 1 and 128 characters.');
    if (tag.Key.toLowerCase().startsWith('aws:')) throw SsmErrors.validation('Tag keys can\'t start with the reserved prefix aws:.');
    map.set(tag.Key, tag.Value ?? '');
  }
  if (map.size > 50) throw SsmErrors.tooManyTags();
  return [...map].map(([Key, Value]) => ({ Key, Value }));
}

function taggable(ctx: RequestContext, type: string | undefined, id: string | undefined): ParameterRecord {
  if (type !== 'Parameter') throw SsmErrors.invalidResourceType();
  const record = id ? ssmState(ctx).parameters[id] : undefined;
  if (!record) throw SsmErrors.invalidResourceId();
  return record;
}

/** Tagging operations. */
export const tagHandlers: HandlerMap<SSM> = {
  AddTagsToResource(input, ctx) {
    const record = taggable(ctx, input.ResourceType, input.ResourceId);
    record.tags = checkTags(record.tags, input.Tags);
    return {};
  },

  RemoveTagsFromResource(input, ctx) {
    const record = taggable(ctx, input.ResourceType, input.ResourceId);
    const remove = new Set(input.TagKeys ?? []);
    record.tags = record.tags.filter((t) => !remove.has(t.Key!));
    return {};
  },

  ListTagsForResource(input, ctx) {
    const record = taggable(ctx, input.ResourceType, input.ResourceId);
    return { TagList: structuredClone(record.tags) };
  },
};
