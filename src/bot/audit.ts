/**
 * Logs of the Slack bot. The audit log has one JSON line per command, button or event: who
 * (team, user and channel ids), what (the subcommand and a validated scenario id, never the text
 * typed), the outcome and the duration. Nothing secret is ever passed to it, and pino's redaction
 * covers the field names a secret could hide under in case a later change passes one anyway.
 * Bolt's own log goes through the same scrubbing to stderr.
 */
import type { Logger as SlackLogger } from '@slack/logger';
import { LogLevel } from '@slack/logger';
import pino, { type DestinationStream, type Logger } from 'pino';

export type Outcome = 'ok' | 'refused' | 'usage' | 'error';

export interface AuditEntry {
  team?: string;
  user?: string;
  channel?: string;
  /** `check`, `cohort start`, `button lab_hint`, `event app_home_opened`, … */
  command: string;
  scenario?: string;
  outcome: Outcome;
  /** For checks: the report status (pass, fail, error, skip). */
  status?: string;
  /** Error or refusal code. */
  code?: string;
  durationMs: number;
}

/** Field names whose values pino replaces, wherever they appear (two levels deep). */
export const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'secretAccessKey',
  'accessKeyId',
  'sessionToken',
  'credentials',
  'password',
  'authorization',
  'text',
  'blocks',
  'response_url',
  'trigger_id',
].flatMap((k) => [k, `*.${k}`]);

export interface AuditLog {
  record(entry: AuditEntry): void;
  readonly logger: Logger;
}

/** The audit log; stdout by default. */
export function createAuditLog(dest: DestinationStream = pino.destination({ dest: 1, sync: true })): AuditLog {
  const logger = pino(
    {
      base: { log: 'ecs-lab-audit' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
  return {
    logger,
    record(entry) {
      logger.info(entry, 'audit');
    },
  };
}

/** Replaces Slack tokens and anything keyed like a secret in a free-text log message. */
export function scrub(text: string): string {
  return text
    .replace(/xox[a-z]-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/xapp-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/("?(?:secret\w*|token|password|authorization)"?\s*[:=]\s*)("[^"]*"|[^\s,}]+)/gi, '$1[redacted]');
}

const LEVELS: Record<LogLevel, number> = { [LogLevel.DEBUG]: 20, [LogLevel.INFO]: 30, [LogLevel.WARN]: 40, [LogLevel.ERROR]: 50 };

/** Bolt's logger interface over pino (stderr), with every message scrubbed. */
export function createBoltLogger(level: LogLevel, dest: DestinationStream = pino.destination({ dest: 2, sync: true })): SlackLogger {
  let current = level;
  let name = 'bolt';
  const base = pino({ level: 'debug', base: { log: 'ecs-lab-bot' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, dest);
  const emit = (l: LogLevel, msg: unknown[]) => {
    if (LEVELS[l] < LEVELS[current]) return;
    const text = scrub(msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
    base[l]({ component: name }, text);
  };
  return {
    debug: (...m) => emit(LogLevel.DEBUG, m),
    info: (...m) => emit(LogLevel.INFO, m),
    warn: (...m) => emit(LogLevel.WARN, m),
    error: (...m) => emit(LogLevel.ERROR, m),
    setLevel: (l) => (current = l),
    getLevel: () => current,
    setName: (n) => (name = n),
  };
}
