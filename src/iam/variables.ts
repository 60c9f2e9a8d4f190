/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}` and the escapes
 * `${*}`, `${?}`, `${$}`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 *
 * A template is split once at parse time into literal runs and variable references, so the hot
 * path only looks values up and never re-scans the string.
 */
import type { NormalizedContext } from './context.js';

/**
 * A run of text. `wild` is true for text written in the policy, where `*` and `?` keep their
 * wildcard meaning; it is false for escapes and substituted values, which are always literal
 * (a principal tag containing `*` must not widen a pattern).
 */
export interface Literal {
  readonly text: string;
  readonly wild: boolean;
}

/** A `${...}` reference to a context key, with the optional `'default'` value. */
export interface VariableRef {
  /** The key as written, for explanations. */
  readonly name: string;
  /** Lower-cased key: context keys are case-insensitive. */
  readonly key: string;
  readonly fallback: string | undefined;
}

/** One piece of a template. */
export type TemplatePart = Literal | VariableRef;

/** A parsed string that may contain variables. */
export interface Template {
  readonly raw: string;
  readonly parts: readonly TemplatePart[];
  /** Variable references in the template (escapes excluded). */
  readonly variables: readonly VariableRef[];
}

/** Outcome of substituting a template's variables against a request context. */
export type Resolution =
  | { readonly ok: true; readonly parts: readonly Literal[]; readonly text: string }
  | { readonly ok: false; readonly variable: VariableRef; readonly why: 'absent' | 'multivalued' };

const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };
const DEFAULT_VALUE = /^(.*?)\s*,\s*'(.*)'\s*$/s;

/** True for a reference, false for a literal run. */
export function isVariable(part: TemplatePart): part is VariableRef {
  return (part as VariableRef).key !== undefined;
}

/**
 * Parses a policy string. With `enabled` false (policy Version other than 2012-10-17) the whole
 * string is literal text, because AWS treats `${...}` as plain characters in older versions.
 */
export function parseTemplate(raw: string, enabled: boolean): Template {
  if (!enabled || !raw.includes('${')) {
    return { raw, parts: [{ text: raw, wild: true }], variables: [] };
  }
  const parts: TemplatePart[] = [];
  const variables: VariableRef[] = [];
  let literal = '';
  let i = 0;
  while (i < raw.length) {
    const close = raw.startsWith('${', i) ? raw.indexOf('}', i + 2) : -1;
    if (close === -1) {
      literal += raw[i];
      i += 1;
      continue;
    }
    if (literal) parts.push({ text: literal, wild: true });
    literal = '';
    const inner = raw.slice(i + 2, close);
    const escaped = ESCAPES[inner];
    if (escaped !== undefined) {
      parts.push({ text: escaped, wild: false });
    } else {
      const withDefault = DEFAULT_VALUE.exec(inner);
      const name = (withDefault ? withDefault[1] ?? '' : inner).trim();
      const ref: VariableRef = { name, key: name.toLowerCase(), fallback: withDefault ? withDefault[2] : undefined };
      parts.push(ref);
      variables.push(ref);
    }
    i = close + 1;
  }
  if (literal) parts.push({ text: literal, wild: true });
  return { raw, parts, variables };
}

/** True when the template has no variables, so it can be compiled once. */
export function isStatic(template: Template): boolean {
  return template.variables.length === 0;
}

/** The template's literal runs when it has no variables. */
export function staticParts(template: Template): readonly Literal[] {
  return template.parts as readonly Literal[];
}

/**
 * The value a reference stands for: the key's value, else its default. A key that is absent, empty
 * or multivalued has no value (AWS: "any attempt to match it fails") unless a default is given.
 */
export function variableValue(ref: VariableRef, context: NormalizedContext): string | undefined {
  const value = context.get(ref.key);
  if (typeof value === 'string' && value !== '') return value;
  return ref.fallback ? ref.fallback : undefined;
}

/** Substitutes variables. */
export function resolveTemplate(template: Template, context: NormalizedContext): Resolution {
  const parts: Literal[] = [];
  let text = '';
  for (const part of template.parts) {
    let literal: Literal;
    if (isVariable(part)) {
      const value = variableValue(part, context);
      if (value === undefined) {
        const raw = context.get(part.key);
        return { ok: false, variable: part, why: Array.isArray(raw) && raw.length > 0 ? 'multivalued' : 'absent' };
      }
      literal = { text: value, wild: false };
    } else {
      literal = part;
    }
    parts.push(literal);
    text += literal.text;
  }
  return { ok: true, parts, text };
}

/** A sentence fragment saying why a variable could not be substituted. */
export function describeUnresolved(variable: VariableRef, why: 'absent' | 'multivalued'): string {
  return why === 'multivalued'
    ? `\${${variable.name}} cannot be substituted because ${variable.name} has several values`
    : `\${${variable.name}} cannot be substituted because ${variable.name} is not in the request context and no default is given`;
}
