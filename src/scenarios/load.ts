/**
 * Loads and validates scenarios.yaml. Every mistake is reported as `file:line:column: path:
 * message`, where the path is the YAML path (`scenarios[0].steps[2].checks[0].check`) and, for
 * enums and ids, the message lists the valid choices.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { EngineError } from './errors.js';
import { scenariosFileSchema, type ScenarioFile } from './schema.js';

/** The scenarios.yaml shipped with the package (next to package.json). */
export const DEFAULT_SCENARIOS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scenarios.yaml');

export interface LoadedScenarios extends ScenarioFile {
  file: string;
}

type PathKey = string | number;

function formatPath(p: readonly PathKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '') || '(root)';
}

/** The deepest node along the path that exists, and its source offset. */
function locate(doc: Document, p: readonly PathKey[]): number {
  for (let n = p.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
    if (isNode(node) && node.range) {
      // For a key that exists, point at the key itself rather than its value
      if (n === p.length && n > 0) {
        const parent = n === 1 ? doc.contents : doc.getIn(p.slice(0, n - 1), true);
        const items = (parent as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> })?.items;
        const pair = items?.find((it) => it.key && (it.key as { value?: unknown }).value === p[n - 1]);
        if (pair?.key?.range) return pair.key.range[0];
      }
      return node.range[0];
    }
  }
  return 0;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): { path: PathKey[]; message: string } {
  const p = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const disc = String(issue.discriminator);
    const objPath = p[p.length - 1] === disc ? p.slice(0, -1) : p;
    let obj: unknown = data;
    for (const k of objPath) obj = (obj as Record<PathKey, unknown> | undefined)?.[k];
    const got = (obj as Record<string, unknown> | undefined)?.[disc];
    const options = (issue as unknown as { options?: unknown[] }).options;
    const valid = Array.isArray(options) && options.length ? ` (valid: ${options.join(', ')})` : '';
    return {
      path: [...objPath, disc],
      message: got === undefined ? `missing "${disc}"${valid}` : `unknown ${disc} "${String(got)}"${valid}`,
    };
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return { path: p, message: `${issue.message.replace(/^Invalid (option|input): expected one of .*$/, 'invalid value')} (valid: ${issue.values.map(String).join(', ')})` };
  }
  if (issue.code === 'unrecognized_keys') {
    return { path: [...p, issue.keys[0]!], message: `unknown field "${issue.keys.join('", "')}"` };
  }
  if (issue.code === 'invalid_type') {
    let actual: unknown = data;
    for (const k of p) actual = (actual as Record<PathKey, unknown> | undefined)?.[k];
    if (actual === undefined) return { path: p, message: `required field is missing (expected ${issue.expected})` };
    const got = Array.isArray(actual) ? 'a list' : actual === null ? 'null' : typeof actual === 'object' ? 'a mapping (quote text that contains ": ")' : `a ${typeof actual}`;
    return { path: p, message: `expected ${issue.expected}, got ${got}` };
  }
  return { path: p, message: issue.message };
}

/** Parses and validates scenarios text; `file` is used only in messages. */
export function parseScenarios(text: string, file: string): LoadedScenarios {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const msg = e.message.split('\n')[0] ?? e.message;
    throw new EngineError('CONFIG_INVALID', `${where(e.pos[0])}: YAML syntax error: ${msg}`);
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const result = scenariosFileSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((i) => describeIssue(i, data));
    const lines = issues.map((i) => `${where(locate(doc, i.path))}: ${formatPath(i.path)}: ${i.message}`);
    const more = lines.length > 1 ? ` (and ${lines.length - 1} more: ${lines.slice(1, 4).join(' | ')})` : '';
    throw new EngineError('CONFIG_INVALID', `${lines[0]}${more}`, lines);
  }
  return { ...result.data, file };
}

/** Reads and validates a scenarios file. */
export function loadScenarios(file: string = process.env.ECS_LAB_SCENARIOS || DEFAULT_SCENARIOS_FILE): LoadedScenarios {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineError('CONFIG_INVALID', `${file}: cannot read the scenarios file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  return parseScenarios(text, path.relative(process.cwd(), file) || file);
}
