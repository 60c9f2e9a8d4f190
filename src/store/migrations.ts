/**
 * Versioned migrations of the progress store. Each entry moves the schema from version i to
 * i + 1 (PRAGMA user_version); entries are never edited once released, only appended.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: progress per learner and scenario
  `
  CREATE TABLE check_runs (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    scenario TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pass','fail','error','skip')),
    passed INTEGER NOT NULL,
    total INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    api_calls INTEGER NOT NULL,
    target TEXT NOT NULL,
    account TEXT
  );
  CREATE INDEX check_runs_by_learner ON check_runs (learner, scenario, id);
  CREATE TABLE step_results (
    run_id INTEGER NOT NULL REFERENCES check_runs (id) ON DELETE CASCADE,
    learner TEXT NOT NULL,
    scenario TEXT NOT NULL,
    step TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pass','fail','error','skip')),
    at TEXT NOT NULL
  );
  CREATE INDEX step_results_by_step ON step_results (learner, scenario, step, run_id);
  CREATE TABLE hints (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    scenario TEXT NOT NULL,
    step TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    at TEXT NOT NULL
  );
  CREATE INDEX hints_by_step ON hints (learner, scenario, step);
  CREATE TABLE solutions (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    scenario TEXT NOT NULL,
    step TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX solutions_by_step ON solutions (learner, scenario, step);
  CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    scenario TEXT NOT NULL,
    step TEXT NOT NULL,
    choice TEXT NOT NULL,
    correct INTEGER NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX answers_by_step ON answers (learner, scenario, step);
  CREATE TABLE scenario_events (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL,
    scenario TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('start','reset')),
    at TEXT NOT NULL
  );
  CREATE INDEX scenario_events_by_learner ON scenario_events (learner, scenario);
  `,
  // 2: Slack bot: cohorts (facilitated sessions in a channel) and the sandbox key each learner was issued
  `
  CREATE TABLE cohorts (
    id INTEGER PRIMARY KEY,
    team TEXT NOT NULL,
    channel TEXT NOT NULL,
    name TEXT NOT NULL,
    facilitator TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    board_channel TEXT,
    board_ts TEXT
  );
  CREATE UNIQUE INDEX cohorts_active_name ON cohorts (team, name) WHERE ended_at IS NULL;
  CREATE UNIQUE INDEX cohorts_active_channel ON cohorts (team, channel) WHERE ended_at IS NULL;
  CREATE TABLE cohort_members (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    learner TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, learner)
  );
  CREATE INDEX cohort_members_by_learner ON cohort_members (learner);
  CREATE TABLE sandbox_keys (
    learner TEXT PRIMARY KEY,
    access_key_id TEXT NOT NULL,
    account TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    rotated_at TEXT
  );
  `,
];
