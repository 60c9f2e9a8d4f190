/**
 * IAM and STS authorisation tables.
 *
 * | operation                                                  | resource                          |
 * |------------------------------------------------------------|-----------------------------------|
 * | role operations (CreateRole … ListRoleTags, ListInstanceProfilesForRole) | the role ARN (with its path) |
 * | policy operations (CreatePolicy … ListEntitiesForPolicy)   | the policy ARN                    |
 * | instance profile operations                                | the instance profile ARN; AddRoleToInstanceProfile also iam:PassRole on the role |
 * | CreateServiceLinkedRole                                    | the role ARN it would create (condition key iam:AWSServiceName) |
 * | DeleteServiceLinkedRole, GetServiceLinkedRoleDeletionStatus | the role ARN                     |
 * | SimulatePrincipalPolicy, GetContextKeysForPrincipalPolicy  | the PolicySourceArn               |
 * | GenerateServiceLastAccessedDetails                         | the Arn (role or policy)          |
 * | GetUser                                                    | the user ARN; without a UserName (the caller itself) no check |
 * | ListUsers                                                  | `arn:aws:iam::<account>:user<PathPrefix>` (AWS's denials name `…:user/`) |
 * | ListAccessKeys                                             | as GetUser                        |
 * | ListGroups                                                 | `arn:aws:iam::<account>:group<PathPrefix>` (as ListUsers; not verified) |
 * | sts:AssumeRole                                             | the role ARN, with its trust policy as the resource policy; session tags also need sts:TagSession, a SourceIdentity sts:SetSourceIdentity |
 * | sts:GetCallerIdentity, sts:GetSessionToken                 | no permission needed              |
 * | everything else (List*, SimulateCustomPolicy, GetServiceLastAccessedDetails*) | `*`           |
 *
 * Condition keys: iam:PolicyARN (Attach/DetachRolePolicy), iam:PermissionsBoundary (the requested
 * boundary on CreateRole and PutRolePermissionsBoundary; the role's current boundary on
 * Attach/DetachRolePolicy, Put/DeleteRolePolicy and DeleteRolePermissionsBoundary, so a policy can
 * let developers change only roles that carry the boundary), iam:ResourceTag/* beside
 * aws:ResourceTag/*, sts:RoleSessionName,
 * sts:ExternalId, sts:SourceIdentity.
 */
import type { ContextValue } from '../iam/index.js';
import type { AuthzEnv, Input, OperationRule, ServiceRules } from './authz-table.js';
import { lookup, str, strings, tagList } from './authz-table.js';
import { linkedRoleArn, linkedRoleName } from './services/iam/service-linked.js';
import type { IamState } from './services/iam/state.js';

function iam(env: AuthzEnv, account?: string): IamState | undefined {
  return env.state<IamState>('iam', true, account);
}

function path(input: Input): string {
  const p = str(input.Path) ?? '/';
  return p.startsWith('/') && p.endsWith('/') ? p : '/';
}

function roleArn(input: Input, env: AuthzEnv): string {
  const name = str(input.RoleName) ?? '';
  return lookup(iam(env)?.roles, name)?.arn ?? `arn:aws:iam::${env.account}:role${path(input)}${name}`;
}

function profileArn(input: Input, env: AuthzEnv): string {
  const name = str(input.InstanceProfileName) ?? '';
  return lookup(iam(env)?.instanceProfiles, name)?.arn ?? `arn:aws:iam::${env.account}:instance-profile${path(input)}${name}`;
}

const onRole: OperationRule = { resources: (i, env) => [roleArn(i, env)] };
const onPolicy: OperationRule = { resources: (i) => [str(i.PolicyArn) ?? '*'] };
const onProfile: OperationRule = { resources: (i, env) => [profileArn(i, env)] };
const onSource: OperationRule = { resources: (i) => [str(i.PolicySourceArn) ?? '*'] };
// Without a UserName the operation is about the caller; for a role session that is a ValidationError.
const onUser: OperationRule = { resources: (i, env) => [`arn:aws:iam::${env.account}:user/${str(i.UserName) ?? ''}`], open: (i) => str(i.UserName) === undefined };
const iamTags = (i: Input): Record<string, string> | undefined => tagList(i.Tags);
const tagKeys = (i: Input): string[] => strings(i.TagKeys);
const policyArnKey = (i: Input): Record<string, ContextValue> => (str(i.PolicyArn) ? { 'iam:PolicyARN': str(i.PolicyArn)! } : {});
const boundaryKey = (i: Input): Record<string, ContextValue> => (str(i.PermissionsBoundary) ? { 'iam:PermissionsBoundary': str(i.PermissionsBoundary)! } : {});
const currentBoundaryKey = (i: Input, env: AuthzEnv): Record<string, ContextValue> => boundaryKey({ PermissionsBoundary: lookup(iam(env)?.roles, str(i.RoleName) ?? '')?.permissionsBoundary });
const onBoundedRole: OperationRule = { ...onRole, context: currentBoundaryKey };

const iamOperations: Record<string, OperationRule> = {
  CreateRole: { ...onRole, requestTags: iamTags, creates: true, context: boundaryKey },
  GetRole: onRole,
  DeleteRole: onRole,
  UpdateRole: onRole,
  UpdateRoleDescription: onRole,
  UpdateAssumeRolePolicy: onRole,
  PutRolePolicy: onBoundedRole,
  GetRolePolicy: onRole,
  DeleteRolePolicy: onBoundedRole,
  ListRolePolicies: onRole,
  AttachRolePolicy: { ...onRole, context: (i, env) => ({ ...policyArnKey(i), ...currentBoundaryKey(i, env) }) },
  DetachRolePolicy: { ...onRole, context: (i, env) => ({ ...policyArnKey(i), ...currentBoundaryKey(i, env) }) },
  ListAttachedRolePolicies: onRole,
  PutRolePermissionsBoundary: { ...onRole, context: boundaryKey },
  DeleteRolePermissionsBoundary: onBoundedRole,
  TagRole: { ...onRole, requestTags: iamTags },
  UntagRole: { ...onRole, removedTagKeys: tagKeys },
  ListRoleTags: onRole,
  ListInstanceProfilesForRole: onRole,
  CreatePolicy: { resources: (i, env) => [`arn:aws:iam::${env.account}:policy${path(i)}${str(i.PolicyName) ?? ''}`], requestTags: iamTags, creates: true },
  GetPolicy: onPolicy,
  DeletePolicy: onPolicy,
  CreatePolicyVersion: onPolicy,
  GetPolicyVersion: onPolicy,
  ListPolicyVersions: onPolicy,
  DeletePolicyVersion: onPolicy,
  SetDefaultPolicyVersion: onPolicy,
  TagPolicy: { ...onPolicy, requestTags: iamTags },
  UntagPolicy: { ...onPolicy, removedTagKeys: tagKeys },
  ListPolicyTags: onPolicy,
  ListEntitiesForPolicy: onPolicy,
  CreateInstanceProfile: { ...onProfile, requestTags: iamTags, creates: true },
  GetInstanceProfile: onProfile,
  DeleteInstanceProfile: onProfile,
  AddRoleToInstanceProfile: {
    ...onProfile,
    extra: (i, env) => [{ action: 'iam:PassRole', resource: roleArn(i, env), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } }],
  },
  RemoveRoleFromInstanceProfile: onProfile,
  TagInstanceProfile: { ...onProfile, requestTags: iamTags },
  UntagInstanceProfile: { ...onProfile, removedTagKeys: tagKeys },
  ListInstanceProfileTags: onProfile,
  CreateServiceLinkedRole: {
    resources: (i, env) => {
      const service = str(i.AWSServiceName) ?? '';
      return [linkedRoleArn(env.account, service, linkedRoleName(service, str(i.CustomSuffix)))];
    },
    context: (i) => ({ 'iam:AWSServiceName': str(i.AWSServiceName) ?? '' }),
  },
  DeleteServiceLinkedRole: onRole,
  GetServiceLinkedRoleDeletionStatus: { resources: (i, env) => [lookup(iam(env)?.deletionTasks, str(i.DeletionTaskId) ?? '')?.roleArn ?? '*'] },
  SimulatePrincipalPolicy: onSource,
  GetContextKeysForPrincipalPolicy: onSource,
  // The Service Authorization Reference lists role, policy, user and group resources for it; the reads take `*`.
  GenerateServiceLastAccessedDetails: { resources: (i) => [str(i.Arn) ?? '*'] },
  GetUser: onUser,
  ListAccessKeys: onUser,
  ListUsers: { resources: (i, env) => [`arn:aws:iam::${env.account}:user${str(i.PathPrefix) ?? '/'}`] },
  ListGroups: { resources: (i, env) => [`arn:aws:iam::${env.account}:group${str(i.PathPrefix) ?? '/'}`] },
};

/** IAM's tag-on-create action depends on what is created: iam:TagRole for CreateRole, … */
function iamTagOnCreate(operation: string): string {
  return `iam:Tag${operation.replace(/^Create/, '')}`;
}

const IAM_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):(role|policy|instance-profile)\/(?:.*\/)?([^/]+)$/;

/** Current tags of a role, customer managed policy or instance profile (any account in the sandbox). */
function iamResourceTags(resourceArn: string, env: AuthzEnv): Record<string, string> | undefined {
  const m = IAM_ARN.exec(resourceArn);
  if (!m) return undefined;
  const [, account, type, name] = m as unknown as [string, string, string, string];
  const state = iam(env, account);
  const record =
    type === 'role' ? lookup(state?.roles, name) : type === 'policy' ? lookup(state?.policies, resourceArn) : lookup(state?.instanceProfiles, name);
  return record && record.arn === resourceArn ? tagList(record.tags) ?? {} : undefined;
}

/** The IAM table. */
export const IAM_RULES: ServiceRules = {
  prefix: 'iam',
  operations: iamOperations,
  resourceTags: iamResourceTags,
  tagOnCreate: iamTagOnCreate,
  resourceTagAlias: 'iam:ResourceTag',
};


const stsOperations: Record<string, OperationRule> = {
  GetCallerIdentity: { open: true },
  // "No permissions are required for users to perform this operation" (STS API reference).
  GetSessionToken: { open: true },
  AssumeRole: {
    resources: (i) => [str(i.RoleArn) ?? '*'],
    requestTags: iamTags,
    context: (i) => {
      const out: Record<string, ContextValue> = { 'sts:RoleSessionName': str(i.RoleSessionName) ?? '' };
      if (str(i.ExternalId) !== undefined) out['sts:ExternalId'] = str(i.ExternalId)!;
      if (str(i.SourceIdentity) !== undefined) out['sts:SourceIdentity'] = str(i.SourceIdentity)!;
      return out;
    },
    extra: (i) => [
      ...(iamTags(i) ? [{ action: 'sts:TagSession', resource: str(i.RoleArn) ?? '*' }] : []),
      ...(str(i.SourceIdentity) !== undefined ? [{ action: 'sts:SetSourceIdentity', resource: str(i.RoleArn) ?? '*' }] : []),
    ],
    resourcePolicy: (i, env) => {
      const arn = str(i.RoleArn) ?? '';
      const m = IAM_ARN.exec(arn);
      const role = m && m[2] === 'role' ? lookup(iam(env, m[1])?.roles, m[3]!) : undefined;
      return role && role.arn === arn ? { id: 'trust-policy', document: role.assumeRolePolicyDocument } : undefined;
    },
  },
};

/** The STS table. */
export const STS_RULES: ServiceRules = { prefix: 'sts', operations: stsOperations, resourceTags: iamResourceTags };
