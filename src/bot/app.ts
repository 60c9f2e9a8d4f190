/**
 * The Slack app: Bolt 5 over HTTP (HTTPReceiver: `/slack/events`, plus `/healthz`) or Socket
 * Mode. This thread verifies, acknowledges and hands each interaction to the bot runtime (a
 * worker thread by default), which does everything else. Start order: Slack credentials
 * (auth.test), the runtime (the sandbox may fail to bind, the learners file may be unreadable),
 * then the receiver; any failure stops before a request is taken.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { DestinationStream } from 'pino';
import { Access, accessOptionsOf } from './access.js';
import { createAuditLog, createBoltLogger, type AuditLog } from './audit.js';
import type { BotConfig } from './config.js';
import type { LabApi } from './lab/types.js';
import { registerListeners } from './listeners/index.js';
import { startRuntime } from './runtime/client.js';
import type { Runtime } from './runtime/index.js';

export interface BotOptions {
  /** Audit log destination (stdout by default). */
  auditDest?: DestinationStream;
  /** Operational log destination (stderr by default). */
  logDest?: DestinationStream;
  /** Run the runtime in this thread instead of a worker (benchmark comparison only). */
  inline?: boolean;
  /** Web API retries (tests use 0: a dead fake must fail fast). */
  retries?: number;
  /** Called if the runtime's worker dies while the bot runs. */
  onFatal?: (err: Error) => void;
}

export interface RunningBot {
  readonly app: App;
  readonly runtime: Runtime;
  /** The lab behind the runtime (tests, diagnostics). */
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

function levelOf(level: BotConfig['logLevel']): LogLevel {
  return { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
}

/** Starts the bot; resolves once it takes requests. */
export async function startBot(config: BotConfig, opts: BotOptions = {}): Promise<RunningBot> {
  const logger = createBoltLogger(levelOf(config.logLevel), opts.logDest);
  const audit = createAuditLog(opts.auditDest);
  const clientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    ...(opts.retries !== undefined ? { retryConfig: { retries: opts.retries } } : {}),
  };
  const receiver: Receiver =
    config.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: config.signingSecret!,
          endpoints: '/slack/events',
          processBeforeResponse: false,
          logger,
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
        })
      : new SocketModeReceiver({ appToken: config.appToken!, logger, installerOptions: { clientOptions } });
  // Local configuration first: a broken learners file fails at once, before any network call.
  await new Access(accessOptionsOf(config)).init();
  // No conversation store: the bot keeps no per-conversation state, and Bolt's default one builds
  // an Error (with a stack) for every request it has not seen, which profiles showed on the ack path.
  const app = new App({ token: config.botToken, receiver, logger, clientOptions, ignoreSelf: true, convoStore: false });
  const auth = await app.client.auth.test();

  const runtime = await startRuntime(
    {
      lab: config.lab,
      botToken: config.botToken,
      slackApiUrl: config.slackApiUrl,
      retries: opts.retries,
      learnersFile: config.learnersFile,
      facilitators: config.facilitators,
      facilitatorGroups: config.facilitatorGroups,
      allowedTeams: [...config.allowedTeams, ...(auth.team_id ? [auth.team_id] : [])],
      concurrency: config.concurrency,
      boardDebounceMs: config.boardDebounceMs,
      homeDebounceMs: config.homeDebounceMs,
    },
    { audit: (entry) => audit.record(entry), log: (level, message) => logger[level](message) },
    {
      inline: opts.inline ?? config.labThread === 'main',
      onFatal: (err) => {
        logger.error(err.message);
        opts.onFatal?.(err);
      },
    },
  );
  try {
    const { sandboxUrl } = await runtime.info();
    registerListeners(app, { runtime, audit });
    app.error(async (err) => {
      logger.error(`listener error: ${err.message}`);
    });
    const started = (config.mode === 'http' ? await app.start({ port: config.port, ...(config.host ? { host: config.host } : {}) }) : await app.start()) as Server | undefined;
    const port = config.mode === 'http' && started ? (started.address() as AddressInfo).port : undefined;
    const lab = new Proxy({} as LabApi, {
      get: (_t, method: string) => (method === 'then' ? undefined : (...args: unknown[]) => runtime.lab(method as keyof LabApi, args)),
    });
    return {
      app,
      runtime,
      lab,
      audit,
      port,
      team: auth.team_id,
      sandboxUrl,
      async stop() {
        await app.stop().catch(() => undefined);
        await runtime.close();
      },
    };
  } catch (err) {
    await app.stop().catch(() => undefined);
    await runtime.close();
    throw err;
  }
}
