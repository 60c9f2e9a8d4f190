/**
 * Adapter to @cloud-copilot/iam-simulate, the differential oracle.
 *
 * Licence: AGPL-3.0-or-later. It is a devDependency used by tests and the benchmark only; nothing
 * under src/ may import it (src/iam/boundaries.test.ts enforces that).
 */
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import type { CorpusCase } from './corpus.js';

export type OracleDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface OracleOutcome {
  decision: OracleDecision | undefined;
  /** Set when the oracle refused the input (a corpus bug). */
  error: string | undefined;
  /** Context keys the oracle dropped because they do not apply to the action and resource. */
  ignoredContextKeys: string[];
}

const DECISIONS: Record<string, OracleDecision> = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitDeny',
  ImplicitlyDenied: 'implicitDeny',
};

/** Builds the oracle's simulation for a corpus case; `identityOverride` replaces the identity policies. */
export function toSimulation(c: CorpusCase, identityOverride?: object[]): Simulation {
  const identity = identityOverride ?? c.identity.map((p) => p.doc);
  return {
    request: {
      principal: c.request.principal,
      action: c.request.action,
      resource: { resource: c.request.resource, accountId: c.request.resourceAccount },
      contextVariables: c.request.context,
    },
    identityPolicies: identity.map((doc, i) => ({ name: `identity-${i}`, policy: structuredClone(doc) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(c.boundary ? { permissionBoundaryPolicies: [{ name: c.boundary.id, policy: structuredClone(c.boundary.doc) }] } : {}),
    ...(c.session ? { sessionPolicy: structuredClone(c.session.doc) } : {}),
    ...(c.resource ? { resourcePolicy: structuredClone(c.resource.doc) } : {}),
  };
}

/** Runs the oracle with full validation (the reference path). */
export async function oracleEvaluate(c: CorpusCase, identityOverride?: object[]): Promise<OracleOutcome> {
  const response = await runSimulation(toSimulation(c, identityOverride), { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    return { decision: undefined, error: JSON.stringify(response.errors), ignoredContextKeys: [] };
  }
  if (response.resultType === 'wildcard') {
    return { decision: undefined, error: 'wildcard result: the corpus must use concrete resources', ignoredContextKeys: [] };
  }
  return {
    decision: DECISIONS[response.overallResult],
    error: undefined,
    ignoredContextKeys: response.result.ignoredContextKeys ?? [],
  };
}

/** The oracle's fastest path (no validation), for the benchmark. */
export function oracleUnsafe(simulation: Simulation): OracleDecision | undefined {
  return DECISIONS[runUnsafeSimulation(simulation, { simulationMode: 'Strict' })];
}

export { runSimulation };
