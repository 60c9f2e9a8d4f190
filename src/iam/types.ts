/**
 * Public shapes of the IAM evaluator: what callers pass in and the explanation they get back.
 */

/** A request context value. Numbers and booleans are compared as the strings AWS would send. */
export type ContextValue = string | number | boolean | readonly string[];

/** A policy document with a stable id used in explanations. */
export interface PolicySource {
  /** e.g. 'arn:aws:iam::123456789012:policy/x' or 'inline:role-name/policy-name'. */
  id: string;
  /** JSON text (URL-encoded, as IAM returns it, is accepted too) or an already parsed object. */
  document: string | object;
}

/** One API call to authorise. */
export interface IamRequest {
  /** Caller: IAM user/role ARN, assumed-role session ARN, account id, or a service principal. */
  principal: string;
  /** `service:Action`, e.g. 'ecs:UpdateService' (case-insensitive). */
  action: string;
  /** Resource ARN, or '*' for actions that do not support resource-level permissions. */
  resource: string;
  /** Request context: aws:ResourceTag/*, aws:RequestTag/*, aws:TagKeys, ecs:CreateAction, ... */
  context?: Record<string, ContextValue>;
  /** Account that owns the resource when its ARN has none (S3 buckets); defaults to the principal's. */
  resourceAccount?: string;
}

/** Everything that decides one request. */
export interface EvaluationInput {
  request: IamRequest;
  /** Inline and attached policies of the principal (for a session: of its role). */
  identityPolicies: PolicySource[];
  permissionsBoundary?: PolicySource;
  /** Session policies passed to AssumeRole (inline and managed); together they cap the session. */
  sessionPolicies?: PolicySource[];
  /**
   * The resource's own policy (bucket, secret, key policy, or a role trust policy for sts:AssumeRole).
   * Without it the request is judged on the principal's policies alone, as within one account.
   */
  resourcePolicy?: PolicySource;
  /**
   * Add the keys AWS sets on every signed request from this principal (aws:PrincipalArn,
   * aws:PrincipalAccount, aws:PrincipalType, aws:username, ...) where the context lacks them.
   * Default true; SimulatePrincipalPolicy-style callers that pass the full context may turn it off.
   */
  autoContext?: boolean;
}

/** allowed; explicitDeny (a Deny statement applied); implicitDeny (nothing allowed the request). */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** A statement's Effect. */
export type Effect = 'Allow' | 'Deny';

/** Where a policy sits in the evaluation; decides which elements it must and must not have. */
export type PolicyKind = 'identity' | 'permissionsBoundary' | 'session' | 'resource' | 'trust';

/** Points at one statement of one policy. */
export interface StatementRef {
  policyId: string;
  kind: PolicyKind;
  /** 0-based position in the Statement array (explanations say "statement 1" for index 0). */
  index: number;
  sid: string | undefined;
  effect: Effect;
}

/** How the Action/NotAction element compared with the request's action. */
export interface ActionExplanation {
  element: 'Action' | 'NotAction';
  matched: boolean;
  patterns: string[];
  /** The pattern that matched the action (for NotAction: the one that excluded it). */
  matchedBy: string | undefined;
  text: string;
}

/** How the Resource/NotResource element compared with the request's resource. */
export interface ResourceExplanation {
  /** 'none' for trust policies and resource policies that omit the element. */
  element: 'Resource' | 'NotResource' | 'none';
  matched: boolean;
  patterns: string[];
  matchedBy: string | undefined;
  /** Patterns that could not be used because a policy variable had no value. */
  unresolved: string[];
  text: string;
}

/** How a Principal/NotPrincipal element compared with the caller (resource and trust policies). */
export interface PrincipalExplanation {
  element: 'Principal' | 'NotPrincipal';
  matched: boolean;
  /**
   * 'direct': the caller (or '*') is named; 'session-role': the role of an assumed-role session is
   * named; 'account': the caller's account is named, which delegates to its identity policies.
   */
  level: 'direct' | 'session-role' | 'account' | 'none';
  matchedBy: string | undefined;
  text: string;
}

/** One condition key under one operator, as evaluated. */
export interface ConditionExplanation {
  /** Operator as written, e.g. 'ForAnyValue:StringLike'. */
  operator: string;
  /** Key as written, e.g. 'aws:ResourceTag/environment'. */
  key: string;
  /** Policy values as written. */
  values: string[];
  /** Values after substituting policy variables (null where a variable had no value); absent when none had variables. */
  resolvedValues: (string | null)[] | undefined;
  present: boolean;
  /** The request's value for the key, as compared. */
  requestValue: string | string[] | undefined;
  matched: boolean;
  /** e.g. "aws:ResourceTag/environment is 'prod', which StringEquals 'prod'". */
  text: string;
}

/** Why one statement did or did not apply to the request. */
export interface StatementExplanation extends StatementRef {
  applies: boolean;
  action: ActionExplanation;
  resource: ResourceExplanation;
  principal: PrincipalExplanation | undefined;
  /** Evaluated only when action, resource and principal matched; otherwise empty. */
  conditions: ConditionExplanation[];
  conditionsEvaluated: boolean;
  /** One sentence. */
  text: string;
}

/** The decision with the evidence behind it. */
export interface EvaluationResult {
  decision: Decision;
  /** Statements that applied (action, resource, principal and conditions all matched), deny and allow. */
  matched: StatementRef[];
  /** Every statement that was considered, in policy order, with why it did or did not apply. */
  statements: StatementExplanation[];
  /** One full sentence, e.g. "Denied by statement DenyProd of inline:lab-developer/dev-only: ...". */
  reason: string;
  /**
   * evaluateTrust only: the trust policy lets the caller in only through its account (or the caller
   * is in another account), so the caller's identity policy must also allow the action.
   */
  requiresIdentityAllow?: boolean;
}

/** A caller asking to assume a role, for evaluateTrust. */
export interface TrustRequest {
  /** 'ecs-tasks.amazonaws.com' for a service, an ARN or account id for AWS, a provider for Federated. */
  principal: string;
  principalType?: 'AWS' | 'Service' | 'Federated';
  /** Default 'sts:AssumeRole'. */
  action?: string;
  context?: Record<string, ContextValue>;
  /** The role being assumed; lets the evaluator tell a cross-account caller (who also needs an identity allow). */
  roleArn?: string;
}

/** How much a lint finding widens access: high findings grant secrets or administration. */
export type LintSeverity = 'high' | 'medium' | 'low';

/** A risky or suspicious construct in a policy. */
export interface LintFinding {
  severity: LintSeverity;
  /** Stable identifier for checks and hints, e.g. 'sensitive-action-any-resource'. */
  code: string;
  /** Sid, or 0-based index when the statement has no Sid; undefined for findings about the whole document. */
  statement: string | number | undefined;
  /** Full sentence. */
  message: string;
}
