/** Auto Scaling group tags (PropagateAtLaunch copies a tag to the instances the group launches). */
import type { AutoScaling, Filter, Tag, TagDescription } from '@aws-sdk/client-auto-scaling';
import { own } from '../../dictionary.js';
import type { HandlerMap } from '../../types.js';
import { AsgErrors } from '../errors.js';
import type { AsgState, GroupRecord } from '../state.js';
import { asgState, getGroup, pageOf } from '../state.js';

const MAX_TAGS = 50;

/** Validates tags for a group and merges them into `existing` by key. */
export function checkTagList(groupName: string, tags: readonly Tag[], existing: readonly TagDescription[]): TagDescription[] {
  const merged = new Map(existing.map((t) => [t.Key!, structuredClone(t)]));
  for (const tag of tags) {
    if (!tag.Key || tag.Key.length > 128) throw AsgErrors.validation('Tag key must be between 1 and 128 characters.');
    if (tag.Key.toLowerCase().startsWith('aws:')) throw AsgErrors.validation('Tag keys starting with aws: are reserved for internal use.');
    if ((tag.Value ?? '').length > 256) throw AsgErrors.validation('Tag value must be at most 256 characters.');
    if (tag.ResourceType !== undefined && tag.ResourceType !== 'auto-scaling-group') {
      throw AsgErrors.validation(`Invalid resource type ${tag.ResourceType}; only auto-scaling-group is supported.`);
    }
    merged.set(tag.Key, {
      ResourceId: groupName,
      ResourceType: 'auto-scaling-group',
      Key: tag.Key,
      Value: tag.Value ?? '',
      PropagateAtLaunch: tag.PropagateAtLaunch ?? false,
    });
  }
  if (merged.size > MAX_TAGS) throw AsgErrors.tagLimit(groupName);
  return [...merged.values()];
}

function patterns(filter: Filter): string[] {
  return filter.Values ?? [];
}

/**
 * Whether a group's tags pass `filters` (values ORed, filters ANDed). `allowed` lists the plain
 * filter names; `tag:<key>` always works.
 */
export function matchesTagFilters(tags: readonly TagDescription[], filters: readonly Filter[] | undefined, allowed: readonly string[]): boolean {
  return (filters ?? []).every((filter) => {
    const name = filter.Name ?? '';
    const values = patterns(filter);
    if (name.startsWith('tag:')) return tags.some((t) => t.Key === name.slice(4) && values.includes(t.Value ?? ''));
    if (!allowed.includes(name)) throw AsgErrors.validation(`Filter type ${name} is not correct. Allowed Filter types are: ${[...allowed, 'tag:<key>'].join(' ')}`);
    if (name === 'tag-key') return tags.some((t) => values.includes(t.Key ?? ''));
    if (name === 'tag-value') return tags.some((t) => values.includes(t.Value ?? ''));
    return true;
  });
}

/** The groups a tag list addresses (each tag names its group in ResourceId). */
function byResource(state: AsgState, tags: readonly Tag[]): Map<GroupRecord, Tag[]> {
  const out = new Map<GroupRecord, Tag[]>();
  for (const tag of tags) {
    if (!tag.ResourceId) throw AsgErrors.validation('ResourceId is required: it names the Auto Scaling group.');
    const record = getGroup(state, tag.ResourceId);
    out.set(record, [...(out.get(record) ?? []), tag]);
  }
  return out;
}

const DESCRIBE_FILTERS: Readonly<Record<string, (t: TagDescription) => string>> = {
  'auto-scaling-group': (t) => t.ResourceId ?? '',
  key: (t) => t.Key ?? '',
  value: (t) => t.Value ?? '',
  'propagate-at-launch': (t) => String(t.PropagateAtLaunch ?? false),
};

/** Tag operations. */
export const tagHandlers: HandlerMap<AutoScaling> = {
  CreateOrUpdateTags(input, ctx) {
    const state = asgState(ctx);
    const groups = byResource(state, input.Tags ?? []);
    const updated = [...groups].map(([record, tags]) => [record, checkTagList(record.group.AutoScalingGroupName!, tags, record.tags)] as const);
    for (const [record, tags] of updated) record.tags = tags;
    return {};
  },

  DeleteTags(input, ctx) {
    const state = asgState(ctx);
    for (const [record, tags] of byResource(state, input.Tags ?? [])) {
      const drop = new Set(tags.map((t) => t.Key));
      record.tags = record.tags.filter((t) => !drop.has(t.Key));
    }
    return {};
  },

  DescribeTags(input, ctx) {
    const state = asgState(ctx);
    let tags = Object.values(state.groups)
      .sort((a, b) => a.group.AutoScalingGroupName!.localeCompare(b.group.AutoScalingGroupName!))
      .flatMap((r) => r.tags);
    for (const filter of input.Filters ?? []) {
      const get = own(DESCRIBE_FILTERS, filter.Name ?? '');
      if (!get) throw AsgErrors.validation(`Filter type ${filter.Name ?? ''} is not correct. Allowed Filter types are: ${Object.keys(DESCRIBE_FILTERS).join(' ')}`);
      const values = patterns(filter);
      tags = tags.filter((t) => values.includes(get(t)));
    }
    const page = pageOf(tags, input.NextToken, input.MaxRecords);
    return { Tags: structuredClone(page.items), NextToken: page.NextToken };
  },
};
