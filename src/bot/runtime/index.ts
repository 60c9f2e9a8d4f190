/**
 * Everything the bot does after an acknowledgement, in one place that can run off the Slack
 * thread: the lab host (engines, sandbox, SQLite), access control, the Web API client, result
 * delivery, App Home and leaderboards. The Slack thread only verifies, acknowledges and hands
 * over plain data; the audit entries come back to it through `sinks`.
 */
import { webApi } from '@slack/bolt';
import type { SandboxLogger } from '../../sandbox/index.js';
import { Access, accessOptionsOf } from '../access.js';
import type { AuditEntry } from '../audit.js';
import { scrub } from '../audit.js';
import { errorMessage } from '../blocks.js';
import type { LabCommand } from '../commands.js';
import { BotCore, type Invocation } from '../core.js';
import { createLabHost } from '../lab/host.js';
import type { BotConfig } from '../config.js';
import type { LabApi } from '../lab/types.js';
import { WorkQueue } from '../queue.js';
import { Responder, respondTo } from '../responder.js';

/** Settings of the runtime: plain data (it may be posted to a worker). */
export type RuntimeConfig = Pick<
  BotConfig,
  'lab' | 'botToken' | 'slackApiUrl' | 'learnersFile' | 'facilitators' | 'facilitatorGroups' | 'allowedTeams' | 'concurrency' | 'boardDebounceMs' | 'homeDebounceMs'
> & {
  /** Web API retries (tests: 0). */
  retries?: number;
};

/** Where the runtime's audit entries and warnings go (the Slack thread's logs). */
export interface RuntimeSinks {
  audit(entry: AuditEntry): void;
  log(level: 'warn' | 'error', message: string): void;
}

/** An acknowledged interaction, as plain data. */
export interface InvocationData {
  team: string;
  user: string;
  channel?: string;
  label: string;
  origin: Invocation['origin'];
  responseUrl?: string;
  /** When the Slack thread received it (ms since epoch). */
  receivedAt: number;
}

/** The runtime's API; the `void` methods are fire-and-forget (they report through the sinks). */
export interface Runtime {
  info(): Promise<{ sandboxUrl?: string }>;
  dispatch(inv: InvocationData, cmd: LabCommand, working: boolean): void;
  /** Answers an interaction that cannot run (a malformed button value). */
  refuse(inv: InvocationData, text: string): void;
  homeOpened(inv: InvocationData): void;
  credentials(inv: InvocationData, surface: { triggerId: string } | { viewId: string }): void;
  /** A call on the lab itself (tests, diagnostics). */
  lab(method: keyof LabApi, args: unknown[]): Promise<unknown>;
  /** Resolves when queued work, App Home and leaderboard updates are done. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Where Slack's response_urls point (commercial and GovSlack). */
const SLACK_RESPONSE_ORIGINS = ['https://hooks.slack.com', 'https://hooks.slack-gov.com'];

/** Creates the runtime in this thread. */
export async function createRuntime(config: RuntimeConfig, sinks: RuntimeSinks, sandboxLogger?: SandboxLogger): Promise<Runtime> {
  const lab = await createLabHost(config.lab, sandboxLogger);
  try {
    const catalog = await lab.catalog();
    const warn = (...m: unknown[]) => sinks.log('warn', scrub(m.map(String).join(' ')));
    const client = new webApi.WebClient(config.botToken, {
      ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
      ...(config.retries !== undefined ? { retryConfig: { retries: config.retries } } : {}),
      logger: { debug: () => {}, info: () => {}, warn, error: (...m) => sinks.log('error', scrub(m.map(String).join(' '))), setLevel: () => {}, getLevel: () => webApi.LogLevel.WARN, setName: () => {} },
    });
    const access = new Access({
      ...accessOptionsOf(config),
      groupMembers: async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [],
      onConfigError: (message) => sinks.log('error', `authorisation config: ${message}`),
    });
    await access.init();
    const allowedOrigins = [...SLACK_RESPONSE_ORIGINS];
    if (config.slackApiUrl) allowedOrigins.push(new URL(config.slackApiUrl).origin);
    const responder = new Responder({ client, allowedOrigins, onError: (route, err) => sinks.log('warn', `delivery by ${route} failed: ${scrub((err as Error).message)}`) });
    const core = new BotCore({
      lab,
      catalog,
      access,
      responder,
      audit: { record: sinks.audit },
      client,
      queue: new WorkQueue(config.concurrency),
      boardDebounceMs: config.boardDebounceMs,
      homeDebounceMs: config.homeDebounceMs,
      onError: (what, err) => sinks.log('error', `${what}: ${scrub(err instanceof Error ? err.message : String(err))}`),
    });
    const invocation = (d: InvocationData): Invocation => ({
      team: d.team,
      user: d.user,
      channel: d.channel,
      label: d.label,
      origin: d.origin,
      delivery: { user: d.user, channel: d.channel, responseUrl: d.responseUrl, respond: d.responseUrl ? respondTo(d.responseUrl) : undefined, receivedAt: d.receivedAt },
    });
    const info = await lab.info();
    /** Fire-and-forget work still reports a failure it did not handle itself. */
    const background = (what: string, p: Promise<unknown>) => void p.catch((err: unknown) => sinks.log('error', `${what}: ${scrub(err instanceof Error ? err.message : String(err))}`));
    return {
      info: async () => ({ sandboxUrl: info.sandboxUrl }),
      dispatch: (inv, cmd, working) => background(inv.label, core.dispatch(invocation(inv), cmd, { working })),
      refuse: (inv, text) => background(inv.label, core.refuseButton(invocation(inv), errorMessage(text))),
      homeOpened: (inv) => {
        core.homeOpened(inv.team, inv.user).then(
          () => core.auditNow(inv, 'ok', inv.receivedAt),
          () => core.auditNow(inv, 'error', inv.receivedAt),
        );
      },
      credentials: (inv, surface) => {
        if ('triggerId' in surface) background(inv.label, core.showCredentials(invocation(inv), surface.triggerId));
        else background(inv.label, core.rotateCredentials(invocation(inv), surface.viewId));
      },
      lab: (method, args) => (lab[method] as (...a: unknown[]) => Promise<unknown>)(...args),
      settle: () => core.settle(),
      async close() {
        await Promise.race([core.settle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
        core.close();
        await lab.close();
      },
    };
  } catch (err) {
    await lab.close();
    throw err;
  }
}
