/**
 * Service-linked roles: the roles an AWS service owns in the customer's account, under
 * `/aws-service-role/<service principal>/`. IAM creates them on request
 * (CreateServiceLinkedRole) and the services create theirs on first use (ECS with its first
 * cluster, Amazon EC2 Auto Scaling with its first group). Only AWS may change them: policy,
 * trust and deletion calls on them fail with UnmodifiableEntity, and DeleteServiceLinkedRole
 * refuses while the service still has resources in any Region.
 */
import type { RequestContext } from '../types.js';
import { IamErrors } from './errors.js';
import type { IamState, RoleRecord } from './state.js';
import { getRole, iamState, uniqueId } from './state.js';

/** What one service's linked role looks like. */
interface LinkedRoleSpec {
  readonly roleName: string;
  readonly policyArn: string;
  /** The description the service gives the role it creates itself. */
  readonly description: string;
  /** Whether CreateServiceLinkedRole takes a CustomSuffix (Auto Scaling does, ECS does not). */
  readonly suffix: boolean;
  /** Resources of the service that keep the role (`roleArn`) in use, by Region. */
  readonly usage?: (ctx: RequestContext, roleArn: string) => { Region: string; Resources: string[] }[];
}

const SERVICE_ROLE_POLICY = 'arn:aws:iam::aws:policy/aws-service-role/';

/** The services of this sandbox that have a service-linked role, by service principal. */
export const LINKED_ROLES: Readonly<Record<string, LinkedRoleSpec>> = {
  'ecs.amazonaws.com': {
    roleName: 'AWSServiceRoleForECS',
    policyArn: `${SERVICE_ROLE_POLICY}AmazonECSServiceRolePolicy`,
    description: 'Role to enable Amazon ECS to manage your cluster.',
    suffix: false,
    usage: (ctx) =>
      inUse(ctx, 'ecs', (state: { clusters?: Record<string, { clusterArn?: string; status?: string }> }) =>
        Object.values(state.clusters ?? {})
          .filter((c) => c.status === 'ACTIVE')
          .map((c) => c.clusterArn!),
      ),
  },
  'autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForAutoScaling',
    policyArn: `${SERVICE_ROLE_POLICY}AutoScalingServiceRolePolicy`,
    description: 'Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling',
    suffix: true,
    usage: (ctx, roleArn) =>
      inUse(ctx, 'autoscaling', (state: { groups?: Record<string, { group: { AutoScalingGroupARN?: string; ServiceLinkedRoleARN?: string } }> }) =>
        Object.values(state.groups ?? {})
          .filter((g) => g.group.ServiceLinkedRoleARN === roleArn)
          .map((g) => g.group.AutoScalingGroupARN!),
      ),
  },
  'ecs.application-autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
    policyArn: `${SERVICE_ROLE_POLICY}AWSApplicationAutoscalingECSServicePolicy`,
    description: 'Allows Application Auto Scaling to scale ECS services.',
    suffix: false,
  },
};

function inUse<S>(ctx: RequestContext, service: string, resources: (state: S) => string[]): { Region: string; Resources: string[] }[] {
  return ctx
    .everyRegion<S>(service)
    .map(({ region, state }) => ({ Region: region, Resources: resources(state).sort() }))
    .filter((u) => u.Resources.length > 0);
}

const PATH_PREFIX = '/aws-service-role/';

/** The name of a service's linked role: its own, with `_<suffix>` when one is given. */
export function linkedRoleName(service: string, suffix?: string): string {
  const name = LINKED_ROLES[service]?.roleName ?? '';
  return suffix === undefined ? name : `${name}_${suffix}`;
}

/** The ARN of a service's linked role in an account (by default the role the service creates). */
export function linkedRoleArn(account: string, service: string, roleName = linkedRoleName(service)): string {
  return `arn:aws:iam::${account}:role${PATH_PREFIX}${service}/${roleName}`;
}

/** The service principal that owns a role, when it is a service-linked role. */
export function linkedService(role: RoleRecord): string | undefined {
  return role.path.startsWith(PATH_PREFIX) ? role.path.slice(PATH_PREFIX.length, -1) : undefined;
}

export function linkedRoleSpec(service: string | undefined): LinkedRoleSpec {
  const found = service ? LINKED_ROLES[service] : undefined;
  if (!found) {
    throw IamErrors.invalidInput(
      `The sandbox has no service-linked role for ${service ?? '(none)'}; AWSServiceName must be one of ${Object.keys(LINKED_ROLES).join(', ')}.`,
    );
  }
  return found;
}

export function addLinkedRole(ctx: RequestContext, state: IamState, service: string, roleName: string, description: string | undefined): RoleRecord {
  const role: RoleRecord = {
    roleName,
    roleId: uniqueId('AROA'),
    path: `${PATH_PREFIX}${service}/`,
    arn: linkedRoleArn(ctx.account, service, roleName),
    createDate: ctx.now,
    assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }),
    description,
    maxSessionDuration: 3600,
    permissionsBoundary: undefined,
    tags: [],
    inline: {},
    attached: [linkedRoleSpec(service).policyArn],
  };
  state.roles[roleName] = role;
  return role;
}

/**
 * What a service does on first use: creates its linked role in the caller's account unless it
 * exists (as ECS does for the first cluster and Auto Scaling for the first group).
 */
export function ensureLinkedRole(ctx: RequestContext, service: string): void {
  const state = iamState(ctx);
  const { roleName, description } = linkedRoleSpec(service);
  if (!Object.hasOwn(state.roles, roleName)) addLinkedRole(ctx, state, service, roleName, description);
}

/**
 * The role a customer's change applies to: UnmodifiableEntity when it is service-linked, as only
 * AWS may change its trust, policies, instance profiles or existence.
 */
export function roleToChange(state: IamState, name: string | undefined): RoleRecord {
  const role = getRole(state, name);
  guardLinkedRole(role);
  return role;
}

/**
 * Throws UnmodifiableEntity when `role` is service-linked and the operation changes what only
 * AWS may change (trust, policies, boundary, instance profiles, deletion, session duration).
 */
export function guardLinkedRole(role: RoleRecord, change: 'protected' | 'duration' = 'protected'): void {
  if (linkedService(role) === undefined) return;
  throw IamErrors.unmodifiable(
    change === 'duration'
      ? `${role.roleName} is an AWS service linked role, max session duration cannot be changed.`
      : `Cannot perform the operation on the protected role '${role.roleName}' - this role is only modifiable by AWS`,
  );
}

/** A DeleteServiceLinkedRole request and how it ended (the sandbox decides at once). */
export interface DeletionTaskRecord {
  status: 'SUCCEEDED' | 'FAILED';
  roleArn: string;
  reason?: { Reason: string; RoleUsageList: { Region: string; Resources: string[] }[] };
}

