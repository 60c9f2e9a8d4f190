/** Domain types of the engine that are not inferred from the scenarios schema. */

export type { Connection } from '../aws/connect.js';

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
