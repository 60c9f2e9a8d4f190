/**
 * The IAM policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy,
 * GetContextKeysFor{Principal,Custom}Policy), implemented with the project's evaluator. The
 * simulator supplies no context of its own: a condition key the caller did not pass in
 * ContextEntries is reported in MissingContextValues, as AWS does.
 *
 * Results: one EvaluationResult per action and resource (in ActionNames × ResourceArns order,
 * paginated with Marker/MaxItems); with explicit ResourceArns each also carries its
 * ResourceSpecificResults entry. MatchedStatements name the policy (SourcePolicyId: the policy
 * name, or `PolicyInputList.<n>`; SourcePolicyType: role, aws-managed, user-managed, none,
 * resource) and where the statement sits in the document (line and column, 1-based).
 */
import type { ContextEntry, EvaluationResult, IAM, ResourceSpecificResult, Statement } from '@aws-sdk/client-iam';
import type { ContextValue, EvaluationResult as Evaluation, PolicySource } from '../../../../iam/index.js';
import { evaluate, parsePolicy } from '../../../../iam/index.js';
import type { NamedPolicy } from '../../../authz-policies.js';
import { rolePolicies } from '../../../authz-policies.js';
import type { HandlerMap, RequestContext } from '../../types.js';
import { IamErrors } from '../errors.js';
import { iamPage, iamState } from '../state.js';
import { statementPositions } from './simulate-positions.js';

const SOURCE_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):(user|group|role)\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]+)$/;
const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9*?_-]+$/;
const LIST_TYPES = new Set(['stringList', 'numericList', 'booleanList', 'dateList', 'ipList', 'binaryList']);

/** Input policies (`PolicyInputList.1`, …), checked as InvalidInput like AWS does. */
function inputPolicies(documents: readonly string[] | undefined, list: string, type: NamedPolicy['type'] = 'none'): NamedPolicy[] {
  return (documents ?? []).map((document, i) => {
    const name = `${list}.${i + 1}`;
    try {
      parsePolicy(document);
    } catch (err) {
      throw IamErrors.invalidInput(`${name} is not a valid policy: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { id: name, document, name, type };
  });
}

/** ContextEntries as evaluator context (list types stay lists). */
function contextOf(entries: readonly ContextEntry[] | undefined): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const entry of entries ?? []) {
    const key = entry.ContextKeyName ?? '';
    if (!/^[A-Za-z0-9-]+:\S+$/.test(key)) throw IamErrors.invalidInput(`Context key name ${key} is not valid.`);
    const values = entry.ContextKeyValues ?? [];
    out[key] = LIST_TYPES.has(entry.ContextKeyType ?? 'string') ? values : (values[0] ?? '');
  }
  return out;
}

function checkActions(actions: readonly string[] | undefined): string[] {
  if (!actions?.length) throw IamErrors.invalidInput('ActionNames must not be empty.');
  for (const action of actions) if (!ACTION.test(action)) throw IamErrors.invalidInput(`Action ${action} is not of the form service:Action.`);
  return [...actions];
}

interface Simulation {
  principal: string;
  identity: NamedPolicy[];
  boundary: NamedPolicy | undefined;
  resourcePolicy: NamedPolicy | undefined;
  resourceOwner: string | undefined;
  actions: string[];
  resources: string[];
  explicitResources: boolean;
  context: Record<string, ContextValue>;
}

function statementsOf(result: Evaluation, policies: ReadonlyMap<string, NamedPolicy>): Statement[] {
  const wanted = result.decision === 'explicitDeny' ? 'Deny' : result.decision === 'allowed' ? 'Allow' : undefined;
  if (!wanted) return [];
  return result.matched
    .filter((m) => m.effect === wanted && m.kind !== 'permissionsBoundary')
    .map((m) => {
      const policy = policies.get(m.policyId);
      const position = policy ? statementPositions(policy.document)[m.index] : undefined;
      return {
        SourcePolicyId: policy?.name ?? m.policyId,
        SourcePolicyType: policy?.type ?? 'none',
        ...(position ? { StartPosition: position.start, EndPosition: position.end } : {}),
      };
    });
}

function missingKeys(result: Evaluation): string[] {
  const keys = new Set<string>();
  for (const s of result.statements) for (const c of s.conditions) if (!c.present) keys.add(c.key);
  return [...keys];
}

function evaluateOne(sim: Simulation, action: string, resource: string): Evaluation {
  try {
    return evaluate({
      request: { principal: sim.principal, action, resource, context: sim.context, ...(sim.resourceOwner ? { resourceAccount: sim.resourceOwner } : {}) },
      identityPolicies: sim.identity as PolicySource[],
      permissionsBoundary: sim.boundary,
      resourcePolicy: sim.resourcePolicy,
      autoContext: false,
    });
  } catch (err) {
    throw IamErrors.invalidInput(err instanceof Error ? err.message : String(err));
  }
}

/** Runs a simulation and pages its results. */
function simulate(sim: Simulation, marker: string | undefined, maxItems: number | undefined): { EvaluationResults: EvaluationResult[]; IsTruncated: boolean; Marker: string | undefined } {
  const policies = new Map<string, NamedPolicy>([...sim.identity, ...(sim.boundary ? [sim.boundary] : []), ...(sim.resourcePolicy ? [sim.resourcePolicy] : [])].map((p) => [p.id, p]));
  const pairs = sim.actions.flatMap((action) => sim.resources.map((resource) => ({ action, resource })));
  const page = iamPage(pairs, marker, maxItems);
  const results = page.items.map(({ action, resource }): EvaluationResult => {
    const result = evaluateOne(sim, action, resource);
    const boundaryDetail = sim.boundary
      ? { AllowedByPermissionsBoundary: result.matched.some((m) => m.kind === 'permissionsBoundary' && m.effect === 'Allow') && !result.matched.some((m) => m.kind === 'permissionsBoundary' && m.effect === 'Deny') }
      : undefined;
    const specific: ResourceSpecificResult = {
      EvalResourceName: resource,
      EvalResourceDecision: result.decision,
      MatchedStatements: statementsOf(result, policies),
      MissingContextValues: missingKeys(result),
      ...(boundaryDetail ? { PermissionsBoundaryDecisionDetail: boundaryDetail } : {}),
    };
    return {
      EvalActionName: action,
      EvalResourceName: resource,
      EvalDecision: result.decision,
      MatchedStatements: specific.MatchedStatements,
      MissingContextValues: specific.MissingContextValues,
      ...(boundaryDetail ? { PermissionsBoundaryDecisionDetail: boundaryDetail } : {}),
      // Per the API reference: present (empty) for a same-account simulation with a resource ARN.
      ...(sim.explicitResources ? { EvalDecisionDetails: {}, ResourceSpecificResults: [specific] } : {}),
    };
  });
  return { EvaluationResults: results, IsTruncated: page.IsTruncated, Marker: page.Marker };
}

function resourcePolicyOf(document: string | undefined): NamedPolicy | undefined {
  return document === undefined ? undefined : { ...inputPolicies([document], 'ResourcePolicy', 'resource')[0]!, id: 'ResourcePolicy', name: 'ResourcePolicy' };
}

function ownerOf(resourceOwner: string | undefined): string | undefined {
  return resourceOwner?.match(/^arn:aws[a-z-]*:iam::([0-9]{12}):root$/)?.[1] ?? resourceOwner?.match(/^[0-9]{12}$/)?.[0];
}

/** The role named by PolicySourceArn and its policies, or NoSuchEntity / InvalidInput. */
function sourcePolicies(ctx: RequestContext, arn: string | undefined): { policies: NamedPolicy[]; boundary: NamedPolicy | undefined } {
  const m = SOURCE_ARN.exec(arn ?? '');
  if (!m) throw IamErrors.invalidInput(`Invalid ARN: ${arn ?? ''} is not the ARN of an IAM user, group or role.`);
  const [, account, type, name] = m as unknown as [string, string, string, string];
  const state = iamState(ctx);
  const role = type === 'role' && account === ctx.account ? state.roles[name] : undefined;
  if (!role || role.arn !== arn) throw IamErrors.noSuchEntity(`The ${type} with name ${name} cannot be found.`);
  const { identity, boundary } = rolePolicies(state, role);
  return { policies: identity, boundary };
}

function contextKeys(policies: readonly NamedPolicy[]): string[] {
  const keys = new Set<string>();
  for (const p of policies) for (const s of parsePolicy(p.document).statements) for (const c of s.conditions) keys.add(c.key);
  return [...keys];
}

/** Simulator operations. */

/** The request fields both simulate operations take the same way. */
function requestOf(input: {
  ResourcePolicy?: string;
  ResourceOwner?: string;
  ActionNames?: string[];
  ResourceArns?: string[];
  ContextEntries?: Parameters<typeof contextOf>[0];
}) {
  return {
    resourcePolicy: resourcePolicyOf(input.ResourcePolicy),
    resourceOwner: ownerOf(input.ResourceOwner),
    actions: checkActions(input.ActionNames),
    resources: input.ResourceArns?.length ? input.ResourceArns : ['*'],
    explicitResources: Boolean(input.ResourceArns?.length),
    context: contextOf(input.ContextEntries),
  };
}

export const simulateHandlers: HandlerMap<IAM> = {
  SimulatePrincipalPolicy(input, ctx) {
    const source = sourcePolicies(ctx, input.PolicySourceArn);
    const boundaryInput = inputPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList');
    return simulate(
      {
        principal: input.CallerArn ?? input.PolicySourceArn!,
        identity: [...source.policies, ...inputPolicies(input.PolicyInputList, 'PolicyInputList')],
        // A boundary given in the request replaces the entity's own.
        boundary: boundaryInput[0] ?? source.boundary,
        ...requestOf(input),
      },
      input.Marker,
      input.MaxItems,
    );
  },

  SimulateCustomPolicy(input, ctx) {
    const identity = inputPolicies(input.PolicyInputList, 'PolicyInputList');
    if (!identity.length) throw IamErrors.invalidInput('PolicyInputList must not be empty.');
    return simulate(
      {
        principal: input.CallerArn ?? `arn:aws:iam::${ctx.account}:root`,
        identity,
        boundary: inputPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList')[0],
        ...requestOf(input),
      },
      input.Marker,
      input.MaxItems,
    );
  },

  GetContextKeysForPrincipalPolicy(input, ctx) {
    const source = sourcePolicies(ctx, input.PolicySourceArn);
    return { ContextKeyNames: contextKeys([...source.policies, ...inputPolicies(input.PolicyInputList, 'PolicyInputList')]) };
  },

  GetContextKeysForCustomPolicy(input) {
    return { ContextKeyNames: contextKeys(inputPolicies(input.PolicyInputList, 'PolicyInputList')) };
  },
};
