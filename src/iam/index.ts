/**
 * IAM policy evaluator with explanations: identity-based policies, permissions boundaries, session
 * policies, resource and trust policies, the condition operators and policy variables.
 *
 * Shared by the checks (least privilege, secrets, tag-based access) and by the sandbox
 * (iam:SimulatePrincipalPolicy / SimulateCustomPolicy, enforcement for assumed-role sessions).
 */
export { evaluate } from './evaluate.js';
export { evaluateTrust } from './trust.js';
export { parsePolicy, assertPolicyKind } from './parse.js';
export type { ParsedPolicy, ParsedStatement, PrincipalSpec } from './parse.js';
export { lintPolicy, SENSITIVE_ACTIONS } from './lint.js';
export { principalContext, parsePrincipal } from './context.js';
export type { PrincipalIdentity, PrincipalKind } from './context.js';
export { IamError, PolicyError, InvalidInputError, toIamError } from './errors.js';
export type { IamErrorCode } from './errors.js';
export type {
  ActionExplanation,
  ConditionExplanation,
  ContextValue,
  Decision,
  Effect,
  EvaluationInput,
  EvaluationResult,
  IamRequest,
  LintFinding,
  LintSeverity,
  PolicyKind,
  PolicySource,
  PrincipalExplanation,
  ResourceExplanation,
  StatementExplanation,
  StatementRef,
  TrustRequest,
} from './types.js';
