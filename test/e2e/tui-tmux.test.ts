/**
 * The terminal UI in a real terminal: the built `ecs-lab` in a 100x30 tmux pane (CI unset, a
 * private tmux server, lab home and port), driven by keys, read by polling the pane. A learner
 * opens the app, starts a scenario, fixes one step with the AWS CLI from another process, checks,
 * sees the step turn to pass, and quits with exit code 0; the embedded sandbox the UI started
 * stops with it and the progress is there at the next start. NO_COLOR removes every colour.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/moto.js';

const run = promisify(execFile);
const root = path.resolve(new URL('../..', import.meta.url).pathname);
const socket = `ecs-lab-e2e-${process.pid}`;
const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args]);
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

let home: string;
let port: number;
let launches = 0;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-tui-e2e-'));
  port = await freePort();
});
afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
});

interface Pane {
  name: string;
  exitFile: string;
  screen(opts?: { escapes?: boolean }): Promise<string>;
  /** Polls the pane (every 100 ms) until it shows what is expected; fails with the last screen. */
  waitFor(expected: string | RegExp | ((screen: string) => boolean), what?: string): Promise<string>;
  press(...keys: string[]): Promise<void>;
  exitCode(): Promise<number>;
}

/** Starts `node dist/cli.js` in a new 100x30 pane; its exit code goes to a file. */
async function launch(extraEnv: Record<string, string> = {}): Promise<Pane> {
  const name = `tui${++launches}`;
  const exitFile = path.join(home, `${name}.exit`);
  const env = { HOME: home, ECS_LAB_HOME: home, ECS_LAB_LOCAL_PORT: String(port), ECS_LAB_LEARNER: 'e2e', TERM: 'xterm-256color', ...extraEnv };
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${sh(v)}`).join(' ');
  const command = `cd ${sh(root)} && env -u CI -u NO_COLOR -u FORCE_COLOR ${assignments} ${sh(process.execPath)} dist/cli.js; echo $? > ${sh(exitFile)}`;
  await tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', command);
  const pane: Pane = {
    name,
    exitFile,
    async screen(opts = {}) {
      return (await tmux('capture-pane', '-t', name, '-p', ...(opts.escapes ? ['-e'] : []))).stdout;
    },
    async waitFor(expected, what) {
      const test = typeof expected === 'function' ? expected : (s: string) => (typeof expected === 'string' ? s.includes(expected) : expected.test(s));
      const deadline = Date.now() + 60_000;
      let last = '';
      for (;;) {
        last = await pane.screen().catch(() => last);
        if (test(last)) return last;
        if (Date.now() > deadline) throw new Error(`the pane never showed ${what ?? String(expected)}; it shows:\n${last}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async press(...keys) {
      for (const k of keys) await tmux('send-keys', '-t', name, k);
    },
    async exitCode() {
      const deadline = Date.now() + 60_000;
      while (!existsSync(exitFile)) {
        if (Date.now() > deadline) throw new Error(`${name} did not exit; it shows:\n${await pane.screen().catch(() => '')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return Number(readFileSync(exitFile, 'utf8').trim());
    },
  };
  return pane;
}

/** The AWS CLI, as the learner types it in another terminal. */
const aws = (...args: string[]) =>
  run('aws', ['--endpoint-url', `http://127.0.0.1:${port}`, '--output', 'json', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
  });

const rowOf = (screen: string, text: string) => screen.split('\n').find((l) => l.includes(text)) ?? '';
const TRUNKING = 'ENI trunking for task density on EC2';

describe('ecs-lab terminal UI in tmux', () => {
  it('start a scenario, fix a step with the AWS CLI, check, see it pass, quit with 0', async () => {
    const tui = await launch();
    const list = await tui.waitFor(`local sandbox 127.0.0.1:${port}`, 'the list, connected to the sandbox it started');
    expect(list).toContain('Overall');
    expect(list).toMatch(/› +1 +patching/);
    expect(list).toContain('q quit');
    // colour is on without NO_COLOR
    expect(await tui.screen({ escapes: true })).toMatch(/\u001b\[[0-9;]*3[1-6]m/);

    await tui.press('3', 'Enter');
    await tui.waitFor('Press enter to start', 'the start offer of network-isolation');
    await tui.press('Enter');
    const started = await tui.waitFor('0 of 7 steps pass', 'the first check after starting');
    expect(started).toContain('Started: ');
    expect(rowOf(started, TRUNKING)).toContain('✖ fail');

    // another process, as the learner would from a second terminal
    await aws('ecs', 'put-account-setting-default', '--name', 'awsvpcTrunking', '--value', 'enabled');
    await tui.press('c');
    // The row turns as its step's checks finish; the summary line once the whole run has.
    const checked = await tui.waitFor((s) => rowOf(s, TRUNKING).includes('✔ pass') && s.includes('1 of 7 steps pass'), 'the trunking step turning to pass');
    expect(rowOf(checked, TRUNKING)).toContain('◆ changed, was fail');
    expect(rowOf(checked, 'Tasks get their own network interfaces')).toContain('✖ fail');

    await tui.press('q');
    expect(await tui.exitCode()).toBe(0);
    // the sandbox the UI started stopped with it
    await expect(fetch(`http://127.0.0.1:${port}/_ecs-lab/health`)).rejects.toThrow();
  });

  it('keeps the progress for the next start, and draws no colour with NO_COLOR', async () => {
    const tui = await launch({ NO_COLOR: '1' });
    const list = await tui.waitFor(`local sandbox 127.0.0.1:${port}`);
    expect(rowOf(list, 'network-isolation')).toMatch(/1\/7 +in progress/);
    const escaped = await tui.screen({ escapes: true });
    expect(escaped).not.toMatch(/\u001b\[[0-9;]*(3[0-7]|9[0-7]|1|2|7)m/);
    await tui.press('3', 'Enter');
    const scenario = await tui.waitFor('Case 3 · network-isolation');
    expect(scenario).toContain('1 of 7 steps passed at the last check');
    // a new check on the restarted sandbox: the fix of the first session is still there
    await tui.press('c');
    const rechecked = await tui.waitFor(/1 of 7 steps pass · checked/, 'a new check');
    expect(rowOf(rechecked, TRUNKING)).toContain('✔ pass');
    await tui.press('q');
    expect(await tui.exitCode()).toBe(0);
  });
});
