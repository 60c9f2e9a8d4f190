/**
 * Who may do what, keyed on immutable Slack ids (team T…, user U…/W…), never names. Deny by
 * default: a learners file that is configured but missing, unreadable or invalid refuses every
 * learner until it is fixed; no facilitator list means nobody runs cohorts.
 *
 * - Local target: every member of an allowed team learns in their own sandbox account (the team
 *   that installed the app, plus ECS_LAB_ALLOWED_TEAMS). With ECS_LAB_LEARNERS set, only the users
 *   it lists.
 * - AWS target: only users in the learners file, each with the role ARN of their sandbox, in an
 *   allow-listed account.
 */
import { readFile, stat } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Actor, BotTarget } from './lab/types.js';

export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const TEAM_ID = /^[TE][A-Z0-9]{2,}$/;
export const GROUP_ID = /^S[A-Z0-9]{2,}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

const learnersSchema = z
  .object({
    learners: z.array(
      z
        .object({
          user: z.string().regex(USER_ID, 'a Slack user id (U… or W…)'),
          team: z.string().regex(TEAM_ID, 'a Slack team id (T…)').optional(),
          roleArn: z.string().regex(ROLE_ARN, 'an IAM role ARN (arn:aws:iam::123456789012:role/name)').optional(),
        })
        .strict(),
    ),
  })
  .strict();

export interface LearnerEntry {
  user: string;
  team?: string;
  roleArn?: string;
}

export class AccessConfigError extends Error {
  override readonly name = 'AccessConfigError';
}

/** Parses and validates a learners file's text; throws a one-line AccessConfigError. */
export function parseLearners(text: string, file: string, target: BotTarget, allowedAccounts: readonly string[]): LearnerEntry[] {
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new AccessConfigError(`${file}: not valid YAML (${(err as Error).message.split('\n')[0]}).`);
  }
  const parsed = learnersSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AccessConfigError(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}.`);
  }
  const seen = new Set<string>();
  for (const [i, e] of parsed.data.learners.entries()) {
    const key = `${e.team ?? '*'}:${e.user}`;
    if (seen.has(key)) throw new AccessConfigError(`${file}: learners.${i}: user ${e.user} is listed twice.`);
    seen.add(key);
    if (target === 'aws') {
      if (!e.roleArn) throw new AccessConfigError(`${file}: learners.${i}: the aws target needs a roleArn for ${e.user}.`);
      const account = ROLE_ARN.exec(e.roleArn)![1]!;
      if (!allowedAccounts.includes(account)) {
        throw new AccessConfigError(`${file}: learners.${i}: account ${account} of ${e.user} is not in ECS_LAB_ALLOWED_ACCOUNTS.`);
      }
    }
  }
  return parsed.data.learners;
}

/** Facilitators from ECS_LAB_FACILITATORS: `U123` or `T123:U123`, separated by commas or spaces. */
export function parseFacilitators(value: string | undefined): string[] {
  const ids = (value ?? '').split(/[\s,]+/).filter(Boolean);
  for (const id of ids) {
    const [a, b] = id.includes(':') ? id.split(':') : [undefined, id];
    if ((a !== undefined && !TEAM_ID.test(a)) || !USER_ID.test(b ?? '')) {
      throw new AccessConfigError(`ECS_LAB_FACILITATORS: "${id.slice(0, 40)}" is not a Slack user id (U…, or T…:U…).`);
    }
  }
  return ids;
}

export type Decision = { ok: true; actor: Actor } | { ok: false; code: string; reason: string };

export interface AccessOptions {
  target: BotTarget;
  learnersFile?: string;
  allowedAccounts: readonly string[];
  facilitators: readonly string[];
  facilitatorGroups: readonly string[];
  /** Teams whose members may learn (the installing team is added at start). */
  allowedTeams: readonly string[];
  /** Members of a Slack user group (usergroups.users.list); failures count as "not a member". */
  groupMembers?: (group: string) => Promise<string[]>;
  /** Called when the learners file cannot be used (the bot logs it). */
  onConfigError?: (message: string) => void;
}

/** The access settings of a bot configuration (the Slack thread and the runtime read the same ones). */
export function accessOptionsOf(config: {
  lab: { target: BotTarget; allowedAccounts: readonly string[] };
  learnersFile?: string;
  facilitators: readonly string[];
  facilitatorGroups: readonly string[];
  allowedTeams: readonly string[];
}): AccessOptions {
  return {
    target: config.lab.target,
    learnersFile: config.learnersFile,
    allowedAccounts: config.lab.allowedAccounts,
    facilitators: config.facilitators,
    facilitatorGroups: config.facilitatorGroups,
    allowedTeams: config.allowedTeams,
  };
}

const GROUP_TTL_MS = 60_000;

export class Access {
  private learners: LearnerEntry[] | undefined;
  private learnersError: string | undefined;
  private loadedStamp = '';
  private readonly teams: Set<string>;
  private readonly groupCache = new Map<string, { at: number; members: Set<string> }>();

  constructor(private readonly opts: AccessOptions) {
    this.teams = new Set(opts.allowedTeams);
  }

  /** Loads the learners file now; throws on any problem (start-up fails fast). */
  async init(): Promise<void> {
    if (!this.opts.learnersFile) return;
    await this.reload();
    if (this.learnersError) throw new AccessConfigError(this.learnersError);
  }

  allowTeam(team: string): void {
    this.teams.add(team);
  }

  /** Re-reads the learners file when it changed; any failure refuses everyone (fail closed). */
  private async reload(): Promise<void> {
    const file = this.opts.learnersFile!;
    try {
      const st = await stat(file);
      const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
      if (stamp === this.loadedStamp && !this.learnersError) return;
      this.learners = parseLearners(await readFile(file, 'utf8'), file, this.opts.target, this.opts.allowedAccounts);
      this.learnersError = undefined;
      this.loadedStamp = stamp;
    } catch (err) {
      this.learners = undefined;
      this.loadedStamp = '';
      const code = (err as NodeJS.ErrnoException).code;
      this.learnersError = err instanceof AccessConfigError ? err.message : `${file}: cannot read the learners file (${code ?? (err as Error).message}).`;
      this.opts.onConfigError?.(this.learnersError);
    }
  }

  /** The learner acting for a signed Slack identity, or why not. */
  async actor(team: string, user: string): Promise<Decision> {
    if (!TEAM_ID.test(team) || !USER_ID.test(user)) return { ok: false, code: 'BAD_IDENTITY', reason: 'This request carries no valid Slack team and user id.' };
    const learner = `${team}:${user}`;
    if (!this.opts.learnersFile) {
      if (this.opts.target === 'aws') return { ok: false, code: 'NO_LEARNERS_FILE', reason: 'No learners file is configured, so nobody may use the AWS target.' };
      if (!this.teams.has(team)) return { ok: false, code: 'TEAM_NOT_ALLOWED', reason: `Team ${team} may not use this lab.` };
      return { ok: true, actor: { learner } };
    }
    await this.reload();
    if (!this.learners) return { ok: false, code: 'LEARNERS_FILE_UNUSABLE', reason: 'The learners file cannot be used right now; ask the facilitator to fix it.' };
    const entry = this.learners.find((e) => e.user === user && (e.team === undefined || e.team === team));
    if (!entry) return { ok: false, code: 'NOT_A_LEARNER', reason: 'You are not in the learners file of this lab; ask the facilitator to add your Slack user id.' };
    if (entry.team === undefined && !this.teams.has(team)) return { ok: false, code: 'TEAM_NOT_ALLOWED', reason: `Team ${team} may not use this lab.` };
    return { ok: true, actor: { learner, roleArn: entry.roleArn } };
  }

  /** Whether a user may run facilitator commands (listed by id, or in a listed user group). */
  async isFacilitator(team: string, user: string): Promise<boolean> {
    if (!TEAM_ID.test(team) || !USER_ID.test(user)) return false;
    if (this.opts.facilitators.some((f) => f === user || f === `${team}:${user}`)) return true;
    for (const group of this.opts.facilitatorGroups) {
      if ((await this.groupMembers(group)).has(user)) return true;
    }
    return false;
  }

  private async groupMembers(group: string): Promise<Set<string>> {
    const cached = this.groupCache.get(group);
    if (cached && Date.now() - cached.at < GROUP_TTL_MS) return cached.members;
    let members = new Set<string>();
    try {
      members = new Set(this.opts.groupMembers ? await this.opts.groupMembers(group) : []);
    } catch {
      members = new Set(); // fail closed
    }
    this.groupCache.set(group, { at: Date.now(), members });
    return members;
  }
}
