/** IAM instance profiles (the ECS container instance role lives in one). */
import type { IAM, InstanceProfile } from '@aws-sdk/client-iam';
import type { HandlerMap } from '../../types.js';
import { IamErrors } from '../errors.js';
import type { IamState, InstanceProfileRecord } from '../state.js';
import { roleToChange } from '../service-linked.js';
import { checkName, checkPath, getRole, iamPage, iamState, mergeTags, removeTags, tagPage, uniqueId } from '../state.js';
import { presentRole } from './roles.js';

function get(state: IamState, name: string | undefined): InstanceProfileRecord {
  const profile = name ? state.instanceProfiles[name] : undefined;
  if (!profile) throw IamErrors.noSuchEntity(`Instance Profile ${name ?? ''} cannot be found.`);
  return profile;
}

/** An instance profile in SDK form, with its roles (nested form) and tags. */
export function presentProfile(state: IamState, p: InstanceProfileRecord): InstanceProfile {
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: p.arn,
    CreateDate: p.createDate,
    Roles: p.roles.filter((r) => state.roles[r]).map((r) => presentRole(state.roles[r]!, 'nested')),
    Tags: p.tags.length > 0 ? structuredClone(p.tags) : undefined,
  };
}

/** Instance profile operations. */
export const instanceProfileHandlers: HandlerMap<IAM> = {
  CreateInstanceProfile(input, ctx) {
    const state = iamState(ctx);
    const name = checkName('instanceProfile', input.InstanceProfileName, 128);
    if (state.instanceProfiles[name]) throw IamErrors.alreadyExists(`Instance Profile ${name} already exists.`);
    const path = checkPath(input.Path);
    const profile: InstanceProfileRecord = {
      name,
      id: uniqueId('AIPA'),
      path,
      arn: `arn:aws:iam::${ctx.account}:instance-profile${path}${name}`,
      createDate: ctx.now,
      roles: [],
      tags: mergeTags([], input.Tags),
    };
    state.instanceProfiles[name] = profile;
    return { InstanceProfile: presentProfile(state, profile) };
  },

  GetInstanceProfile(input, ctx) {
    const state = iamState(ctx);
    return { InstanceProfile: presentProfile(state, get(state, input.InstanceProfileName)) };
  },

  DeleteInstanceProfile(input, ctx) {
    const state = iamState(ctx);
    const profile = get(state, input.InstanceProfileName);
    if (profile.roles.length > 0) throw IamErrors.deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    delete state.instanceProfiles[profile.name];
    return {};
  },

  AddRoleToInstanceProfile(input, ctx) {
    const state = iamState(ctx);
    const profile = get(state, input.InstanceProfileName);
    const role = roleToChange(state, input.RoleName);
    if (profile.roles.length > 0) throw IamErrors.limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
    profile.roles.push(role.roleName);
    return {};
  },

  RemoveRoleFromInstanceProfile(input, ctx) {
    const state = iamState(ctx);
    const profile = get(state, input.InstanceProfileName);
    if (!profile.roles.includes(input.RoleName ?? '')) throw IamErrors.noSuchEntity(`The role with name ${input.RoleName ?? ''} cannot be found.`);
    profile.roles = profile.roles.filter((r) => r !== input.RoleName);
    return {};
  },

  ListInstanceProfiles(input, ctx) {
    const state = iamState(ctx);
    const profiles = Object.values(state.instanceProfiles).filter((p) => p.path.startsWith(input.PathPrefix ?? '/'));
    const page = iamPage(profiles, input.Marker, input.MaxItems);
    return { InstanceProfiles: page.items.map((p) => presentProfile(state, p)), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  TagInstanceProfile(input, ctx) {
    const profile = get(iamState(ctx), input.InstanceProfileName);
    profile.tags = mergeTags(profile.tags, input.Tags);
    return {};
  },

  UntagInstanceProfile(input, ctx) {
    const profile = get(iamState(ctx), input.InstanceProfileName);
    profile.tags = removeTags(profile.tags, input.TagKeys);
    return {};
  },

  ListInstanceProfileTags(input, ctx) {
    return tagPage(get(iamState(ctx), input.InstanceProfileName).tags, input);
  },

  ListInstanceProfilesForRole(input, ctx) {
    const state = iamState(ctx);
    const role = getRole(state, input.RoleName);
    const profiles = Object.values(state.instanceProfiles).filter((p) => p.roles.includes(role.roleName));
    const page = iamPage(profiles, input.Marker, input.MaxItems);
    return { InstanceProfiles: page.items.map((p) => presentProfile(state, p)), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
};
