/**
 * Wildcard matching for actions, resource ARNs and *Like operators.
 *
 * `*` matches any run of characters (also none) and `?` exactly one. Patterns are turned into
 * code-point arrays once, and matched with the classic greedy two-pointer algorithm (linear in
 * practice, no regular expression built per request, and no regex metacharacter escaping to get wrong).
 */
import type { Literal, Template } from './variables.js';
import { isStatic, parseTemplate, resolveTemplate, staticParts, variableValue } from './variables.js';
import type { NormalizedContext } from './context.js';

const STAR = -1;
const ANY_ONE = -2;

/** A compiled wildcard pattern. */
export type Glob =
  | { readonly kind: 'any' }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'wild'; readonly codes: Int32Array };

/** Compiles literal runs (wildcards active only in `wild` runs). Lower-cases when matching is case-insensitive. */
export function compileGlob(parts: readonly Literal[], caseInsensitive = false): Glob {
  let hasWildcard = false;
  let text = '';
  for (const part of parts) {
    text += part.text;
    if (part.wild && (part.text.includes('*') || part.text.includes('?'))) hasWildcard = true;
  }
  if (caseInsensitive) text = text.toLowerCase();
  if (!hasWildcard) return { kind: 'literal', text };
  if (parts.length === 1 && parts[0]?.wild && /^\*+$/.test(text)) return { kind: 'any' };
  const codes: number[] = [];
  for (const part of parts) {
    const source = caseInsensitive ? part.text.toLowerCase() : part.text;
    for (let i = 0; i < source.length; i++) {
      const ch = source.charCodeAt(i);
      codes.push(part.wild && ch === 42 ? STAR : part.wild && ch === 63 ? ANY_ONE : ch);
    }
  }
  return { kind: 'wild', codes: Int32Array.from(codes) };
}

const templateGlobs = new WeakMap<Template, Map<string, Glob>>();
const TEMPLATE_CACHE_LIMIT = 64;

/**
 * The compiled glob of a template after substitution, or undefined when a variable has no value.
 * Compiled globs are cached per template and variable values, since the same principal sends the
 * same tags request after request.
 */
export function globForTemplate(template: Template, context: NormalizedContext): Glob | undefined {
  if (isStatic(template)) return compileGlob(staticParts(template));
  let key = '';
  for (const ref of template.variables) {
    const value = variableValue(ref, context);
    if (value === undefined) return undefined;
    key += `${value}\u0000`;
  }
  let cache = templateGlobs.get(template);
  const hit = cache?.get(key);
  if (hit) return hit;
  const resolved = resolveTemplate(template, context);
  if (!resolved.ok) return undefined;
  const glob = compileGlob(resolved.parts);
  if (!cache || cache.size >= TEMPLATE_CACHE_LIMIT) templateGlobs.set(template, (cache = new Map()));
  cache.set(key, glob);
  return glob;
}

/** Compiles a pattern written in a policy, with no variables. */
export function globOf(pattern: string, caseInsensitive = false): Glob {
  return compileGlob([{ text: pattern, wild: true }], caseInsensitive);
}

/** Matches `value` (already lower-cased when the glob is case-insensitive). */
export function globMatch(glob: Glob, value: string): boolean {
  if (glob.kind === 'any') return true;
  if (glob.kind === 'literal') return glob.text === value;
  const p = glob.codes;
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < value.length) {
    const code = pi < p.length ? (p[pi] as number) : 0;
    if (pi < p.length && (code === ANY_ONE || code === value.charCodeAt(si))) {
      pi++;
      si++;
    } else if (pi < p.length && code === STAR) {
      star = pi++;
      mark = si;
    } else if (star !== -1) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === STAR) pi++;
  return pi === p.length;
}

/** A compiled Action/NotAction entry. Actions compare case-insensitively. */
export interface ActionPattern {
  readonly raw: string;
  /** Lower-cased service prefix; undefined for '*'. */
  readonly service: string | undefined;
  readonly name: Glob;
}

/** Compiles 'service:Action*' or '*'. The caller has validated the shape. */
export function compileAction(raw: string): ActionPattern {
  const trimmed = raw.trim();
  if (/^\*+$/.test(trimmed)) return { raw, service: undefined, name: { kind: 'any' } };
  const colon = trimmed.indexOf(':');
  return { raw, service: trimmed.slice(0, colon).toLowerCase(), name: globOf(trimmed.slice(colon + 1), true) };
}

/** A request action split once per evaluation. */
export interface RequestAction {
  readonly raw: string;
  readonly service: string;
  readonly name: string;
}

/** Returns the first pattern that covers the action, or undefined. */
export function findActionMatch(patterns: readonly ActionPattern[], action: RequestAction): ActionPattern | undefined {
  for (const pattern of patterns) {
    if (pattern.service === undefined) return pattern;
    if (pattern.service === action.service && globMatch(pattern.name, action.name)) return pattern;
  }
  return undefined;
}

/** The five colon-separated fields of an ARN; `resource` keeps any further colons. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN, or returns undefined when the string is not `arn:` followed by five fields. */
export function splitArn(value: string): ArnParts | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const fields: string[] = [];
  let start = 4;
  for (let i = 0; i < 4; i++) {
    const colon = value.indexOf(':', start);
    if (colon === -1) return undefined;
    fields.push(value.slice(start, colon));
    start = colon + 1;
  }
  const [partition = '', service = '', region = '', account = ''] = fields;
  return { partition, service, region, account, resource: value.slice(start) };
}

/**
 * Splits an ARN written in a policy, ignoring colons inside policy variables: in
 * 'arn:aws:ecs:*:${aws:SourceAccount}:*' the account field is '${aws:SourceAccount}'.
 */
export function splitPolicyArn(value: string): ArnParts | undefined {
  if (!value.includes('${')) return splitArn(value);
  const masked = splitArn(value.replace(/\$\{[^}]*\}/g, (v) => '$'.repeat(v.length)));
  if (!masked) return undefined;
  let start = 4;
  const take = (length: number): string => {
    const field = value.slice(start, start + length);
    start += length + 1;
    return field;
  };
  return {
    partition: take(masked.partition.length),
    service: take(masked.service.length),
    region: take(masked.region.length),
    account: take(masked.account.length),
    resource: value.slice(start),
  };
}

/** A request resource split once per evaluation; the first four fields are lower-cased for matching. */
export interface RequestResource {
  readonly raw: string;
  readonly arn: ArnParts | undefined;
  readonly lowered: readonly [string, string, string, string] | undefined;
}

/** Prepares the request's resource for matching. */
export function toRequestResource(raw: string): RequestResource {
  const arn = splitArn(raw);
  const lowered = arn
    ? ([arn.partition.toLowerCase(), arn.service.toLowerCase(), arn.region.toLowerCase(), arn.account.toLowerCase()] as const)
    : undefined;
  return { raw, arn, lowered };
}

/**
 * A compiled Resource/NotResource entry.
 *
 * Per-segment rules (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
 * a wildcard never crosses the colons between partition, service, region and account; the resource
 * type ('role/', 'secret:', 'task-definition/') is matched literally; variables are substituted only
 * in the resource part, after the fifth colon. Partition to account compare case-insensitively, the
 * resource part case-sensitively.
 */
export interface ResourcePattern {
  readonly raw: string;
  readonly any: boolean;
  readonly fields: readonly [Glob, Glob, Glob, Glob];
  /** Literal resource-type prefix, including its separator ('' when there is none). */
  readonly type: string;
  readonly id: Template;
  /** Compiled id when it has no variables. */
  readonly idGlob: Glob | undefined;
}

/**
 * Where the resource type ends: after the first '/' or ':' of the resource part (S3 has no type).
 * Separators inside a policy variable (the colon of '${aws:username}') do not count: in
 * 'arn:aws:sqs:us-east-2:*:${aws:username}-queue' the whole resource part is the name.
 */
function resourceTypeLength(service: string, region: string, account: string, resource: string): number {
  if (service === 's3' && region === '' && account === '') return 0;
  const masked = resource.replace(/\$\{[^}]*\}/g, (v) => '$'.repeat(v.length));
  const slash = masked.indexOf('/');
  const colon = masked.indexOf(':');
  if (slash === -1 && colon === -1) return 0;
  if (slash === -1) return colon + 1;
  if (colon === -1) return slash + 1;
  return Math.min(slash, colon) + 1;
}

/** Compiles '*' or an ARN pattern; a short ARN ('arn:aws:ecs:*') is padded with '*' fields. */
export function compileResource(raw: string, variablesEnabled: boolean): ResourcePattern {
  const any: Glob = { kind: 'any' };
  if (raw === '*') return { raw, any: true, fields: [any, any, any, any], type: '', id: parseTemplate('*', false), idGlob: any };
  const full = splitPolicyArn(raw);
  const fields = full ? [full.partition, full.service, full.region, full.account, full.resource] : raw.slice(4).split(':');
  while (fields.length < 5) fields.push('*');
  const [partition = '', service = '', region = '', account = ''] = fields;
  const resource = fields.slice(4).join(':');
  const typeLength = resourceTypeLength(service, region, account, resource);
  const id = parseTemplate(resource.slice(typeLength), variablesEnabled);
  return {
    raw,
    any: false,
    fields: [globOf(partition, true), globOf(service, true), globOf(region, true), globOf(account, true)],
    type: resource.slice(0, typeLength),
    id,
    idGlob: isStatic(id) ? compileGlob(staticParts(id)) : undefined,
  };
}

/** Result of comparing one resource pattern: matched, not matched, or unusable (a variable had no value). */
export type ResourceMatch = 'match' | 'nomatch' | 'unresolved';

/** Compares one pattern with the request's resource. */
export function matchResource(pattern: ResourcePattern, resource: RequestResource, context: NormalizedContext): ResourceMatch {
  if (pattern.any) return 'match';
  const arn = resource.arn;
  const lowered = resource.lowered;
  if (!arn || !lowered) return 'nomatch';
  for (let i = 0; i < 4; i++) {
    if (!globMatch(pattern.fields[i] as Glob, lowered[i] as string)) return 'nomatch';
  }
  if (!arn.resource.startsWith(pattern.type)) return 'nomatch';
  const rest = pattern.type ? arn.resource.slice(pattern.type.length) : arn.resource;
  const glob = pattern.idGlob ?? globForTemplate(pattern.id, context);
  if (!glob) return 'unresolved';
  return globMatch(glob, rest) ? 'match' : 'nomatch';
}
