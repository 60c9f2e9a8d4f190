/**
 * The lab as the Slack bot sees it: the engine API per learner, their sandbox, and cohorts. It
 * runs off the Slack request path (in a worker thread by default) and every value crossing that
 * boundary is plain data.
 */
import type { Standing } from '../../scenarios/cohort.js';
import type { CheckReport } from '../../scenarios/report.js';
import type { AnswerResult, HintResult, ProgressRow, ScenarioSummary, SolutionResult } from '../../scenarios/types.js';

export type BotTarget = 'local' | 'aws';

/** What the lab host needs; nothing in it is secret (AWS credentials come from the environment). */
export interface LabConfig {
  target: BotTarget;
  /** The progress store file (`$ECS_LAB_HOME/state.db`). */
  storeFile: string;
  /** scenarios.yaml; the packaged one when undefined. */
  scenariosFile?: string;
  region: string;
  /** Local target: the embedded sandbox the bot hosts (auth sigv4, one account per learner). */
  sandbox?: { host: string; port: number; dataDir?: string; publicUrl?: string };
  /** AWS target: accounts learners' roles may live in. */
  allowedAccounts: string[];
}

/** Who acts, as resolved by the bot's access control from the signed Slack request. */
export interface Actor {
  /** `TEAM:USER`. */
  learner: string;
  /** AWS target: the learner's role in their sandbox account (from the learners file). */
  roleArn?: string;
}

export interface CatalogStep {
  id: string;
  kind: 'check' | 'quiz';
  title: string;
  question?: string;
  choices?: Array<{ id: string; text: string }>;
}

export interface CatalogScenario {
  id: string;
  case: number;
  title: string;
  question: string;
  steps: CatalogStep[];
}

/** Where a learner's sandbox is, without any secret. */
export interface SandboxInfo {
  target: BotTarget;
  region: string;
  endpoint?: string;
  account?: string;
  accessKeyId?: string;
  roleArn?: string;
}

/** Local target: the learner's own key pair (shown only to them, ephemerally). */
export interface LocalCredentials {
  target: 'local';
  endpoint: string;
  region: string;
  account: string;
  accessKeyId: string;
  secretAccessKey: string;
  rotated: boolean;
}

/** AWS target: the role the learner assumes; the bot holds no long-term secret for it. */
export interface RoleCredentials {
  target: 'aws';
  region: string;
  roleArn: string;
  account: string;
}

export type LearnerCredentials = LocalCredentials | RoleCredentials;

export interface StartSummary {
  scenario: string;
  title: string;
  briefing: string;
  created: number;
  existing: number;
}

export interface ResetSummary {
  scenario: string | null;
  removed: number;
}

export interface CohortSummary {
  id: number;
  team: string;
  channel: string;
  name: string;
  facilitator: string;
  startedAt: string;
  endedAt?: string;
  board?: { channel: string; ts: string };
  members: number;
}

export interface CohortBoard {
  cohort: CohortSummary;
  standings: Standing[];
  scenarios: Array<{ id: string; title: string; steps: number }>;
}

/** A learner's place in one cohort (App Home). */
export interface LearnerCohort {
  cohort: CohortSummary;
  rank?: number;
  of: number;
  top: Standing[];
}

export interface HomeData {
  progress: ProgressRow[];
  cohorts: LearnerCohort[];
  sandbox: SandboxInfo;
}

/** The lab API the bot calls. Every method is async: the host may live in another thread. */
export interface LabApi {
  catalog(): Promise<CatalogScenario[]>;
  /** Where the lab runs (the sandbox's own address on the local target). */
  info(): Promise<{ target: BotTarget; sandboxUrl?: string }>;
  list(a: Actor): Promise<ScenarioSummary[]>;
  start(a: Actor, id: string): Promise<StartSummary>;
  check(a: Actor, id: string): Promise<CheckReport>;
  hint(a: Actor, id: string, step?: string): Promise<HintResult | null>;
  solution(a: Actor, id: string, step?: string): Promise<SolutionResult>;
  answer(a: Actor, id: string, step: string, choice: string): Promise<AnswerResult>;
  reset(a: Actor, id: string | null): Promise<ResetSummary>;
  progress(a: Actor): Promise<ProgressRow[]>;
  /** Sandbox details; `issue` creates the learner's account on the local target when missing. */
  sandbox(a: Actor, issue: boolean): Promise<SandboxInfo>;
  credentials(a: Actor, rotate: boolean): Promise<LearnerCredentials>;
  home(a: Actor): Promise<HomeData>;
  cohortStart(team: string, channel: string, name: string, facilitator: string): Promise<CohortSummary>;
  cohortJoin(team: string, name: string, learner: string): Promise<{ cohort: CohortSummary; joined: boolean }>;
  /** The running cohort of a channel; with `includeEnded`, else the one that ended there last. */
  cohortInChannel(team: string, channel: string, includeEnded?: boolean): Promise<CohortSummary | undefined>;
  cohortBoard(cohortId: number): Promise<CohortBoard>;
  cohortSetBoard(cohortId: number, channel: string, ts: string): Promise<void>;
  cohortEnd(cohortId: number): Promise<CohortSummary>;
  /** Ids of the running cohorts a learner belongs to (whose boards change with their progress). */
  cohortIdsOf(learner: string): Promise<number[]>;
  close(): Promise<void>;
}

/** An error from the lab, with a code that survives the thread boundary. */
export class LabError extends Error {
  override readonly name = 'LabError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
