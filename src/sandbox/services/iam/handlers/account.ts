/**
 * Account-wide IAM reads: ListAccessKeys (the root's own key), ListAccountAliases and ListGroups
 * (the sandbox has neither aliases nor groups), GetAccountSummary (counts from the account's state,
 * IAM's default quotas) and GetAccountAuthorizationDetails (the account's roles and managed policies
 * with everything attached to them).
 */
import type { EntityType, IAM, ManagedPolicyDetail, RoleDetail, SummaryKeyType } from '@aws-sdk/client-iam';
import { AWS_MANAGED_POLICIES } from '../managed-policies.js';
import type { HandlerMap } from '../../types.js';
import { IamErrors } from '../errors.js';
import type { IamState, PolicyRecord, RoleRecord } from '../state.js';
import { encodeDocument, getPolicy, iamPage, iamState } from '../state.js';
import { SESSION_KEY } from '../../sts/sessions.js';
import { presentProfile } from './instance-profiles.js';
import { MAX_VERSIONS, presentPolicy, presentVersion } from './policies.js';
import { MAX_ATTACHED_PER_ROLE, presentRole } from './roles.js';
import { ROOT_CREATED, rootCaller } from './users.js';

const ENTITY_TYPES: readonly EntityType[] = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

function roleDetail(state: IamState, role: RoleRecord): RoleDetail {
  // RoleDetail is a Role without Description and MaxSessionDuration, plus the role's policies and
  // instance profiles; its tag list is always there.
  const { Description: _description, MaxSessionDuration: _duration, Tags: _tags, ...summary } = presentRole(role);
  return {
    ...summary,
    InstanceProfileList: Object.values(state.instanceProfiles)
      .filter((p) => p.roles.includes(role.roleName))
      .map((p) => presentProfile(state, p)),
    RolePolicyList: Object.entries(role.inline).map(([PolicyName, document]) => ({ PolicyName, PolicyDocument: encodeDocument(document) })),
    AttachedManagedPolicies: role.attached.map((arn) => ({ PolicyName: getPolicy(state, arn).policyName, PolicyArn: arn })),
    Tags: structuredClone(role.tags),
  };
}

function policyDetail(state: IamState, policy: PolicyRecord): ManagedPolicyDetail {
  const { Tags: _tags, ...summary } = presentPolicy(state, policy);
  return { ...summary, PolicyVersionList: policy.versions.map((v) => presentVersion(policy, v, true)) };
}

/** Account operations. */
export const accountHandlers: HandlerMap<IAM> = {
  ListAccessKeys(input, ctx) {
    rootCaller(input.UserName, ctx);
    // AWS lists the root user's own access keys for the root. The sandbox's long-term keys are
    // the root's, so the caller's key is listed (id and status, never a secret; CreateDate is the
    // root's, as GetUser gives it, and no UserName, as the root has none). A GetSessionToken
    // session's key is no long-term key, and the sandbox keeps no link to the key behind it.
    const keys = SESSION_KEY.test(ctx.principal.accessKeyId) ? [] : [{ AccessKeyId: ctx.principal.accessKeyId, Status: 'Active' as const, CreateDate: ROOT_CREATED }];
    const page = iamPage(keys, input.Marker, input.MaxItems);
    return { AccessKeyMetadata: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  ListAccountAliases(input) {
    const page = iamPage<string>([], input.Marker, input.MaxItems);
    return { AccountAliases: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  ListGroups(input) {
    // PathPrefix filters nothing here; the sandbox has no groups (as ListUsers has no users).
    const page = iamPage<never>([], input.Marker, input.MaxItems);
    return { Groups: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  },

  GetAccountSummary(_input, ctx) {
    const state = iamState(ctx);
    const roles = Object.values(state.roles);
    const summary: Partial<Record<SummaryKeyType, number>> = {
      Users: 0,
      UsersQuota: 5000,
      Groups: 0,
      GroupsQuota: 300,
      Roles: roles.length,
      RolesQuota: 1000,
      Policies: Object.keys(state.policies).length,
      PoliciesQuota: 1500,
      InstanceProfiles: Object.keys(state.instanceProfiles).length,
      InstanceProfilesQuota: 1000,
      // Managed policy attachments (each attaches the policy's default version).
      PolicyVersionsInUse: roles.reduce((n, r) => n + r.attached.length, 0),
      PolicyVersionsInUseQuota: 10000,
      VersionsPerPolicyQuota: MAX_VERSIONS,
      PolicySizeQuota: 6144,
      RolePolicySizeQuota: 10240,
      AssumeRolePolicySizeQuota: 2048,
      UserPolicySizeQuota: 2048,
      GroupPolicySizeQuota: 5120,
      AttachedPoliciesPerRoleQuota: MAX_ATTACHED_PER_ROLE,
      AttachedPoliciesPerUserQuota: 10,
      AttachedPoliciesPerGroupQuota: 10,
      GroupsPerUserQuota: 10,
      AccessKeysPerUserQuota: 2,
      SigningCertificatesPerUserQuota: 2,
      ServerCertificates: 0,
      ServerCertificatesQuota: 20,
      Providers: 0,
      MFADevices: 0,
      MFADevicesInUse: 0,
      AccountMFAEnabled: 0,
      // The root's long-term keys are what every open-mode and issued key is (see ListAccessKeys).
      AccountAccessKeysPresent: 1,
      AccountSigningCertificatesPresent: 0,
      GlobalEndpointTokenVersion: 1,
    };
    return { SummaryMap: summary };
  },

  GetAccountAuthorizationDetails(input, ctx) {
    const filter = input.Filter ?? [];
    for (const f of filter) {
      if (!ENTITY_TYPES.includes(f)) {
        // Message in the shape of IAM's other enum validation errors (not verified for this field).
        throw IamErrors.validation(`1 validation error detected: Value '[${filter.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy enum value set: [${ENTITY_TYPES.join(', ')}]`);
      }
    }
    const wants = (type: EntityType): boolean => filter.length === 0 || filter.includes(type);
    const state = iamState(ctx);
    const roles = wants('Role') ? Object.values(state.roles).sort((a, b) => a.roleName.localeCompare(b.roleName)) : [];
    // AWS managed policies appear when something uses them (attached or as a boundary); the
    // account's own policies always do.
    const inUse = new Set(Object.values(state.roles).flatMap((r) => [...r.attached, ...(r.permissionsBoundary ? [r.permissionsBoundary] : [])]));
    const policies = [
      ...(wants('LocalManagedPolicy') ? Object.values(state.policies) : []),
      ...(wants('AWSManagedPolicy') ? Object.values(AWS_MANAGED_POLICIES).filter((p) => inUse.has(p.arn)) : []),
    ];
    // One Marker and MaxItems over every list, in the order the response names them.
    const items: ({ role: RoleRecord } | { policy: PolicyRecord })[] = [...roles.map((role) => ({ role })), ...policies.map((policy) => ({ policy }))];
    const page = iamPage(items, input.Marker, input.MaxItems);
    return {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: page.items.flatMap((i) => ('role' in i ? [roleDetail(state, i.role)] : [])),
      Policies: page.items.flatMap((i) => ('policy' in i ? [policyDetail(state, i.policy)] : [])),
      IsTruncated: page.IsTruncated,
      Marker: page.Marker,
    };
  },
};
