#!/usr/bin/env node
/**
 * `ecs-lab`: the command-line adapter (src/cli/run.ts), with every command. The installed
 * `ecs-lab` is dist/bin.cjs (src/bin.ts), which sends `ecs-lab sandbox` to the sandbox bundle and
 * everything else here.
 */
import { readFileSync } from 'node:fs';
import type { Io } from './cli/commands.js';
import { runCli } from './cli/run.js';

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
export function main(argv: string[], io: Io): Promise<number> {
  // Each path loads only what it needs: `ecs-lab sandbox` never loads the engine, and the
  // engine commands load the sandbox only when the local target has to start one.
  return runCli(
    argv,
    io,
    {
      sandbox: async (args, io) => (await import('./cli/sandbox.js')).runSandboxCommand(args, io),
      bot: async (args, io) => (await import('./cli/bot.js')).runBotCommand(args, io),
      tui: async (args, io) => {
        bridgeNoColor(process.env, args.flags.noColor);
        return (await import('./tui.js')).runTui(args, io);
      },
      engine: async (args, io) => (await import('./cli/commands.js')).runEngineCommand(args, io),
    },
    version,
  );
}

const isEntry = process.argv[1] && new URL(import.meta.url).pathname === (await import('node:fs')).realpathSync(process.argv[1]);
if (isEntry) {
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
  process.exitCode = code;
}
