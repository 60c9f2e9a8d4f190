/**
 * The command-line flow shared by both entry points: parse, `--version`, `--help`, run one
 * command, and map any error to the exit codes of CONTRACT §3 with a one-line message (a stack
 * trace only when ECS_LAB_DEBUG is set).
 *
 * `src/cli.ts` runs it with every command; the `ecs-lab sandbox` bundle (scripts/build-sandbox.ts)
 * runs it with the sandbox command alone, so that command starts without the ES module CLI.
 */
import { parseCli, USAGE, type ParsedArgs } from './args.js';
import type { Io } from './commands.js';
import { toEngineError } from '../scenarios/errors.js';

/** How each command is run (loaded on demand by the caller). */
export interface Commands {
  sandbox(args: ParsedArgs, io: Io): Promise<number>;
  bot(args: ParsedArgs, io: Io): Promise<number>;
  /** Bare `ecs-lab` on a terminal: the terminal UI. */
  tui(args: ParsedArgs, io: Io): Promise<number>;
  /** Everything else: the engine commands (list, start, check, ...). */
  engine(args: ParsedArgs, io: Io): Promise<number>;
}

/** Runs the CLI and returns the exit code. */
export async function runCli(argv: string[], io: Io, commands: Commands, version: () => string): Promise<number> {
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
    if (args.command === 'sandbox') return await commands.sandbox(args, io);
    if (args.command === 'bot') return await commands.bot(args, io);
    // Bare `ecs-lab` on a terminal opens the terminal UI; without one, the CLI lists scenarios.
    if (!args.command && !args.flags.json && io.stdout.isTTY && io.stdin.isTTY) return await commands.tui(args, io);
    return await commands.engine(args, io);
  } catch (err) {
    const e = toEngineError(err);
    io.stderr.write(`ecs-lab: ${e.message}\n`);
    if (io.env.ECS_LAB_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return e.exitCode;
  }
}
