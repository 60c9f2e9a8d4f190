/**
 * CloudWatch Logs filter patterns, shared by FilterLogEvents, the metric filters and
 * TestMetricFilter:
 *
 * - term patterns: terms (bare or in double quotes) must all appear, `-term` must not, and when
 *   `?term`s are given one of them must; case-sensitive, as in AWS;
 * - JSON patterns, `{ $.eventName = "AssumeRole" && $.userIdentity.type != "AWSService" }`:
 *   selectors `$.a.b[0]`; `=` and `!=` with a quoted or bare string (`*` a wildcard), a `%regex%`
 *   or a number; `<`, `<=`, `>`, `>=` with numbers; `IS NULL`, `IS TRUE`, `IS FALSE`,
 *   `NOT EXISTS`; `&&`, `||` (`&&` binds tighter) and parentheses. A message that is not JSON
 *   never matches;
 * - space-delimited patterns, `[version, account, eni, source, destination, srcport,
 *   destport="8080", protocol, packets, bytes, start, end, action=REJECT, status]`: one element
 *   per space-separated field of the message (a `"quoted"` or `[bracketed]` field counts as one),
 *   `...` for any number of fields; a message with another number of fields does not match. An
 *   element may test its field: `=` and `!=` with a quoted or bare string (`*` a wildcard) or a
 *   number (compared as a number), `<`, `<=`, `>`, `>=` with numbers, joined with `&&` and `||`
 *   (`&&` binds tighter), e.g. `status = 4* || status = 5*`. The tests read the element's own
 *   field, whatever name they give.
 *
 * A pattern that does not parse is AWS's InvalidParameterException ("Invalid metric filter
 * pattern" for metric filters, as AWS answers; the FilterLogEvents wording is not verified).
 */
import { LogsErrors } from './errors.js';

type Matcher = (message: string) => boolean;

/** What a malformed pattern is called in the error: `metric filter` or `filter`. */
export type PatternUse = 'metric filter' | 'filter';

class Malformed extends Error {}

/** Parses a pattern and returns its predicate. */
export function compilePattern(pattern: string | undefined, use: PatternUse): Matcher {
  const text = (pattern ?? '').trim();
  try {
    if (text.startsWith('{')) return jsonPattern(text);
    if (text.startsWith('[')) return spacePattern(text);
    return termPattern(text);
  } catch (e) {
    if (e instanceof Malformed) throw LogsErrors.invalidParameter(`Invalid ${use} pattern`);
    throw e;
  }
}

/** A pattern as a predicate (FilterLogEvents, TestMetricFilter). */
export function patternMatcher(pattern: string | undefined, use: PatternUse): Matcher {
  return compilePattern(pattern, use);
}

function termPattern(text: string): Matcher {
  if (text === '') return () => true;
  if ((text.match(/"/g) ?? []).length % 2 === 1) throw new Malformed();
  const all: string[] = [];
  const none: string[] = [];
  const any: string[] = [];
  for (const m of text.matchAll(/([?-]?)(?:"([^"]*)"|(\S+))/g)) {
    const term = m[2] ?? m[3]!;
    (m[1] === '?' ? any : m[1] === '-' ? none : all).push(term);
  }
  return (message) =>
    all.every((t) => message.includes(t)) && !none.some((t) => message.includes(t)) && (any.length === 0 || any.some((t) => message.includes(t)));
}

// ---- JSON patterns --------------------------------------------------------------------------

type Token = { kind: 'punct'; value: string } | { kind: 'string' | 'regex' | 'word' | 'selector'; value: string };

const TOKEN = /\s*(?:(&&|\|\||!=|<=|>=|[()=<>])|"((?:[^"\\]|\\.)*)"|%((?:[^%\\]|\\.)+)%|(\$[^\s()=!<>&|]*)|([^\s()=!<>&|"%]+))/y;

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    if (/^\s*$/.test(body.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(body);
    if (!m) throw new Malformed();
    if (m[1] !== undefined) tokens.push({ kind: 'punct', value: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'string', value: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ kind: 'regex', value: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'selector', value: m[4] });
    else tokens.push({ kind: 'word', value: m[5]! });
  }
  return tokens;
}

/** `$.a.b[0]` as keys, or Malformed. */
function selectorPath(selector: string): (string | number)[] {
  if (!/^\$(\.[^.[\]\s]+|\[[0-9]+\])+$/.test(selector)) throw new Malformed();
  return [...selector.slice(1).matchAll(/\.([^.[\]]+)|\[([0-9]+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function lookup(doc: unknown, path: readonly (string | number)[]): unknown {
  let node = doc;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

type Test = (doc: unknown) => boolean;

function glob(value: string): RegExp {
  return new RegExp(`^${value.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

function comparison(path: (string | number)[], op: string, literal: Token): Test {
  const get = (doc: unknown) => lookup(doc, path);
  const negate = op === '!=';
  if (literal.kind === 'regex') {
    if (op !== '=' && op !== '!=') throw new Malformed();
    let re: RegExp;
    try {
      re = new RegExp(literal.value);
    } catch {
      throw new Malformed();
    }
    return (doc) => {
      const v = get(doc);
      return v !== undefined && v !== null && re.test(String(v)) !== negate;
    };
  }
  const number = literal.kind === 'word' && /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(literal.value) ? Number(literal.value) : undefined;
  if (number !== undefined) {
    const compare: Record<string, (a: number) => boolean> = {
      '=': (a) => a === number,
      '!=': (a) => a !== number,
      '<': (a) => a < number,
      '<=': (a) => a <= number,
      '>': (a) => a > number,
      '>=': (a) => a >= number,
    };
    const f = compare[op]!;
    return (doc) => {
      const v = get(doc);
      return typeof v === 'number' && f(v);
    };
  }
  if (op !== '=' && op !== '!=') throw new Malformed();
  const re = glob(literal.value);
  return (doc) => {
    const v = get(doc);
    return (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && re.test(String(v)) !== negate;
  };
}

class JsonParser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Test {
    const test = this.or();
    if (this.at !== this.tokens.length) throw new Malformed();
    return test;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const t = this.tokens[this.at++];
    if (!t) throw new Malformed();
    return t;
  }

  private isPunct(value: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.value === value;
  }

  private or(): Test {
    const parts = [this.and()];
    while (this.isPunct('||')) {
      this.at++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : (doc) => parts.some((p) => p(doc));
  }

  private and(): Test {
    const parts = [this.unary()];
    while (this.isPunct('&&')) {
      this.at++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0]! : (doc) => parts.every((p) => p(doc));
  }

  private unary(): Test {
    if (this.isPunct('(')) {
      this.at++;
      const inner = this.or();
      if (!this.isPunct(')')) throw new Malformed();
      this.at++;
      return inner;
    }
    const selector = this.next();
    if (selector.kind !== 'selector') throw new Malformed();
    const path = selectorPath(selector.value);
    const op = this.next();
    if (op.kind === 'word' && op.value === 'IS') {
      const what = this.next();
      const expected = { NULL: null, TRUE: true, FALSE: false }[what.kind === 'word' ? what.value : ''];
      if (expected === undefined) throw new Malformed();
      return (doc) => lookup(doc, path) === expected;
    }
    if (op.kind === 'word' && op.value === 'NOT') {
      const what = this.next();
      if (what.kind !== 'word' || what.value !== 'EXISTS') throw new Malformed();
      return (doc) => lookup(doc, path) === undefined;
    }
    if (op.kind !== 'punct' || !['=', '!=', '<', '<=', '>', '>='].includes(op.value)) throw new Malformed();
    const literal = this.next();
    if (literal.kind === 'punct' || literal.kind === 'selector') throw new Malformed();
    return comparison(path, op.value, literal);
  }
}

function jsonPattern(text: string): Matcher {
  if (!text.endsWith('}')) throw new Malformed();
  const tokens = tokenize(text.slice(1, -1));
  if (tokens.length === 0) throw new Malformed();
  const test = new JsonParser(tokens).parse();
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return doc !== null && typeof doc === 'object' && test(doc);
  };
}

// ---- space-delimited patterns ---------------------------------------------------------------

/** One element of a space-delimited pattern: `...`, or a field with its test (none: any value). */
type Element = { kind: 'any' } | { kind: 'field'; test: (value: string) => boolean };

/** A message's fields: runs of non-spaces, a `"quoted"` run or a `[bracketed]` run counting as one (without its quotes or brackets). */
export function messageFields(message: string): string[] {
  const fields: string[] = [];
  for (const m of message.matchAll(/"([^"]*)"|\[([^\]]*)\]|(\S+)/g)) fields.push(m[1] ?? m[2] ?? m[3]!);
  return fields;
}

/** Splits at top-level commas (not inside double quotes). */
function splitElements(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted) throw new Malformed();
  parts.push(current);
  return parts.map((p) => p.trim());
}

const CONDITION = /\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(!=|<=|>=|=|<|>)\s*("(?:[^"\\]|\\.)*"|[^\s&|"]+)\s*/y;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** One comparison of a field's value. */
function fieldComparison(op: string, literal: string): (value: string) => boolean {
  const quoted = literal.startsWith('"');
  const text = quoted ? literal.slice(1, -1).replace(/\\(.)/g, '$1') : literal;
  if (!quoted && NUMBER.test(text)) {
    const n = Number(text);
    const compare: Record<string, (a: number) => boolean> = {
      '=': (a) => a === n,
      '!=': (a) => a !== n,
      '<': (a) => a < n,
      '<=': (a) => a <= n,
      '>': (a) => a > n,
      '>=': (a) => a >= n,
    };
    const f = compare[op]!;
    return (value) => NUMBER.test(value) && f(Number(value));
  }
  if (op !== '=' && op !== '!=') throw new Malformed();
  const re = glob(text);
  return op === '=' ? (value) => re.test(value) : (value) => !re.test(value);
}

/** An element's tests: comparisons joined with `&&` and `||` (`&&` binds tighter). */
function elementTest(text: string): (value: string) => boolean {
  const ors: ((value: string) => boolean)[][] = [[]];
  let at = 0;
  for (;;) {
    CONDITION.lastIndex = at;
    const m = CONDITION.exec(text);
    if (!m) throw new Malformed();
    ors[ors.length - 1]!.push(fieldComparison(m[2]!, m[3]!));
    at = CONDITION.lastIndex;
    if (at >= text.length) break;
    const join = /^(&&|\|\|)\s*/.exec(text.slice(at));
    if (!join) throw new Malformed();
    if (join[1] === '||') ors.push([]);
    at += join[0].length;
  }
  return (value) => ors.some((and) => and.every((t) => t(value)));
}

function spacePattern(text: string): Matcher {
  if (!text.endsWith(']') || text.length < 3) throw new Malformed();
  const elements: Element[] = splitElements(text.slice(1, -1)).map((part) => {
    if (part === '...') return { kind: 'any' };
    if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(part)) return { kind: 'field', test: () => true };
    return { kind: 'field', test: elementTest(part) };
  });
  if (elements.length === 0) throw new Malformed();
  const matchFrom = (fields: readonly string[], i: number, j: number): boolean => {
    if (i === elements.length) return j === fields.length;
    const element = elements[i]!;
    if (element.kind === 'any') {
      for (let k = j; k <= fields.length; k++) if (matchFrom(fields, i + 1, k)) return true;
      return false;
    }
    return j < fields.length && element.test(fields[j]!) && matchFrom(fields, i + 1, j + 1);
  };
  return (message) => matchFrom(messageFields(message), 0, 0);
}
