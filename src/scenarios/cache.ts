/**
 * A cache of validated scenarios for fast start-up. Validating scenarios.yaml (YAML parse plus the
 * zod schema built from every check and resource kind) takes most of a second; the terminal UI
 * must draw its first frame well before that. The validated result is stored as JSON under the
 * lab home, keyed by the file's path and content and by the code that validated it, so any edit of
 * the file or any new build validates again, and a mistake still fails with its file:line.
 *
 * This module imports nothing heavy: the loader and the schema load only on a miss.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from './errors.js';
import type { LoadedScenarios } from './load.js';

const PREFIX = 'scenarios-';

/** Identifies the code that validates: a rebuild (new mtime of this module's file) invalidates. */
function codeIdentity(): string {
  try {
    const st = statSync(fileURLToPath(import.meta.url));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'unknown';
  }
}

/** The cache key of a scenarios file's text. */
export function scenariosCacheKey(file: string, text: string, salt: string): string {
  return createHash('sha256').update(`${salt}\0${codeIdentity()}\0${path.resolve(file)}\0`).update(text).digest('hex').slice(0, 32);
}

export interface CachedLoad {
  scenarios: LoadedScenarios;
  /** True when the file was validated now (first run, or it changed since). */
  validated: boolean;
}

/**
 * Loads a scenarios file through the cache in `cacheDir`. `salt` should name the package version.
 * Errors of the file itself are thrown as the loader throws them (CONFIG_INVALID with file:line).
 */
export async function loadScenariosCached(file: string, cacheDir: string, salt: string): Promise<CachedLoad> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineError('CONFIG_INVALID', `${file}: cannot read the scenarios file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  const shown = path.relative(process.cwd(), file) || file;
  const name = `${PREFIX}${scenariosCacheKey(file, text, salt)}.json`;
  const cached = path.join(cacheDir, name);
  try {
    const data = JSON.parse(readFileSync(cached, 'utf8')) as Omit<LoadedScenarios, 'file'>;
    if (Array.isArray(data.scenarios) && data.scenarios.length > 0) return { scenarios: { ...data, file: shown }, validated: false };
  } catch {
    /* a miss, or an unreadable entry: validate again */
  }
  const { parseScenarios } = await import('./load.js');
  const scenarios = parseScenarios(text, shown);
  store(cacheDir, name, scenarios);
  return { scenarios, validated: true };
}

/** Writes the entry atomically and drops older ones; a read-only home only costs speed. */
function store(cacheDir: string, name: string, scenarios: LoadedScenarios): void {
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const { file: _file, ...data } = scenarios;
    const tmp = path.join(cacheDir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    renameSync(tmp, path.join(cacheDir, name));
    for (const old of readdirSync(cacheDir)) {
      if (old.startsWith(PREFIX) && old !== name) rmSync(path.join(cacheDir, old), { force: true });
    }
  } catch {
    /* not cached: the next start validates again */
  }
}
