/**
 * runTui as `ecs-lab` runs it, on fake terminal streams: a mistake in scenarios.yaml is the
 * one-line file:line error; with nothing on the local port the embedded sandbox starts in-process,
 * answers the AWS CLI's endpoint while the UI runs, and stops (state kept) when the learner quits.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseCli } from '../cli/args.js';
import type { Io } from '../cli/commands.js';
import { FakeStdin, FakeStdout, plain } from '../../test/helpers/fake-tty.js';
import { freePort } from '../../test/helpers/moto.js';
import { runTui } from './main.js';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
/** The fake terminal as the CLI's streams. */
function io(stdout: FakeStdout, stdin: FakeStdin, onErr: (s: string) => void, env: Io['env']): Io {
  return { stdout: stdout as unknown as Io['stdout'], stdin: stdin as unknown as Io['stdin'], stderr: { write: (s: string) => (onErr(s), true) } as unknown as Io['stderr'], env };
}

async function until(what: () => boolean, describe: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('runTui', () => {
  it('reports a mistake in scenarios.yaml as one line with its place, and exit code 2', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-tui-main-'));
    const bad = path.join(home, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nscenarios:\n  - id: demo\n    case: one\n');
    let err = '';
    const code = await runTui(
      parseCli([]),
      io(new FakeStdout(), new FakeStdin(), (s) => (err += s), { ECS_LAB_HOME: home, ECS_LAB_SCENARIOS: bad }),
      { root: ROOT },
    );
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^ecs-lab: .*bad\.yaml:4:5: scenarios\[0\]\.case: expected number/);
  });

  it('starts the sandbox in-process when nothing answers, draws the list, and stops the sandbox on q with its state kept', async () => {
    // Ink draws nothing live when CI is set (it is, in .ci/run); a learner's terminal has no CI.
    // Ink reads it when first imported, which runTui does below.
    const ci = process.env.CI;
    delete process.env.CI;
    onTestFinished(() => {
      if (ci !== undefined) process.env.CI = ci;
    });
    const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-tui-main-'));
    const port = await freePort();
    const stdout = new FakeStdout();
    const stdin = new FakeStdin();
    let err = '';
    const running = runTui(
      parseCli([]),
      io(stdout, stdin, (s) => (err += s), { ECS_LAB_HOME: home, ECS_LAB_LOCAL_PORT: String(port), ECS_LAB_LEARNER: 'alice' }),
      { root: ROOT },
    );
    await until(() => plain(stdout.out).includes(`local sandbox 127.0.0.1:${port}`), () => plain(stdout.out).slice(-2000));
    expect(stdout.out.startsWith('\u001b[?1049h')).toBe(true);
    expect(plain(stdout.out)).toContain('Overall');
    const health = await fetch(`http://127.0.0.1:${port}/_ecs-lab/health`);
    expect(health.ok).toBe(true);
    stdin.press('q');
    expect(await running).toBe(0);
    expect(stdout.out.endsWith('\u001b[?1049l')).toBe(true);
    expect(err).toContain(`progress saved in ${path.join(home, 'state.db')}`);
    expect(err).toContain('the sandbox started for this session stopped');
    await expect(fetch(`http://127.0.0.1:${port}/_ecs-lab/health`)).rejects.toThrow();
    expect(existsSync(path.join(home, 'sandbox'))).toBe(true);
    // the validated scenarios were cached for the next start
    expect(readdirSync(path.join(home, 'cache')).some((f) => f.startsWith('scenarios-'))).toBe(true);
  });
});
