/** `ecs-lab sandbox`: runs the embedded AWS-compatible sandbox in the foreground. */
import path from 'node:path';
import { resolveHome } from '../aws/target.js';
import { EngineError } from '../scenarios/errors.js';
import type { ParsedArgs } from './args.js';
import type { Io } from './commands.js';
import { runCli } from './run.js';

/** The lines a learner pastes into a shell so the AWS CLI talks to the sandbox. */
export function exportLines(url: string, region: string, accessKey = 'test', secretKey = 'test'): string[] {
  return [
    `export AWS_ENDPOINT_URL=${url}`,
    `export AWS_ACCESS_KEY_ID=${accessKey}`,
    `export AWS_SECRET_ACCESS_KEY=${secretKey}`,
    `export AWS_REGION=${region}`,
    `# AWS CLI older than 2.13 (v2) or 1.29 (v1) ignores AWS_ENDPOINT_URL: add --endpoint-url ${url} to each command.`,
  ];
}

/**
 * The sandbox server, loaded on demand: the other commands never pay for it (the build's
 * code-cache warm-up starts it through this too).
 */
export const loadServer = () => import('../sandbox/index.js');

export async function runSandboxCommand(args: ParsedArgs, io: Io): Promise<number> {
  const port = args.flags.port === undefined ? 4566 : Number(args.flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EngineError('USAGE', `--port ${args.flags.port} is not a port number.`);
  const auth = args.flags.auth ?? 'open';
  if (auth !== 'open' && auth !== 'sigv4') throw new EngineError('USAGE', `--auth ${auth} is not valid (valid: open, sigv4).`);
  const dataDir = args.flags.data ?? path.join(resolveHome(io.env), 'sandbox');
  const { startSandbox } = await loadServer();
  const handle = await startSandbox({ port, host: args.flags.host ?? '127.0.0.1', dataDir, auth });
  io.stderr.write(`ecs-lab sandbox listening on ${handle.url} (auth ${auth}, data ${dataDir})\n`);
  for (const line of exportLines(handle.url, io.env.AWS_REGION || 'us-east-1')) io.stdout.write(`${line}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await handle.close();
  io.stderr.write('ecs-lab sandbox stopped.\n');
  return 0;
}

/**
 * `ecs-lab sandbox ...` as the installed `ecs-lab` runs it from the bundle (src/bin.ts): the
 * same flow as src/cli.ts, with this command alone (the bin sends nothing else here).
 */
export function runSandboxCli(argv: string[], io: Io, version: () => string): Promise<number> {
  const elsewhere = () => Promise.reject(new Error('only `ecs-lab sandbox` runs from the sandbox bundle'));
  return runCli(argv, io, { sandbox: runSandboxCommand, bot: elsewhere, tui: elsewhere, engine: elsewhere }, version);
}
