/**
 * A subset of the CloudWatch Logs Insights query language (Logs Insights QL), parsed and run over
 * the sandbox's stored log events (insights.ts serves the API).
 *
 * Commands, joined with `|`:
 * - `fields f1, f2 as alias` and `display f1, f2`: the fields the results show;
 * - `filter <condition>`: `=`/`==`, `!=`, `<`, `<=`, `>`, `>=`, `like /regex/` or `like "substring"`,
 *   `=~ /regex/`, `in [v1, v2]`, `not like`, `not in`, `and`, `or`, `not`, parentheses, `ispresent(f)`;
 * - `sort f1 [asc|desc], f2 …` (without one, newest first);
 * - `limit N`;
 * - `stats count(*), count(f), count_distinct(f), sum(f), avg(f), min(f), max(f) [as alias], … [by f1, bin(5m), …]`;
 * - `parse <field> "glob * text *" as a, b` or `parse <field> /(?<a>…)/`.
 * Fields: the system fields @timestamp, @message, @logStream, @log, @ingestionTime, fields
 * discovered in JSON messages (nested members as dotted paths, `userIdentity.arn`), and in VPC
 * flow log records of the default format (version, accountId, interfaceId, srcAddr, dstAddr,
 * srcPort, dstPort, protocol, packets, bytes, startTime, endTime, action, logStatus). Comparisons
 * are numeric when both sides are numbers, else textual; a missing field satisfies no comparison.
 * Anything else is a MalformedQueryException naming the offending characters.
 */
import { AwsError } from '../../errors.js';

/** A value of a record's field. */
export type Value = string | number;
/** One record: an event's fields, or one `stats` group. */
export type Row = Map<string, Value>;

/** MalformedQueryException with AWS's `queryCompileError` member (location in characters), which the JSON protocol writes. */
export class MalformedQueryError extends AwsError {
  readonly queryCompileError: { location: { startCharOffset: number; endCharOffset: number }; message: string };
  constructor(message: string, start: number, end: number) {
    // message not verified
    super('MalformedQueryException', `${message} at line 1 and position ${start + 1}`);
    this.queryCompileError = { location: { startCharOffset: start, endCharOffset: end }, message };
    this.members = { queryCompileError: this.queryCompileError };
  }
}

// ---- Tokens -------------------------------------------------------------------------------

type TokenKind = 'ident' | 'number' | 'string' | 'regex' | 'op' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** For regex tokens: the flags. */
  flags?: string;
  start: number;
  end: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '=~', '=', '<', '>'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if ('|,()[]*'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, start, end: ++i });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      i += op.length;
      tokens.push({ kind: 'op', text: op, start, end: i });
      continue;
    }
    if (c === '"' || c === "'" || c === '/' || c === '`') {
      let text = '';
      i++;
      while (i < source.length && source[i] !== c) {
        if (source[i] === '\\' && i + 1 < source.length) {
          // Regexes keep their escapes; strings unescape.
          text += c === '/' ? (source[i + 1] === '/' ? '/' : source.slice(i, i + 2)) : source[i + 1];
          i += 2;
        } else text += source[i++];
      }
      if (i >= source.length) throw new MalformedQueryError(`unterminated ${c === '/' ? 'regular expression' : 'string'}`, start, source.length);
      i++;
      if (c === '/') {
        const flags = /^[a-z]*/.exec(source.slice(i))![0];
        i += flags.length;
        tokens.push({ kind: 'regex', text, flags, start, end: i });
      } else tokens.push({ kind: c === '`' ? 'ident' : 'string', text, start, end: i });
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      i += number[0].length;
      tokens.push({ kind: 'number', text: number[0], start, end: i });
      continue;
    }
    const ident = /^[@A-Za-z_$][\w.@$]*/.exec(source.slice(i));
    if (ident) {
      i += ident[0].length;
      tokens.push({ kind: 'ident', text: ident[0], start, end: i });
      continue;
    }
    throw new MalformedQueryError(`unexpected symbol found ${c}`, start, start + 1);
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}

// ---- Syntax -------------------------------------------------------------------------------

/** A filter condition or operand. */
export type Expr =
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: Value }
  | { kind: 'compare'; op: string; left: Expr; right: Expr }
  | { kind: 'match'; negated: boolean; subject: Expr; regex: RegExp }
  | { kind: 'in'; negated: boolean; subject: Expr; values: Value[] }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'present'; name: string };

interface Aggregate {
  fn: 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';
  /** undefined for count(*). */
  field: string | undefined;
  name: string;
}
interface GroupKey {
  /** A field, or a bin() width in milliseconds. */
  field?: string;
  binMs?: number;
  name: string;
}

export type Command =
  | { kind: 'fields'; fields: { field: string; name: string }[] }
  | { kind: 'filter'; condition: Expr }
  | { kind: 'sort'; keys: { field: string; desc: boolean }[] }
  | { kind: 'limit'; count: number }
  | { kind: 'stats'; aggregates: Aggregate[]; by: GroupKey[] }
  | { kind: 'parse'; field: string; regex: RegExp; names: string[] };

const AGGREGATES = new Set(['count', 'count_distinct', 'sum', 'avg', 'min', 'max']);
const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000, d: 86_400_000 };

/** Parenthesised conditions nest at most this deep (the sandbox's limit). */
const MAX_NESTING = 100;

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    return this.tokens[this.pos < this.tokens.length - 1 ? this.pos++ : this.pos]!;
  }
  private fail(token: Token, message?: string): never {
    throw new MalformedQueryError(message ?? (token.kind === 'end' ? 'unexpected end of query' : `unexpected symbol found ${token.text}`), token.start, Math.max(token.end, token.start + 1));
  }
  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }
  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }
  private expectPunct(p: string): Token {
    if (!this.isPunct(p)) this.fail(this.peek());
    return this.next();
  }
  private field(): string {
    const t = this.next();
    if (t.kind !== 'ident') this.fail(t);
    return t.text;
  }
  private alias(fallback: string): string {
    if (!this.isWord('as')) return fallback;
    this.next();
    return this.field();
  }

  parse(): Command[] {
    const commands: Command[] = [];
    for (;;) {
      commands.push(this.command());
      if (this.peek().kind === 'end') return commands;
      this.expectPunct('|');
    }
  }

  private command(): Command {
    const t = this.next();
    const word = t.kind === 'ident' ? t.text.toLowerCase() : '';
    switch (word) {
      case 'fields':
      case 'display': {
        const fields = [this.fieldItem()];
        while (this.isPunct(',')) {
          this.next();
          fields.push(this.fieldItem());
        }
        return { kind: 'fields', fields };
      }
      case 'filter':
        return { kind: 'filter', condition: this.or() };
      case 'sort': {
        const keys = [this.sortKey()];
        while (this.isPunct(',')) {
          this.next();
          keys.push(this.sortKey());
        }
        return { kind: 'sort', keys };
      }
      case 'limit': {
        const n = this.next();
        if (n.kind !== 'number' || !/^\d+$/.test(n.text) || Number(n.text) < 1) this.fail(n);
        return { kind: 'limit', count: Number(n.text) };
      }
      case 'stats':
        return this.stats();
      case 'parse':
        return this.parseCommand();
      default:
        return this.fail(t, t.kind === 'end' ? 'unexpected end of query' : `unexpected symbol found ${t.text}`);
    }
  }

  private fieldItem(): { field: string; name: string } {
    const field = this.field();
    return { field, name: this.alias(field) };
  }

  private sortKey(): { field: string; desc: boolean } {
    const field = this.field();
    if (this.isWord('desc')) {
      this.next();
      return { field, desc: true };
    }
    if (this.isWord('asc')) this.next();
    return { field, desc: false };
  }

  private stats(): Command {
    const aggregates: Aggregate[] = [];
    do {
      if (aggregates.length > 0) this.next();
      const fnToken = this.next();
      const fn = fnToken.text.toLowerCase();
      if (fnToken.kind !== 'ident' || !AGGREGATES.has(fn)) this.fail(fnToken);
      this.expectPunct('(');
      let field: string | undefined;
      if (this.isPunct('*') && fn === 'count') this.next();
      else field = this.field();
      const close = this.expectPunct(')');
      aggregates.push({ fn: fn as Aggregate['fn'], field, name: this.alias(this.source.slice(fnToken.start, close.end)) });
    } while (this.isPunct(','));
    const by: GroupKey[] = [];
    if (this.isWord('by')) {
      do {
        this.next();
        by.push(this.groupKey());
      } while (this.isPunct(','));
    }
    return { kind: 'stats', aggregates, by };
  }

  private groupKey(): GroupKey {
    if (this.isWord('bin') && this.peek(1).kind === 'punct' && this.peek(1).text === '(') {
      const start = this.next();
      this.next();
      const n = this.next();
      if (n.kind !== 'number' || Number(n.text) <= 0) this.fail(n);
      const unit = this.peek();
      if (unit.kind !== 'ident' || unit.start !== n.end || own(UNITS, unit.text) === undefined) this.fail(unit);
      this.next();
      const close = this.expectPunct(')');
      return { binMs: Number(n.text) * UNITS[unit.text]!, name: this.alias(this.source.slice(start.start, close.end)) };
    }
    const field = this.field();
    return { field, name: this.alias(field) };
  }

  private parseCommand(): Command {
    const field = this.field();
    const pattern = this.next();
    if (pattern.kind === 'regex') {
      const regex = compileRegex(pattern);
      return { kind: 'parse', field, regex, names: [] };
    }
    if (pattern.kind !== 'string') this.fail(pattern);
    const parts = pattern.text.split('*');
    const regex = new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)') + (parts.length > 1 && parts[parts.length - 1] === '' ? '$' : ''), 's');
    if (!this.isWord('as')) this.fail(this.peek(), 'parse with a glob pattern needs "as" and field names');
    this.next();
    const names = [this.field()];
    while (this.isPunct(',')) {
      this.next();
      names.push(this.field());
    }
    if (names.length !== parts.length - 1) this.fail(pattern, `the pattern has ${parts.length - 1} wildcards but ${names.length} field names are given`);
    return { kind: 'parse', field, regex, names };
  }

  // Conditions: or > and > not > comparison.
  private or(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }
  private not(): Expr {
    if (this.isWord('not') && !this.isWord('like', 1) && !this.isWord('in', 1)) {
      this.next();
      return { kind: 'not', operand: this.not() };
    }
    return this.comparison();
  }
  private comparison(): Expr {
    const subject = this.operand();
    const negated = this.isWord('not') && (this.isWord('like', 1) || this.isWord('in', 1));
    if (negated) this.next();
    if (this.isWord('like') || (!negated && this.peek().kind === 'op' && this.peek().text === '=~')) {
      this.next();
      const p = this.next();
      if (p.kind === 'regex') return { kind: 'match', negated, subject, regex: compileRegex(p) };
      if (p.kind === 'string') return { kind: 'match', negated, subject, regex: new RegExp(p.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) };
      return this.fail(p);
    }
    if (this.isWord('in')) {
      this.next();
      this.expectPunct('[');
      const values: Value[] = [];
      while (!this.isPunct(']')) {
        if (values.length > 0) this.expectPunct(',');
        const v = this.next();
        if (v.kind === 'number') values.push(Number(v.text));
        else if (v.kind === 'string') values.push(v.text);
        else this.fail(v);
      }
      this.next();
      return { kind: 'in', negated, subject, values };
    }
    if (negated) this.fail(this.peek());
    const op = this.peek();
    if (op.kind === 'op' && op.text !== '=~') {
      this.next();
      return { kind: 'compare', op: op.text === '==' ? '=' : op.text, left: subject, right: this.operand() };
    }
    return subject;
  }
  private operand(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '(') {
      if (++this.depth > MAX_NESTING) this.fail(t, 'parentheses are nested too deeply');
      this.next();
      const inner = this.or();
      this.expectPunct(')');
      this.depth--;
      return inner;
    }
    this.next();
    if (t.kind === 'number') return { kind: 'literal', value: Number(t.text) };
    if (t.kind === 'string') return { kind: 'literal', value: t.text };
    if (t.kind === 'ident') {
      if (t.text.toLowerCase() === 'ispresent' && this.isPunct('(')) {
        this.next();
        const name = this.field();
        this.expectPunct(')');
        return { kind: 'present', name };
      }
      if (['true', 'false'].includes(t.text.toLowerCase())) return { kind: 'literal', value: t.text.toLowerCase() };
      return { kind: 'field', name: t.text };
    }
    return this.fail(t);
  }
}

function own(dict: Readonly<Record<string, number>>, key: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

function compileRegex(t: Token): RegExp {
  try {
    return new RegExp(t.text, (t.flags ?? '').includes('i') ? 'i' : '');
  } catch {
    throw new MalformedQueryError('invalid regular expression', t.start, t.end);
  }
}

/** Parses a query (MalformedQueryError on a syntax error). */
export function parseQuery(source: string): Command[] {
  if (source.trim().length === 0) throw new MalformedQueryError('empty query', 0, 0);
  // StartQuery's queryString is at most 10,000 characters.
  if (source.length > 10_000) throw new AwsError('InvalidParameterException', `1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to 10000`);
  return new Parser(source, tokenize(source)).parse();
}

// ---- Fields of an event -------------------------------------------------------------------

/** The default VPC flow log format's fields, as Logs Insights discovers them. */
export const FLOW_LOG_FIELDS = ['version', 'accountId', 'interfaceId', 'srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'protocol', 'packets', 'bytes', 'startTime', 'endTime', 'action', 'logStatus'] as const;

function numeric(text: string): Value {
  return /^-?\d+(\.\d+)?$/.test(text) && text.length < 16 ? Number(text) : text;
}

function flatten(value: unknown, prefix: string, row: Row, depth: number): void {
  if (value === null || value === undefined || depth > 10) return;
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, row, depth + 1);
    return;
  }
  if (prefix) row.set(prefix, typeof value === 'number' ? value : String(value));
}

/** Adds the fields Logs Insights discovers in a message (JSON members, flow log fields). */
export function discoverFields(message: string, row: Row): void {
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) {
    try {
      flatten(JSON.parse(trimmed), '', row, 0);
    } catch {
      // Not JSON after all: no discovered fields.
    }
    return;
  }
  const parts = trimmed.split(/\s+/);
  if (parts.length === FLOW_LOG_FIELDS.length && parts[0] === '2' && /^eni-/.test(parts[2]!)) {
    FLOW_LOG_FIELDS.forEach((name, i) => row.set(name, numeric(parts[i]!)));
  }
}

// ---- Evaluation ---------------------------------------------------------------------------

function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : undefined;
}

function compare(a: Value, b: Value): number {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function value(e: Expr, row: Row): Value | undefined {
  if (e.kind === 'field') return row.get(e.name);
  if (e.kind === 'literal') return e.value;
  return test(e, row) ? 'true' : 'false';
}

function test(e: Expr, row: Row): boolean {
  switch (e.kind) {
    case 'and':
      return test(e.left, row) && test(e.right, row);
    case 'or':
      return test(e.left, row) || test(e.right, row);
    case 'not':
      return !test(e.operand, row);
    case 'present':
      return row.has(e.name);
    case 'match': {
      const v = value(e.subject, row);
      if (v === undefined) return false;
      return e.regex.test(String(v)) !== e.negated;
    }
    case 'in': {
      const v = value(e.subject, row);
      if (v === undefined) return false;
      return e.values.some((x) => compare(v, x) === 0) !== e.negated;
    }
    case 'compare': {
      const l = value(e.left, row);
      const r = value(e.right, row);
      if (l === undefined || r === undefined) return false;
      const c = compare(l, r);
      switch (e.op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    }
    case 'field':
    case 'literal': {
      const v = value(e, row);
      return v !== undefined && v !== '' && v !== 0 && v !== 'false';
    }
  }
}

/** What a query produced: rows with the fields to show, and how many records matched. */
export interface QueryOutput {
  rows: Row[];
  /** The fields shown, in order; undefined: each row's own fields. */
  columns: string[] | undefined;
  matched: number;
  /** Whether `stats` ran (rows are groups, not events). */
  aggregated: boolean;
}

function aggregate(rows: readonly Row[], command: Extract<Command, { kind: 'stats' }>): Row[] {
  const groups = new Map<string, { key: Row; members: Row[] }>();
  for (const row of rows) {
    const key: Row = new Map();
    for (const g of command.by) {
      if (g.binMs !== undefined) {
        const t = row.get('@timestamp');
        if (typeof t === 'number') key.set(g.name, Math.floor(t / g.binMs) * g.binMs);
      } else {
        const v = row.get(g.field!);
        if (v !== undefined) key.set(g.name, v);
      }
    }
    const id = JSON.stringify([...key]);
    const group = groups.get(id) ?? { key, members: [] };
    group.members.push(row);
    groups.set(id, group);
  }
  if (groups.size === 0 && command.by.length === 0) groups.set('[]', { key: new Map(), members: [] });
  return [...groups.values()].map(({ key, members }) => {
    const out: Row = new Map(key);
    for (const a of command.aggregates) {
      const values = a.field === undefined ? [] : members.map((m) => m.get(a.field!)).filter((v): v is Value => v !== undefined);
      const numbers = values.map(asNumber).filter((n): n is number => n !== undefined);
      let result: Value | undefined;
      if (a.fn === 'count') result = a.field === undefined ? members.length : values.length;
      else if (a.fn === 'count_distinct') result = new Set(values.map(String)).size;
      else if (numbers.length > 0) {
        const sum = numbers.reduce((s, n) => s + n, 0);
        result = a.fn === 'sum' ? sum : a.fn === 'avg' ? sum / numbers.length : a.fn === 'min' ? numbers.reduce((m, n) => Math.min(m, n)) : numbers.reduce((m, n) => Math.max(m, n));
      }
      if (result !== undefined) out.set(a.name, result);
    }
    return out;
  });
}

/** Runs parsed commands over event rows (given in timestamp order; without `sort`, newest first). */
export function runQuery(commands: readonly Command[], events: readonly Row[], defaultLimit: number): QueryOutput {
  let rows: Row[] = [...events].reverse();
  let columns: string[] | undefined;
  let matched: number | undefined;
  let limit: number | undefined;
  let aggregated = false;
  for (const c of commands) {
    switch (c.kind) {
      case 'filter':
        rows = rows.filter((r) => test(c.condition, r));
        break;
      case 'parse':
        for (const r of rows) {
          const source = r.get(c.field);
          const m = source === undefined ? null : c.regex.exec(String(source));
          if (!m) continue;
          if (c.names.length > 0) c.names.forEach((name, i) => m[i + 1] !== undefined && r.set(name, numeric(m[i + 1]!)));
          else for (const [name, v] of Object.entries(m.groups ?? {})) if (v !== undefined) r.set(name, numeric(v));
        }
        break;
      case 'fields':
        for (const r of rows) for (const f of c.fields) if (f.name !== f.field && r.has(f.field)) r.set(f.name, r.get(f.field)!);
        columns = [...new Set([...(aggregated ? [] : (columns ?? [])), ...c.fields.map((f) => f.name)])];
        break;
      case 'stats':
        matched ??= rows.length;
        rows = aggregate(rows, c);
        columns = [...c.by.map((g) => g.name), ...c.aggregates.map((a) => a.name)];
        aggregated = true;
        break;
      case 'sort':
        rows.sort((a, b) => {
          for (const k of c.keys) {
            const x = a.get(k.field);
            const y = b.get(k.field);
            if (x === undefined || y === undefined) {
              if (x !== y) return x === undefined ? 1 : -1;
              continue;
            }
            const d = compare(x, y);
            if (d !== 0) return k.desc ? -d : d;
          }
          return 0;
        });
        break;
      case 'limit':
        if (!aggregated) matched ??= rows.length;
        limit = Math.min(limit ?? Infinity, c.count);
        rows = rows.slice(0, c.count);
        break;
    }
  }
  const total = matched ?? rows.length;
  return { rows: rows.slice(0, limit ?? defaultLimit), columns, matched: total, aggregated };
}
