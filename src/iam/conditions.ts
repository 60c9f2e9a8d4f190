/**
 * Condition operators: compiled once per policy, evaluated per request.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 *
 * Semantics, in order:
 * - Null tests presence only.
 * - A missing key: ForAllValues and ...IfExists are true, ForAnyValue false, negated operators
 *   (StringNotEquals, NotIpAddress, ArnNotLike, ...) true, everything else false.
 * - A multivalued key needs a set operator; without one the condition does not match.
 * - Several policy values: a positive operator needs one to match; a negated one needs none to match.
 * - A value that cannot be compared (not a number, a variable without value) never matches, for
 *   positive and negated operators alike.
 */
import type { NormalizedContext } from './context.js';
import { PolicyError } from './errors.js';
import { describeCondition } from './explain.js';
import type { Glob } from './match.js';
import { compileGlob, globForTemplate, globMatch, splitArn, splitPolicyArn } from './match.js';
import type { ConditionExplanation } from './types.js';
import type { IpRange } from './values.js';
import { ipInRange, memoize, parseCidr, parseDate, parseIp, parseNumber } from './values.js';
import type { Template } from './variables.js';
import { describeUnresolved, isStatic, parseTemplate, resolveTemplate, staticParts } from './variables.js';

type Family = 'String' | 'StringIgnoreCase' | 'StringLike' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn' | 'Null';
type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge';

/** An operator without its set qualifier and IfExists suffix. */
export interface OperatorInfo {
  readonly name: string;
  readonly family: Family;
  readonly negated: boolean;
  readonly comparison: Comparison;
}

const OPERATORS = new Map<string, OperatorInfo>();
function op(name: string, family: Family, negated = false, comparison: Comparison = 'eq'): void {
  OPERATORS.set(name.toLowerCase(), { name, family, negated, comparison });
}
op('StringEquals', 'String');
op('StringNotEquals', 'String', true);
op('StringEqualsIgnoreCase', 'StringIgnoreCase');
op('StringNotEqualsIgnoreCase', 'StringIgnoreCase', true);
op('StringLike', 'StringLike');
op('StringNotLike', 'StringLike', true);
for (const family of ['Numeric', 'Date'] as const) {
  op(`${family}Equals`, family);
  op(`${family}NotEquals`, family, true);
  op(`${family}LessThan`, family, false, 'lt');
  op(`${family}LessThanEquals`, family, false, 'le');
  op(`${family}GreaterThan`, family, false, 'gt');
  op(`${family}GreaterThanEquals`, family, false, 'ge');
}
op('Bool', 'Bool');
op('BinaryEquals', 'Binary');
op('IpAddress', 'Ip');
op('NotIpAddress', 'Ip', true);
op('ArnEquals', 'Arn');
op('ArnLike', 'Arn');
op('ArnNotEquals', 'Arn', true);
op('ArnNotLike', 'Arn', true);
op('Null', 'Null');

/** One policy value, pre-parsed for its operator family. */
type CompiledValue =
  | { readonly t: 'template'; readonly template: Template; readonly text: string | undefined; readonly glob: Glob | undefined }
  | { readonly t: 'number'; readonly value: number | undefined }
  | { readonly t: 'ip'; readonly value: IpRange | undefined }
  | { readonly t: 'arn'; readonly fields: readonly Template[] | undefined; readonly globs: readonly Glob[] | undefined }
  | { readonly t: 'raw'; readonly text: string };

/** A condition key under one operator. */
export interface CompiledCondition {
  readonly operator: string;
  readonly key: string;
  readonly keyLower: string;
  readonly info: OperatorInfo;
  readonly set: 'ForAnyValue' | 'ForAllValues' | undefined;
  readonly ifExists: boolean;
  readonly values: readonly string[];
  readonly compiled: readonly CompiledValue[];
  readonly hasVariables: boolean;
}

/** Parsed operator name, or a reason it is not one. */
export type OperatorParse =
  | { readonly ok: true; readonly info: OperatorInfo; readonly set: 'ForAnyValue' | 'ForAllValues' | undefined; readonly ifExists: boolean }
  | { readonly ok: false; readonly reason: string };

/** Splits 'ForAnyValue:StringLikeIfExists' into its parts; operator names are case-insensitive. */
export function parseOperator(operator: string): OperatorParse {
  const pieces = operator.split(':');
  if (pieces.length > 2) return { ok: false, reason: `'${operator}' is not a condition operator` };
  let set: 'ForAnyValue' | 'ForAllValues' | undefined;
  if (pieces.length === 2) {
    const qualifier = (pieces[0] ?? '').toLowerCase();
    if (qualifier === 'foranyvalue') set = 'ForAnyValue';
    else if (qualifier === 'forallvalues') set = 'ForAllValues';
    else return { ok: false, reason: `'${pieces[0]}' is not a set operator (use ForAnyValue or ForAllValues)` };
  }
  let base = (pieces[pieces.length - 1] ?? '').toLowerCase();
  const ifExists = base.endsWith('ifexists') && base !== 'ifexists';
  if (ifExists) base = base.slice(0, -'ifexists'.length);
  const info = OPERATORS.get(base);
  if (!info) return { ok: false, reason: `'${operator}' is not a known condition operator` };
  if (ifExists && info.family === 'Null') return { ok: false, reason: 'IfExists cannot be added to the Null operator' };
  return { ok: true, info, set, ifExists };
}

function compileValue(family: Family, value: string, variables: boolean): CompiledValue {
  switch (family) {
    case 'String':
    case 'StringIgnoreCase':
    case 'StringLike':
    case 'Bool': {
      const template = parseTemplate(value, variables);
      const fixed = isStatic(template) ? staticParts(template) : undefined;
      // Escapes (${*}, ${?}, ${$}) are already substituted in a static template's parts.
      const text = fixed?.map((p) => p.text).join('');
      const glob = family === 'StringLike' && fixed ? compileGlob(fixed) : undefined;
      return { t: 'template', template, text, glob };
    }
    case 'Numeric':
      return { t: 'number', value: parseNumber(value) };
    case 'Date':
      return { t: 'number', value: parseDate(value) };
    case 'Ip':
      return { t: 'ip', value: parseCidr(value) };
    case 'Arn': {
      const parts = splitPolicyArn(value);
      if (!parts) return { t: 'arn', fields: undefined, globs: undefined };
      const fields = [parts.partition, parts.service, parts.region, parts.account, parts.resource].map((f) => parseTemplate(f, variables));
      const globs = fields.every(isStatic) ? fields.map((f) => compileGlob(staticParts(f))) : undefined;
      return { t: 'arn', fields, globs };
    }
    default:
      return { t: 'raw', text: value };
  }
}

/** Compiles one key of one operator block; `variables` is false for policies older than 2012-10-17. */
export function compileCondition(operator: string, key: string, values: readonly string[], variables: boolean): CompiledCondition {
  const parsed = parseOperator(operator);
  if (!parsed.ok) throw new PolicyError(`Condition: ${parsed.reason}.`);
  const compiled = values.map((v) => compileValue(parsed.info.family, v, variables));
  const hasVariables = compiled.some(
    (c) => (c.t === 'template' && !isStatic(c.template)) || (c.t === 'arn' && c.fields !== undefined && c.globs === undefined),
  );
  return { operator, key, keyLower: key.toLowerCase(), info: parsed.info, set: parsed.set, ifExists: parsed.ifExists, values, compiled, hasVariables };
}

type Verdict = 'match' | 'nomatch' | 'error';

/** A policy value after variable substitution: text, or why it could not be substituted. */
type Resolved = { readonly text: string; readonly glob: Glob | undefined; readonly arn: readonly Glob[] | undefined } | { readonly unresolved: string };

const requestDate = memoize(parseDate);
const requestNumber = memoize(parseNumber);
const requestIp = memoize(parseIp);

function resolveValue(value: CompiledValue, family: Family, context: NormalizedContext): Resolved | undefined {
  if (value.t === 'template') {
    if (isStatic(value.template)) return undefined;
    const r = resolveTemplate(value.template, context);
    if (!r.ok) return { unresolved: describeUnresolved(r.variable, r.why) };
    return { text: r.text, glob: family === 'StringLike' ? globForTemplate(value.template, context) : undefined, arn: undefined };
  }
  if (value.t === 'arn' && value.fields && !value.globs) {
    const globs: Glob[] = [];
    const texts: string[] = [];
    for (const field of value.fields) {
      const r = resolveTemplate(field, context);
      if (!r.ok) return { unresolved: describeUnresolved(r.variable, r.why) };
      globs.push(globForTemplate(field, context) as Glob);
      texts.push(r.text);
    }
    return { text: `arn:${texts.join(':')}`, glob: undefined, arn: globs };
  }
  return undefined;
}

function compare(comparison: Comparison, a: number, b: number): boolean {
  switch (comparison) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'gt':
      return a > b;
    default:
      return a >= b;
  }
}

/** Compares one request value with one policy value (the operator's positive form). */
function verdict(c: CompiledCondition, index: number, requestValue: string, resolved: Resolved | undefined): Verdict {
  const value = c.compiled[index] as CompiledValue;
  if (resolved && 'unresolved' in resolved) return 'error';
  const family = c.info.family;
  switch (value.t) {
    case 'template': {
      const text = resolved ? resolved.text : (value.text as string);
      if (family === 'String') return text === requestValue ? 'match' : 'nomatch';
      if (family === 'StringIgnoreCase') return text.toLowerCase() === requestValue.toLowerCase() ? 'match' : 'nomatch';
      if (family === 'StringLike') return globMatch((resolved ? resolved.glob : value.glob) as Glob, requestValue) ? 'match' : 'nomatch';
      const want = text.toLowerCase();
      const got = requestValue.toLowerCase();
      if ((want !== 'true' && want !== 'false') || (got !== 'true' && got !== 'false')) return 'error';
      return want === got ? 'match' : 'nomatch';
    }
    case 'number': {
      const got = family === 'Date' ? requestDate(requestValue) : requestNumber(requestValue);
      if (value.value === undefined || got === undefined) return 'error';
      return compare(c.info.comparison, got, value.value) ? 'match' : 'nomatch';
    }
    case 'ip': {
      const got = requestIp(requestValue);
      if (!value.value || !got) return 'error';
      return ipInRange(value.value, got) ? 'match' : 'nomatch';
    }
    case 'arn': {
      const globs = resolved ? resolved.arn : value.globs;
      const arn = splitArn(requestValue);
      if (!globs || !arn) return 'error';
      if (!globMatch(globs[0] as Glob, arn.partition) || !globMatch(globs[1] as Glob, arn.service) || !globMatch(globs[2] as Glob, arn.region)) return 'nomatch';
      return globMatch(globs[3] as Glob, arn.account) && globMatch(globs[4] as Glob, arn.resource) ? 'match' : 'nomatch';
    }
    default:
      return value.text === requestValue ? 'match' : 'nomatch';
  }
}

/** Evaluation of a condition before it is put into words. */
export interface ConditionOutcome {
  readonly matched: boolean;
  readonly present: boolean;
  readonly requestValue: string | readonly string[] | undefined;
  readonly resolved: readonly (Resolved | undefined)[] | undefined;
  /** Why the result is what it is, for the explanation. */
  readonly basis: 'null' | 'missing' | 'multivalued' | 'compared';
  /** For 'compared': policy values that matched (positive) or that the value equalled (negated). */
  readonly hits: readonly string[];
  /** For set operators: request values that made ForAllValues fail or ForAnyValue succeed. */
  readonly decisive: readonly string[];
  /** Comparisons that could not be made, in words. */
  readonly problems: readonly string[];
}

/** Collects the details of an evaluation for its explanation; absent on the fast path. */
interface Sink {
  basis: ConditionOutcome['basis'];
  resolved: (Resolved | undefined)[] | undefined;
  hits: Set<string>;
  problems: Set<string>;
  decisive: string[];
}

/** One request value against all policy values: any match (positive) or none (negated). */
function inner(c: CompiledCondition, requestValue: string, resolved: (Resolved | undefined)[] | undefined, sink: Sink | undefined): boolean {
  let any = false;
  let clean = true;
  for (let i = 0; i < c.compiled.length; i++) {
    const r = resolved?.[i];
    const v = verdict(c, i, requestValue, r);
    if (v === 'match') {
      any = true;
      if (!sink) return !c.info.negated;
      sink.hits.add(c.values[i] as string);
    } else if (v === 'error') {
      clean = false;
      if (!sink) {
        if (c.info.negated) return false;
      } else {
        sink.problems.add(r && 'unresolved' in r ? r.unresolved : problemOf(c, i, requestValue));
      }
    }
  }
  return c.info.negated ? clean && !any : any;
}

/**
 * The one implementation of condition semantics. Without a sink it returns as soon as the result is
 * known (the authorisation path); with one it records what the explanation needs.
 */
function judge(c: CompiledCondition, context: NormalizedContext, sink: Sink | undefined): boolean {
  const raw = context.get(c.keyLower);
  if (c.info.family === 'Null') {
    if (sink) sink.basis = 'null';
    const want = raw === undefined ? 'true' : 'false';
    return c.values.some((v) => v.toLowerCase() === want);
  }
  if (raw === undefined) {
    if (sink) sink.basis = 'missing';
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
    return c.set === 'ForAllValues' || c.ifExists || (c.set === undefined && c.info.negated);
  }
  if (c.set === undefined && typeof raw !== 'string') {
    if (sink) sink.basis = 'multivalued';
    return false;
  }
  const resolved = c.hasVariables ? c.compiled.map((v) => resolveValue(v, c.info.family, context)) : undefined;
  if (sink) {
    sink.basis = 'compared';
    sink.resolved = resolved;
  }
  if (c.set === undefined) return inner(c, raw as string, resolved, sink);
  // An empty string is an empty data set: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
  const values = typeof raw === 'string' ? [raw] : raw;
  let decided = false;
  for (const v of values) {
    if (v === '') continue;
    const holds = inner(c, v, resolved, sink);
    if (c.set === 'ForAllValues' ? !holds : holds) {
      decided = true;
      if (!sink) break;
      sink.decisive.push(v);
    }
  }
  return c.set === 'ForAllValues' ? !decided : decided;
}

/** True when the condition holds for the request (the authorisation path). */
export function conditionHolds(c: CompiledCondition, context: NormalizedContext): boolean {
  return judge(c, context, undefined);
}

/** Evaluates one condition, returning what its explanation needs. */
export function outcomeOf(c: CompiledCondition, context: NormalizedContext): ConditionOutcome {
  const sink: Sink = { basis: 'compared', resolved: undefined, hits: new Set(), problems: new Set(), decisive: [] };
  const matched = judge(c, context, sink);
  const raw = context.get(c.keyLower);
  return { matched, present: raw !== undefined, requestValue: raw, resolved: sink.resolved, basis: sink.basis, hits: [...sink.hits], decisive: sink.decisive, problems: [...sink.problems] };
}

/** Evaluates one condition against the request context and explains the result. */
export function evaluateCondition(c: CompiledCondition, context: NormalizedContext): ConditionExplanation {
  return describeCondition(c, outcomeOf(c, context));
}

function problemOf(c: CompiledCondition, index: number, requestValue: string): string {
  const value = c.compiled[index] as CompiledValue;
  const policyValue = c.values[index] as string;
  const kind = { Numeric: 'a number', Date: 'a date', Ip: 'an IP address', Arn: 'an ARN', Bool: 'true or false' }[c.info.family as string] ?? 'comparable';
  const policyBad =
    (value.t === 'number' && value.value === undefined) ||
    (value.t === 'ip' && value.value === undefined) ||
    (value.t === 'arn' && value.fields === undefined) ||
    (value.t === 'template' && !['true', 'false'].includes(policyValue.toLowerCase()));
  return policyBad ? `the policy value '${policyValue}' is not ${kind}` : `the request value '${requestValue}' is not ${kind}`;
}
