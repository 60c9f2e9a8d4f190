/** CloudTrail event selectors (classic and advanced) and trail tags. */
import type { AdvancedEventSelector, CloudTrail, EventSelector } from '@aws-sdk/client-cloudtrail';
import { own } from '../../dictionary.js';
import type { HandlerMap } from '../../types.js';
import { CloudTrailErrors } from '../errors.js';
import type { CloudTrailState, TrailRecord } from '../state.js';
import { checkTags, findTrail, parseTrailArn, requireHomeRegion, trailState } from '../state.js';

const READ_WRITE = new Set(['All', 'ReadOnly', 'WriteOnly']);
const DATA_TYPES = new Set(['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table']);
const ADVANCED_FIELDS = new Set([
  'eventCategory', 'eventSource', 'eventName', 'eventType', 'readOnly', 'resources.type', 'resources.ARN',
  'errorCode', 'userIdentity.arn', 'vpcEndpointId', 'sessionCredentialFromConsole',
]);
const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;

function checkClassic(selectors: readonly EventSelector[]): EventSelector[] {
  if (selectors.length > 5) throw CloudTrailErrors.eventSelectors('A trail can have at most 5 event selectors.');
  return selectors.map((s) => {
    const readWrite = s.ReadWriteType ?? 'All';
    if (!READ_WRITE.has(readWrite)) throw CloudTrailErrors.eventSelectors(`Value ${readWrite} for ReadWriteType is invalid; use All, ReadOnly or WriteOnly.`);
    for (const d of s.DataResources ?? []) {
      if (!d.Type || !DATA_TYPES.has(d.Type)) throw CloudTrailErrors.eventSelectors(`Value ${d.Type ?? 'null'} for DataResources.Type is invalid.`);
      if ((d.Values ?? []).length > 250) throw CloudTrailErrors.eventSelectors('A data resource can have at most 250 values.');
    }
    for (const source of s.ExcludeManagementEventSources ?? []) {
      if (!['kms.amazonaws.com', 'rdsdata.amazonaws.com'].includes(source)) {
        throw CloudTrailErrors.eventSelectors(`Value ${source} for ExcludeManagementEventSources is invalid.`);
      }
    }
    return {
      ReadWriteType: readWrite as EventSelector['ReadWriteType'],
      IncludeManagementEvents: s.IncludeManagementEvents ?? true,
      DataResources: structuredClone(s.DataResources ?? []),
      ExcludeManagementEventSources: [...(s.ExcludeManagementEventSources ?? [])],
    };
  });
}

function checkAdvanced(selectors: readonly AdvancedEventSelector[]): AdvancedEventSelector[] {
  let values = 0;
  for (const s of selectors) {
    const fields = s.FieldSelectors ?? [];
    if (fields.length === 0) throw CloudTrailErrors.eventSelectors('Each advanced event selector needs at least one field selector.');
    for (const f of fields) {
      if (!f.Field || !ADVANCED_FIELDS.has(f.Field)) throw CloudTrailErrors.eventSelectors(`Field ${f.Field ?? 'null'} is not a valid advanced event selector field.`);
      const used = OPERATORS.filter((op) => (f[op] ?? []).length > 0);
      if (used.length === 0) throw CloudTrailErrors.eventSelectors(`Field selector ${f.Field} needs at least one operator.`);
      values += used.reduce((n, op) => n + (f[op]?.length ?? 0), 0);
    }
    const category = fields.find((f) => f.Field === 'eventCategory');
    if (!category?.Equals?.length || category.Equals.some((v) => !['Management', 'Data', 'NetworkActivity'].includes(v))) {
      throw CloudTrailErrors.eventSelectors('Each advanced event selector must have an eventCategory field selector with Equals Management, Data or NetworkActivity.');
    }
  }
  if (values > 500) throw CloudTrailErrors.eventSelectors('Advanced event selectors can have at most 500 values in total.');
  return structuredClone([...selectors]);
}

/** The trail an ARN names, for the tag operations (which take ARNs only). */
function byArn(state: CloudTrailState, account: string, resourceId: string): TrailRecord {
  const parsed = parseTrailArn(resourceId);
  if (!parsed) throw CloudTrailErrors.invalidArn(resourceId);
  const record = own(state.trails, resourceId);
  if (!record || parsed.account !== account) throw CloudTrailErrors.resourceNotFound(resourceId);
  return record;
}

/** Event selector and tag operations. */
export const selectorAndTagHandlers: HandlerMap<CloudTrail> = {
  PutEventSelectors(input, ctx) {
    const record = findTrail(ctx, trailState(ctx), input.TrailName!);
    requireHomeRegion(ctx, record);
    if (input.EventSelectors && input.AdvancedEventSelectors) {
      throw CloudTrailErrors.combination('You can use either EventSelectors or AdvancedEventSelectors in a PutEventSelectors request, but not both.');
    }
    if (!input.EventSelectors && !input.AdvancedEventSelectors) {
      throw CloudTrailErrors.combination('You must specify either EventSelectors or AdvancedEventSelectors.');
    }
    if (input.EventSelectors) {
      record.eventSelectors = checkClassic(input.EventSelectors);
      delete record.advancedEventSelectors;
    } else {
      record.advancedEventSelectors = checkAdvanced(input.AdvancedEventSelectors!);
      delete record.eventSelectors;
    }
    record.trail.HasCustomEventSelectors = true;
    return { TrailARN: record.trail.TrailARN, EventSelectors: structuredClone(record.eventSelectors), AdvancedEventSelectors: structuredClone(record.advancedEventSelectors) };
  },

  GetEventSelectors(input, ctx) {
    const record = findTrail(ctx, trailState(ctx), input.TrailName!);
    return { TrailARN: record.trail.TrailARN, EventSelectors: structuredClone(record.eventSelectors), AdvancedEventSelectors: structuredClone(record.advancedEventSelectors) };
  },

  AddTags(input, ctx) {
    const record = byArn(trailState(ctx), ctx.account, input.ResourceId!);
    requireHomeRegion(ctx, record);
    record.tags = checkTags(input.TagsList, record.tags);
    return {};
  },

  RemoveTags(input, ctx) {
    const record = byArn(trailState(ctx), ctx.account, input.ResourceId!);
    requireHomeRegion(ctx, record);
    const drop = new Set((input.TagsList ?? []).map((t) => t.Key));
    record.tags = record.tags.filter((t) => !drop.has(t.Key));
    return {};
  },

  ListTags(input, ctx) {
    const state = trailState(ctx);
    if ((input.ResourceIdList ?? []).length > 20) throw CloudTrailErrors.parameter('ResourceIdList can contain at most 20 ARNs.');
    return {
      ResourceTagList: (input.ResourceIdList ?? []).map((id) => ({ ResourceId: id, TagsList: structuredClone(byArn(state, ctx.account, id).tags) })),
    };
  },
};
