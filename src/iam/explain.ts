/**
 * Explanations in words. A learner told "denied" needs the statement, the element and the values
 * compared, so every sentence quotes them exactly as the policy and the request have them.
 */
import type { CompiledCondition, ConditionOutcome } from './conditions.js';
import type { ConditionExplanation, StatementExplanation, StatementRef } from './types.js';

/** Quotes a value the way explanations show it. */
export function quote(value: string): string {
  return `'${value}'`;
}

/** "'a'", "'a' or 'b'", "any of 'a', 'b' or 'c'" */
export function quoteList(values: readonly string[], joiner = 'or'): string {
  const quoted = values.map(quote);
  if (quoted.length <= 1) return quoted[0] ?? 'nothing';
  return `${quoted.slice(0, -1).join(', ')} ${joiner} ${quoted[quoted.length - 1]}`;
}

function showRequestValue(value: string | readonly string[]): string {
  return typeof value === 'string' ? quote(value) : `[${value.map(quote).join(', ')}]`;
}

/** "statement DenyProd of inline:lab-developer/dev-only" (1-based number when there is no Sid). */
export function statementLabel(ref: StatementRef): string {
  return `statement ${ref.sid ?? ref.index + 1} of ${ref.policyId}`;
}

/** Policy values as compared: with their substitution when a variable was involved. */
function policyValues(c: CompiledCondition, outcome: ConditionOutcome): string {
  const shown = c.values.map((value, i) => {
    const r = outcome.resolved?.[i];
    return r && 'text' in r && r.text !== value ? `${quote(value)} (${quote(r.text)} after substitution)` : quote(value);
  });
  if (shown.length <= 1) return shown[0] ?? 'nothing';
  return `${c.info.negated ? 'all of' : 'any of'} ${shown.join(', ')}`;
}

function conditionText(c: CompiledCondition, o: ConditionOutcome): string {
  const key = c.key;
  const operator = c.operator;
  if (o.basis === 'null') {
    const wantsAbsent = c.values.some((v) => v.toLowerCase() === 'true');
    if (o.present) {
      return o.matched ? `${key} is present, which Null 'false' requires` : `${key} is present, but Null 'true' requires it to be absent`;
    }
    return o.matched ? `${key} is not in the request, which Null 'true' requires` : `${key} is not in the request, but Null ${wantsAbsent ? "'true'" : "'false'"} requires it to be present`;
  }
  if (o.basis === 'missing') {
    if (!o.matched) return `${key} is not in the request, so ${operator} does not match`;
    const why = c.set === 'ForAllValues' ? 'ForAllValues matches when the key is missing' : c.ifExists ? 'IfExists matches when the key is missing' : 'a negated operator matches when the key is missing';
    return `${key} is not in the request, so ${operator} matches (${why})`;
  }
  const shown = showRequestValue(o.requestValue as string | readonly string[]);
  if (o.basis === 'multivalued') {
    return `${key} has several values ${shown}, and ${operator} without ForAnyValue or ForAllValues does not match a multivalued key`;
  }
  const problems = o.problems.length ? ` (${o.problems.join('; ')})` : '';
  if (c.set) {
    const detail = c.set === 'ForAllValues' ? (o.matched ? '' : `; ${quoteList(o.decisive)} ${o.decisive.length > 1 ? 'do' : 'does'} not`) : o.matched ? `; ${quoteList(o.decisive)} ${o.decisive.length > 1 ? 'do' : 'does'}` : '';
    return o.matched
      ? `${key} is ${shown}, which ${operator} ${policyValues(c, o)}${detail}${problems}`
      : `${key} is ${shown}, which does not satisfy ${operator} ${policyValues(c, o)}${detail}${problems}`;
  }
  if (o.matched) return `${key} is ${shown}, which ${operator} ${c.info.negated ? policyValues(c, o) : quoteList(o.hits)}${problems}`;
  if (c.info.negated && o.hits.length) return `${key} is ${shown}, which does not satisfy ${operator} because it equals ${quoteList(o.hits)}`;
  return `${key} is ${shown}, which does not satisfy ${operator} ${policyValues(c, o)}${problems}`;
}

/** Builds the public explanation of one evaluated condition. */
export function describeCondition(c: CompiledCondition, outcome: ConditionOutcome): ConditionExplanation {
  const resolvedValues = outcome.resolved?.map((r, i) => (r === undefined ? (c.values[i] as string) : 'text' in r ? r.text : null));
  return {
    operator: c.operator,
    key: c.key,
    values: [...c.values],
    resolvedValues,
    present: outcome.present,
    requestValue: outcome.requestValue === undefined ? undefined : typeof outcome.requestValue === 'string' ? outcome.requestValue : [...outcome.requestValue],
    matched: outcome.matched,
    text: conditionText(c, outcome),
  };
}

/** One sentence on why a statement did or did not apply. */
export function statementSentence(s: Omit<StatementExplanation, 'text'>): string {
  const capital = `Statement ${s.sid ?? s.index + 1} of ${s.policyId}`;
  if (!s.action.matched) return `${capital} does not apply: ${s.action.text}.`;
  if (!s.resource.matched) return `${capital} does not apply: ${s.resource.text}.`;
  if (s.principal && !s.principal.matched) return `${capital} does not apply: ${s.principal.text}.`;
  const failed = s.conditions.filter((c) => !c.matched);
  if (failed.length) return `${capital} does not apply: ${failed.map((c) => c.text).join('; ')}.`;
  const verb = s.effect === 'Deny' ? 'denies' : 'allows';
  const because = s.conditions.length ? `: ${s.conditions.map((c) => c.text).join('; ')}` : `: ${s.action.text}, and ${s.resource.text}`;
  return `${capital} ${verb} the request${because}.`;
}

/** Why a statement applied, for the decision sentence: its conditions, or its action and resource. */
export function appliedBecause(s: StatementExplanation): string {
  if (s.conditions.length) return s.conditions.map((c) => c.text).join('; ');
  const parts = [s.action.text, s.resource.text];
  if (s.principal) parts.push(s.principal.text);
  return parts.join(', and ');
}

/**
 * The most useful near miss for an implicit deny: an Allow statement of the given kinds whose action
 * and resource matched but a condition or the principal did not.
 */
export function nearMiss(statements: readonly StatementExplanation[], kinds: readonly string[]): StatementExplanation | undefined {
  const allows = statements.filter((s) => s.effect === 'Allow' && !s.applies && kinds.includes(s.kind));
  return allows.find((s) => s.action.matched && s.resource.matched) ?? allows.find((s) => s.action.matched);
}

/** The clause of the decision sentence that describes a near miss: "; the closest, statement X of P, covers ... but ...". */
export function nearMissClause(s: StatementExplanation): string {
  if (!s.resource.matched) return `; the closest, ${statementLabel(s)}, covers the action but ${s.resource.text}`;
  const covers = s.resource.element === 'none' ? 'covers the action' : 'covers the action and resource';
  if (s.principal && !s.principal.matched) return `; the closest, ${statementLabel(s)}, ${covers} but ${s.principal.text}`;
  const failed = s.conditions.filter((c) => !c.matched).map((c) => c.text);
  return `; the closest, ${statementLabel(s)}, ${covers} but ${failed.join(', and ')}`;
}
