/** Argument parsing for the `ecs-lab` CLI (node:util parseArgs: no dependency, strict). */
import { parseArgs } from 'node:util';
import { EngineError } from '../scenarios/errors.js';

export const COMMANDS = ['list', 'start', 'check', 'hint', 'solution', 'reset', 'progress', 'answer', 'sandbox', 'bot', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

const OPTIONS = {
  target: { type: 'string' },
  endpoint: { type: 'string' },
  profile: { type: 'string' },
  'role-arn': { type: 'string' },
  region: { type: 'string' },
  learner: { type: 'string' },
  'allow-account': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'no-color': { type: 'boolean' },
  watch: { type: 'boolean', short: 'w' },
  interval: { type: 'string' },
  step: { type: 'string' },
  all: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  auth: { type: 'string' },
  socket: { type: 'boolean' },
  http: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export interface ParsedArgs {
  command?: Command;
  positionals: string[];
  flags: {
    target?: string;
    endpoint?: string;
    profile?: string;
    roleArn?: string;
    region?: string;
    learner?: string;
    allowAccount?: string[];
    json: boolean;
    yes: boolean;
    noColor: boolean;
    watch: boolean;
    interval?: string;
    step?: string;
    all: boolean;
    port?: string;
    host?: string;
    data?: string;
    auth?: string;
    socket: boolean;
    http: boolean;
    help: boolean;
    version: boolean;
  };
}

/** Parses argv (without node and the script); unknown flags and commands are usage errors. */
export function parseCli(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/, '');
    throw new EngineError('USAGE', `${msg} (see ecs-lab help).`);
  }
  const [first, ...rest] = parsed.positionals;
  if (first !== undefined && !COMMANDS.includes(first as Command)) {
    throw new EngineError('USAGE', `Unknown command "${first}" (valid: ${COMMANDS.join(', ')}).`);
  }
  const v = parsed.values;
  return {
    command: first as Command | undefined,
    positionals: rest,
    flags: {
      target: v.target,
      endpoint: v.endpoint,
      profile: v.profile,
      roleArn: v['role-arn'],
      region: v.region,
      learner: v.learner,
      allowAccount: v['allow-account'],
      json: v.json ?? false,
      yes: v.yes ?? false,
      noColor: v['no-color'] ?? false,
      watch: v.watch ?? false,
      interval: v.interval,
      step: v.step,
      all: v.all ?? false,
      port: v.port,
      host: v.host,
      data: v.data,
      auth: v.auth,
      socket: v.socket ?? false,
      http: v.http ?? false,
      help: v.help ?? false,
      version: v.version ?? false,
    },
  };
}

export const USAGE = `Usage: ecs-lab [command] [options]

Commands:
  list                          scenarios and your progress
  start <id>                    build the scenario's insecure starting state
  check <id> [--watch]          check every step against live state
  hint <id> [--step S]          the next hint level for the first failing (or given) step
  solution <id> [--step S]      the reference solution (AWS CLI commands)
  answer <id> --step S <choice> answer a quiz step
  reset <id> | --all [--yes]    delete what the lab created, then verify nothing is left
  progress                      steps passed, hints used, solutions revealed
  sandbox [--port 4566] [--host 127.0.0.1] [--data DIR] [--auth open|sigv4]
                                run the embedded AWS-compatible sandbox
  bot [--socket | --http --port 3000]
                                run the Slack bot

Target options (every command):
  --target local|endpoint|aws   default local (the embedded sandbox)
  --endpoint URL                any AWS-compatible endpoint (also AWS_ENDPOINT_URL)
  --profile NAME  --role-arn ARN  --region REGION  --learner NAME  --allow-account ID

Output: --json (to stdout), --no-color (also NO_COLOR), --yes (skip confirmations).
Exit codes: 0 ok / all pass, 1 some step fails (or wrong answer), 2 usage error, 3 target or AWS error.
Scenarios: patching, task-roles, network-isolation, secrets, capabilities, tag-access.`;
