/**
 * The real bot (HTTPReceiver on a free port, lab worker, embedded sandbox with SigV4) against the
 * fake Slack, with every audit and log line captured.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/app.js';
import { loadBotConfig, type BotConfig } from '../../src/bot/config.js';
import { loadScenarios } from '../../src/scenarios/load.js';
import { plantedSecrets } from '../../src/scenarios/secrets.js';
import { buttonPayload, homeOpenedBody, postSigned, slashBody, startFakeSlack, type ApiCall, type FakeSlack, type SignedResponse, type Who } from './fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const FACILITATOR = 'UFACIL01';

export interface TestBot {
  bot: RunningBot;
  fake: FakeSlack;
  url: string;
  config: BotConfig;
  home: string;
  auditLines: string[];
  logLines: string[];
  /** response_url id -> the user whose command or click it belongs to. */
  ridOwner: Map<string, string>;
  /** `/ecslab <text>` as `who`; returns the ack and the response_url id it used. */
  command(who: Who, text: string): Promise<{ ack: SignedResponse; rid: string }>;
  /** A button click (on a message with a fresh or given response_url, or in App Home). */
  button(who: Who, actionId: string, value: string, where?: { rid?: string; home?: boolean }, extra?: Record<string, unknown>): Promise<{ ack: SignedResponse; rid?: string }>;
  homeOpened(who: Who): Promise<SignedResponse>;
  /** Waits until queued work, App Home and leaderboard updates are done. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

function collector(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

let counter = 0;

export async function startTestBot(env: Record<string, string> = {}, fake?: FakeSlack): Promise<TestBot> {
  const slack = fake ?? (await startFakeSlack());
  const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-bot-'));
  const config = loadBotConfig(
    { http: true, port: '0', host: '127.0.0.1' },
    {
      SLACK_BOT_TOKEN: 'xoxb-test-token-not-secret-in-tests',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ECS_LAB_HOME: home,
      ECS_LAB_SANDBOX_PORT: '0',
      ECS_LAB_FACILITATORS: FACILITATOR,
      ECS_LAB_BOARD_DEBOUNCE_MS: '30',
      ECS_LAB_HOME_DEBOUNCE_MS: '10',
      AWS_REGION: 'us-east-1',
      ...env,
    },
  );
  const auditLines: string[] = [];
  const logLines: string[] = [];
  const bot = await startBot(config, { auditDest: collector(auditLines), logDest: collector(logLines), retries: 0 });
  const url = `http://127.0.0.1:${bot.port}`;
  const form = 'application/x-www-form-urlencoded';
  const ridOwner = new Map<string, string>();
  return {
    ridOwner,
    bot,
    fake: slack,
    url,
    config,
    home,
    auditLines,
    logLines,
    async command(who, text) {
      const rid = `cmd-${who.user}-${++counter}`;
      ridOwner.set(rid, who.user);
      const ack = await postSigned(url, SIGNING_SECRET, slashBody(who, text, slack.responseUrl(rid)), form);
      return { ack, rid };
    },
    async button(who, actionId, value, where = {}, extra = {}) {
      const rid = where.home ? undefined : (where.rid ?? `btn-${who.user}-${++counter}`);
      if (rid && !ridOwner.has(rid)) ridOwner.set(rid, who.user);
      const body = buttonPayload(who, { action_id: actionId, value }, rid ? { responseUrl: slack.responseUrl(rid) } : { home: true }, extra);
      const ack = await postSigned(url, SIGNING_SECRET, body, form);
      return { ack, rid };
    },
    homeOpened: (who) => postSigned(url, SIGNING_SECRET, homeOpenedBody(who), 'application/json'),
    settle: () => bot.runtime.settle(),
    async stop() {
      await bot.stop();
      if (!fake) await slack.close();
    },
  };
}

/** Every planted secret value of the scenarios (they must never reach Slack or a log). */
export function plantedValues(): string[] {
  const loaded = loadScenarios();
  return [...loaded.shared.resources, ...loaded.scenarios.flatMap((s) => s.resources)].flatMap((r) => plantedSecrets(r));
}

/** The secret of every key the bot's sandbox holds now, with the Slack user it was issued to. */
export function issuedSecrets(t: TestBot): Array<{ secret: string; user: string; accessKeyId: string }> {
  const file = path.join(t.config.lab.sandbox!.dataDir!, 'keys.json');
  if (!existsSync(file)) return [];
  const keys = (JSON.parse(readFileSync(file, 'utf8')) as { keys: Record<string, { secret: string }> }).keys;
  const db = new Database(t.config.lab.storeFile, { readonly: true });
  const rows = db.prepare('SELECT learner, access_key_id FROM sandbox_keys').all() as Array<{ learner: string; access_key_id: string }>;
  db.close();
  return rows
    .filter((r) => keys[r.access_key_id])
    .map((r) => ({ secret: keys[r.access_key_id]!.secret, user: r.learner.split(':')[1]!, accessKeyId: r.access_key_id }));
}

/** Who a recorded payload was shown to, when the fake can tell; `channel` for anything public. */
function audienceOf(t: TestBot, item: { kind: 'api'; call: ApiCall } | { kind: 'response'; rid: string; body: Record<string, unknown> } | { kind: 'upload' }): string {
  if (item.kind === 'upload') return 'channel';
  if (item.kind === 'response') return item.body.response_type === 'in_channel' ? 'channel' : (t.ridOwner.get(item.rid) ?? 'unknown');
  const a = item.call.args;
  switch (item.call.method) {
    case 'chat.postEphemeral':
      return String(a.user);
    case 'chat.postMessage':
      return /^[UW]/.test(String(a.channel)) ? String(a.channel) : 'channel';
    case 'views.publish':
      return String(a.user_id);
    case 'views.open':
      return String(a.trigger_id).split('-')[1]!;
    case 'views.update':
      return String(a.view_id).replace(/^VMODAL-/, '');
    default:
      return 'channel';
  }
}

/**
 * Scans every recorded Slack payload and every audit and log line. Planted secrets: nowhere.
 * Issued secret keys (current ones, plus `past` ones a test saw before rotating): only in a
 * credentials message or modal shown to their own user; never in a log line, nor any key id.
 */
export function expectNoLeaks(t: TestBot, past: Array<{ secret: string; user: string }> = []): { scanned: number; secrets: number } {
  const planted = plantedValues();
  const issued = [...issuedSecrets(t), ...past];
  if (planted.length === 0 || issued.length === 0) throw new Error('nothing to scan for: the test did not plant or issue any secret');
  const items = [
    ...t.fake.calls.map((call) => ({ raw: call.raw, audience: audienceOf(t, { kind: 'api', call }) })),
    ...t.fake.responses.map((r) => ({ raw: r.raw, audience: audienceOf(t, { kind: 'response', rid: r.id, body: r.body }) })),
    ...t.fake.uploads.map((u) => ({ raw: u.raw, audience: audienceOf(t, { kind: 'upload' }) })),
  ];
  const decoded = (raw: string) => {
    try {
      return decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      return raw;
    }
  };
  for (const item of items) {
    const text = `${item.raw}\n${decoded(item.raw)}`;
    for (const p of planted) expect(text.includes(p), `a planted secret reached Slack: ${item.raw.slice(0, 200)}`).toBe(false);
    for (const k of issued) {
      if (!text.includes(k.secret)) continue;
      expect(item.audience, 'an issued secret key was shown to someone other than its owner').toBe(k.user);
      expect(text, 'an issued secret key appeared outside a credentials message').toMatch(/AWS_SECRET_ACCESS_KEY|Sandbox credentials/);
    }
  }
  for (const line of [...t.auditLines, ...t.logLines]) {
    for (const p of planted) expect(line.includes(p), `a planted secret reached a log line: ${line}`).toBe(false);
    for (const k of issued) expect(line.includes(k.secret), `an issued secret reached a log line: ${line}`).toBe(false);
    expect(line, 'an access key id reached a log line').not.toMatch(/AKIA[A-Z2-7]{16}/);
  }
  return { scanned: items.length + t.auditLines.length + t.logLines.length, secrets: issued.length };
}

/** Audit entries, parsed. */
export function auditEntries(t: TestBot): Array<Record<string, unknown>> {
  return t.auditLines.map((l) => JSON.parse(l) as Record<string, unknown>);
}
