/**
 * Delivers a result to the user who asked. First choice: the interaction's `response_url`
 * (through Bolt's `respond`), which can replace the "Checking…" message. Slack honours a
 * response_url up to 5 times within 30 minutes, so uses are counted per URL; past either limit,
 * or when Slack refuses it, or when the URL is not Slack's (nor the configured SLACK_API_URL's
 * origin), the result goes by chat.postEphemeral, and failing that as a direct message.
 */
import type { RespondArguments, webApi } from '@slack/bolt';
import type { SlackMessage } from './blocks.js';

export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface Delivery {
  user: string;
  channel?: string;
  responseUrl?: string;
  /** Posts to the response_url (Bolt's `respond`, or the same POST made off the Slack thread). */
  respond?: (args: RespondArguments) => Promise<unknown>;
  /** When Slack sent the payload (ms since epoch); the response_url's 30 minutes count from it. */
  receivedAt: number;
}

export interface SendOptions {
  /** Replace the message the response_url belongs to (the "Checking…" message, or a report). */
  replace?: boolean;
  /** Visible to the channel (response_url only; never for anything personal). */
  inChannel?: boolean;
  /** Personal secrets (credentials): never fall back to a persistent direct message. */
  sensitive?: boolean;
}

export type Route = 'response_url' | 'channel' | 'ephemeral' | 'dm' | 'none';

export interface ResponderOptions {
  client: webApi.WebClient;
  /** Origins a response_url may have; Slack's own plus SLACK_API_URL's. */
  allowedOrigins: string[];
  now?: () => number;
  onError?: (route: Route, err: unknown) => void;
}

interface UrlUse {
  uses: number;
  expiresAt: number;
}

/**
 * What Bolt's `respond` does (POST the message as JSON to the response_url, fail on a non-2xx),
 * for the thread that delivers results, where Bolt's listener arguments do not exist.
 */
export function respondTo(url: string, fetchFn: typeof fetch = fetch): (args: RespondArguments) => Promise<Response> {
  return async (args) => {
    const res = await fetchFn(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
    if (!res.ok) throw new Error(`Failed to respond to the response_url: ${res.status} ${res.statusText}`);
    return res;
  };
}

export class Responder {
  private readonly urls = new Map<string, UrlUse>();
  private readonly now: () => number;

  constructor(private readonly opts: ResponderOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Whether a response_url may still be used, counting this use when it may. */
  private take(url: string | undefined, receivedAt: number): boolean {
    if (!url) return false;
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return false;
    }
    if (!this.opts.allowedOrigins.includes(origin)) return false;
    const now = this.now();
    if (this.urls.size > 5000) for (const [u, e] of this.urls) if (e.expiresAt <= now) this.urls.delete(u);
    let entry = this.urls.get(url);
    if (!entry) {
      entry = { uses: 0, expiresAt: receivedAt + RESPONSE_URL_TTL_MS };
      this.urls.set(url, entry);
    }
    if (entry.uses >= RESPONSE_URL_USES || now >= entry.expiresAt) return false;
    entry.uses++;
    return true;
  }

  /** Uses left on a response_url (tests and diagnostics). */
  usesLeft(url: string): number {
    return RESPONSE_URL_USES - (this.urls.get(url)?.uses ?? 0);
  }

  async send(d: Delivery, msg: SlackMessage, opts: SendOptions = {}): Promise<Route> {
    if (d.respond && this.take(d.responseUrl, d.receivedAt)) {
      const args: RespondArguments = {
        text: msg.text,
        blocks: msg.blocks,
        response_type: opts.inChannel ? 'in_channel' : 'ephemeral',
        replace_original: Boolean(opts.replace),
      };
      try {
        await d.respond(args);
        return 'response_url';
      } catch (err) {
        this.opts.onError?.('response_url', err);
        // An expired or spent URL: make sure it is not tried again.
        if (d.responseUrl) this.urls.set(d.responseUrl, { uses: RESPONSE_URL_USES, expiresAt: 0 });
      }
    }
    if (opts.inChannel && d.channel) {
      try {
        await this.opts.client.chat.postMessage({ channel: d.channel, text: msg.text, blocks: msg.blocks });
        return 'channel';
      } catch (err) {
        this.opts.onError?.('channel', err);
      }
    }
    if (d.channel) {
      try {
        await this.opts.client.chat.postEphemeral({ channel: d.channel, user: d.user, text: msg.text, blocks: msg.blocks });
        return 'ephemeral';
      } catch (err) {
        this.opts.onError?.('ephemeral', err);
      }
    }
    const dm: SlackMessage = opts.sensitive
      ? { text: 'Your credentials could not be shown privately here: open the bot’s App Home and press “Show credentials”.', blocks: [] }
      : msg;
    try {
      await this.opts.client.chat.postMessage({ channel: d.user, text: dm.text, ...(dm.blocks.length ? { blocks: dm.blocks } : {}) });
      return 'dm';
    } catch (err) {
      this.opts.onError?.('dm', err);
      return 'none';
    }
  }
}
