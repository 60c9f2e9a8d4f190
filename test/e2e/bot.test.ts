/**
 * `ecs-lab bot` as an operator runs it: the built binary in HTTP mode against a fake Slack Web
 * API, signed slash commands from two learners, the AWS CLI with a learner's own credentials
 * against the sandbox the bot hosts, a clean stop on SIGTERM (exit 0), and the audit log on stdout.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned, slashBody, startFakeSlack, type FakeSlack, type ResponsePost } from '../helpers/fake-slack.js';
import { freePort } from '../helpers/moto.js';

const run = promisify(execFile);
const bin = new URL('../../dist/cli.js', import.meta.url).pathname;
const SECRET = 'e2e-signing-secret';

let fake: FakeSlack;
let child: ChildProcess;
let url: string;
let stdout = '';
let stderr = '';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

let n = 0;
/** `/ecslab <text>`; resolves with the post that replaced the working note. */
async function command(user: string, text: string): Promise<ResponsePost> {
  const rid = `e2e-${++n}`;
  const ack = await postSigned(url, SECRET, slashBody({ user }, text, fake.responseUrl(rid)), 'application/x-www-form-urlencoded');
  expect(ack.status).toBe(200);
  return until(`the result of ${text}`, () => fake.responsesTo(rid)[0]);
}

beforeAll(async () => {
  fake = await startFakeSlack();
  const port = await freePort();
  const sandboxPort = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [bin, 'bot', '--http', '--port', String(port), '--host', '127.0.0.1'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SLACK_BOT_TOKEN: 'xoxb-e2e',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-bot-e2e-')),
      ECS_LAB_SANDBOX_PORT: String(sandboxPort),
      AWS_REGION: 'us-east-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await until('the bot to answer /healthz', async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined));
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  return fake.close();
});

describe('ecs-lab bot (built binary)', () => {
  it('starts with one line naming its mode, sandbox and team', () => {
    expect(stderr).toMatch(/^ecs-lab bot: HTTP on port \d+ \(POST \/slack\/events, GET \/healthz\); sandbox at http:\/\/127\.0\.0\.1:\d+ \(auth sigv4, one account per learner\); team T0LAB\.\n/);
  });

  it('serves a learner end to end: creds for the AWS CLI, start, check', async () => {
    const creds = JSON.stringify((await command('UALICE01', 'creds')).body);
    const env = Object.fromEntries(
      [...creds.matchAll(/export (AWS_[A-Z_]+)=([^\s`"\\]+)/g)].map((m) => [m[1]!, m[2]!]),
    ) as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY']);
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', env.AWS_ENDPOINT_URL!, '--output', 'json', ...args], { env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...env, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' } });
    const who = JSON.parse((await aws('sts', 'get-caller-identity')).stdout) as { Account: string };
    expect(creds).toContain(`account \`${who.Account}\``);

    expect((await command('UALICE01', 'start capabilities')).body.text).toMatch(/is ready in your sandbox/);
    const clusters = JSON.parse((await aws('ecs', 'list-clusters')).stdout) as { clusterArns: string[] };
    expect(clusters.clusterArns.length).toBeGreaterThan(0);
    expect(clusters.clusterArns.every((arn) => arn.includes(`:${who.Account}:`))).toBe(true);

    const report = await command('UALICE01', 'check capabilities');
    expect(report.body).toMatchObject({ replace_original: true, text: expect.stringMatching(/^capabilities: \d+\/\d+ steps pass \(fail\)\.$/) });
    // another learner sees their own, empty account
    expect((await command('UBOB0001', 'check capabilities')).body.text).toMatch(/^capabilities: 0\/\d+ steps pass/);
  });

  it('stops cleanly on SIGTERM, with one audit line per command on stdout and no secret anywhere', async () => {
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stderr).toContain('ecs-lab bot stopped.');
    const audit = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit.map((a) => a.command)).toEqual(['creds', 'start', 'check', 'check']);
    expect(audit.every((a) => a.outcome === 'ok' && typeof a.durationMs === 'number')).toBe(true);
    const secret = /AWS_SECRET_ACCESS_KEY=([^\s`"\\]+)/.exec(JSON.stringify(fake.responses[0]!.body))![1]!;
    expect(stdout + stderr).not.toContain(secret);
    expect(stdout + stderr).not.toMatch(/AKIA[A-Z2-7]{16}|xoxb-e2e/);
  });

  it('refuses to start without its settings: one line, exit 2', async () => {
    const r = await run(process.execPath, [bin, 'bot', '--socket'], { env: { PATH: process.env.PATH, SLACK_BOT_TOKEN: 'xoxb-x' } }).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 2, stderr: 'ecs-lab: ecs-lab bot (Socket mode) needs SLACK_APP_TOKEN in the environment (see README, "Slack bot").\n' });
  });
});
