/**
 * The progress store: SQLite (better-sqlite3) at `$ECS_LAB_HOME/state.db`, in WAL mode so a TUI,
 * a CLI and a bot can read while one writes, with a busy timeout so concurrent writers queue
 * instead of failing. Every write is one transaction.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CohortStore } from './cohorts.js';
import { MIGRATIONS } from './migrations.js';

export type StepStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface CheckRunRecord {
  learner: string;
  scenario: string;
  status: StepStatus;
  passed: number;
  total: number;
  durationMs: number;
  apiCalls: number;
  target: string;
  account?: string;
  steps: Array<{ id: string; status: StepStatus }>;
}

export interface ScenarioProgress {
  scenario: string;
  /** Latest status per step id, from the latest check run (quiz steps from answers). */
  steps: Record<string, StepStatus>;
  hintsUsed: number;
  solutionsRevealed: number;
  firstCheckAt?: string;
  lastCheckAt?: string;
  checks: number;
  startedAt?: string;
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

export class ProgressStore {
  private readonly db: Database.Database;
  /** Cohorts and issued sandbox keys of the Slack bot (same database, migration 2). */
  readonly cohorts: CohortStore;

  /** Opens (creating and migrating) the store; `:memory:` for tests. */
  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('synchronous = NORMAL');
      this.migrate();
    } catch (err) {
      throw new StoreError(`Cannot open the progress store ${file}: ${(err as Error).message}`);
    }
    this.cohorts = new CohortStore(this.db);
  }

  /** Applies pending migrations in one immediate transaction, so two processes never race. */
  private migrate(): void {
    const run = this.db.transaction(() => {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > MIGRATIONS.length) {
        throw new StoreError(`${this.file} was written by a newer ecs-lab (schema ${version}, this one knows ${MIGRATIONS.length}).`);
      }
      for (let v = version; v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }
    });
    run.immediate();
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    this.db.close();
  }

  private now(): string {
    return new Date().toISOString();
  }

  /** Records one check run and its step results atomically; returns the run id. */
  recordCheck(run: CheckRunRecord): number {
    const at = this.now();
    const tx = this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO check_runs (learner, scenario, at, status, passed, total, duration_ms, api_calls, target, account)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(run.learner, run.scenario, at, run.status, run.passed, run.total, run.durationMs, run.apiCalls, run.target, run.account ?? null);
      const id = Number(info.lastInsertRowid);
      const ins = this.db.prepare('INSERT INTO step_results (run_id, learner, scenario, step, status, at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const s of run.steps) ins.run(id, run.learner, run.scenario, s.id, s.status, at);
      return id;
    });
    return tx.immediate();
  }

  /** The status of each step in the learner's latest check run of a scenario. */
  latestStepStatuses(learner: string, scenario: string): Map<string, StepStatus> {
    const rows = this.db
      .prepare(
        `SELECT step, status FROM step_results
         WHERE run_id = (SELECT MAX(id) FROM check_runs WHERE learner = ? AND scenario = ?)`,
      )
      .all(learner, scenario) as Array<{ step: string; status: StepStatus }>;
    return new Map(rows.map((r) => [r.step, r.status]));
  }

  /** Status history of one step, oldest first. */
  stepHistory(learner: string, scenario: string, step: string): Array<{ status: StepStatus; at: string }> {
    return this.db
      .prepare('SELECT status, at FROM step_results WHERE learner = ? AND scenario = ? AND step = ? ORDER BY run_id')
      .all(learner, scenario, step) as Array<{ status: StepStatus; at: string }>;
  }

  /** Highest hint level the learner has seen for a step (0 = none). */
  hintLevel(learner: string, scenario: string, step: string): number {
    const row = this.db.prepare('SELECT MAX(level) AS level FROM hints WHERE learner = ? AND scenario = ? AND step = ?').get(learner, scenario, step) as {
      level: number | null;
    };
    return row.level ?? 0;
  }

  /** Highest hint level seen per step of a scenario. */
  hintLevels(learner: string, scenario: string): Map<string, number> {
    const rows = this.db.prepare('SELECT step, MAX(level) AS level FROM hints WHERE learner = ? AND scenario = ? GROUP BY step').all(learner, scenario) as Array<{
      step: string;
      level: number;
    }>;
    return new Map(rows.map((r) => [r.step, r.level]));
  }

  recordHint(learner: string, scenario: string, step: string, level: number): void {
    this.db.prepare('INSERT INTO hints (learner, scenario, step, level, at) VALUES (?, ?, ?, ?, ?)').run(learner, scenario, step, level, this.now());
  }

  recordSolution(learner: string, scenario: string, step: string): void {
    this.db.prepare('INSERT INTO solutions (learner, scenario, step, at) VALUES (?, ?, ?, ?)').run(learner, scenario, step, this.now());
  }

  recordAnswer(learner: string, scenario: string, step: string, choice: string, correct: boolean): void {
    this.db
      .prepare('INSERT INTO answers (learner, scenario, step, choice, correct, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(learner, scenario, step, choice, correct ? 1 : 0, this.now());
  }

  /** Quiz steps the learner has answered right at least once. */
  correctlyAnswered(learner: string, scenario: string): Set<string> {
    const rows = this.db.prepare('SELECT DISTINCT step FROM answers WHERE learner = ? AND scenario = ? AND correct = 1').all(learner, scenario) as Array<{
      step: string;
    }>;
    return new Set(rows.map((r) => r.step));
  }

  recordEvent(learner: string, scenario: string, event: 'start' | 'reset'): void {
    this.db.prepare('INSERT INTO scenario_events (learner, scenario, event, at) VALUES (?, ?, ?, ?)').run(learner, scenario, event, this.now());
  }

  /** The learner's latest start or reset of a scenario, if any. */
  lastEvent(learner: string, scenario: string): 'start' | 'reset' | undefined {
    const row = this.db.prepare('SELECT event FROM scenario_events WHERE learner = ? AND scenario = ? ORDER BY id DESC LIMIT 1').get(learner, scenario) as
      | { event: 'start' | 'reset' }
      | undefined;
    return row?.event;
  }

  /** Progress of one learner in one scenario. */
  progress(learner: string, scenario: string): ScenarioProgress {
    const runs = this.db
      .prepare('SELECT MIN(at) AS first, MAX(at) AS last, COUNT(*) AS n FROM check_runs WHERE learner = ? AND scenario = ?')
      .get(learner, scenario) as { first: string | null; last: string | null; n: number };
    const count = (table: string) =>
      (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE learner = ? AND scenario = ?`).get(learner, scenario) as { n: number }).n;
    const started = this.db
      .prepare(`SELECT MAX(at) AS at FROM scenario_events WHERE learner = ? AND scenario = ? AND event = 'start'`)
      .get(learner, scenario) as { at: string | null };
    const steps = Object.fromEntries(this.latestStepStatuses(learner, scenario));
    for (const s of this.correctlyAnswered(learner, scenario)) steps[s] = 'pass';
    return {
      scenario,
      steps,
      hintsUsed: count('hints'),
      solutionsRevealed: count('solutions'),
      firstCheckAt: runs.first ?? undefined,
      lastCheckAt: runs.last ?? undefined,
      checks: runs.n,
      startedAt: started.at ?? undefined,
    };
  }

  /** Number of check runs recorded (all learners). */
  countRuns(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM check_runs').get() as { n: number }).n;
  }

  /** SQLite's own integrity verdict ("ok" when sound). */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }
}

/** The store file under a lab home. */
export function storePath(home: string): string {
  return path.join(home, 'state.db');
}
