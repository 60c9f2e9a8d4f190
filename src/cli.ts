#!/usr/bin/env node
/**
 * `ecs-lab`: the command-line adapter. Parses arguments, runs one command, maps errors to the
 * exit codes of CONTRACT §3 with a one-line message, and never prints a stack trace unless
 * ECS_LAB_DEBUG is set.
 */
import { readFileSync } from 'node:fs';
import { parseCli, USAGE } from './cli/args.js';
import type { Io } from './cli/commands.js';
import { toEngineError } from './scenarios/errors.js';

// The @aws-sdk versions are pinned (package.json); their Node 22 notice concerns later releases.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Ink's colour library ignores NO_COLOR; FORCE_COLOR=0 it honours. Set before Ink loads, so
 * NO_COLOR, --no-color and TERM=dumb all mean no colour in the terminal UI too.
 */
export function bridgeNoColor(env: Record<string, string | undefined>, noColorFlag: boolean): void {
  if (noColorFlag || env.NO_COLOR !== undefined || env.TERM === 'dumb') env.FORCE_COLOR = '0';
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the CLI and returns the exit code (exported for tests). */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args.flags.version) {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (args.flags.help || args.command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    // Each path loads only what it needs: `ecs-lab sandbox` never loads the engine, and the
    // engine commands load the sandbox only when the local target has to start one.
    if (args.command === 'sandbox') return await (await import('./cli/sandbox.js')).runSandboxCommand(args, io);
    if (args.command === 'bot') return await (await import('./cli/bot.js')).runBotCommand(args, io);
    // Bare `ecs-lab` on a terminal opens the terminal UI; without one, the CLI lists scenarios.
    if (!args.command && !args.flags.json && io.stdout.isTTY && io.stdin.isTTY) {
      bridgeNoColor(process.env, args.flags.noColor);
      return await (await import('./tui.js')).runTui(args, io);
    }
    return await (await import('./cli/commands.js')).runEngineCommand(args, io);
  } catch (err) {
    const e = toEngineError(err);
    io.stderr.write(`ecs-lab: ${e.message}\n`);
    if (io.env.ECS_LAB_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return e.exitCode;
  }
}

const isEntry = process.argv[1] && new URL(import.meta.url).pathname === (await import('node:fs')).realpathSync(process.argv[1]);
if (isEntry) {
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
  process.exitCode = code;
}
