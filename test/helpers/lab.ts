/**
 * A lab on the embedded sandbox for scenario tests: the sandbox runs in-process on a free port,
 * `ecs-lab` commands run through the CLI's main() against it as the local target, and the learner
 * acts through the real SDK v3 clients or the real AWS CLI.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startSandbox } from '../../src/sandbox/index.js';
import type { CheckReport } from '../../src/scenarios/report.js';
import { runCli, type CliResult } from './run-cli.js';

const exec = promisify(execFile);

export interface Lab {
  url: string;
  env: Record<string, string>;
  /** The credentials the learner uses (the sandbox account's own keys). */
  clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  cli(...args: string[]): Promise<CliResult>;
  check(id: string): Promise<CheckReport>;
  /** step id -> status */
  statuses(id: string): Promise<Record<string, string>>;
  /** Runs shell commands (a step's reference solution) with the AWS CLI pointed at the sandbox. */
  shell(command: string): Promise<{ stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/**
 * Without `endpoint`: the embedded sandbox in-process, used as the local target. With it: any
 * AWS-compatible endpoint (moto_server), used as the endpoint target.
 */
export async function startLab(opts: { account?: string; endpoint?: string } = {}): Promise<Lab> {
  const sandbox = opts.endpoint ? undefined : await startSandbox({ port: 0, host: '127.0.0.1' });
  const url = opts.endpoint ?? sandbox!.url;
  const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-lab-'));
  const key = opts.account ?? '000000000000';
  const env: Record<string, string> = {
    ECS_LAB_HOME: home,
    ECS_LAB_LEARNER: 'tester',
    AWS_REGION: 'us-east-1',
    ...(sandbox ? { ECS_LAB_LOCAL_PORT: String(sandbox.port) } : { AWS_ENDPOINT_URL: url }),
  };
  const shellEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? home,
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: key === '000000000000' ? 'test' : key,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
  };
  const lab: Lab = {
    url,
    env,
    clientConfig: { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: shellEnv.AWS_ACCESS_KEY_ID, secretAccessKey: 'test' } },
    cli: (...args) => runCli(args, env),
    async check(id) {
      const r = await lab.cli('check', id, '--json');
      if (!r.stdout) throw new Error(`check ${id} printed no report: ${r.stderr}`);
      return JSON.parse(r.stdout) as CheckReport;
    },
    async statuses(id) {
      const r = await lab.check(id);
      return Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
    },
    async shell(command) {
      // ECS_LAB_AWS_CLI selects another AWS CLI binary; versions before 2.13 / 1.29 ignore
      // AWS_ENDPOINT_URL, so the endpoint is passed on every call, as learners with them must.
      const cli = process.env.ECS_LAB_AWS_CLI;
      const prelude = cli ? `aws() { ${JSON.stringify(cli)} --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }\n` : '';
      return exec('bash', ['-euo', 'pipefail', '-c', prelude + command], { env: shellEnv, maxBuffer: 10 * 1024 * 1024 });
    },
    close: async () => {
      await sandbox?.close();
    },
  };
  return lab;
}
