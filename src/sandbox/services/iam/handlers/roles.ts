/** IAM roles: CRUD, trust policy, inline policies, attachments and tags. */
import type { IAM, Role } from '@aws-sdk/client-iam';
import { own } from '../../dictionary.js';
import type { HandlerMap } from '../../types.js';
import { IamErrors } from '../errors.js';
import { guardLinkedRole, roleToChange } from '../service-linked.js';
import type { IamState, RoleRecord } from '../state.js';
import { checkBoundary, checkDocument, checkName, checkPath, encodeDocument, getPolicy, getRole, iamPage, iamState, mergeTags, removeTags, tagPage, uniqueId } from '../state.js';

/** Managed policies one role may have attached (the sandbox applies the raised quota, 20). */
export const MAX_ATTACHED_PER_ROLE = 20;

/**
 * A role's boundary as IAM returns it. The API reference's enum has only `PermissionsBoundaryPolicy`,
 * but IAM answers `Policy` (the AWS CLI reference's get-user example, LocalStack), so the SDK type is
 * cast.
 */
export function presentBoundary(arn: string | undefined): Role['PermissionsBoundary'] {
  return arn ? { PermissionsBoundaryType: 'Policy' as 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;
}

/**
 * A role in SDK form (document URL-encoded, as on the wire). `full` is GetRole/CreateRole;
 * `list` is ListRoles, which per the API reference does not return PermissionsBoundary,
 * RoleLastUsed or Tags; `nested` is a role inside an instance profile (no tags).
 */
export function presentRole(role: RoleRecord, form: 'full' | 'list' | 'nested' = 'full'): Role {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: form !== 'list' ? presentBoundary(role.permissionsBoundary) : undefined,
    Tags: form === 'full' && role.tags.length > 0 ? structuredClone(role.tags) : undefined,
    RoleLastUsed: form === 'list' ? undefined : {},
  };
}

function attachmentCount(state: IamState, arn: string): number {
  return Object.values(state.roles).filter((r) => r.attached.includes(arn)).length;
}

/** Role operations. */
export const roleHandlers: HandlerMap<IAM> = {
  CreateRole(input, ctx) {
    const state = iamState(ctx);
    const name = checkName('role', input.RoleName);
    if (Object.keys(state.roles).some((n) => n.toLowerCase() === name.toLowerCase())) throw IamErrors.alreadyExists(`Role with name ${name} already exists.`);
    const path = checkPath(input.Path);
    const role: RoleRecord = {
      roleName: name,
      roleId: uniqueId('AROA'),
      path,
      arn: `arn:aws:iam::${ctx.account}:role${path}${name}`,
      createDate: ctx.now,
      assumeRolePolicyDocument: checkDocument(input.AssumeRolePolicyDocument, 'trust'),
      description: input.Description,
      maxSessionDuration: input.MaxSessionDuration ?? 3600,
      permissionsBoundary: input.PermissionsBoundary === undefined ? undefined : checkBoundary(state, input.PermissionsBoundary),
      tags: mergeTags([], input.Tags),
      inline: {},
      attached: [],
    };
    state.roles[name] = role;
    return { Role: presentRole(role) };
  },

  GetRole(input, ctx) {
    return { Role: presentRole(getRole(iamState(ctx), input.RoleName)) };
  },

  ListRoles(input, ctx) {
    const prefix = input.PathPrefix ?? '/';
    const roles = Object.values(iamState(ctx).roles)
      .filter((r) => r.path.startsWith(prefix))
      .sort((a, b) => a.roleName.localeCompare(b.roleName));
    const page = iamPage(roles, input.Marker, input.MaxItems);
    return { Roles: page.items.map((r) => presentRole(r, 'list')), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  UpdateRole(input, ctx) {
    const role = getRole(iamState(ctx), input.RoleName);
    if (input.MaxSessionDuration !== undefined) guardLinkedRole(role, 'duration');
    if (input.Description !== undefined) role.description = input.Description;
    if (input.MaxSessionDuration !== undefined) role.maxSessionDuration = input.MaxSessionDuration;
    return {};
  },

  UpdateAssumeRolePolicy(input, ctx) {
    const role = roleToChange(iamState(ctx), input.RoleName);
    role.assumeRolePolicyDocument = checkDocument(input.PolicyDocument, 'trust');
    return {};
  },

  DeleteRole(input, ctx) {
    const state = iamState(ctx);
    const role = roleToChange(state, input.RoleName);
    if (role.attached.length > 0) throw IamErrors.deleteConflict('Cannot delete entity, must detach all policies first.');
    if (Object.keys(role.inline).length > 0) throw IamErrors.deleteConflict('Cannot delete entity, must delete policies first.');
    if (Object.values(state.instanceProfiles).some((p) => p.roles.includes(role.roleName))) {
      throw IamErrors.deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    }
    delete state.roles[role.roleName];
    return {};
  },

  PutRolePolicy(input, ctx) {
    const role = roleToChange(iamState(ctx), input.RoleName);
    role.inline[checkName('policy', input.PolicyName, 128)] = checkDocument(input.PolicyDocument);
    return {};
  },

  GetRolePolicy(input, ctx) {
    const role = getRole(iamState(ctx), input.RoleName);
    const document = own(role.inline, input.PolicyName ?? '');
    if (document === undefined) throw IamErrors.noSuchEntity(`The role policy with name ${input.PolicyName ?? ''} cannot be found.`);
    return { RoleName: role.roleName, PolicyName: input.PolicyName, PolicyDocument: encodeDocument(document) };
  },

  DeleteRolePolicy(input, ctx) {
    const role = roleToChange(iamState(ctx), input.RoleName);
    if (own(role.inline, input.PolicyName ?? '') === undefined) throw IamErrors.noSuchEntity(`The role policy with name ${input.PolicyName ?? ''} cannot be found.`);
    delete role.inline[input.PolicyName!];
    return {};
  },

  ListRolePolicies(input, ctx) {
    const role = getRole(iamState(ctx), input.RoleName);
    const page = iamPage(Object.keys(role.inline).sort(), input.Marker, input.MaxItems);
    return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  AttachRolePolicy(input, ctx) {
    const state = iamState(ctx);
    const role = roleToChange(state, input.RoleName);
    const policy = getPolicy(state, input.PolicyArn);
    if (!role.attached.includes(policy.arn)) {
      if (role.attached.length >= MAX_ATTACHED_PER_ROLE) throw IamErrors.limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED_PER_ROLE}`);
      role.attached.push(policy.arn);
    }
    return {};
  },

  DetachRolePolicy(input, ctx) {
    const state = iamState(ctx);
    const role = roleToChange(state, input.RoleName);
    if (!role.attached.includes(input.PolicyArn ?? '')) throw IamErrors.noSuchEntity(`Policy ${input.PolicyArn ?? ''} was not found.`);
    role.attached = role.attached.filter((a) => a !== input.PolicyArn);
    return {};
  },

  ListAttachedRolePolicies(input, ctx) {
    const state = iamState(ctx);
    const role = getRole(state, input.RoleName);
    const attached = role.attached.map((arn) => getPolicy(state, arn)).filter((p) => p.path.startsWith(input.PathPrefix ?? '/'));
    const page = iamPage(attached, input.Marker, input.MaxItems);
    return { AttachedPolicies: page.items.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.arn })), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  PutRolePermissionsBoundary(input, ctx) {
    const state = iamState(ctx);
    const role = roleToChange(state, input.RoleName);
    role.permissionsBoundary = checkBoundary(state, input.PermissionsBoundary);
    return {};
  },

  DeleteRolePermissionsBoundary(input, ctx) {
    // A role without a boundary is left as it is (not verified whether AWS answers an error there).
    const role = roleToChange(iamState(ctx), input.RoleName);
    role.permissionsBoundary = undefined;
    return {};
  },

  ListEntitiesForPolicy(input, ctx) {
    const state = iamState(ctx);
    const policy = getPolicy(state, input.PolicyArn);
    const roles = Object.values(state.roles).filter((r) => r.attached.includes(policy.arn));
    return { PolicyRoles: roles.map((r) => ({ RoleName: r.roleName, RoleId: r.roleId })), PolicyGroups: [], PolicyUsers: [], IsTruncated: false };
  },

  TagRole(input, ctx) {
    const role = getRole(iamState(ctx), input.RoleName);
    role.tags = mergeTags(role.tags, input.Tags);
    return {};
  },

  UntagRole(input, ctx) {
    const role = getRole(iamState(ctx), input.RoleName);
    role.tags = removeTags(role.tags, input.TagKeys);
    return {};
  },

  ListRoleTags(input, ctx) {
    return tagPage(getRole(iamState(ctx), input.RoleName).tags, input);
  },
};

export { attachmentCount };
