/**
 * Cohorts (a facilitated session in one Slack channel) and the sandbox key each bot learner was
 * issued, in the progress store (migration 2). Learners are the engine's learner ids; for the
 * Slack bot that is `TEAM:USER`, never a display name.
 */
import type Database from 'better-sqlite3';

export interface Cohort {
  id: number;
  team: string;
  channel: string;
  name: string;
  /** Learner id of the facilitator who started it. */
  facilitator: string;
  startedAt: string;
  endedAt?: string;
  /** Where the leaderboard message lives, once posted. */
  board?: { channel: string; ts: string };
}

export interface CohortMember {
  learner: string;
  joinedAt: string;
}

/** Which sandbox key a learner holds (the secret stays with the sandbox's key store). */
export interface SandboxKeyRecord {
  learner: string;
  accessKeyId: string;
  account: string;
  issuedAt: string;
  rotatedAt?: string;
}

interface CohortRow {
  id: number;
  team: string;
  channel: string;
  name: string;
  facilitator: string;
  started_at: string;
  ended_at: string | null;
  board_channel: string | null;
  board_ts: string | null;
}

function toCohort(r: CohortRow): Cohort {
  return {
    id: r.id,
    team: r.team,
    channel: r.channel,
    name: r.name,
    facilitator: r.facilitator,
    startedAt: r.started_at,
    endedAt: r.ended_at ?? undefined,
    board: r.board_channel && r.board_ts ? { channel: r.board_channel, ts: r.board_ts } : undefined,
  };
}

export class CohortError extends Error {
  override readonly name = 'CohortError';
  constructor(
    readonly code: 'COHORT_EXISTS' | 'CHANNEL_BUSY' | 'NO_COHORT',
    message: string,
  ) {
    super(message);
  }
}

/** Cohort and sandbox-key tables over the progress store's connection. */
export class CohortStore {
  constructor(private readonly db: Database.Database) {}

  private now(): string {
    return new Date().toISOString();
  }

  /** Starts a cohort in a channel; one active cohort per channel and per name in a team. */
  start(team: string, channel: string, name: string, facilitator: string): Cohort {
    const tx = this.db.transaction(() => {
      if (this.active(team, name)) throw new CohortError('COHORT_EXISTS', `A cohort named "${name}" is already running.`);
      const busy = this.activeInChannel(team, channel);
      if (busy) throw new CohortError('CHANNEL_BUSY', `Cohort "${busy.name}" is already running in this channel; end it first.`);
      const info = this.db
        .prepare('INSERT INTO cohorts (team, channel, name, facilitator, started_at) VALUES (?, ?, ?, ?, ?)')
        .run(team, channel, name, facilitator, this.now());
      return this.byId(Number(info.lastInsertRowid))!;
    });
    return tx.immediate();
  }

  byId(id: number): Cohort | undefined {
    const row = this.db.prepare('SELECT * FROM cohorts WHERE id = ?').get(id) as CohortRow | undefined;
    return row && toCohort(row);
  }

  /** The running cohort of that name in a team. */
  active(team: string, name: string): Cohort | undefined {
    const row = this.db.prepare('SELECT * FROM cohorts WHERE team = ? AND name = ? AND ended_at IS NULL').get(team, name) as CohortRow | undefined;
    return row && toCohort(row);
  }

  /** The running cohort of a channel. */
  activeInChannel(team: string, channel: string): Cohort | undefined {
    const row = this.db.prepare('SELECT * FROM cohorts WHERE team = ? AND channel = ? AND ended_at IS NULL').get(team, channel) as CohortRow | undefined;
    return row && toCohort(row);
  }

  /** The running cohort of a channel, else the one that ended there last. */
  latestInChannel(team: string, channel: string): Cohort | undefined {
    const row = this.db
      .prepare('SELECT * FROM cohorts WHERE team = ? AND channel = ? ORDER BY ended_at IS NULL DESC, id DESC LIMIT 1')
      .get(team, channel) as CohortRow | undefined;
    return row && toCohort(row);
  }

  /** Running cohorts a learner belongs to, newest first. */
  activeOf(learner: string): Cohort[] {
    const rows = this.db
      .prepare(
        `SELECT c.* FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id
         WHERE m.learner = ? AND c.ended_at IS NULL ORDER BY c.id DESC`,
      )
      .all(learner) as CohortRow[];
    return rows.map(toCohort);
  }

  /** Adds a learner (idempotent); returns whether they were new. */
  join(cohortId: number, learner: string): boolean {
    const info = this.db.prepare('INSERT OR IGNORE INTO cohort_members (cohort_id, learner, joined_at) VALUES (?, ?, ?)').run(cohortId, learner, this.now());
    return info.changes > 0;
  }

  members(cohortId: number): CohortMember[] {
    return (
      this.db.prepare('SELECT learner, joined_at FROM cohort_members WHERE cohort_id = ? ORDER BY joined_at, learner').all(cohortId) as Array<{
        learner: string;
        joined_at: string;
      }>
    ).map((r) => ({ learner: r.learner, joinedAt: r.joined_at }));
  }

  setBoard(cohortId: number, channel: string, ts: string): void {
    this.db.prepare('UPDATE cohorts SET board_channel = ?, board_ts = ? WHERE id = ?').run(channel, ts, cohortId);
  }

  end(cohortId: number): Cohort {
    this.db.prepare('UPDATE cohorts SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(this.now(), cohortId);
    const c = this.byId(cohortId);
    if (!c) throw new CohortError('NO_COHORT', `No cohort ${cohortId}.`);
    return c;
  }

  /** The sandbox key a learner holds. */
  sandboxKey(learner: string): SandboxKeyRecord | undefined {
    const r = this.db.prepare('SELECT * FROM sandbox_keys WHERE learner = ?').get(learner) as
      | { learner: string; access_key_id: string; account: string; issued_at: string; rotated_at: string | null }
      | undefined;
    return r && { learner: r.learner, accessKeyId: r.access_key_id, account: r.account, issuedAt: r.issued_at, rotatedAt: r.rotated_at ?? undefined };
  }

  /** Records (or replaces) the key a learner was issued. */
  setSandboxKey(learner: string, accessKeyId: string, account: string): void {
    this.db
      .prepare(
        `INSERT INTO sandbox_keys (learner, access_key_id, account, issued_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (learner) DO UPDATE SET access_key_id = excluded.access_key_id, account = excluded.account, issued_at = excluded.issued_at, rotated_at = NULL`,
      )
      .run(learner, accessKeyId, account, this.now());
  }

  markRotated(learner: string): void {
    this.db.prepare('UPDATE sandbox_keys SET rotated_at = ? WHERE learner = ?').run(this.now(), learner);
  }
}
