/**
 * Cohort standings: how a facilitated session ranks its members. Pure, so the leaderboard, the
 * App Home rank and the CSV report all agree.
 */
import type { ProgressRow } from './types.js';

export interface MemberProgress {
  learner: string;
  joinedAt: string;
  progress: ProgressRow[];
}

export interface Standing {
  rank: number;
  learner: string;
  joinedAt: string;
  scenariosCompleted: number;
  stepsPassed: number;
  stepsTotal: number;
  hintsUsed: number;
  solutionsRevealed: number;
  /** From joining to the learner's latest check; undefined before their first check after joining. */
  timeMs?: number;
  lastCheckAt?: string;
  /** Steps passed per scenario id. */
  perScenario: Record<string, number>;
}

function latest(dates: Array<string | undefined>): string | undefined {
  return dates.filter((d): d is string => Boolean(d)).sort().at(-1);
}

/** Totals of one member. Progress is the learner's own across the lab, not reset by joining. */
export function memberTotals(m: MemberProgress): Omit<Standing, 'rank'> {
  const lastCheckAt = latest(m.progress.map((p) => p.lastCheckAt));
  const elapsed = lastCheckAt ? Date.parse(lastCheckAt) - Date.parse(m.joinedAt) : Number.NaN;
  return {
    learner: m.learner,
    joinedAt: m.joinedAt,
    scenariosCompleted: m.progress.filter((p) => p.status === 'complete').length,
    stepsPassed: m.progress.reduce((n, p) => n + p.passed, 0),
    stepsTotal: m.progress.reduce((n, p) => n + p.total, 0),
    hintsUsed: m.progress.reduce((n, p) => n + p.hintsUsed, 0),
    solutionsRevealed: m.progress.reduce((n, p) => n + p.solutionsRevealed, 0),
    timeMs: Number.isFinite(elapsed) && elapsed >= 0 ? elapsed : undefined,
    lastCheckAt,
    perScenario: Object.fromEntries(m.progress.map((p) => [p.id, p.passed])),
  };
}

/**
 * Ranks members: more scenarios completed, then more steps passed, then fewer hints and
 * solutions, then less time (no time yet ranks last); ties share a rank (1, 2, 2, 4).
 */
export function standings(members: readonly MemberProgress[]): Standing[] {
  const rows = members.map(memberTotals);
  const key = (r: Omit<Standing, 'rank'>): number[] => [
    -r.scenariosCompleted,
    -r.stepsPassed,
    r.hintsUsed + r.solutionsRevealed,
    r.timeMs ?? Number.MAX_SAFE_INTEGER,
  ];
  const cmp = (a: number[], b: number[]): number => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  };
  rows.sort((a, b) => cmp(key(a), key(b)) || a.learner.localeCompare(b.learner));
  const out: Standing[] = [];
  rows.forEach((r, i) => {
    const prev = out[i - 1];
    const rank = prev && cmp(key(rows[i - 1]!), key(r)) === 0 ? prev.rank : i + 1;
    out.push({ ...r, rank });
  });
  return out;
}
