import type { RespondFn } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { SlackMessage } from './blocks.js';
import { RESPONSE_URL_TTL_MS, RESPONSE_URL_USES, Responder } from './responder.js';

const msg: SlackMessage = { text: 'hello', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }] };
const URL1 = 'https://hooks.slack.com/commands/T1/1/abc';

function fakeClient(fail: string[] = []) {
  const calls: Array<{ method: string; args: Record<string, unknown> }> = [];
  const method = (name: string) => async (args: Record<string, unknown>) => {
    calls.push({ method: name, args });
    if (fail.includes(name)) throw Object.assign(new Error(`${name} failed`), { data: { error: 'not_in_channel' } });
    return { ok: true };
  };
  const client = { chat: { postEphemeral: method('chat.postEphemeral'), postMessage: method('chat.postMessage') } };
  return { client: client as never, calls };
}

function recordingRespond(status = 200) {
  const sent: unknown[] = [];
  const respond = (async (args: unknown) => {
    sent.push(args);
    if (status !== 200) throw new Error(`Failed to respond to the response_url: ${status}`);
    return new Response('ok');
  }) as unknown as RespondFn;
  return { respond, sent };
}

describe('Responder', () => {
  it('replaces the original through the response_url while it is usable', async () => {
    const { client, calls } = fakeClient();
    const r = new Responder({ client, allowedOrigins: ['https://hooks.slack.com'] });
    const { respond, sent } = recordingRespond();
    const route = await r.send({ user: 'UA', channel: 'C1', responseUrl: URL1, respond, receivedAt: Date.now() }, msg, { replace: true });
    expect(route).toBe('response_url');
    expect(sent).toEqual([{ text: 'hello', blocks: msg.blocks, response_type: 'ephemeral', replace_original: true }]);
    expect(calls).toEqual([]);
    expect(r.usesLeft(URL1)).toBe(RESPONSE_URL_USES - 1);
  });

  it('uses a response_url at most 5 times, then posts ephemerally', async () => {
    const { client, calls } = fakeClient();
    const r = new Responder({ client, allowedOrigins: ['https://hooks.slack.com'] });
    const { respond, sent } = recordingRespond();
    const d = { user: 'UA', channel: 'C1', responseUrl: URL1, respond, receivedAt: Date.now() };
    const routes = [];
    for (let i = 0; i < 7; i++) routes.push(await r.send(d, msg));
    expect(routes).toEqual(['response_url', 'response_url', 'response_url', 'response_url', 'response_url', 'ephemeral', 'ephemeral']);
    expect(sent).toHaveLength(5);
    expect(calls[0]).toEqual({ method: 'chat.postEphemeral', args: { channel: 'C1', user: 'UA', text: 'hello', blocks: msg.blocks } });
  });

  it('does not use a response_url 30 minutes after the payload', async () => {
    let now = 1_000_000;
    const { client } = fakeClient();
    const r = new Responder({ client, allowedOrigins: ['https://hooks.slack.com'], now: () => now });
    const { respond, sent } = recordingRespond();
    const d = { user: 'UA', channel: 'C1', responseUrl: URL1, respond, receivedAt: now };
    now += RESPONSE_URL_TTL_MS - 1;
    expect(await r.send(d, msg)).toBe('response_url');
    now += 1;
    expect(await r.send(d, msg)).toBe('ephemeral');
    expect(sent).toHaveLength(1);
  });

  it('falls back when Slack refuses the response_url, and never retries it', async () => {
    const { client } = fakeClient();
    const r = new Responder({ client, allowedOrigins: ['https://hooks.slack.com'] });
    const { respond, sent } = recordingRespond(404);
    const d = { user: 'UA', channel: 'C1', responseUrl: URL1, respond, receivedAt: Date.now() };
    expect(await r.send(d, msg)).toBe('ephemeral');
    expect(await r.send(d, msg)).toBe('ephemeral');
    expect(sent).toHaveLength(1);
  });

  it('ignores a response_url outside Slack and the configured API origin', async () => {
    const { client } = fakeClient();
    const r = new Responder({ client, allowedOrigins: ['https://hooks.slack.com'] });
    const { respond, sent } = recordingRespond();
    expect(await r.send({ user: 'UA', channel: 'C1', responseUrl: 'https://evil.example/x', respond, receivedAt: Date.now() }, msg)).toBe('ephemeral');
    expect(sent).toEqual([]);
  });

  it('falls back to a direct message, but never with credentials', async () => {
    const { client, calls } = fakeClient(['chat.postEphemeral']);
    const r = new Responder({ client, allowedOrigins: [] });
    expect(await r.send({ user: 'UA', channel: 'C1', receivedAt: Date.now() }, msg)).toBe('dm');
    expect(calls.at(-1)).toEqual({ method: 'chat.postMessage', args: { channel: 'UA', text: 'hello', blocks: msg.blocks } });
    const secret: SlackMessage = { text: 'secret-value', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'secret-value' } }] };
    expect(await r.send({ user: 'UA', channel: 'C1', receivedAt: Date.now() }, secret, { sensitive: true })).toBe('dm');
    expect(JSON.stringify(calls.at(-1))).not.toContain('secret-value');
    expect(JSON.stringify(calls.at(-1))).toContain('Show credentials');
  });
});
