/**
 * Small builders for the IAM unit tests: policies, requests and a one-call evaluator.
 */
import { evaluate } from '../../src/iam/evaluate.js';
import type { ContextValue, EvaluationInput, EvaluationResult } from '../../src/iam/types.js';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/lab-developer`;
export const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/lab-developer/alice`;

export type Statement = Record<string, unknown>;

/** A 2012-10-17 policy document. */
export function policy(...statements: Statement[]): { Version: string; Statement: Statement[] } {
  return { Version: '2012-10-17', Statement: statements };
}

export const allow = (action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
export const deny = (action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });

export interface Ask {
  principal?: string;
  action: string;
  resource?: string;
  context?: Record<string, ContextValue>;
  boundary?: object;
  session?: object[];
  resourcePolicy?: object;
  resourceAccount?: string;
}

/** Evaluates `policies` (identity) for one request; policies get ids 'p0', 'p1', ... */
export function check(policies: object[], ask: Ask, extra: Partial<EvaluationInput> = {}): EvaluationResult {
  return evaluate({
    request: {
      principal: ask.principal ?? USER,
      action: ask.action,
      resource: ask.resource ?? '*',
      ...(ask.context ? { context: ask.context } : {}),
      ...(ask.resourceAccount ? { resourceAccount: ask.resourceAccount } : {}),
    },
    identityPolicies: policies.map((document, i) => ({ id: `p${i}`, document })),
    ...(ask.boundary ? { permissionsBoundary: { id: 'boundary', document: ask.boundary } } : {}),
    ...(ask.session ? { sessionPolicies: ask.session.map((document, i) => ({ id: `session${i}`, document })) } : {}),
    ...(ask.resourcePolicy ? { resourcePolicy: { id: 'resource-policy', document: ask.resourcePolicy } } : {}),
    ...extra,
  });
}

/** Only the decision. */
export function decide(policies: object[], ask: Ask): EvaluationResult['decision'] {
  return check(policies, ask).decision;
}

/** Decision of a single Allow statement with this condition block, for condition tables. */
export function conditionDecision(condition: Record<string, unknown>, context: Record<string, ContextValue> = {}, version = '2012-10-17'): boolean {
  const doc = { Version: version, Statement: [{ Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: '*', Condition: condition }] };
  return check([doc], { action: 'ecs:DescribeServices', context }, { autoContext: false }).decision === 'allowed';
}
