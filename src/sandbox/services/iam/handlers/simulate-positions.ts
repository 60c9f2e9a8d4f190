/**
 * Where each statement of a policy document sits, for the simulator's MatchedStatements
 * StartPosition/EndPosition: line and column (1-based) of a statement's `{`, and just past its `}`.
 * A single pass over the JSON text; documents that are not JSON objects yield no positions.
 */
import type { Position } from '@aws-sdk/client-iam';

/** The span of one statement. */
export interface StatementSpan {
  readonly start: Position;
  readonly end: Position;
}

const cache = new Map<string, StatementSpan[]>();
const CACHE_LIMIT = 500;

/** Spans of the statements of `document`, in Statement order (cached by text). */
export function statementPositions(document: string): StatementSpan[] {
  let spans = cache.get(document);
  if (!spans) {
    spans = scan(decode(document));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(document, spans);
  }
  return spans;
}

function decode(document: string): string {
  const trimmed = document.trimStart();
  if (trimmed.startsWith('{') || !trimmed.includes('%')) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

function scan(text: string): StatementSpan[] {
  const spans: StatementSpan[] = [];
  let line = 1;
  let column = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let token = '';
  let lastKey: string | undefined;
  /** Depth at which the Statement value opened (1 = a bare object, 2 = inside an array). */
  let statementDepth: number | undefined;
  let open: Position | undefined;
  for (const ch of text) {
    const here = { Line: line, Column: column };
    if (ch === '\n') {
      line += 1;
      column = 1;
    } else {
      column += 1;
    }
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      else token += ch;
      continue;
    }
    switch (ch) {
      case '"':
        inString = true;
        token = '';
        break;
      case ':':
        if (depth === 1) lastKey = token;
        break;
      case '{':
      case '[':
        depth += 1;
        if (depth === 2 && lastKey === 'Statement') statementDepth = ch === '[' ? 3 : 2;
        if (ch === '{' && statementDepth !== undefined && depth === statementDepth) open = here;
        break;
      case '}':
      case ']':
        if (ch === '}' && open && statementDepth !== undefined && depth === statementDepth) {
          spans.push({ start: open, end: { Line: here.Line, Column: here.Column + 1 } });
          open = undefined;
        }
        depth -= 1;
        if (depth === 1 && statementDepth !== undefined) {
          statementDepth = undefined;
          lastKey = undefined;
        }
        break;
      case ',':
        if (depth === 1) lastKey = undefined;
        break;
      default:
        break;
    }
  }
  return spans;
}
