/**
 * Entry of the terminal UI. `npm run build` bundles this file with Ink and React into one
 * dist/tui.js (scripts/build-tui.ts) so it loads in a fraction of the time hundreds of small ES
 * modules take; the engine parts it needs only later are split into dist/tui-chunks/.
 */
import { fileURLToPath } from 'node:url';
import type { ParsedArgs } from './cli/args.js';
import type { Io } from './cli/commands.js';
import { runTui as run } from './tui/main.js';

// One level below the package root both as src/tui.ts and as the bundle dist/tui.js.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs the terminal UI until the learner quits; returns the exit code. */
export function runTui(args: ParsedArgs, io: Io): Promise<number> {
  return run(args, io, { root: ROOT });
}

/** The interactive chunk (Ink, React, the App), as the app loads it; bench/tui measures it. */
export const loadInkApp = () => import('./tui/ink-app.js');
