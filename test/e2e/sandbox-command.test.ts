/**
 * `ecs-lab sandbox` as a learner runs it: the built binary in the foreground, the AWS CLI against
 * it, a clean stop on SIGTERM (exit 0), and the state still there after a restart.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/moto.js';

const run = promisify(execFile);
const bin = new URL('../../dist/cli.js', import.meta.url).pathname;

async function startCommand(port: number, data: string): Promise<{ child: ChildProcess; stdout: () => string }> {
  const child = spawn(process.execPath, [bin, 'sandbox', '--port', String(port), '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/_ecs-lab/health`);
      if (res.ok) return { child, stdout: () => out };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the sandbox did not answer');
}

const stop = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  child.once('exit', (code) => resolve(code));
  child.kill('SIGTERM');
});

describe('ecs-lab sandbox', () => {
  it('serves the AWS CLI, stops cleanly on SIGTERM and keeps its state across a restart', async () => {
    const port = await freePort();
    const data = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-sandbox-'));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '111122223333', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', `http://127.0.0.1:${port}`, '--output', 'json', ...args], { env });

    const first = await startCommand(port, data);
    expect(first.stdout()).toContain(`export AWS_ENDPOINT_URL=http://127.0.0.1:${port}`);
    expect(first.stdout()).toMatch(/older than 2\.13 \(v2\) or 1\.29 \(v1\) ignores AWS_ENDPOINT_URL/);
    await aws('ecs', 'create-cluster', '--cluster-name', 'survives-restart');
    expect(await stop(first.child)).toBe(0);

    const second = await startCommand(port, data);
    const { stdout } = await aws('ecs', 'describe-clusters', '--clusters', 'survives-restart');
    const cluster = JSON.parse(stdout).clusters[0];
    expect(cluster).toMatchObject({ clusterName: 'survives-restart', status: 'ACTIVE' });
    expect(cluster.clusterArn).toContain(':111122223333:');
    expect(await stop(second.child)).toBe(0);
  });
});
