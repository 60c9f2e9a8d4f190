/**
 * Role trust policies on their own: may this caller assume the role (sts:AssumeRole and friends)?
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import { normalizeContext, parsePrincipal, principalContext } from './context.js';
import { appliedBecause, nearMiss, nearMissClause } from './explain.js';
import { labelWithKind, loadPolicy, toRequestAction } from './evaluate.js';
import { splitArn, toRequestResource } from './match.js';
import type { PreparedRequest } from './statement.js';
import { evaluateStatement } from './statement.js';
import type { EvaluationResult, StatementExplanation, StatementRef, TrustRequest } from './types.js';

function refOf(s: StatementExplanation): StatementRef {
  return { policyId: s.policyId, kind: s.kind, index: s.index, sid: s.sid, effect: s.effect };
}

/**
 * Evaluates a trust policy for a caller. `allowed` means the trust policy lets the caller in; when
 * it does so only through the caller's account (or the caller is in another account than
 * `roleArn`), `requiresIdentityAllow` is true: the caller's own identity policy must also allow the
 * action, which `evaluate` with `resourcePolicy` checks in full.
 */
export function evaluateTrust(trustPolicy: string | object, request: TrustRequest, policyId = 'trust-policy'): EvaluationResult {
  const caller = parsePrincipal(request.principal, request.principalType);
  const action = toRequestAction(request.action ?? 'sts:AssumeRole');
  const policy = loadPolicy({ id: policyId, document: trustPolicy }, 'trust');
  const prepared: PreparedRequest = {
    action,
    resource: toRequestResource(request.roleArn ?? '*'),
    context: normalizeContext(request.context, principalContext(caller)),
    caller,
    hasBoundary: false,
  };
  const outcomes = policy.statements.map((s) => evaluateStatement(policyId, 'trust', s, prepared));
  const statements = outcomes.map((o) => o.explanation);
  const matched = statements.filter((s) => s.applies).map(refOf);
  const deny = statements.find((s) => s.applies && s.effect === 'Deny');
  if (deny) return { decision: 'explicitDeny', matched, statements, reason: `Denied by ${labelWithKind(deny)}: ${appliedBecause(deny)}.` };

  const allows = outcomes.filter((o) => o.explanation.applies && o.explanation.effect === 'Allow');
  const named = allows.find((o) => o.principal?.level === 'direct' || o.principal?.level === 'session-role');
  const grant = named ?? allows[0];
  if (!grant) {
    const miss = nearMiss(statements, ['trust']);
    return {
      decision: 'implicitDeny',
      matched,
      statements,
      reason: `Implicitly denied: no statement of the trust policy lets ${caller.raw} perform ${action.raw}${miss ? nearMissClause(miss) : ''}.`,
    };
  }
  const roleAccount = request.roleArn ? splitArn(request.roleArn)?.account : undefined;
  const crossAccount = roleAccount !== undefined && caller.account !== '' && roleAccount !== caller.account;
  const isAwsIdentity = caller.kind !== 'service' && caller.kind !== 'federated';
  const requiresIdentityAllow = isAwsIdentity && (!named || crossAccount);
  const label = labelWithKind(grant.explanation);
  const reason = requiresIdentityAllow
    ? `Allowed by ${label} provided the caller's identity-based policy also allows ${action.raw}: ${
        named ? `the caller is in account ${caller.account}, not the role's account ${roleAccount}` : appliedBecause(grant.explanation)
      }.`
    : `Allowed by ${label}: ${appliedBecause(grant.explanation)}.`;
  return { decision: 'allowed', matched, statements, reason, requiresIdentityAllow };
}
