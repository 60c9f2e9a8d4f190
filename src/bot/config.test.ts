import { describe, expect, it } from 'vitest';
import { BotConfigError, loadBotConfig } from './config.js';

const http = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh', ECS_LAB_HOME: '/tmp/lab' };

describe('loadBotConfig', () => {
  it('names every missing setting in one line, per mode', () => {
    expect(() => loadBotConfig({}, {})).toThrow('ecs-lab bot (HTTP mode) needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET in the environment');
    expect(() => loadBotConfig({ socket: true }, { SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow('ecs-lab bot (Socket mode) needs SLACK_APP_TOKEN in the environment');
    expect(() => loadBotConfig({}, { SLACK_BOT_TOKEN: 'xoxb-1', ECS_LAB_BOT_MODE: 'socket' })).toThrow(/Socket mode\) needs SLACK_APP_TOKEN/);
    let err: unknown;
    try {
      loadBotConfig({ http: true }, { SLACK_SIGNING_SECRET: 'the-signing-secret', SLACK_BOT_TOKEN: 'xoxp-the-user-token' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BotConfigError);
    expect((err as BotConfigError).exitCode).toBe(2);
    expect((err as Error).message).not.toMatch(/the-signing-secret|the-user-token|\n/);
  });

  it('chooses the mode by flag, else ECS_LAB_BOT_MODE, else HTTP', () => {
    expect(loadBotConfig({}, http)).toMatchObject({ mode: 'http', port: 3000 });
    expect(loadBotConfig({ http: true, port: '0' }, http)).toMatchObject({ mode: 'http', port: 0 });
    expect(loadBotConfig({ socket: true }, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toMatchObject({ mode: 'socket', appToken: 'xapp-1' });
    expect(() => loadBotConfig({ socket: true, http: true }, http)).toThrow('either --socket or --http');
    expect(() => loadBotConfig({ port: 'x' }, http)).toThrow('--port must be a whole number');
    expect(() => loadBotConfig({}, { ...http, SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow('bot token (xoxb-');
    expect(() => loadBotConfig({ socket: true }, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-1' })).toThrow('app-level token');
  });

  it('local target by default: its own sandbox under ECS_LAB_HOME, progress in state.db', () => {
    const c = loadBotConfig({}, { ...http, SLACK_API_URL: 'http://127.0.0.1:9/api', ECS_LAB_SANDBOX_PUBLIC_URL: 'https://lab.example.com' });
    expect(c.slackApiUrl).toBe('http://127.0.0.1:9/api/');
    expect(c.lab).toMatchObject({
      target: 'local',
      storeFile: '/tmp/lab/state.db',
      region: 'us-east-1',
      sandbox: { host: '127.0.0.1', port: 4566, dataDir: '/tmp/lab/bot-sandbox', publicUrl: 'https://lab.example.com' },
    });
  });

  it('aws target needs a learners file and allow-listed accounts; endpoint is refused', () => {
    expect(() => loadBotConfig({ target: 'aws' }, http)).toThrow('needs ECS_LAB_LEARNERS');
    expect(() => loadBotConfig({ target: 'aws' }, { ...http, ECS_LAB_LEARNERS: '/x.yaml' })).toThrow('needs ECS_LAB_ALLOWED_ACCOUNTS');
    expect(loadBotConfig({ target: 'aws', allowAccount: ['123456789012'] }, { ...http, ECS_LAB_LEARNERS: '/x.yaml' }).lab).toMatchObject({ target: 'aws', allowedAccounts: ['123456789012'] });
    expect(() => loadBotConfig({ target: 'endpoint' }, http)).toThrow('--target local');
  });

  it('rejects malformed ids and URLs by name', () => {
    expect(() => loadBotConfig({}, { ...http, ECS_LAB_FACILITATORS: 'alice' })).toThrow('ECS_LAB_FACILITATORS');
    expect(() => loadBotConfig({}, { ...http, ECS_LAB_FACILITATOR_GROUPS: 'admins' })).toThrow('ECS_LAB_FACILITATOR_GROUPS');
    expect(() => loadBotConfig({}, { ...http, ECS_LAB_ALLOWED_TEAMS: 'acme' })).toThrow('ECS_LAB_ALLOWED_TEAMS');
    expect(() => loadBotConfig({}, { ...http, SLACK_API_URL: 'not a url' })).toThrow('SLACK_API_URL is not a URL');
    expect(() => loadBotConfig({}, { ...http, ECS_LAB_ALLOWED_ACCOUNTS: '12' })).toThrow('12-digit');
  });
});
