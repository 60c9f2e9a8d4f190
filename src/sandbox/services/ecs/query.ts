/**
 * The cluster query language, as ListContainerInstances `--filter` (and placement constraint
 * `memberOf` expressions) use it: `subject operator value`, joined with `and`/`&&`, `or`/`||`,
 * negated with `not`/`!`, grouped with parentheses. Subjects: `attribute:<name>`,
 * `ec2InstanceId`, `agentConnected`, `agentVersion`, `registeredAt`, `runningTasksCount`.
 * Operators: `==`/`equals`, `!=`/`not_equals`, `in`/`not_in` (`[a, b]`), `=~`/`matches`,
 * `!~`/`not_matches` (`*` wildcards), `exists`/`!exists`/`not_exists`, and `>`, `>=`, `<`, `<=`
 * for numbers and times. Anything else is an InvalidParameterException, as in ECS.
 */
import type { ContainerInstance } from '@aws-sdk/client-ecs';
import { EcsErrors } from './errors.js';

/** A compiled expression: does this container instance match? */
export type InstanceQuery = (instance: ContainerInstance, runningTasks: number) => boolean;

const TOKEN = /\s*(\(|\)|\[|\]|,|&&|\|\||==|!=|=~|!~|>=|<=|>|<|!(?=exists\b)|!|"[^"]*"|'[^']*'|[^\s()[\],!=<>~&|"']+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) {
      if (/^\s*$/.test(text.slice(at))) break;
      throw invalid(text);
    }
    tokens.push(match[1]!);
  }
  return tokens;
}

function invalid(text: string): Error {
  return EcsErrors.invalidParameter(`Invalid filter expression: ${text}`);
}

function unquote(token: string): string {
  return /^(["']).*\1$/.test(token) ? token.slice(1, -1) : token;
}

/** `*` matches any run of characters; everything else literally. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

type Subject = (instance: ContainerInstance, runningTasks: number) => string | undefined;

function subjectOf(token: string): Subject | undefined {
  if (token.startsWith('attribute:') && token.length > 'attribute:'.length) {
    const name = token.slice('attribute:'.length);
    return (instance) => {
      const attribute = instance.attributes?.find((a) => a.name === name);
      return attribute ? (attribute.value ?? '') : undefined;
    };
  }
  switch (token) {
    case 'ec2InstanceId':
      return (instance) => instance.ec2InstanceId;
    case 'agentConnected':
      return (instance) => String(instance.agentConnected ?? false);
    case 'agentVersion':
      return (instance) => instance.versionInfo?.agentVersion;
    case 'registeredAt':
      return (instance) => instance.registeredAt?.toISOString();
    case 'runningTasksCount':
      return (_, runningTasks) => String(runningTasks);
    default:
      return undefined;
  }
}

function compare(actual: string, expected: string): number {
  const a = Number(actual);
  const b = Number(expected);
  if (actual !== '' && expected !== '' && Number.isFinite(a) && Number.isFinite(b)) return a - b;
  const da = Date.parse(actual);
  const db = Date.parse(expected);
  if (Number.isFinite(da) && Number.isFinite(db)) return da - db;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

/** Compiles a query; throws InvalidParameterException for anything the language does not allow. */
export function compileQuery(text: string): InstanceQuery {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]?.toLowerCase();
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw invalid(text);
    return token;
  };

  function values(): string[] {
    if (peek() !== '[') return [unquote(next())];
    next();
    const list: string[] = [];
    while (peek() !== ']') {
      list.push(unquote(next()));
      if (peek() === ',') next();
      else if (peek() !== ']') throw invalid(text);
    }
    next();
    if (list.length === 0) throw invalid(text);
    return list;
  }

  function comparison(): InstanceQuery {
    const subject = subjectOf(next());
    if (!subject) throw invalid(text);
    const op = next().toLowerCase();
    if (op === 'exists') return (i, n) => subject(i, n) !== undefined;
    if (op === 'not_exists' || (op === '!' && peek() === 'exists' && next())) return (i, n) => subject(i, n) === undefined;
    const expected = values();
    const one = () => {
      if (expected.length !== 1) throw invalid(text);
      return expected[0]!;
    };
    const has = (test: (actual: string) => boolean): InstanceQuery => (i, n) => {
      const actual = subject(i, n);
      return actual !== undefined && test(actual);
    };
    switch (op) {
      case '==':
      case 'equals': {
        const value = one();
        return has((a) => a === value);
      }
      case '!=':
      case 'not_equals': {
        const value = one();
        return (i, n) => subject(i, n) !== value;
      }
      case 'in':
        return has((a) => expected.includes(a));
      case 'not_in':
        return (i, n) => !expected.includes(subject(i, n) ?? '\u0000');
      case '=~':
      case 'matches': {
        const pattern = wildcard(one());
        return has((a) => pattern.test(a));
      }
      case '!~':
      case 'not_matches': {
        const pattern = wildcard(one());
        return (i, n) => !pattern.test(subject(i, n) ?? '');
      }
      case '>':
      case '>=':
      case '<':
      case '<=': {
        const value = one();
        const test = { '>': (c: number) => c > 0, '>=': (c: number) => c >= 0, '<': (c: number) => c < 0, '<=': (c: number) => c <= 0 }[op];
        return has((a) => test(compare(a, value)));
      }
      default:
        throw invalid(text);
    }
  }

  function term(): InstanceQuery {
    const token = peek();
    if (token === 'not' || token === '!') {
      next();
      const inner = term();
      return (i, n) => !inner(i, n);
    }
    if (token === '(') {
      next();
      const inner = expression();
      if (next() !== ')') throw invalid(text);
      return inner;
    }
    return comparison();
  }

  /** Operands joined by one of `words`: all must hold (and) or one (or). */
  function joined(words: readonly string[], operand: () => InstanceQuery, all: boolean): InstanceQuery {
    const parts = [operand()];
    while (words.includes(peek() ?? '')) {
      next();
      parts.push(operand());
    }
    if (parts.length === 1) return parts[0]!;
    return all ? (i, n) => parts.every((p) => p(i, n)) : (i, n) => parts.some((p) => p(i, n));
  }

  /** `and` binds tighter than `or`. */
  function expression(): InstanceQuery {
    return joined(['or', '||'], () => joined(['and', '&&'], term, true), false);
  }

  if (tokens.length === 0) throw invalid(text);
  const query = expression();
  if (at !== tokens.length) throw invalid(text);
  return query;
}
