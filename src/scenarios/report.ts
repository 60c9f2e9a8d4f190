/**
 * The check report of CONTRACT §4 and the event stream it folds from. Adapters render either the
 * events as they come (TUI, watch mode) or the folded report (JSON, Slack).
 */
import type { TargetInfo } from '../aws/session.js';
import type { CheckStatus } from '../checks/types.js';

export interface CheckItem {
  id: string;
  status: CheckStatus;
  message: string;
  resources: string[];
  controls: string[];
  docs: string[];
}

export interface StepReport {
  id: string;
  kind: 'check' | 'quiz';
  title: string;
  status: CheckStatus;
  checks: CheckItem[];
}

export interface CheckReport {
  scenario: string;
  learner: string;
  target: TargetInfo;
  status: CheckStatus;
  passed: number;
  total: number;
  steps: StepReport[];
  durationMs: number;
  apiCalls: number;
}

export interface StepInfo {
  id: string;
  kind: 'check' | 'quiz';
  title: string;
}

export type RunEvent =
  | { type: 'started'; scenario: string; learner: string; target: TargetInfo; steps: StepInfo[] }
  | { type: 'step-started'; step: StepInfo }
  | { type: 'check-finished'; step: string; check: CheckItem }
  | { type: 'step-finished'; step: StepReport }
  | { type: 'finished'; report: CheckReport };

/**
 * A step's status from its checks: any error -> error (state could not be read, so nothing is
 * known); else any fail -> fail; all skipped -> skip; else pass.
 */
export function foldStatus(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes('error')) return 'error';
  if (statuses.includes('fail')) return 'fail';
  if (statuses.length > 0 && statuses.every((s) => s === 'skip')) return 'skip';
  return 'pass';
}

/**
 * The report's totals: skipped steps (not applicable on this target) count neither way; the
 * scenario passes only when every other step passes.
 */
export function summarise(steps: readonly StepReport[]): Pick<CheckReport, 'status' | 'passed' | 'total'> {
  const counted = steps.filter((s) => s.status !== 'skip');
  const passed = counted.filter((s) => s.status === 'pass').length;
  const status = foldStatus(counted.map((s) => s.status));
  return { status: counted.length === 0 ? 'skip' : status, passed, total: counted.length };
}

/** Folds an event stream into the final report (the `finished` event carries it). */
export async function foldReport(events: AsyncIterable<RunEvent>): Promise<CheckReport> {
  let report: CheckReport | undefined;
  for await (const e of events) if (e.type === 'finished') report = e.report;
  if (!report) throw new Error('the check run ended without a report');
  return report;
}
