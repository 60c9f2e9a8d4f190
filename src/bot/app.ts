/**
 * The Slack app: Bolt 5 over HTTP (HTTPReceiver: `/slack/events`, plus `/healthz`) or Socket
 * Mode, the lab host off the request path, and the listeners. Start order: lab (the sandbox may
 * fail to bind), authorisation config, then Slack; any failure stops before a request is taken.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { DestinationStream } from 'pino';
import { Access } from './access.js';
import { createAuditLog, createBoltLogger, type AuditLog } from './audit.js';
import type { BotConfig } from './config.js';
import { BotCore } from './core.js';
import { startLab } from './lab/client.js';
import type { LabApi } from './lab/types.js';
import { registerListeners } from './listeners/index.js';
import { WorkQueue } from './queue.js';
import { Responder } from './responder.js';

export interface BotOptions {
  /** Audit log destination (stdout by default). */
  auditDest?: DestinationStream;
  /** Operational log destination (stderr by default). */
  logDest?: DestinationStream;
  /** Run the lab in this thread instead of a worker (benchmark comparison only). */
  inlineLab?: boolean;
  /** Web API retries (tests use 0: a dead fake must fail fast). */
  retries?: number;
  /** Bolt's unacknowledged-request timeout (HTTP). */
  unhandledRequestTimeoutMillis?: number;
  /** Called if the lab worker dies while the bot runs. */
  onFatal?: (err: Error) => void;
}

export interface RunningBot {
  readonly app: App;
  readonly core: BotCore;
  readonly lab: LabApi;
  readonly audit: AuditLog;
  /** HTTP mode: the port the receiver listens on. */
  readonly port?: number;
  /** The team that installed the app (from auth.test). */
  readonly team?: string;
  /** Local target: where the sandbox listens. */
  readonly sandboxUrl?: string;
  stop(): Promise<void>;
}

/** Where Slack's response_urls point (commercial and GovSlack). */
const SLACK_RESPONSE_ORIGINS = ['https://hooks.slack.com', 'https://hooks.slack-gov.com'];

function levelOf(level: BotConfig['logLevel']): LogLevel {
  return { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
}

/** Starts the bot; resolves once it takes requests. */
export async function startBot(config: BotConfig, opts: BotOptions = {}): Promise<RunningBot> {
  const logger = createBoltLogger(levelOf(config.logLevel), opts.logDest);
  const audit = createAuditLog(opts.auditDest);
  const lab = await startLab(config.lab, {
    inline: opts.inlineLab ?? config.labThread === 'main',
    onFatal: (err) => {
      logger.error(err.message);
      opts.onFatal?.(err);
    },
  });
  let app: App | undefined;
  let core: BotCore | undefined;
  try {
    const [catalog, info] = await Promise.all([lab.catalog(), lab.info()]);
    const clientOptions = {
      ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
      ...(opts.retries !== undefined ? { retryConfig: { retries: opts.retries } } : {}),
    };
    let receiver: Receiver;
    if (config.mode === 'http') {
      receiver = new HTTPReceiver({
        signingSecret: config.signingSecret!,
        endpoints: '/slack/events',
        processBeforeResponse: false,
        logger,
        unhandledRequestTimeoutMillis: opts.unhandledRequestTimeoutMillis,
        customRoutes: [
          {
            path: '/healthz',
            method: ['GET'],
            handler: (_req, res) => {
              res.writeHead(200, { 'content-type': 'application/json' });
              res.end(JSON.stringify({ ok: true, service: 'ecs-lab-bot' }));
            },
          },
        ],
      });
    } else {
      receiver = new SocketModeReceiver({ appToken: config.appToken!, logger, installerOptions: { clientOptions } });
    }
    app = new App({ token: config.botToken, receiver, logger, clientOptions, ignoreSelf: true });
    const client = app.client;
    const access = new Access({
      target: config.lab.target,
      learnersFile: config.learnersFile,
      allowedAccounts: config.lab.allowedAccounts,
      facilitators: config.facilitators,
      facilitatorGroups: config.facilitatorGroups,
      allowedTeams: config.allowedTeams,
      groupMembers: async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [],
      onConfigError: (message) => logger.error(`authorisation config: ${message}`),
    });
    await access.init();
    const allowedOrigins = [...SLACK_RESPONSE_ORIGINS];
    if (config.slackApiUrl) allowedOrigins.push(new URL(config.slackApiUrl).origin);
    const responder = new Responder({ client, allowedOrigins, onError: (route, err) => logger.warn(`delivery by ${route} failed: ${(err as Error).message}`) });
    core = new BotCore({
      lab,
      catalog,
      access,
      responder,
      audit,
      client,
      queue: new WorkQueue(config.concurrency),
      boardDebounceMs: config.boardDebounceMs,
      homeDebounceMs: config.homeDebounceMs,
      onError: (what, err) => logger.error(`${what}: ${err instanceof Error ? err.message : String(err)}`),
    });
    registerListeners(app, core);
    app.error(async (err) => {
      logger.error(`listener error: ${err.message}`);
    });

    const started = (config.mode === 'http' ? await app.start({ port: config.port, ...(config.host ? { host: config.host } : {}) }) : await app.start()) as Server | undefined;
    const port = config.mode === 'http' && started ? (started.address() as AddressInfo).port : undefined;
    const auth = await client.auth.test();
    if (auth.team_id) access.allowTeam(auth.team_id);
    const running: RunningBot = {
      app,
      core,
      lab,
      audit,
      port,
      team: auth.team_id,
      sandboxUrl: info.sandboxUrl,
      async stop() {
        await app!.stop().catch(() => undefined);
        await Promise.race([core!.settle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
        core!.close();
        await lab.close();
      },
    };
    return running;
  } catch (err) {
    core?.close();
    await app?.stop().catch(() => undefined);
    await lab.close();
    throw err;
  }
}
