/**
 * Principal and NotPrincipal matching for resource-based and trust policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import type { PrincipalIdentity } from './context.js';
import type { PrincipalSpec } from './parse.js';
import type { PrincipalExplanation } from './types.js';

/** How a Principal element names the caller; the best level over all entries wins. */
export interface PrincipalMatch {
  readonly level: 'direct' | 'session-role' | 'account' | 'none';
  readonly matchedBy: string | undefined;
  /** Matched through '*' rather than by name. */
  readonly viaWildcard: boolean;
  /** Named the caller's own ARN (a session ARN for a session), not its role or account. */
  readonly exact: boolean;
}

const RANK = { none: 0, account: 1, 'session-role': 2, direct: 3 } as const;
const NO_MATCH: PrincipalMatch = { level: 'none', matchedBy: undefined, viaWildcard: false, exact: false };

/** partition, account and role name of a role ARN (paths ignored: a session ARN does not carry one). */
function roleKey(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[2] !== 'iam') return undefined;
  const resource = parts.slice(5).join(':');
  if (!resource.startsWith('role/')) return undefined;
  return `${parts[1]}:${parts[4]}:${resource.slice(resource.lastIndexOf('/') + 1).toLowerCase()}`;
}

function better(a: PrincipalMatch, b: PrincipalMatch): PrincipalMatch {
  return RANK[b.level] > RANK[a.level] ? b : a;
}

/** Compares a Principal element with the caller. */
export function matchPrincipal(spec: PrincipalSpec, caller: PrincipalIdentity): PrincipalMatch {
  if (spec.wildcard) return { level: 'direct', matchedBy: '*', viaWildcard: true, exact: false };
  let best = NO_MATCH;
  const direct = (entry: string): PrincipalMatch => ({ level: 'direct', matchedBy: entry, viaWildcard: false, exact: true });
  if (caller.kind === 'service' && spec.service.includes(caller.raw)) return direct(`Service ${caller.raw}`);
  if (caller.kind === 'federated' && spec.federated.includes(caller.raw)) return direct(`Federated ${caller.raw}`);
  if (spec.canonicalUser.includes(caller.raw)) return direct(`CanonicalUser ${caller.raw}`);
  const callerRole = caller.kind === 'assumed-role' && caller.roleArn ? roleKey(caller.roleArn) : undefined;
  const root = caller.account ? caller.chain[caller.chain.length - 1] : undefined;
  for (const entry of spec.aws) {
    if (entry === caller.raw) return direct(`AWS ${entry}`);
    if (callerRole && roleKey(entry) === callerRole) {
      best = better(best, { level: 'session-role', matchedBy: `AWS ${entry}`, viaWildcard: false, exact: false });
    } else if (caller.kind === 'federated-user' && entry === `arn:${caller.partition}:iam::${caller.account}:user/${caller.name}`) {
      best = better(best, { level: 'session-role', matchedBy: `AWS ${entry}`, viaWildcard: false, exact: false });
    } else if (root !== undefined && entry === root && caller.kind !== 'service' && caller.kind !== 'federated') {
      best = better(best, { level: 'account', matchedBy: `AWS ${entry}`, viaWildcard: false, exact: false });
    }
  }
  return best;
}

/** True when one NotPrincipal entry names this identity of the caller's chain. */
function covers(spec: PrincipalSpec, identity: string): boolean {
  if (spec.wildcard) return true;
  if (spec.aws.includes(identity) || spec.service.includes(identity) || spec.federated.includes(identity)) return true;
  const key = roleKey(identity);
  return key !== undefined && spec.aws.some((entry) => roleKey(entry) === key);
}

/**
 * NotPrincipal. With Deny the statement spares the caller only when every identity AWS may check
 * (session, role, account) is listed; with Allow it excludes the caller when any of them is listed.
 * Both readings err towards less access.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function matchNotPrincipal(spec: PrincipalSpec, caller: PrincipalIdentity, effect: 'Allow' | 'Deny'): { applies: boolean; unlisted: string[] } {
  const unlisted = caller.chain.filter((identity) => !covers(spec, identity));
  return { applies: effect === 'Deny' ? unlisted.length > 0 : unlisted.length === caller.chain.length, unlisted };
}

/** Explains a Principal match in words. */
export function describePrincipal(spec: PrincipalSpec, caller: PrincipalIdentity, match: PrincipalMatch): PrincipalExplanation {
  const listed = spec.written.map((w) => `'${w}'`).join(', ');
  let text: string;
  switch (match.level) {
    case 'direct':
      text = match.viaWildcard ? `Principal '*' matches every caller` : `Principal names the caller (${match.matchedBy})`;
      break;
    case 'session-role':
      text = `Principal names the role of the caller's session (${match.matchedBy})`;
      break;
    case 'account':
      text = `Principal names the caller's account (${match.matchedBy}), which delegates the decision to the account's identity-based policies`;
      break;
    default:
      text = `Principal (${listed}) does not name ${caller.raw}`;
  }
  return { element: 'Principal', matched: match.level !== 'none', level: match.level, matchedBy: match.matchedBy, text };
}

/** Explains a NotPrincipal outcome in words. */
export function describeNotPrincipal(spec: PrincipalSpec, caller: PrincipalIdentity, effect: 'Allow' | 'Deny', result: { applies: boolean; unlisted: string[] }, forcedByBoundary: boolean): PrincipalExplanation {
  let text: string;
  if (forcedByBoundary) {
    text = 'NotPrincipal with Deny applies to every principal that has a permissions boundary, whatever it lists';
  } else if (effect === 'Deny') {
    text = result.applies
      ? `NotPrincipal does not list every identity of the caller (${result.unlisted.join(', ')} ${result.unlisted.length > 1 ? 'are' : 'is'} missing), so the caller is not exempt`
      : `NotPrincipal lists the caller and its role and account, so the caller is exempt`;
  } else {
    text = result.applies ? `NotPrincipal (${spec.written.join(', ')}) does not list ${caller.raw}` : `NotPrincipal lists ${caller.chain.filter((c) => !result.unlisted.includes(c)).join(', ')}, so the statement excludes the caller`;
  }
  return { element: 'NotPrincipal', matched: result.applies || forcedByBoundary, level: result.applies || forcedByBoundary ? 'direct' : 'none', matchedBy: undefined, text };
}
