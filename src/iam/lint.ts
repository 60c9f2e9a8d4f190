/**
 * Policy linter: constructs that are valid but grant more than intended. Checks use the findings as
 * evidence; hints quote their messages.
 */
import type { RequestAction } from './match.js';
import { findActionMatch } from './match.js';
import type { ParsedStatement } from './parse.js';
import { parsePolicy } from './parse.js';
import { PolicyError } from './errors.js';
import type { LintFinding, LintSeverity } from './types.js';

/**
 * Actions that hand out secrets, keys or other identities. Granting them on every resource is the
 * usual least-privilege failure in task and execution roles.
 */
export const SENSITIVE_ACTIONS: readonly string[] = [
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'kms:Decrypt',
  'iam:PassRole',
  'iam:CreateAccessKey',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'sts:AssumeRole',
  'ecs:ExecuteCommand',
];

const SENSITIVE: readonly RequestAction[] = SENSITIVE_ACTIONS.map((raw) => {
  const [service = '', name = ''] = raw.toLowerCase().split(':');
  return { raw, service, name };
});

/** Services where a service-wide wildcard amounts to administrator or secret access. */
const POWERFUL_SERVICES = new Set(['iam', 'sts', 'kms', 'secretsmanager', 'ssm', 'organizations']);

/** Context keys AWS documents as multivalued (they need ForAnyValue/ForAllValues). */
const MULTIVALUED = new Set(['aws:tagkeys', 'aws:calledvia', 'aws:principalorgpaths', 'aws:resourceorgpaths', 'aws:sourceorgpaths', 'aws:vpceorgpaths', 'aws:principalservicenameslist']);

function coveredSensitive(s: ParsedStatement): string[] {
  return SENSITIVE.filter((action) => {
    const hit = findActionMatch(s.actions, action) !== undefined;
    return s.actionElement === 'Action' ? hit : !hit;
  }).map((a) => a.raw);
}

function lintStatement(s: ParsedStatement, variables: boolean): LintFinding[] {
  const findings: LintFinding[] = [];
  const statement = s.sid ?? s.index;
  const name = s.sid ? `Statement ${s.sid}` : `Statement ${s.index + 1}`;
  const add = (severity: LintSeverity, code: string, message: string): void => {
    findings.push({ severity, code, statement, message });
  };
  if (s.sid !== undefined && !/^[A-Za-z0-9]+$/.test(s.sid)) {
    add('low', 'sid-format', `${name} has a Sid with characters other than letters and digits, which IAM identity policies reject.`);
  }
  if (!variables && s.resources.some((r) => r.raw.includes('${'))) {
    add('medium', 'variables-need-version', `${name} uses a policy variable, but without "Version": "2012-10-17" AWS reads it as literal text.`);
  }
  for (const c of s.conditions) {
    if (c.set && !MULTIVALUED.has(c.keyLower) && /^aws:(resourcetag|requesttag|principaltag)\//.test(c.keyLower)) {
      add('low', 'set-operator-on-single-value', `${name} uses ${c.operator} on ${c.key}, a single-valued key; AWS advises against set operators there.`);
    }
    if (!c.set && c.info.family !== 'Null' && MULTIVALUED.has(c.keyLower)) {
      add('medium', 'multivalued-without-set-operator', `${name} uses ${c.operator} on ${c.key}, a multivalued key, without ForAnyValue or ForAllValues, so it does not match when the key has values.`);
    }
    if (s.effect === 'Allow' && c.set === 'ForAllValues' && !s.conditions.some((n) => n.info.family === 'Null' && n.keyLower === c.keyLower)) {
      add('medium', 'forallvalues-without-null', `${name} allows with ${c.operator} on ${c.key}, which is also true when the key is missing; add a Null condition on ${c.key} set to "false".`);
    }
  }
  if (s.effect !== 'Allow') return findings;

  const broadResource = s.resourceElement === 'NotResource' || s.resources.some((r) => r.any);
  if (s.actionElement === 'Action') {
    const all = s.actions.find((a) => a.service === undefined);
    if (all) add('high', 'wildcard-action', `${name} allows every action ('${all.raw}')${broadResource ? ' on every resource' : ''}.`);
    for (const a of s.actions) {
      if (a.service !== undefined && a.name.kind === 'any') {
        const severity: LintSeverity = POWERFUL_SERVICES.has(a.service) ? 'high' : 'medium';
        add(severity, 'service-wildcard', `${name} allows every ${a.service} action ('${a.raw}'); list the actions the workload needs.`);
      }
    }
  } else {
    add('medium', 'allow-not-action', `${name} combines Allow with NotAction, which allows every action except the listed ones, including actions AWS adds later.`);
  }
  if (s.resourceElement === 'NotResource') {
    add('medium', 'allow-not-resource', `${name} combines Allow with NotResource, which allows every resource except the listed ones.`);
  }
  const sensitive = coveredSensitive(s);
  if (broadResource && sensitive.length) {
    const conditioned = s.conditions.length > 0;
    const shown = sensitive.length > 4 ? `${sensitive.slice(0, 4).join(', ')} and ${sensitive.length - 4} more` : sensitive.join(', ');
    add(
      conditioned ? 'medium' : 'high',
      'sensitive-action-any-resource',
      `${name} allows ${shown} on every resource${conditioned ? ' (narrowed only by conditions)' : ''}; name the exact secrets, parameters, keys or roles.`,
    );
  }
  if (sensitive.includes('iam:PassRole') && !s.conditions.some((c) => c.keyLower === 'iam:passedtoservice')) {
    add('medium', 'passrole-without-service', `${name} allows iam:PassRole without an iam:PassedToService condition, so the role can be passed to any service.`);
  }
  if (s.principals?.wildcard && s.principalElement === 'Principal' && s.conditions.length === 0) {
    add('high', 'public-principal', `${name} allows Principal '*' with no condition, so anyone can use it.`);
  }
  if (s.principalElement === 'NotPrincipal') {
    add('high', 'allow-not-principal', `${name} combines Allow with NotPrincipal, which allows everyone except the listed principals, anonymous callers included.`);
  }
  return findings;
}

/**
 * Lints a policy document. A malformed document yields a single high finding (code
 * 'malformed-policy') carrying the parse error, so callers show one list either way.
 */
export function lintPolicy(document: string | object): LintFinding[] {
  let policy;
  try {
    policy = parsePolicy(document);
  } catch (err) {
    if (err instanceof PolicyError) return [{ severity: 'high', code: 'malformed-policy', statement: undefined, message: err.message }];
    throw err;
  }
  const findings: LintFinding[] = [];
  if (policy.version !== '2012-10-17') {
    findings.push({
      severity: 'low',
      code: 'old-version',
      statement: undefined,
      message: `The policy has ${policy.version ? `Version "${policy.version}"` : 'no Version'}; use "2012-10-17" so policy variables work.`,
    });
  }
  for (const s of policy.statements) findings.push(...lintStatement(s, policy.variables));
  return findings;
}
