/**
 * The bot's settings from flags and environment (CONTRACT §3, §7), checked before anything
 * starts: a missing or malformed setting is one line naming it, exit code 2. Secret values are
 * never part of a message.
 */
import path from 'node:path';
import { resolveHome, resolveRegion } from '../aws/target.js';
import { storePath } from '../store/store.js';
import { GROUP_ID, TEAM_ID, parseFacilitators } from './access.js';
import type { LabConfig } from './lab/types.js';

type Env = Record<string, string | undefined>;

export interface BotFlags {
  socket?: boolean;
  http?: boolean;
  port?: string;
  host?: string;
  target?: string;
  region?: string;
  data?: string;
  allowAccount?: string[];
}

export interface BotConfig {
  mode: 'http' | 'socket';
  /** HTTP mode: where the receiver listens (0 picks a free port). */
  port: number;
  host?: string;
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Web API base URL ending in `/` (a local test double in tests). */
  slackApiUrl?: string;
  lab: LabConfig;
  learnersFile?: string;
  facilitators: string[];
  facilitatorGroups: string[];
  allowedTeams: string[];
  /** Lab calls running at once (checks queue beyond it). */
  concurrency: number;
  boardDebounceMs: number;
  homeDebounceMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Where the runtime (lab and Slack calls) runs: a worker thread (default), or the Slack thread (bench/bot comparison only). */
  labThread: 'worker' | 'main';
}

export class BotConfigError extends Error {
  override readonly name = 'BotConfigError';
  readonly exitCode = 2;
}

function int(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new BotConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value.slice(0, 20)}").`);
  return n;
}

function url(value: string, name: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new BotConfigError(`${name} is not a URL (got "${value.slice(0, 80)}").`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new BotConfigError(`${name} must be an http:// or https:// URL.`);
  return value;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

/** Reads and checks every setting; throws one BotConfigError naming what is missing or wrong. */
export function loadBotConfig(flags: BotFlags, env: Env): BotConfig {
  if (flags.socket && flags.http) throw new BotConfigError('Use either --socket or --http, not both.');
  const envMode = env.ECS_LAB_BOT_MODE?.toLowerCase();
  if (envMode && envMode !== 'http' && envMode !== 'socket') throw new BotConfigError(`ECS_LAB_BOT_MODE must be http or socket (got "${envMode.slice(0, 20)}").`);
  const mode: 'http' | 'socket' = flags.socket ? 'socket' : flags.http ? 'http' : (envMode as 'http' | 'socket' | undefined) ?? 'http';

  const required = mode === 'http' ? ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] : ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'];
  const missing = required.filter((k) => !env[k]?.trim());
  if (missing.length) {
    throw new BotConfigError(`ecs-lab bot (${mode === 'http' ? 'HTTP' : 'Socket'} mode) needs ${missing.join(' and ')} in the environment (see README, "Slack bot").`);
  }
  if (!env.SLACK_BOT_TOKEN!.startsWith('xoxb-')) throw new BotConfigError('SLACK_BOT_TOKEN must be a bot token (xoxb-…).');
  if (mode === 'socket' && !env.SLACK_APP_TOKEN!.startsWith('xapp-')) throw new BotConfigError('SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write.');

  const port = int(flags.port ?? env.PORT, flags.port !== undefined ? '--port' : 'PORT', 3000, 0, 65535);
  let slackApiUrl = env.SLACK_API_URL?.trim() || undefined;
  if (slackApiUrl) slackApiUrl = url(slackApiUrl, 'SLACK_API_URL').replace(/\/?$/, '/');

  const target = (flags.target ?? env.ECS_LAB_BOT_TARGET ?? 'local').toLowerCase();
  if (target !== 'local' && target !== 'aws') {
    throw new BotConfigError(`The bot runs on --target local (its own sandbox, one account per learner) or aws (a learners file); got "${target.slice(0, 20)}".`);
  }
  const allowedAccounts = [...list(env.ECS_LAB_ALLOWED_ACCOUNTS), ...(flags.allowAccount ?? []).flatMap(list)];
  const badAccount = allowedAccounts.find((a) => !/^\d{12}$/.test(a));
  if (badAccount) throw new BotConfigError(`Allowed account "${badAccount.slice(0, 20)}" is not a 12-digit AWS account id.`);
  const learnersFile = env.ECS_LAB_LEARNERS?.trim() || undefined;
  if (target === 'aws') {
    if (!learnersFile) throw new BotConfigError('--target aws needs ECS_LAB_LEARNERS: a YAML file mapping Slack user ids to sandbox role ARNs.');
    if (allowedAccounts.length === 0) throw new BotConfigError('--target aws needs ECS_LAB_ALLOWED_ACCOUNTS (or --allow-account): the sandbox accounts learners may use.');
  }

  const home = resolveHome(env);
  const sandboxPublicUrl = env.ECS_LAB_SANDBOX_PUBLIC_URL?.trim() ? url(env.ECS_LAB_SANDBOX_PUBLIC_URL.trim(), 'ECS_LAB_SANDBOX_PUBLIC_URL') : undefined;
  const lab: LabConfig = {
    target,
    storeFile: storePath(home),
    scenariosFile: env.ECS_LAB_SCENARIOS || undefined,
    region: resolveRegion(flags, env),
    allowedAccounts,
    sandbox:
      target === 'local'
        ? {
            host: env.ECS_LAB_SANDBOX_HOST?.trim() || '127.0.0.1',
            port: int(env.ECS_LAB_SANDBOX_PORT, 'ECS_LAB_SANDBOX_PORT', 4566, 0, 65535),
            dataDir: flags.data ?? (env.ECS_LAB_SANDBOX_DATA?.trim() || path.join(home, 'bot-sandbox')),
            publicUrl: sandboxPublicUrl,
          }
        : undefined,
  };

  const facilitators = (() => {
    try {
      return parseFacilitators(env.ECS_LAB_FACILITATORS);
    } catch (err) {
      throw new BotConfigError((err as Error).message);
    }
  })();
  const facilitatorGroups = list(env.ECS_LAB_FACILITATOR_GROUPS);
  const badGroup = facilitatorGroups.find((g) => !GROUP_ID.test(g));
  if (badGroup) throw new BotConfigError(`ECS_LAB_FACILITATOR_GROUPS: "${badGroup.slice(0, 40)}" is not a Slack user group id (S…).`);
  const allowedTeams = list(env.ECS_LAB_ALLOWED_TEAMS);
  const badTeam = allowedTeams.find((t) => !TEAM_ID.test(t));
  if (badTeam) throw new BotConfigError(`ECS_LAB_ALLOWED_TEAMS: "${badTeam.slice(0, 40)}" is not a Slack team id (T…).`);
  const logLevel = (env.ECS_LAB_BOT_LOG_LEVEL ?? 'warn').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new BotConfigError('ECS_LAB_BOT_LOG_LEVEL must be debug, info, warn or error.');
  const labThread = env.ECS_LAB_BOT_LAB_THREAD ?? 'worker';
  if (labThread !== 'worker' && labThread !== 'main') throw new BotConfigError('ECS_LAB_BOT_LAB_THREAD must be worker or main.');

  return {
    mode,
    port,
    host: flags.host,
    botToken: env.SLACK_BOT_TOKEN!.trim(),
    signingSecret: env.SLACK_SIGNING_SECRET?.trim() || undefined,
    appToken: env.SLACK_APP_TOKEN?.trim() || undefined,
    slackApiUrl,
    lab,
    learnersFile,
    facilitators,
    facilitatorGroups,
    allowedTeams,
    concurrency: int(env.ECS_LAB_BOT_CONCURRENCY, 'ECS_LAB_BOT_CONCURRENCY', 4, 1, 64),
    boardDebounceMs: int(env.ECS_LAB_BOARD_DEBOUNCE_MS, 'ECS_LAB_BOARD_DEBOUNCE_MS', 3000, 0, 600_000),
    homeDebounceMs: int(env.ECS_LAB_HOME_DEBOUNCE_MS, 'ECS_LAB_HOME_DEBOUNCE_MS', 500, 0, 600_000),
    logLevel: logLevel as BotConfig['logLevel'],
    labThread,
  };
}
