import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION } from './blocks.js';
import { COMMAND } from './listeners/commands/index.js';

interface Manifest {
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    slash_commands: Array<{ command: string; url: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync(new URL('../../slack-app-manifest.yaml', import.meta.url), 'utf8')) as Manifest;
const sources = ['core.ts', 'responder.ts', 'app.ts', 'runtime/index.ts'].map((f) => readFileSync(new URL(`./${f}`, import.meta.url), 'utf8')).join('\n');

describe('slack-app-manifest.yaml', () => {
  it('declares the slash command, App Home, interactivity and the events the bot listens to', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(Object.values(ACTION).every((a) => a.startsWith('lab_'))).toBe(true);
  });

  it('points every URL at the one endpoint the HTTP receiver serves, and ships with Socket Mode off', () => {
    const urls = [manifest.features.slash_commands[0]!.url, manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url];
    for (const u of urls) expect(new URL(u).pathname).toBe('/slack/events');
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('asks for exactly the scopes of the Web API methods the bot calls', () => {
    const needs: Record<string, string> = {
      'chat.postMessage': 'chat:write',
      'chat.postEphemeral': 'chat:write',
      'chat.update': 'chat:write',
      filesUploadV2: 'files:write',
      'usergroups.users.list': 'usergroups:read',
    };
    const used = Object.keys(needs).filter((m) => sources.includes(m));
    expect(used.sort()).toEqual(Object.keys(needs).sort());
    const expected = new Set(['commands', 'chat:write.public', ...used.map((m) => needs[m]!)]);
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(expected);
  });
});
