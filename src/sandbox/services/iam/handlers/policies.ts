/** IAM managed policies and their versions. */
import type { IAM, Policy, PolicyVersion } from '@aws-sdk/client-iam';
import type { HandlerMap } from '../../types.js';
import { IamErrors } from '../errors.js';
import { AWS_MANAGED_POLICIES } from '../managed-policies.js';
import type { IamState, PolicyRecord } from '../state.js';
import { checkDocument, checkName, checkPath, encodeDocument, getPolicy, iamPage, iamState, mergeTags, removeTags, tagPage, uniqueId } from '../state.js';
import { attachmentCount } from './roles.js';

/** Versions one managed policy may have. */
export const MAX_VERSIONS = 5;

/** A policy in SDK form; the `list` form (ListPolicies) returns neither Description nor Tags. */
export function presentPolicy(state: IamState, p: PolicyRecord, form: 'full' | 'list' = 'full'): Policy {
  return {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: attachmentCount(state, p.arn),
    PermissionsBoundaryUsageCount: Object.values(state.roles).filter((r) => r.permissionsBoundary === p.arn).length,
    IsAttachable: true,
    Description: form === 'full' ? p.description : undefined,
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
    Tags: form === 'full' && p.tags.length > 0 ? structuredClone(p.tags) : undefined,
  };
}

/** One version of a policy in SDK form, with its document (URL-encoded) when `withDocument`. */
export function presentVersion(policy: PolicyRecord, version: PolicyRecord['versions'][number], withDocument: boolean): PolicyVersion {
  return {
    ...(withDocument ? { Document: encodeDocument(version.document) } : {}),
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === policy.defaultVersionId,
    CreateDate: version.createDate,
  };
}

function customerPolicy(state: IamState, arn: string | undefined): PolicyRecord {
  const policy = getPolicy(state, arn);
  if (!state.policies[policy.arn]) throw IamErrors.unmodifiable(`Cannot modify an AWS managed policy: ${policy.arn}`);
  return policy;
}

/** Policy operations. */
export const policyHandlers: HandlerMap<IAM> = {
  CreatePolicy(input, ctx) {
    const state = iamState(ctx);
    const name = checkName('policy', input.PolicyName, 128);
    const path = checkPath(input.Path);
    const arn = `arn:aws:iam::${ctx.account}:policy${path}${name}`;
    if (state.policies[arn]) throw IamErrors.alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    const policy: PolicyRecord = {
      policyName: name,
      policyId: uniqueId('ANPA'),
      arn,
      path,
      description: input.Description,
      createDate: ctx.now,
      updateDate: ctx.now,
      defaultVersionId: 'v1',
      nextVersion: 2,
      versions: [{ versionId: 'v1', document: checkDocument(input.PolicyDocument), createDate: ctx.now }],
      tags: mergeTags([], input.Tags),
    };
    state.policies[arn] = policy;
    return { Policy: presentPolicy(state, policy) };
  },

  GetPolicy(input, ctx) {
    const state = iamState(ctx);
    return { Policy: presentPolicy(state, getPolicy(state, input.PolicyArn)) };
  },

  ListPolicies(input, ctx) {
    const state = iamState(ctx);
    const scope = input.Scope ?? 'All';
    let policies = [
      ...(scope === 'Local' ? [] : Object.values(AWS_MANAGED_POLICIES)),
      ...(scope === 'AWS' ? [] : Object.values(state.policies)),
    ];
    if (input.PathPrefix) policies = policies.filter((p) => p.path.startsWith(input.PathPrefix!));
    if (input.OnlyAttached) policies = policies.filter((p) => attachmentCount(state, p.arn) > 0);
    const page = iamPage(policies, input.Marker, input.MaxItems);
    return { Policies: page.items.map((p) => presentPolicy(state, p, 'list')), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  DeletePolicy(input, ctx) {
    const state = iamState(ctx);
    const policy = customerPolicy(state, input.PolicyArn);
    if (attachmentCount(state, policy.arn) > 0) throw IamErrors.deleteConflict('Cannot delete a policy attached to entities.');
    if (policy.versions.length > 1) throw IamErrors.deleteConflict('Cannot delete a policy with non-default versions; delete them first.');
    delete state.policies[policy.arn];
    return {};
  },

  CreatePolicyVersion(input, ctx) {
    const state = iamState(ctx);
    const policy = customerPolicy(state, input.PolicyArn);
    if (policy.versions.length >= MAX_VERSIONS) {
      throw IamErrors.limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
    }
    const versionId = `v${policy.nextVersion++}`;
    policy.versions.push({ versionId, document: checkDocument(input.PolicyDocument), createDate: ctx.now });
    if (input.SetAsDefault) policy.defaultVersionId = versionId;
    policy.updateDate = ctx.now;
    return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: policy.defaultVersionId === versionId, CreateDate: ctx.now } };
  },

  GetPolicyVersion(input, ctx) {
    const policy = getPolicy(iamState(ctx), input.PolicyArn);
    const version = policy.versions.find((v) => v.versionId === input.VersionId);
    if (!version) throw IamErrors.noSuchEntity(`Policy ${policy.arn} version ${input.VersionId ?? ''} does not exist or is not attachable.`);
    return { PolicyVersion: presentVersion(policy, version, true) };
  },

  ListPolicyVersions(input, ctx) {
    const policy = getPolicy(iamState(ctx), input.PolicyArn);
    const versions = [...policy.versions].reverse().map((v) => presentVersion(policy, v, false));
    const page = iamPage(versions, input.Marker, input.MaxItems);
    return { Versions: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  DeletePolicyVersion(input, ctx) {
    const policy = customerPolicy(iamState(ctx), input.PolicyArn);
    if (input.VersionId === policy.defaultVersionId) throw IamErrors.deleteConflict('Cannot delete the default version of a policy.');
    const index = policy.versions.findIndex((v) => v.versionId === input.VersionId);
    if (index < 0) throw IamErrors.noSuchEntity(`Policy ${policy.arn} version ${input.VersionId ?? ''} does not exist.`);
    policy.versions.splice(index, 1);
    return {};
  },

  SetDefaultPolicyVersion(input, ctx) {
    const policy = customerPolicy(iamState(ctx), input.PolicyArn);
    if (!policy.versions.some((v) => v.versionId === input.VersionId)) throw IamErrors.noSuchEntity(`Policy ${policy.arn} version ${input.VersionId ?? ''} does not exist.`);
    policy.defaultVersionId = input.VersionId!;
    policy.updateDate = ctx.now;
    return {};
  },

  TagPolicy(input, ctx) {
    const policy = customerPolicy(iamState(ctx), input.PolicyArn);
    policy.tags = mergeTags(policy.tags, input.Tags);
    return {};
  },

  UntagPolicy(input, ctx) {
    const policy = customerPolicy(iamState(ctx), input.PolicyArn);
    policy.tags = removeTags(policy.tags, input.TagKeys);
    return {};
  },

  ListPolicyTags(input, ctx) {
    return tagPage(getPolicy(iamState(ctx), input.PolicyArn).tags, input);
  },
};
