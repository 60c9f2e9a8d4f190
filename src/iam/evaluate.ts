/**
 * The decision: AWS's policy evaluation logic for one account (plus the cross-account rule when a
 * resource policy is given).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * 1. An explicit Deny in any policy wins.
 * 2. Otherwise the request needs an Allow: from the identity-based policies (capped by the
 *    permissions boundary and the session policies), or from the resource policy.
 * 3. Otherwise it is implicitly denied.
 *
 * The decision is taken on a fast path that only answers "does this statement apply"; the
 * explanations (every statement, the reason sentence) are built from the same primitives when first
 * read, because the sandbox authorises every request and mostly needs only the decision.
 */
import { normalizeContext, parsePrincipal, principalContext } from './context.js';
import type { PrincipalIdentity } from './context.js';
import { InvalidInputError, PolicyError } from './errors.js';
import { appliedBecause, nearMiss, nearMissClause, statementLabel } from './explain.js';
import type { RequestAction, RequestResource } from './match.js';
import { toRequestResource } from './match.js';
import type { ParsedPolicy } from './parse.js';
import { assertPolicyKind, parsePolicy } from './parse.js';
import type { Judged, PreparedRequest } from './statement.js';
import { evaluateStatement, judgeStatement } from './statement.js';
import type { Decision, EvaluationInput, EvaluationResult, PolicyKind, PolicySource, StatementExplanation, StatementRef } from './types.js';

const ACTION = /^([A-Za-z0-9-]+):([A-Za-z0-9_-]+)$/;
const CALLER_CACHE_LIMIT = 1000;
const callers = new Map<string, { identity: PrincipalIdentity; defaults: Record<string, string> }>();

const REQUEST_CACHE_LIMIT = 1000;
let actions = new Map<string, RequestAction>();
let resources = new Map<string, RequestResource>();

/** Splits and lower-cases a request action; the few hundred actions in use are parsed once each. */
export function toRequestAction(raw: string): RequestAction {
  let action = actions.get(raw);
  if (!action) {
    const m = ACTION.exec(raw.trim());
    if (!m) throw new InvalidInputError(`The request action '${raw}' is not of the form service:Action.`);
    action = { raw, service: (m[1] as string).toLowerCase(), name: (m[2] as string).toLowerCase() };
    if (actions.size >= REQUEST_CACHE_LIMIT) actions = new Map();
    actions.set(raw, action);
  }
  return action;
}

/** Splits a request resource ARN, remembering recent ones (a workload touches the same resources). */
function requestResourceOf(raw: string): RequestResource {
  let resource = resources.get(raw);
  if (!resource) {
    resource = toRequestResource(raw);
    if (resources.size >= REQUEST_CACHE_LIMIT) resources = new Map();
    resources.set(raw, resource);
  }
  return resource;
}

/** Parses the caller once per distinct principal string. */
function callerOf(principal: string): { identity: PrincipalIdentity; defaults: Record<string, string> } {
  let entry = callers.get(principal);
  if (!entry) {
    const identity = parsePrincipal(principal);
    entry = { identity, defaults: principalContext(identity) };
    if (callers.size >= CALLER_CACHE_LIMIT) callers.clear();
    callers.set(principal, entry);
  }
  return entry;
}

/** Parses a policy source and checks it suits its place; errors name the policy. */
export function loadPolicy(source: PolicySource, kind: PolicyKind): ParsedPolicy {
  let policy: ParsedPolicy;
  try {
    policy = parsePolicy(source.document);
  } catch (err) {
    if (err instanceof PolicyError) throw new PolicyError(`Policy ${source.id}: ${err.message}`, err.path, source.id);
    throw err;
  }
  assertPolicyKind(policy, kind, source.id);
  return policy;
}

/** Judges every statement of the given policies; `all` collects every judged statement in evaluation order. */
function judgeAll(sources: readonly PolicySource[], kind: PolicyKind, request: PreparedRequest, all: Judged[]): Judged[] {
  const judged: Judged[] = [];
  for (const source of sources) {
    for (const s of loadPolicy(source, kind).statements) {
      const j = judgeStatement(source, kind, s, request);
      judged.push(j);
      all.push(j);
    }
  }
  return judged;
}

const KIND_WORDS: Record<PolicyKind, string> = {
  identity: '',
  permissionsBoundary: 'the permissions boundary ',
  session: 'the session policy ',
  resource: 'the resource policy ',
  trust: 'the trust policy ',
};

/** "statement DenyProd of the permissions boundary arn:..." */
export function labelWithKind(s: StatementRef): string {
  const label = statementLabel(s);
  const of = ` of ${s.policyId}`;
  return `${label.slice(0, label.length - of.length)} of ${KIND_WORDS[s.kind]}${s.policyId}`;
}

/** What the reason sentence will say; rendered only when `reason` is read. */
type Plan =
  | { t: 'deny' | 'allow'; s: Judged; also?: Judged }
  | { t: 'allow-cross'; identity: Judged; grant: Judged }
  | { t: 'no-grant-for'; where: string }
  | { t: 'trust-misses-caller' }
  | { t: 'account-only'; grant: Judged }
  | { t: 'cross-needs-identity'; grant: Judged }
  | { t: 'cross-account'; resourceAccount: string }
  | { t: 'capped'; by: 'boundary' | 'session'; grant: Judged }
  | { t: 'none' };

interface Decided {
  decision: Decision;
  plan: Plan;
}

const applying = (judged: readonly Judged[] | undefined): Judged[] => (judged ?? []).filter((j) => j.applies && j.statement.effect === 'Allow');

function decide(input: EvaluationInput, request: PreparedRequest, all: Judged[], groups: Record<PolicyKind, Judged[] | undefined>, resourceKind: PolicyKind): Decided {
  const deny = all.find((j) => j.applies && j.statement.effect === 'Deny');
  if (deny) return { decision: 'explicitDeny', plan: { t: 'deny', s: deny } };
  const { caller } = request;
  const idAllows = applying(groups.identity);
  const boundaryOk = !groups.permissionsBoundary || applying(groups.permissionsBoundary).length > 0;
  const sessionOk = !groups.session || applying(groups.session).length > 0;
  const identitySide = idAllows.length > 0 && boundaryOk && sessionOk;
  const resource = groups[resourceKind];

  // Services and web identities act only through a resource (trust) policy.
  if (caller.kind === 'service' || caller.kind === 'federated') {
    const granted = applying(resource).find((j) => j.principal?.level === 'direct');
    if (granted) return { decision: 'allowed', plan: { t: 'allow', s: granted } };
    const where = input.resourcePolicy ? `no statement of ${KIND_WORDS[resourceKind]}${input.resourcePolicy.id}` : 'no resource or trust policy';
    return { decision: 'implicitDeny', plan: { t: 'no-grant-for', where } };
  }
  let capped: Judged | undefined;
  if (resource) {
    const resourceAccount = request.resource.arn?.account || input.request.resourceAccount || caller.account;
    const resAllows = applying(resource);
    const named = resAllows.filter((j) => j.principal?.level === 'direct' || j.principal?.level === 'session-role');
    const viaAccount = resAllows.filter((j) => j.principal?.level === 'account');
    if (resourceAccount === caller.account) {
      // A resource policy naming a user or session directly is not capped by an implicit deny in the
      // boundary (access_policies_boundaries.html); one naming the session ARN is not capped by the
      // session policy (access_policies.html#policies_session).
      const passesBoundary = (j: Judged): boolean =>
        boundaryOk || (j.principal?.level === 'direct' && (['user', 'assumed-role', 'federated-user'].includes(caller.kind) || (caller.kind === 'role' && j.principal.viaWildcard)));
      const passesSession = (j: Judged): boolean => sessionOk || (j.principal?.exact === true && ['assumed-role', 'federated-user'].includes(caller.kind));
      const viaResource = named.find((j) => passesBoundary(j) && passesSession(j));
      if (viaResource) return { decision: 'allowed', plan: { t: 'allow', s: viaResource } };
      capped = named[0];
      // Role trust policies and KMS key policies must trust the account explicitly before identity
      // policies count, even within the account.
      const explicitTrust = request.action.service === 'sts' || request.action.service === 'kms';
      if (identitySide && !explicitTrust) return { decision: 'allowed', plan: { t: 'allow', s: idAllows[0] as Judged } };
      if (identitySide && viaAccount.length) return { decision: 'allowed', plan: { t: 'allow', s: idAllows[0] as Judged, also: viaAccount[0] } };
      if (identitySide) return { decision: 'implicitDeny', plan: { t: 'trust-misses-caller' } };
      if (viaAccount.length && !idAllows.length) return { decision: 'implicitDeny', plan: { t: 'account-only', grant: viaAccount[0] as Judged } };
    } else if (identitySide && (named.length || viaAccount.length)) {
      return { decision: 'allowed', plan: { t: 'allow-cross', identity: idAllows[0] as Judged, grant: (named[0] ?? viaAccount[0]) as Judged } };
    } else if (identitySide) {
      return { decision: 'implicitDeny', plan: { t: 'cross-account', resourceAccount } };
    } else if (!idAllows.length && (named.length || viaAccount.length)) {
      return { decision: 'implicitDeny', plan: { t: 'cross-needs-identity', grant: (named[0] ?? viaAccount[0]) as Judged } };
    }
  } else if (identitySide) {
    return { decision: 'allowed', plan: { t: 'allow', s: idAllows[0] as Judged } };
  }
  const grant = idAllows[0] ?? capped;
  if (grant && !boundaryOk) return { decision: 'implicitDeny', plan: { t: 'capped', by: 'boundary', grant } };
  if (grant && !sessionOk) return { decision: 'implicitDeny', plan: { t: 'capped', by: 'session', grant } };
  return { decision: 'implicitDeny', plan: { t: 'none' } };
}

function refOf(j: Judged): StatementRef {
  return { policyId: j.source.id, kind: j.kind, index: j.statement.index, sid: j.statement.sid, effect: j.statement.effect };
}

function render(plan: Plan, input: EvaluationInput, explain: (j: Judged) => StatementExplanation, statements: StatementExplanation[], resourceKind: PolicyKind): string {
  const target = `${input.request.action} on ${input.request.resource}`;
  const resourceWords = `${KIND_WORDS[resourceKind]}${input.resourcePolicy?.id ?? ''}`;
  const miss = (kinds: PolicyKind[]): string => {
    const near = nearMiss(statements, kinds);
    return near ? nearMissClause(near) : '';
  };
  switch (plan.t) {
    case 'deny':
      return `Denied by ${labelWithKind(refOf(plan.s))}: ${appliedBecause(explain(plan.s))}.`;
    case 'allow': {
      const also = plan.also ? `, and ${labelWithKind(refOf(plan.also))} trusts the caller's account` : '';
      return `Allowed by ${labelWithKind(refOf(plan.s))}${also}: ${appliedBecause(explain(plan.s))}.`;
    }
    case 'allow-cross':
      return `Allowed by ${labelWithKind(refOf(plan.identity))} and ${labelWithKind(refOf(plan.grant))}: ${appliedBecause(explain(plan.grant))}.`;
    case 'no-grant-for':
      return `Implicitly denied: ${plan.where} allows ${input.request.principal} to perform ${target}${miss(['resource', 'trust'])}.`;
    case 'trust-misses-caller':
      return `Implicitly denied: the identity-based policies allow ${target}, but ${resourceWords} names neither the caller nor its account${miss(['resource', 'trust'])}.`;
    case 'account-only':
      return `Implicitly denied: ${labelWithKind(refOf(plan.grant))} trusts only the caller's account, so an identity-based policy must also allow ${target}, and none does.`;
    case 'cross-needs-identity':
      return `Implicitly denied: ${labelWithKind(refOf(plan.grant))} allows it, but the caller is in another account, so an identity-based policy must also allow ${target}, and none does${miss(['identity'])}.`;
    case 'cross-account':
      return `Implicitly denied: the resource is in account ${plan.resourceAccount}, and ${resourceWords} does not allow ${input.request.principal}, which is in another account${miss(['resource', 'trust'])}.`;
    case 'capped':
      return plan.by === 'boundary'
        ? `Implicitly denied: ${labelWithKind(refOf(plan.grant))} allows ${target}, but the permissions boundary ${input.permissionsBoundary?.id} does not${miss(['permissionsBoundary'])}.`
        : `Implicitly denied: ${labelWithKind(refOf(plan.grant))} allows ${target}, but the session policies do not${miss(['session'])}.`;
    default:
      return `Implicitly denied: no statement allows ${target}${miss(['identity', 'resource', 'trust'])}.`;
  }
}

/**
 * Decides one request and explains the decision (`statements` and `reason` are built when first
 * read). Throws PolicyError for a malformed policy and InvalidInputError for a malformed request.
 */
export function evaluate(input: EvaluationInput): EvaluationResult {
  const { request } = input;
  const { identity: caller, defaults } = callerOf(request.principal);
  const action = toRequestAction(request.action);
  const context = normalizeContext(request.context, input.autoContext === false ? undefined : defaults);
  const prepared: PreparedRequest = { action, resource: requestResourceOf(request.resource), context, caller, hasBoundary: input.permissionsBoundary !== undefined };
  const all: Judged[] = [];
  const resourceKind: PolicyKind = action.service === 'sts' ? 'trust' : 'resource';
  const groups: Record<PolicyKind, Judged[] | undefined> = {
    identity: judgeAll(input.identityPolicies, 'identity', prepared, all),
    permissionsBoundary: input.permissionsBoundary ? judgeAll([input.permissionsBoundary], 'permissionsBoundary', prepared, all) : undefined,
    session: input.sessionPolicies?.length ? judgeAll(input.sessionPolicies, 'session', prepared, all) : undefined,
    resource: undefined,
    trust: undefined,
  };
  if (input.resourcePolicy) groups[resourceKind] = judgeAll([input.resourcePolicy], resourceKind, prepared, all);
  const { decision, plan } = decide(input, prepared, all, groups, resourceKind);

  return new LazyResult(decision, all, plan, input, prepared, resourceKind);
}

/**
 * The result of `evaluate`. `decision` and `matched` are computed up front; `statements` and
 * `reason` when first read, and then kept. They live on the prototype, so spread or Object.keys
 * do not list them; JSON.stringify does, through toJSON.
 */
class LazyResult implements EvaluationResult {
  readonly decision: Decision;
  readonly matched: StatementRef[];
  // Private fields, so the internals stay out of Object.keys, spread and console output.
  readonly #judged: readonly Judged[];
  readonly #context: { plan: Plan; input: EvaluationInput; prepared: PreparedRequest; resourceKind: PolicyKind };
  #statements: StatementExplanation[] | undefined;
  #reason: string | undefined;

  constructor(decision: Decision, judged: readonly Judged[], plan: Plan, input: EvaluationInput, prepared: PreparedRequest, resourceKind: PolicyKind) {
    this.decision = decision;
    this.matched = [];
    for (const j of judged) if (j.applies) this.matched.push(refOf(j));
    this.#judged = judged;
    this.#context = { plan, input, prepared, resourceKind };
  }

  get statements(): StatementExplanation[] {
    const { prepared } = this.#context;
    return (this.#statements ??= this.#judged.map((j) => evaluateStatement(j.source.id, j.kind, j.statement, prepared).explanation));
  }

  get reason(): string {
    if (this.#reason === undefined) {
      const { plan, input, resourceKind } = this.#context;
      const statements = this.statements;
      this.#reason = render(plan, input, (j) => statements[this.#judged.indexOf(j)] as StatementExplanation, statements, resourceKind);
    }
    return this.#reason;
  }

  toJSON(): { decision: Decision; matched: StatementRef[]; statements: StatementExplanation[]; reason: string } {
    return { decision: this.decision, matched: this.matched, statements: this.statements, reason: this.reason };
  }

  /** Shows the whole explanation in console.log and the Node REPL, not just the two eager fields. */
  [Symbol.for('nodejs.util.inspect.custom')](): ReturnType<LazyResult['toJSON']> {
    return this.toJSON();
  }
}
