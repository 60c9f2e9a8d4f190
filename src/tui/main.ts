/**
 * `ecs-lab` on a terminal: paints the scenario list at once (validated scenarios come from a
 * cache, the check registries load only when first needed, Ink loads after the first frame), then
 * opens the target in the background, starting the embedded sandbox in-process when the local
 * target has none. Quitting restores the terminal, stops that sandbox (its state stays on disk)
 * and closes the progress store.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import type { Connection } from '../aws/connect.js';
import { credentialSource } from '../aws/credentials.js';
import { resolveHome, resolveLearner, resolveTargetSpec } from '../aws/target.js';
import type { ParsedArgs } from '../cli/args.js';
import type { Io } from '../cli/commands.js';
import { loadScenariosCached } from '../scenarios/cache.js';
import { createEngine } from '../scenarios/engine.js';
import { toEngineError } from '../scenarios/errors.js';
import { ProgressStore, storePath } from '../store/store.js';
import { firstFrame } from './first-frame.js';
import { LabSession } from './session.js';

export interface TuiOptions {
  /** The package root (scenarios.yaml, package.json). */
  root: string;
}

const ALT_SCREEN_ON = '\u001b[?1049h';
const ALT_SCREEN_OFF = '\u001b[?1049l';
const HOME_CLEAR = '\u001b[H\u001b[2J';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
/** Synchronized output: the terminal shows the clear and Ink's frame at once (ignored where unsupported). */
const BEGIN_SYNC = '\u001b[?2026h';

function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Sends console output to a log file while Ink owns the screen (a stray warning would tear the frame). */
function redirectConsole(file: string): () => void {
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) {
    console[m] = (...args: unknown[]) => {
      try {
        appendFileSync(file, `${new Date().toISOString()} ${m} ${format(...args)}\n`, { mode: 0o600 });
      } catch {
        /* nowhere to log: drop it rather than break the screen */
      }
    };
  }
  return () => methods.forEach((m, i) => (console[m] = saved[i]!));
}

/** Runs the terminal UI until the learner quits; returns the exit code. */
export async function runTui(args: ParsedArgs, io: Io, opts: TuiOptions): Promise<number> {
  const env = io.env;
  let store: ProgressStore | undefined;
  let setup;
  try {
    const spec = resolveTargetSpec(args.flags, env);
    const learner = resolveLearner(args.flags, env);
    const home = resolveHome(env);
    const file = env.ECS_LAB_SCENARIOS || path.join(opts.root, 'scenarios.yaml');
    const { scenarios } = await loadScenariosCached(file, path.join(home, 'cache'), packageVersion(opts.root));
    store = new ProgressStore(storePath(home));
    setup = { spec, learner, home, scenarios };
  } catch (err) {
    store?.close();
    const e = toEngineError(err);
    io.stderr.write(`ecs-lab: ${e.message}\n`);
    return e.exitCode;
  }
  const { spec, learner, home, scenarios } = setup;

  const connections: Array<Promise<Connection>> = [];
  const engine = createEngine({
    scenarios,
    store,
    learner,
    connect: () => {
      // loaded on demand: the first frame never waits for the SDK or the sandbox
      const c = import('../aws/connect.js').then((m) => m.connectTarget(spec, learner, env));
      connections.push(c);
      return c;
    },
  });
  const interval = Math.max(1, Number(args.flags.interval ?? env.ECS_LAB_WATCH_INTERVAL ?? 5) || 5);
  const session = new LabSession(engine, { watchIntervalMs: interval * 1000 });

  const stdout = io.stdout as NodeJS.WriteStream;
  const stdin = io.stdin as NodeJS.ReadStream;
  const screenReader = env.INK_SCREEN_READER === 'true';
  const fullScreen = Boolean(stdout.isTTY) && !screenReader;
  if (fullScreen) {
    const frame = firstFrame(engine.list(), { columns: stdout.columns || 80, rows: stdout.rows || 24, learner, color: env.FORCE_COLOR !== '0' });
    stdout.write(`${ALT_SCREEN_ON}${HIDE_CURSOR}${HOME_CLEAR}${frame}`);
    // keys typed before Ink is ready wait in stdin instead of being echoed
    stdin.setRawMode?.(true);
  }
  const restoreConsole = redirectConsole(path.join(home, 'tui.log'));

  let code = 0;
  let failure: string | undefined;
  try {
    const { runInkApp } = await import('./ink-app.js');
    await runInkApp({
      session,
      region: spec.region,
      credentials: credentialSource(spec, env),
      stdout,
      stdin,
      stderr: io.stderr as NodeJS.WriteStream,
      before: fullScreen ? `${BEGIN_SYNC}${HOME_CLEAR}` : undefined,
    });
  } catch (err) {
    code = 1;
    failure = toEngineError(err).message;
  } finally {
    session.dispose();
    restoreConsole();
    if (fullScreen) {
      stdin.setRawMode?.(false);
      stdout.write(`${SHOW_CURSOR}${ALT_SCREEN_OFF}`);
    }
  }

  // Stop what this run started: an in-process sandbox keeps its state on disk.
  let stoppedSandbox = false;
  for (const c of connections) {
    const conn = await c.catch(() => undefined);
    if (conn?.startedSandbox) stoppedSandbox = true;
    await conn?.close().catch(() => undefined);
  }
  const rows = engine.progress();
  store.close();
  const passed = rows.reduce((n, r) => n + r.passed, 0);
  const total = rows.reduce((n, r) => n + r.total, 0);
  if (failure) io.stderr.write(`ecs-lab: ${failure}\n`);
  io.stderr.write(`ecs-lab: ${passed}/${total} steps pass; progress saved in ${storePath(home)}.\n`);
  if (stoppedSandbox) io.stderr.write(`ecs-lab: the sandbox started for this session stopped; its state is kept in ${path.join(home, 'sandbox')}.\n`);
  return code;
}
