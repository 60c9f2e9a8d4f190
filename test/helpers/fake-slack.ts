/**
 * A local stand-in for Slack: the Web API (`POST /api/<method>`, answered with canned `ok`
 * replies and recorded), response_url posts (`POST /respond/<id>`), and file uploads
 * (`POST /upload/<id>`). Plus correctly signed requests into a bot's receiver.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiCall {
  method: string;
  /** Form or JSON fields; JSON-looking values (blocks, view) parsed. */
  args: Record<string, unknown>;
  raw: string;
  authorization?: string;
}

export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
  raw: string;
}

export interface Upload {
  id: string;
  raw: string;
  /** The file's content (the first part of a multipart body, or the whole body). */
  content: string;
}

function fileContent(raw: string, contentType: string | undefined): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (!boundary) return raw;
  const marker = `--${boundary[1] ?? boundary[2]}`;
  const part = raw.split(marker)[1] ?? '';
  const start = part.indexOf('\r\n\r\n');
  return start < 0 ? part : part.slice(start + 4).replace(/\r\n$/, '');
}

type Handler = (args: Record<string, unknown>) => Record<string, unknown>;

export interface FakeSlack {
  url: string;
  apiUrl: string;
  calls: ApiCall[];
  responses: ResponsePost[];
  uploads: Upload[];
  /** Every recorded body, for scanning. */
  everything(): string[];
  /** Overrides the reply of one API method. */
  on(method: string, handler: Handler): void;
  /** Answers this response_url id with HTTP `status` (404: expired). */
  failResponse(id: string, status: number): void;
  responseUrl(id: string): string;
  callsTo(method: string): ApiCall[];
  responsesTo(id: string): ResponsePost[];
  close(): Promise<void>;
}

function parseFields(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        /* a plain string */
      }
    }
    out[k] = v;
  }
  return out;
}

export const FAKE_TEAM = 'T0LAB';

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const responses: ResponsePost[] = [];
  const uploads: Upload[] = [];
  const handlers = new Map<string, Handler>();
  const failing = new Map<string, number>();
  let ts = 1_700_000_000;
  let file = 0;
  let base = '';

  const defaults: Record<string, Handler> = {
    'auth.test': () => ({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: FAKE_TEAM, team: 'lab', url: 'https://lab.slack.com/' }),
    'chat.postMessage': (a) => ({ ok: true, channel: a.channel, ts: `${ts++}.000100`, message: { text: a.text } }),
    'chat.update': (a) => ({ ok: true, channel: a.channel, ts: a.ts }),
    'chat.postEphemeral': () => ({ ok: true, message_ts: `${ts++}.000200` }),
    'views.publish': () => ({ ok: true, view: { id: 'VHOME' } }),
    // The modal id names its user, so a test can tell whose modal a later views.update changes.
    'views.open': (a) => ({ ok: true, view: { id: `VMODAL-${String(a.trigger_id).split('-')[1]}` } }),
    'views.update': (a) => ({ ok: true, view: { id: a.view_id } }),
    'files.getUploadURLExternal': () => {
      const id = `F${++file}`;
      return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (a) => ({ ok: true, files: (a.files as Array<{ id: string }>) ?? [] }),
    'usergroups.users.list': () => ({ ok: true, users: [] }),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path.startsWith('/api/')) {
        const method = path.slice(5);
        const args = parseFields(raw, req.headers['content-type']);
        calls.push({ method, args, raw, authorization: req.headers.authorization });
        const handler = handlers.get(method) ?? defaults[method] ?? (() => ({ ok: true }));
        return reply(200, handler(args));
      }
      if (path.startsWith('/respond/')) {
        const id = path.slice('/respond/'.length);
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          /* recorded raw */
        }
        responses.push({ id, body, raw });
        const status = failing.get(id);
        return status ? reply(status, { ok: false, error: 'expired_url' }) : reply(200, { ok: true });
      }
      if (path.startsWith('/upload/')) {
        uploads.push({ id: path.slice('/upload/'.length), raw, content: fileContent(raw, req.headers['content-type']) });
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('OK');
      }
      reply(404, { ok: false, error: 'unknown_path' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiUrl: `${base}/api/`,
    calls,
    responses,
    uploads,
    everything: () => [...calls.map((c) => c.raw), ...responses.map((r) => r.raw), ...uploads.map((u) => u.raw)],
    on: (method, handler) => void handlers.set(method, handler),
    failResponse: (id, status) => void failing.set(id, status),
    responseUrl: (id) => `${base}/respond/${id}`,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responsesTo: (id) => responses.filter((r) => r.id === id),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Slack's v0 request signature headers for a body. */
export function signatureHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': sig, 'x-slack-request-timestamp': String(timestamp) };
}

export interface SignedResponse {
  status: number;
  body: string;
  json?: Record<string, unknown>;
}

/** Posts a signed request to the bot's `/slack/events`. */
export async function postSigned(
  botUrl: string,
  secret: string,
  body: string,
  contentType: string,
  opts: { timestamp?: number; signature?: string } = {},
): Promise<SignedResponse> {
  const headers = signatureHeaders(secret, body, opts.timestamp);
  if (opts.signature) headers['x-slack-signature'] = opts.signature;
  const res = await fetch(`${botUrl}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json };
}

export interface Who {
  team?: string;
  user: string;
  channel?: string;
}

/** The form body Slack sends for `/ecslab <text>`. */
export function slashBody(who: Who, text: string, responseUrl: string): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: who.team ?? FAKE_TEAM,
    team_domain: 'lab',
    channel_id: who.channel ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: who.user,
    user_name: `name-of-${who.user}`,
    command: '/ecslab',
    text,
    api_app_id: 'A0ECSLAB',
    response_url: responseUrl,
    trigger_id: `trigger-${who.user}-${Date.now()}`,
  }).toString();
}

/** A `block_actions` payload for a button on a message (with a response_url) or in App Home (without). */
export function buttonPayload(
  who: Who,
  action: { action_id: string; value: string },
  where: { responseUrl: string } | { home: true },
  extra: Record<string, unknown> = {},
): string {
  const team = who.team ?? FAKE_TEAM;
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    team: { id: team, domain: 'lab' },
    user: { id: who.user, team_id: team, username: `name-of-${who.user}` },
    api_app_id: 'A0ECSLAB',
    trigger_id: `trigger-${who.user}-${Date.now()}`,
    actions: [{ type: 'button', block_id: 'b1', action_id: action.action_id, value: action.value, text: { type: 'plain_text', text: 'x' }, action_ts: `${Date.now() / 1000}` }],
    ...('home' in where
      ? { container: { type: 'view', view_id: 'VHOME' }, view: { id: 'VHOME', type: 'home', private_metadata: '' } }
      : {
          container: { type: 'message', message_ts: '1700000000.000100', channel_id: who.channel ?? 'C0GENERAL', is_ephemeral: true },
          channel: { id: who.channel ?? 'C0GENERAL', name: 'general' },
          response_url: where.responseUrl,
        }),
    ...extra,
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** An Events API callback for `app_home_opened`. */
export function homeOpenedBody(who: Who): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: who.team ?? FAKE_TEAM,
    api_app_id: 'A0ECSLAB',
    type: 'event_callback',
    event_id: `Ev${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'app_home_opened', user: who.user, channel: `D${who.user}`, tab: 'home', event_ts: `${Date.now() / 1000}` },
  });
}
