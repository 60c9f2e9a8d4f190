/** EC2 CreateTags / DeleteTags / DescribeTags over the shared tag store. */
import type { EC2, TagDescription } from '@aws-sdk/client-ec2';
import type { HandlerMap } from '../../types.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, page } from '../filters.js';
import { ec2State, resourceExists, resourceTypeOf, setTags } from '../state.js';

/** Tagging operations. */
export const tagHandlers: HandlerMap<EC2> = {
  CreateTags(input, ctx) {
    const state = ec2State(ctx);
    for (const id of input.Resources ?? []) {
      if (!resourceTypeOf(id) || !resourceExists(state, id)) throw Ec2Errors.invalidId(id);
    }
    for (const id of input.Resources ?? []) setTags(state, id, input.Tags);
    return {};
  },

  DeleteTags(input, ctx) {
    const state = ec2State(ctx);
    for (const id of input.Resources ?? []) {
      const bag = state.tags[id];
      if (!bag) continue;
      if (!input.Tags?.length) {
        delete state.tags[id];
        continue;
      }
      for (const tag of input.Tags) {
        if (tag.Key === undefined) continue;
        // A tag given with a value is deleted only when the value matches.
        if (tag.Value === undefined || bag[tag.Key] === tag.Value) delete bag[tag.Key];
      }
    }
    return {};
  },

  DescribeTags(input, ctx) {
    const state = ec2State(ctx);
    const all: TagDescription[] = [];
    for (const [id, bag] of Object.entries(state.tags)) {
      if (!resourceExists(state, id)) continue;
      for (const [Key, Value] of Object.entries(bag)) {
        all.push({ ResourceId: id, ResourceType: resourceTypeOf(id) as TagDescription['ResourceType'], Key, Value });
      }
    }
    const filtered = applyFilters(state, all, input.Filters, {
      'resource-id': (t) => t.ResourceId,
      'resource-type': (t) => t.ResourceType,
      'key': (t) => t.Key,
      'value': (t) => t.Value,
    }, (t) => t.ResourceId!);
    const p = page(filtered, input.NextToken, input.MaxResults);
    return { Tags: p.items, NextToken: p.NextToken };
  },
};
