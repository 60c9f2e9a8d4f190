/**
 * Differential test against @cloud-copilot/iam-simulate (AGPL, devDependency, test-only oracle).
 *
 * A seeded grammar (test/iam/corpus.ts) generates policy x request cases covering every feature of
 * the evaluator. Each case is decided by both. Where they disagree, the case must contain one of the
 * constructs listed in INTENTIONAL_DIFFERENCES, each justified by AWS documentation; and once those
 * constructs are rewritten to forms both read alike (test/iam/normalize.ts), they must agree on every
 * case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeDocument, generateCorpus } from './corpus.js';
import type { CorpusCase } from './corpus.js';
import { normalizeCase } from './normalize.js';
import { oracleEvaluate } from './oracle.js';
import type { OracleDecision } from './oracle.js';
import { evaluate } from '../../src/iam/evaluate.js';
import { evaluateTrust } from '../../src/iam/trust.js';
import type { Decision } from '../../src/iam/types.js';

const SEED = 20240607;
const CORPUS_SIZE = 3000;

/** Where this evaluator follows AWS's documentation and the oracle does not. */
const INTENTIONAL_DIFFERENCES = [
  {
    feature: 'version-literal-variables',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
    why: 'Without "Version": "2012-10-17", ${...} is literal text; the oracle substitutes variables in every version.',
  },
  {
    feature: 'ip-slash-zero',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress',
    why: '0.0.0.0/0 (standard CIDR) is every IPv4 address; the oracle matches only 0.0.0.0 (its 32-bit shift wraps).',
  },
  {
    feature: 'ip-without-prefix',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress',
    why: 'An address without a prefix means /32, so NotIpAddress 10.1.2.3 is true for an IPv6 caller; the oracle returns false.',
  },
  {
    feature: 'date-epoch-vs-iso',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date',
    why: 'Epoch (UNIX) time is seconds and compares with ISO 8601 dates; the oracle compares epoch seconds with milliseconds.',
  },
  {
    feature: 'forany-ifexists',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists',
    why: 'With ...IfExists a missing key makes the condition true, also under ForAnyValue; the oracle ignores IfExists there.',
  },
  {
    feature: 'set-empty-string',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
    why: 'An empty string is an empty data set (ForAllValues true, ForAnyValue false); the oracle compares the empty string.',
  },
  {
    feature: 'notprincipal-partial-chain',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
    why: 'Deny with NotPrincipal spares a caller only if its account (and role, for a session) are listed too; the oracle spares it when any is.',
  },
  {
    feature: 'variable-before-resource-type',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
    why: "In 'arn:aws:sqs:us-east-2:*:${aws:username}-queue' (AWS's own example) the resource part is all name; the oracle takes the colon of '${aws:' as a resource-type separator and never matches.",
  },
  {
    feature: 'escape-outside-like',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
    why: "${*}, ${?} and ${$} can be used in any string where variables can, so StringEquals 'cost${$}' equals 'cost$'; the oracle expands them only in StringLike.",
  },
  {
    feature: 'unresolvable-variable-negated-arn',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
    why: 'A variable AWS cannot resolve makes the comparison fail, so ArnNotLike with it is false; the oracle skips the variable when an earlier ARN field already differs and returns true.',
  },
  {
    feature: 'web-identity-vs-account-principal',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity',
    why: 'A web identity (AssumeRoleWithWebIdentity) is named by Principal.Federated, not by an AWS account principal; the oracle reads the account in the OIDC provider ARN as the caller account.',
  },
  {
    feature: 'variable-in-arn-field',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-conditionelement',
    why: "Variables may be used in ARN condition values, so in 'arn:aws:ecs:*:${aws:SourceAccount}:cluster/*' the account field is the variable; the oracle splits the ARN at the colon inside '${aws:'.",
  },
  {
    feature: 'session-arn-in-resource-policy',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session',
    why: 'A resource policy naming the session ARN is not capped by the session policy; the oracle caps it.',
  },
] as const;

const INTENTIONAL = new Set<string>(INTENTIONAL_DIFFERENCES.map((d) => d.feature));

/** Every feature the grammar must exercise, with a minimum number of cases each. */
const REQUIRED_FEATURES = [
  'Action', 'NotAction', 'action-case', 'action-service-wildcard', 'action-prefix-wildcard', 'action-suffix-wildcard', 'action-single-char-wildcard', 'action-star',
  'NotResource', 'resource-wildcard', 'resource-single-char-wildcard', 'resource-segment-wildcard', 'resource-short-arn', 'resource-case', 'resource-type-wildcard',
  'resource-variable', 'condition-variable', 'condition-variable-default', 'variable-escape', 'key-case', 'IfExists', 'ForAnyValue', 'ForAllValues',
  'op:StringEquals', 'op:StringNotEquals', 'op:StringEqualsIgnoreCase', 'op:StringNotEqualsIgnoreCase', 'op:StringLike', 'op:StringNotLike',
  'op:NumericEquals', 'op:NumericNotEquals', 'op:NumericLessThan', 'op:NumericLessThanEquals', 'op:NumericGreaterThan', 'op:NumericGreaterThanEquals',
  'op:DateEquals', 'op:DateNotEquals', 'op:DateLessThan', 'op:DateLessThanEquals', 'op:DateGreaterThan', 'op:DateGreaterThanEquals',
  'op:Bool', 'op:IpAddress', 'op:NotIpAddress', 'op:ArnEquals', 'op:ArnLike', 'op:ArnNotEquals', 'op:ArnNotLike', 'op:Null',
  'boundary', 'session', 'resource-policy', 'trust-policy', 'cross-account', 'principal-service', 'principal-federated', 'principal-account', 'principal-star', 'NotPrincipal',
  'encoding-object', 'encoding-json', 'encoding-url',
];

const DECISIONS: Record<OracleDecision, Decision> = { allowed: 'allowed', explicitDeny: 'explicitDeny', implicitDeny: 'implicitDeny' };

interface Row {
  c: CorpusCase;
  mine: Decision;
  oracle: Decision;
}

/** Cases where the fast decision path and the explanation path disagreed on which statements apply. */
const inconsistent: number[] = [];

/** Our decision, with the context keys the oracle found inapplicable to the action removed (AWS would not send them). */
function decide(c: CorpusCase, ignored: string[]): Decision {
  const drop = new Set(ignored.map((k) => k.toLowerCase()));
  const context = Object.fromEntries(Object.entries(c.request.context).filter(([k]) => !drop.has(k.toLowerCase())));
  const result = evaluate({
    request: { principal: c.request.principal, action: c.request.action, resource: c.request.resource, resourceAccount: c.request.resourceAccount, context },
    identityPolicies: c.identity.map((p) => ({ id: p.id, document: encodeDocument(p) })),
    permissionsBoundary: c.boundary && { id: c.boundary.id, document: encodeDocument(c.boundary) },
    sessionPolicies: c.session && [{ id: c.session.id, document: encodeDocument(c.session) }],
    resourcePolicy: c.resource && { id: c.resource.id, document: encodeDocument(c.resource) },
  });
  const explainedApplies = result.statements.filter((s) => s.applies).map((s) => `${s.policyId}#${s.index}`);
  if (JSON.stringify(explainedApplies) !== JSON.stringify(result.matched.map((m) => `${m.policyId}#${m.index}`)) || !result.reason.endsWith('.')) inconsistent.push(c.id);
  return result.decision;
}

async function both(c: CorpusCase): Promise<Row> {
  const o = await oracleEvaluate(c);
  if (o.error || !o.decision) throw new Error(`The oracle rejected corpus case ${c.id}: ${o.error}`);
  return { c, mine: decide(c, o.ignoredContextKeys), oracle: DECISIONS[o.decision] };
}

const corpus = generateCorpus(SEED, CORPUS_SIZE);
let rows: Row[] = [];
let normalizedRows: Row[] = [];

beforeAll(async () => {
  rows = [];
  for (const c of corpus) rows.push(await both(c));
  normalizedRows = [];
  for (const row of rows) {
    if (row.c.features.some((f) => INTENTIONAL.has(f))) normalizedRows.push(await both(normalizeCase(row.c)));
  }
}, 300_000);

describe('differential corpus against @cloud-copilot/iam-simulate', () => {
  it(`generates a deterministic corpus of at least 2,000 cases covering every feature`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(2000);
    expect(generateCorpus(SEED, 50)).toEqual(corpus.slice(0, 50));
    const counts = new Map<string, number>();
    for (const c of corpus) for (const f of c.features) counts.set(f, (counts.get(f) ?? 0) + 1);
    counts.set('Action', corpus.length);
    const missing = REQUIRED_FEATURES.filter((f) => (counts.get(f) ?? 0) < 10);
    expect(missing).toEqual([]);
  });

  it('produces every decision in substantial numbers', () => {
    for (const decision of ['allowed', 'explicitDeny', 'implicitDeny'] as const) {
      expect(rows.filter((r) => r.oracle === decision).length).toBeGreaterThan(corpus.length * 0.15);
    }
  });

  it('agrees on every case that has none of the intentionally different constructs', () => {
    const plain = rows.filter((r) => !r.c.features.some((f) => INTENTIONAL.has(f)));
    const disagreements = plain.filter((r) => r.mine !== r.oracle).map((r) => ({ id: r.c.id, mine: r.mine, oracle: r.oracle }));
    expect(disagreements).toEqual([]);
    expect(plain.length).toBeGreaterThan(1200);
  });

  it('explains every disagreement by a listed, documented difference', () => {
    const unexplained = rows.filter((r) => r.mine !== r.oracle && !r.c.features.some((f) => INTENTIONAL.has(f)));
    expect(unexplained.map((r) => r.c.id)).toEqual([]);
    for (const d of INTENTIONAL_DIFFERENCES) expect(d.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/IAM\//);
  });

  it('agrees on every case once the intentionally different constructs are rewritten', () => {
    const disagreements = normalizedRows.filter((r) => r.mine !== r.oracle).map((r) => ({ id: r.c.id, mine: r.mine, oracle: r.oracle, features: r.c.features.filter((f) => INTENTIONAL.has(f)) }));
    expect(disagreements).toEqual([]);
    expect(normalizedRows.length).toBeGreaterThan(50);
  });

  it('agrees with the oracle on trust policies through evaluateTrust', async () => {
    const trustCases = corpus.filter((c) => c.trust && !c.features.some((f) => INTENTIONAL.has(f))).slice(0, 120);
    expect(trustCases.length).toBeGreaterThan(60);
    const allowAll = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] }];
    for (const c of trustCases) {
      const bare = { ...c, boundary: undefined, session: undefined };
      const alone = await oracleEvaluate(bare, []);
      const withIdentity = await oracleEvaluate(bare, allowAll);
      const drop = new Set(alone.ignoredContextKeys.map((k) => k.toLowerCase()));
      const context = Object.fromEntries(Object.entries(c.request.context).filter(([k]) => !drop.has(k.toLowerCase())));
      const trust = evaluateTrust(encodeDocument(c.resource!), { principal: c.request.principal, action: c.request.action, context, roleArn: c.request.resource });
      const expectedAlone = trust.decision === 'allowed' && trust.requiresIdentityAllow ? 'implicitDeny' : trust.decision;
      expect({ id: c.id, alone: alone.decision, withIdentity: withIdentity.decision }).toEqual({ id: c.id, alone: expectedAlone, withIdentity: trust.decision });
    }
  }, 60_000);

  it('explains exactly the statements the decision path found applicable', () => {
    expect(inconsistent).toEqual([]);
  });

  it('reports corpus size, agreement and the differences found', () => {
    const agreed = rows.filter((r) => r.mine === r.oracle).length;
    const perDifference = INTENTIONAL_DIFFERENCES.map((d) => `${d.feature}: ${rows.filter((r) => r.mine !== r.oracle && r.c.features.includes(d.feature)).length}`);
    const plain = rows.filter((r) => !r.c.features.some((f) => INTENTIONAL.has(f)));
    console.info(
      `[iam differential] ${rows.length} cases; raw agreement ${agreed}/${rows.length} (${((100 * agreed) / rows.length).toFixed(2)}%); ` +
        `${plain.length} cases without intentional constructs agree 100%; ${normalizedRows.length} rewritten cases agree 100%; ` +
        `disagreements by difference (a case may have several): ${perDifference.join(', ')}`,
    );
    expect(agreed).toBeGreaterThan(rows.length * 0.97);
  });
});
