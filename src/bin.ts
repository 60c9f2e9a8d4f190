/**
 * The installed `ecs-lab` (package.json "bin"): scripts/build-sandbox.ts builds this file as
 * CommonJS into dist/bin.cjs.
 *
 * `ecs-lab sandbox ...` goes straight to the sandbox bundle, with V8's code cache
 * (cli/sandbox-boot.ts, built as dist/sandbox-bundle/boot.cjs): a CommonJS entry spares Node.js
 * its ES module loader, ~10 ms of every start here, and the bundle holds the argument parser and
 * error mapping too (cli/run.ts). Every other command imports the ES module CLI (dist/cli.js), as
 * `node dist/cli.js` would run it.
 *
 * Runs as CommonJS only: `__dirname` is dist/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Io } from './cli/commands.js';
import type * as SandboxBoot from './cli/sandbox-boot.js';

const argv = process.argv.slice(2);
const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  // Opened only by a command that reads it.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
};

function version(): string {
  return (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

function run(): Promise<number> {
  if (argv[0] !== 'sandbox') return import('./cli.js').then((cli) => cli.main(argv, io));
  // The boot loader the bundle uses for its schemas files too (one set of code caches).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const boot = require('./sandbox-bundle/boot.cjs') as typeof SandboxBoot;
  return boot.sandboxBundleFor(path.join(__dirname, 'sandbox-bundle'), io).runSandboxCli(argv, io, version);
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  // Only a broken installation lands here (the CLI maps every command error to its exit code).
  (err: unknown) => {
    io.stderr.write(`ecs-lab: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    if (io.env.ECS_LAB_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);
