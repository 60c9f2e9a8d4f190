/** EC2 launch templates and their versions. */
import type {
  DeleteLaunchTemplateVersionsResponseErrorItem,
  DeleteLaunchTemplateVersionsResponseSuccessItem,
  EC2,
  LaunchTemplate, LaunchTemplateVersion, RequestLaunchTemplateData, ResponseLaunchTemplateData } from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { ec2Id } from '../../ids.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, page } from '../filters.js';
import type { Ec2State, LaunchTemplateRecord } from '../state.js';
import { ec2State, setTags, tagsFromSpecs, tagsOf } from '../state.js';
import { resolveImageAlias } from './instances.js';

const NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;

/** Request and response launch template data share member names for everything the lab uses. */
function toResponseData(data: RequestLaunchTemplateData | undefined): ResponseLaunchTemplateData {
  return structuredClone(data ?? {}) as ResponseLaunchTemplateData;
}

function presentTemplate(state: Ec2State, record: LaunchTemplateRecord): LaunchTemplate {
  return { ...structuredClone(record.template), Tags: tagsOf(state, record.template.LaunchTemplateId!) };
}

/** Finds a template by id or name. */
export function findLaunchTemplate(state: Ec2State, id: string | undefined, name: string | undefined): LaunchTemplateRecord {
  if (id) {
    const record = state.launchTemplates[id];
    if (!record) throw Ec2Errors.launchTemplateNotFound(id);
    return record;
  }
  const record = Object.values(state.launchTemplates).find((r) => r.template.LaunchTemplateName === name);
  if (!record) throw Ec2Errors.launchTemplateNameNotFound(name ?? '');
  return record;
}

/** Resolves `$Latest`, `$Default` or a number to a version. */
export function findVersion(record: LaunchTemplateRecord, version: string | undefined): LaunchTemplateVersion {
  const v = version ?? '$Default';
  const n = v === '$Latest' ? record.template.LatestVersionNumber! : v === '$Default' ? record.template.DefaultVersionNumber! : Number(v);
  const found = record.versions.find((x) => x.VersionNumber === n);
  if (!found) throw Ec2Errors.launchTemplateVersionNotFound(v);
  return found;
}

function newVersion(ctx: RequestContext, record: LaunchTemplateRecord, data: ResponseLaunchTemplateData, description: string | undefined): LaunchTemplateVersion {
  const number = (record.template.LatestVersionNumber ?? 0) + 1;
  const version: LaunchTemplateVersion = {
    LaunchTemplateId: record.template.LaunchTemplateId,
    LaunchTemplateName: record.template.LaunchTemplateName,
    VersionNumber: number,
    VersionDescription: description,
    CreateTime: ctx.now,
    CreatedBy: ctx.principal.arn,
    DefaultVersion: number === 1,
    LaunchTemplateData: data,
  };
  record.versions.push(version);
  record.template.LatestVersionNumber = number;
  return version;
}

function presentVersion(record: LaunchTemplateRecord, version: LaunchTemplateVersion, resolve: boolean, ctx: RequestContext): LaunchTemplateVersion {
  const out = structuredClone(version);
  out.DefaultVersion = version.VersionNumber === record.template.DefaultVersionNumber;
  if (resolve && out.LaunchTemplateData?.ImageId) out.LaunchTemplateData.ImageId = resolveImageAlias(ctx, out.LaunchTemplateData.ImageId);
  return out;
}

/** Launch template operations. */
export const launchTemplateHandlers: HandlerMap<EC2> = {
  CreateLaunchTemplate(input, ctx) {
    const state = ec2State(ctx);
    const name = input.LaunchTemplateName ?? '';
    if (!NAME.test(name)) throw Ec2Errors.invalidParameterValue(`Launch template name '${name}' is invalid.`);
    if (Object.values(state.launchTemplates).some((r) => r.template.LaunchTemplateName === name)) throw Ec2Errors.launchTemplateNameInUse(name);
    const id = ec2Id('lt');
    const record: LaunchTemplateRecord = {
      template: { LaunchTemplateId: id, LaunchTemplateName: name, CreateTime: ctx.now, CreatedBy: ctx.principal.arn, DefaultVersionNumber: 1, LatestVersionNumber: 0 },
      versions: [],
    };
    newVersion(ctx, record, toResponseData(input.LaunchTemplateData), input.VersionDescription);
    state.launchTemplates[id] = record;
    setTags(state, id, tagsFromSpecs(input.TagSpecifications, 'launch-template'));
    return { LaunchTemplate: presentTemplate(state, record) };
  },

  CreateLaunchTemplateVersion(input, ctx) {
    const state = ec2State(ctx);
    const record = findLaunchTemplate(state, input.LaunchTemplateId, input.LaunchTemplateName);
    const base = input.SourceVersion ? findVersion(record, input.SourceVersion).LaunchTemplateData ?? {} : {};
    const data = { ...structuredClone(base), ...toResponseData(input.LaunchTemplateData) };
    const version = newVersion(ctx, record, data, input.VersionDescription);
    return { LaunchTemplateVersion: presentVersion(record, version, false, ctx) };
  },

  ModifyLaunchTemplate(input, ctx) {
    const state = ec2State(ctx);
    const record = findLaunchTemplate(state, input.LaunchTemplateId, input.LaunchTemplateName);
    if (input.DefaultVersion !== undefined) {
      record.template.DefaultVersionNumber = findVersion(record, input.DefaultVersion).VersionNumber;
    }
    return { LaunchTemplate: presentTemplate(state, record) };
  },

  DeleteLaunchTemplate(input, ctx) {
    const state = ec2State(ctx);
    const record = findLaunchTemplate(state, input.LaunchTemplateId, input.LaunchTemplateName);
    const id = record.template.LaunchTemplateId!;
    const out = presentTemplate(state, record);
    delete state.launchTemplates[id];
    delete state.tags[id];
    return { LaunchTemplate: out };
  },

  DeleteLaunchTemplateVersions(input, ctx) {
    const state = ec2State(ctx);
    const record = findLaunchTemplate(state, input.LaunchTemplateId, input.LaunchTemplateName);
    const ok: DeleteLaunchTemplateVersionsResponseSuccessItem[] = [];
    const failed: DeleteLaunchTemplateVersionsResponseErrorItem[] = [];
    const ids = { LaunchTemplateId: record.template.LaunchTemplateId, LaunchTemplateName: record.template.LaunchTemplateName };
    for (const v of input.Versions ?? []) {
      const n = Number(v);
      const index = record.versions.findIndex((x) => x.VersionNumber === n);
      if (index < 0) failed.push({ ...ids, VersionNumber: n, ResponseError: { Code: 'launchTemplateVersionDoesNotExist', Message: 'The specified launch template version does not exist.' } });
      else if (n === record.template.DefaultVersionNumber) failed.push({ ...ids, VersionNumber: n, ResponseError: { Code: 'unexpectedError', Message: 'Cannot delete the default version of a launch template.' } });
      else {
        record.versions.splice(index, 1);
        ok.push({ ...ids, VersionNumber: n });
      }
    }
    return { SuccessfullyDeletedLaunchTemplateVersions: ok, UnsuccessfullyDeletedLaunchTemplateVersions: failed };
  },

  DescribeLaunchTemplates(input, ctx) {
    const state = ec2State(ctx);
    let records = Object.values(state.launchTemplates);
    if (input.LaunchTemplateIds?.length) records = input.LaunchTemplateIds.map((id) => findLaunchTemplate(state, id, undefined));
    if (input.LaunchTemplateNames?.length) records = input.LaunchTemplateNames.map((n) => findLaunchTemplate(state, undefined, n));
    records = applyFilters(state, records, input.Filters, {
      'launch-template-name': (r) => r.template.LaunchTemplateName,
      'launch-template-id': (r) => r.template.LaunchTemplateId,
    }, (r) => r.template.LaunchTemplateId!);
    const p = page(records, input.NextToken, input.MaxResults);
    return { LaunchTemplates: p.items.map((r) => presentTemplate(state, r)), NextToken: p.NextToken };
  },

  DescribeLaunchTemplateVersions(input, ctx) {
    const state = ec2State(ctx);
    let pairs: [LaunchTemplateRecord, LaunchTemplateVersion][];
    if (input.LaunchTemplateId || input.LaunchTemplateName) {
      const record = findLaunchTemplate(state, input.LaunchTemplateId, input.LaunchTemplateName);
      const versions = input.Versions?.length ? input.Versions.map((v) => findVersion(record, v)) : record.versions;
      pairs = versions.map((v) => [record, v]);
    } else {
      pairs = Object.values(state.launchTemplates).flatMap((r) =>
        (input.Versions?.length ? input.Versions.map((v) => findVersion(r, v)) : r.versions).map((v) => [r, v] as [LaunchTemplateRecord, LaunchTemplateVersion]),
      );
    }
    const min = input.MinVersion ? Number(input.MinVersion) : undefined;
    const max = input.MaxVersion ? Number(input.MaxVersion) : undefined;
    pairs = pairs.filter(([, v]) => (min === undefined || v.VersionNumber! >= min) && (max === undefined || v.VersionNumber! <= max));
    pairs = applyFilters(state, pairs, input.Filters, {
      'is-default-version': ([r, v]) => v.VersionNumber === r.template.DefaultVersionNumber,
      'image-id': ([, v]) => v.LaunchTemplateData?.ImageId,
      'instance-type': ([, v]) => v.LaunchTemplateData?.InstanceType,
    }, ([r]) => r.template.LaunchTemplateId!);
    const p = page(pairs, input.NextToken, input.MaxResults);
    return { LaunchTemplateVersions: p.items.map(([r, v]) => presentVersion(r, v, Boolean(input.ResolveAlias), ctx)), NextToken: p.NextToken };
  },
};
