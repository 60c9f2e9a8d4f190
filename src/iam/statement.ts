/**
 * One statement against one request: action, resource, principal, then conditions, each explained.
 */
import { conditionHolds, evaluateCondition } from './conditions.js';
import type { NormalizedContext, PrincipalIdentity } from './context.js';
import { quote, quoteList, statementSentence } from './explain.js';
import type { RequestAction, RequestResource } from './match.js';
import { findActionMatch, matchResource } from './match.js';
import type { ParsedStatement } from './parse.js';
import type { PrincipalMatch } from './principal.js';
import { describeNotPrincipal, describePrincipal, matchNotPrincipal, matchPrincipal } from './principal.js';
import type { ActionExplanation, ConditionExplanation, PolicyKind, PolicySource, PrincipalExplanation, ResourceExplanation, StatementExplanation } from './types.js';
import { describeUnresolved, resolveTemplate } from './variables.js';

/** The request, prepared once for all statements. */
export interface PreparedRequest {
  readonly action: RequestAction;
  readonly resource: RequestResource;
  readonly context: NormalizedContext;
  readonly caller: PrincipalIdentity;
  /** The caller has a permissions boundary (changes how Deny + NotPrincipal applies). */
  readonly hasBoundary: boolean;
}

/** A statement's explanation plus, for resource and trust policies, how the principal matched. */
export interface StatementOutcome {
  readonly explanation: StatementExplanation;
  readonly principal: PrincipalMatch | undefined;
}

function explainAction(s: ParsedStatement, action: RequestAction): ActionExplanation {
  const hit = findActionMatch(s.actions, action);
  const patterns = s.actions.map((a) => a.raw);
  const list = patterns.length === 1 ? quote(patterns[0] as string) : `(${quoteList(patterns, 'and')})`;
  if (s.actionElement === 'Action') {
    return hit
      ? { element: 'Action', matched: true, patterns, matchedBy: hit.raw, text: `Action ${quote(hit.raw)} covers ${action.raw}` }
      : { element: 'Action', matched: false, patterns, matchedBy: undefined, text: `Action ${list} does not cover ${action.raw}` };
  }
  return hit
    ? { element: 'NotAction', matched: false, patterns, matchedBy: hit.raw, text: `NotAction ${quote(hit.raw)} excludes ${action.raw}` }
    : { element: 'NotAction', matched: true, patterns, matchedBy: undefined, text: `NotAction ${list} does not exclude ${action.raw}` };
}

function explainResource(s: ParsedStatement, resource: RequestResource, context: NormalizedContext): ResourceExplanation {
  if (!s.resourceElement) {
    return { element: 'none', matched: true, patterns: [], matchedBy: undefined, unresolved: [], text: 'the statement has no Resource element, so it covers the resource the policy is attached to' };
  }
  const patterns = s.resources.map((r) => r.raw);
  let hit: string | undefined;
  const unresolved: string[] = [];
  for (const pattern of s.resources) {
    const m = matchResource(pattern, resource, context);
    if (m === 'match') {
      hit = pattern.raw;
      break;
    }
    if (m === 'unresolved') unresolved.push(pattern.raw);
  }
  const list = patterns.length === 1 ? quote(patterns[0] as string) : `(${quoteList(patterns, 'and')})`;
  const why = unresolved.length ? `; ${unresolved.map((raw) => unresolvedReason(s, raw, context)).join('; ')}` : '';
  if (s.resourceElement === 'Resource') {
    return hit
      ? { element: 'Resource', matched: true, patterns, matchedBy: hit, unresolved, text: `Resource ${quote(hit)} covers ${resource.raw}` }
      : { element: 'Resource', matched: false, patterns, matchedBy: undefined, unresolved, text: `Resource ${list} does not cover ${resource.raw}${why}` };
  }
  if (hit) return { element: 'NotResource', matched: false, patterns, matchedBy: hit, unresolved, text: `NotResource ${quote(hit)} excludes ${resource.raw}` };
  // A NotResource entry that cannot be resolved cannot prove the resource is outside it.
  return unresolved.length
    ? { element: 'NotResource', matched: false, patterns, matchedBy: undefined, unresolved, text: `NotResource ${list} cannot be checked against ${resource.raw}${why}` }
    : { element: 'NotResource', matched: true, patterns, matchedBy: undefined, unresolved, text: `NotResource ${list} does not exclude ${resource.raw}` };
}

function unresolvedReason(s: ParsedStatement, raw: string, context: NormalizedContext): string {
  const pattern = s.resources.find((r) => r.raw === raw);
  const r = pattern ? resolveTemplate(pattern.id, context) : undefined;
  return r && !r.ok ? `in ${quote(raw)}, ${describeUnresolved(r.variable, r.why)}` : `${quote(raw)} cannot be resolved`;
}

/**
 * How the statement's Principal/NotPrincipal element treats the caller; undefined when the statement
 * has no such element (identity-based policies).
 */
export function principalOf(s: ParsedStatement, request: PreparedRequest): PrincipalMatch | undefined {
  const spec = s.principals;
  if (!spec) return undefined;
  if (s.principalElement === 'Principal') return matchPrincipal(spec, request.caller);
  const applies = notPrincipalForced(s, request) || matchNotPrincipal(spec, request.caller, s.effect).applies;
  return { level: applies ? 'direct' : 'none', matchedBy: undefined, viaWildcard: false, exact: false };
}

/**
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html: a Deny with
 * NotPrincipal always denies a principal that has a permissions boundary.
 */
function notPrincipalForced(s: ParsedStatement, request: PreparedRequest): boolean {
  return s.effect === 'Deny' && request.hasBoundary && request.caller.kind !== 'service';
}

function explainPrincipal(s: ParsedStatement, request: PreparedRequest, match: PrincipalMatch): PrincipalExplanation {
  const spec = s.principals as NonNullable<ParsedStatement['principals']>;
  if (s.principalElement === 'Principal') return describePrincipal(spec, request.caller, match);
  return describeNotPrincipal(spec, request.caller, s.effect, matchNotPrincipal(spec, request.caller, s.effect), notPrincipalForced(s, request));
}

/** Action/NotAction element against the request. */
export function actionMatches(s: ParsedStatement, action: RequestAction): boolean {
  return (findActionMatch(s.actions, action) !== undefined) === (s.actionElement === 'Action');
}

/** Resource/NotResource element against the request; an unresolvable NotResource entry fails. */
export function resourceMatches(s: ParsedStatement, resource: RequestResource, context: NormalizedContext): boolean {
  if (!s.resourceElement) return true;
  const positive = s.resourceElement === 'Resource';
  for (const pattern of s.resources) {
    const m = matchResource(pattern, resource, context);
    if (m === 'match') return positive;
    if (m === 'unresolved' && !positive) return false;
  }
  return !positive;
}

/** A statement judged on the authorisation path, without explanation. */
export interface Judged {
  readonly source: PolicySource;
  readonly kind: PolicyKind;
  readonly statement: ParsedStatement;
  readonly applies: boolean;
  readonly principal: PrincipalMatch | undefined;
}

/** Decides whether a statement applies, stopping at the first element that fails. */
export function judgeStatement(source: PolicySource, kind: PolicyKind, s: ParsedStatement, request: PreparedRequest): Judged {
  let applies = actionMatches(s, request.action) && resourceMatches(s, request.resource, request.context);
  const principal = applies ? principalOf(s, request) : undefined;
  if (applies && principal && principal.level === 'none') applies = false;
  if (applies) {
    for (const c of s.conditions) {
      if (!conditionHolds(c, request.context)) {
        applies = false;
        break;
      }
    }
  }
  return { source, kind, statement: s, applies, principal };
}

/** Evaluates one statement of one policy and explains it. */
export function evaluateStatement(policyId: string, kind: PolicyKind, s: ParsedStatement, request: PreparedRequest): StatementOutcome {
  const action = explainAction(s, request.action);
  const resource = explainResource(s, request.resource, request.context);
  const match = action.matched && resource.matched ? principalOf(s, request) : undefined;
  const principal = match ? explainPrincipal(s, request, match) : undefined;
  const principalOk = !s.principals || (match !== undefined && match.level !== 'none');
  const conditionsEvaluated = action.matched && resource.matched && principalOk;
  const conditions: ConditionExplanation[] = conditionsEvaluated ? s.conditions.map((c) => evaluateCondition(c, request.context)) : [];
  const applies = conditionsEvaluated && conditions.every((c) => c.matched);
  // Built in one literal and completed in place: spreading it into a copy costs more than the rest.
  const explanation: StatementExplanation = {
    policyId,
    kind,
    index: s.index,
    sid: s.sid,
    effect: s.effect,
    applies,
    action,
    resource,
    principal,
    conditions,
    conditionsEvaluated,
    text: '',
  };
  explanation.text = statementSentence(explanation);
  return { explanation, principal: match };
}
