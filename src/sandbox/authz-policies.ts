/**
 * The policies that decide a role's requests: its inline and attached managed policies (default
 * versions), its permissions boundary, and a session's policies. Shared by request enforcement
 * (`authz.ts`) and the IAM policy simulator (`services/iam/handlers/simulate.ts`).
 */
import type { PolicySource } from '../iam/index.js';
import { lookup } from './authz-table.js';
import type { IamState, RoleRecord } from './services/iam/state.js';
import { AWS_MANAGED_POLICIES } from './services/iam/managed-policies.js';
import type { SessionRecord } from './services/sts/sessions.js';

/** The SimulatePrincipalPolicy `SourcePolicyType` of a policy. */
export type SourcePolicyType = 'role' | 'user' | 'group' | 'aws-managed' | 'user-managed' | 'resource' | 'none';

/** A policy with what the simulator reports about it. */
export interface NamedPolicy extends PolicySource {
  readonly document: string;
  /** SimulatePrincipalPolicy's `SourcePolicyId`: the policy name (or `PolicyInputList.1`, …). */
  readonly name: string;
  readonly type: SourcePolicyType;
}

/** A role's identity policies and permissions boundary. */
export interface RolePolicies {
  readonly identity: NamedPolicy[];
  readonly boundary: NamedPolicy | undefined;
}

/** The default version of a managed policy (customer managed in `state`, or AWS managed). */
export function managedPolicy(state: IamState | undefined, arn: string): NamedPolicy | undefined {
  const policy = lookup(state?.policies, arn) ?? lookup(AWS_MANAGED_POLICIES, arn);
  const version = policy?.versions.find((v) => v.versionId === policy.defaultVersionId);
  if (!policy || !version) return undefined;
  return { id: arn, document: version.document, name: policy.policyName, type: arn.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'user-managed' };
}

/** What stands for a managed policy that no longer resolves where it caps permissions: it allows nothing. */
function unresolved(arn: string): NamedPolicy {
  return { id: arn, document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs-lab:Nothing","Resource":"*"}]}', name: arn, type: 'none' };
}

/** A role's current policies, as AWS reads them at request time (a boundary that no longer resolves allows nothing). */
export function rolePolicies(state: IamState | undefined, role: RoleRecord): RolePolicies {
  const identity: NamedPolicy[] = Object.entries(role.inline).map(([name, document]) => ({ id: `inline:${role.roleName}/${name}`, document, name, type: 'role' }));
  for (const arn of role.attached) {
    const policy = managedPolicy(state, arn);
    if (policy) identity.push(policy);
  }
  return { identity, boundary: role.permissionsBoundary ? (managedPolicy(state, role.permissionsBoundary) ?? unresolved(role.permissionsBoundary)) : undefined };
}

/** A session's policies (inline and managed); undefined when AssumeRole was given none. */
export function sessionPolicies(state: IamState | undefined, session: SessionRecord): NamedPolicy[] | undefined {
  const out: NamedPolicy[] = [];
  if (session.policy !== undefined) out.push({ id: 'session-policy', document: session.policy, name: 'session-policy', type: 'none' });
  for (const arn of session.policyArns ?? []) {
    // A session policy ARN that no longer resolves still caps the session: it allows nothing.
    out.push(managedPolicy(state, arn) ?? unresolved(arn));
  }
  return out.length ? out : undefined;
}
