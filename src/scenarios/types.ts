/** Domain types of the engine that are not inferred from the scenarios schema. */

export type { Connection } from '../aws/connect.js';
import type { CheckStatus } from '../checks/types.js';

export interface ScenarioSummary {
  id: string;
  case: number;
  title: string;
  question: string;
  launchTypes: string[];
  steps: number;
  progress: { passed: number; total: number; status: 'not-started' | 'in-progress' | 'complete' };
}

export interface HintResult {
  scenario: string;
  step: string;
  stepTitle: string;
  level: number;
  /** True when this level is the full solution. */
  final: boolean;
  text: string;
}

export interface SolutionResult {
  scenario: string;
  step: string;
  stepTitle: string;
  text: string;
  cli: string[];
}

export interface AnswerResult {
  scenario: string;
  step: string;
  choice: string;
  correct: boolean;
  /** The explanation, shown once the answer is right. */
  explanation?: string;
}

export interface ProgressRow {
  id: string;
  case: number;
  title: string;
  passed: number;
  total: number;
  status: 'not-started' | 'in-progress' | 'complete';
  hintsUsed: number;
  solutionsRevealed: number;
  firstCheckAt?: string;
  lastCheckAt?: string;
  startedAt?: string;
}

/** What the lab knows of one learner's scenario, step by step (Engine.state). */
export interface ScenarioState {
  id: string;
  /** The scenario was started and not reset since. */
  started: boolean;
  /** Latest known status per step: the last check run, quiz steps from right answers; absent = never checked. */
  steps: Record<string, CheckStatus>;
  /** Highest hint level seen per step; the next hint() gives one more, and level 3 is the full solution. */
  hintLevels: Record<string, number>;
}
