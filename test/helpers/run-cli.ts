/** Runs the CLI's main() in-process with captured output. */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough() as unknown as NodeJS.ReadableStream & { isTTY?: boolean };
  const code = await main(args, {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    stdin,
    env,
  });
  return { code, stdout, stderr };
}
