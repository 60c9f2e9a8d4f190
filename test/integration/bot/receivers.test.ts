/**
 * The receivers: HTTP (signature and replay checks by Bolt's HTTPReceiver, /healthz) and Socket
 * Mode (the app token opens the connection through the configured Web API), and the one-line
 * start-up errors of `ecs-lab bot`.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../../src/bot/app.js';
import { loadBotConfig } from '../../../src/bot/config.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from '../../helpers/bot.js';
import { buttonPayload, postSigned, slashBody, startFakeSlack } from '../../helpers/fake-slack.js';
import { runCli } from '../../helpers/run-cli.js';

describe('HTTP receiver', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: 'ecs-lab-bot' });
  });

  it('rejects a bad signature and a stale timestamp with 401, running nothing', async () => {
    const calls = t.fake.calls.length;
    const body = slashBody({ user: 'UALICE01' }, 'creds', t.fake.responseUrl('forged'));
    const form = 'application/x-www-form-urlencoded';
    expect((await postSigned(t.url, SIGNING_SECRET, body, form, { signature: 'v0=' + '0'.repeat(64) })).status).toBe(401);
    expect((await postSigned(t.url, 'another-secret', body, form)).status).toBe(401);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect((await postSigned(t.url, SIGNING_SECRET, body, form, { timestamp: tenMinutesAgo })).status).toBe(401);
    const button = buttonPayload({ user: 'UALICE01' }, { action_id: 'lab_check', value: 'secrets' }, { responseUrl: t.fake.responseUrl('forged') });
    expect((await postSigned(t.url, 'another-secret', button, form)).status).toBe(401);
    await t.settle();
    expect(t.fake.responsesTo('forged')).toEqual([]);
    expect(t.fake.calls.length).toBe(calls);
    expect(t.auditLines).toEqual([]);
  });

  it('acknowledges a correctly signed command with 200', async () => {
    const { ack } = await t.command({ user: 'UALICE01' }, 'help');
    expect(ack.status).toBe(200);
  });
});

describe('Socket Mode', () => {
  it('opens its connection with the app token through SLACK_API_URL', async () => {
    const fake = await startFakeSlack();
    fake.on('apps.connections.open', () => ({ ok: false, error: 'invalid_auth' }));
    const config = loadBotConfig(
      { socket: true },
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test-app-token',
        SLACK_API_URL: fake.apiUrl,
        ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-socket-')),
        ECS_LAB_SANDBOX_PORT: '0',
      },
    );
    expect(config.mode).toBe('socket');
    await expect(startBot(config, { retries: 0, auditDest: new PassThrough(), logDest: new PassThrough() })).rejects.toThrow(/invalid_auth/);
    const open = fake.callsTo('apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]!.authorization).toBe('Bearer xapp-test-app-token');
    await fake.close();
  });
});

describe('ecs-lab bot start-up errors', () => {
  it('names every missing setting in one line and exits 2', async () => {
    const http = await runCli(['bot'], { ECS_LAB_HOME: '/nonexistent' });
    expect(http.code).toBe(2);
    expect(http.stderr).toBe('ecs-lab: ecs-lab bot (HTTP mode) needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET in the environment (see README, "Slack bot").\n');
    const socket = await runCli(['bot', '--socket'], { SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(socket.code).toBe(2);
    expect(socket.stderr).toBe('ecs-lab: ecs-lab bot (Socket mode) needs SLACK_APP_TOKEN in the environment (see README, "Slack bot").\n');
    const aws = await runCli(['bot', '--target', 'aws'], { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(aws.code).toBe(2);
    expect(aws.stderr.trim().split('\n')).toHaveLength(1);
    expect(aws.stderr).toContain('ECS_LAB_LEARNERS');
  });

  it('refuses to start when the learners file cannot be read', async () => {
    const r = await runCli(['bot', '--target', 'aws', '--allow-account', '123456789012'], {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      ECS_LAB_LEARNERS: '/nonexistent/learners.yaml',
      ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-aws-')),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ecs-lab: /nonexistent/learners.yaml: cannot read the learners file (ENOENT).\n');
  });
});
