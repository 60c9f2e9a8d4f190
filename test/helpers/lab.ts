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

export async function startLab(opts: { account?: string } = {}): Promise<Lab> {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-lab-'));
  const key = opts.account ?? '000000000000';
  const env: Record<string, string> = {
    ECS_LAB_HOME: home,
    ECS_LAB_LOCAL_PORT: String(sandbox.port),
    ECS_LAB_LEARNER: 'tester',
    AWS_REGION: 'us-east-1',
  };
  const shellEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? home,
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ACCESS_KEY_ID: key === '000000000000' ? 'test' : key,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
  };
  const lab: Lab = {
    url: sandbox.url,
    env,
    clientConfig: { endpoint: sandbox.url, region: 'us-east-1', credentials: { accessKeyId: shellEnv.AWS_ACCESS_KEY_ID, secretAccessKey: 'test' } },
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
      return exec('bash', ['-euo', 'pipefail', '-c', command], { env: shellEnv, maxBuffer: 10 * 1024 * 1024 });
    },
    close: () => sandbox.close(),
  };
  return lab;
}
