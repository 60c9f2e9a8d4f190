/** The cohort report as CSV (RFC 4180), one row per member, learners by Slack ids only. */
import type { CohortBoard } from './lab/types.js';

/** Quotes a cell when needed, and defuses cells a spreadsheet would run as a formula. */
export function csvCell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function cohortCsv(b: CohortBoard): string {
  const ids = b.scenarios.map((s) => s.id);
  const head = ['rank', 'team', 'user', 'scenarios_completed', 'steps_passed', 'steps_total', 'hints_used', 'solutions_revealed', 'time_seconds', 'joined_at', 'last_check_at', ...ids.map((id) => `${id}_steps_passed`)];
  const rows = b.standings.map((s) => {
    const [team, user] = s.learner.includes(':') ? [s.learner.slice(0, s.learner.indexOf(':')), s.learner.slice(s.learner.indexOf(':') + 1)] : ['', s.learner];
    return [
      s.rank,
      team,
      user,
      s.scenariosCompleted,
      s.stepsPassed,
      s.stepsTotal,
      s.hintsUsed,
      s.solutionsRevealed,
      s.timeMs === undefined ? undefined : Math.round(s.timeMs / 1000),
      s.joinedAt,
      s.lastCheckAt,
      ...ids.map((id) => s.perScenario[id] ?? 0),
    ];
  });
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
