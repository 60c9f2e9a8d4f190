import { describe, expect, it } from 'vitest';
import { standings, type MemberProgress } from './cohort.js';
import type { ProgressRow } from './types.js';

const row = (id: string, passed: number, total: number, extra: Partial<ProgressRow> = {}): ProgressRow => ({
  id,
  case: 1,
  title: id,
  passed,
  total,
  status: passed === total ? 'complete' : passed > 0 ? 'in-progress' : 'not-started',
  hintsUsed: 0,
  solutionsRevealed: 0,
  ...extra,
});

const member = (learner: string, progress: ProgressRow[], joinedAt = '2026-01-01T10:00:00.000Z'): MemberProgress => ({ learner, joinedAt, progress });

describe('cohort standings', () => {
  it('ranks by scenarios completed, then steps passed', () => {
    const r = standings([
      member('T:UA', [row('a', 2, 3), row('b', 1, 3)]),
      member('T:UB', [row('a', 3, 3), row('b', 0, 3)]),
      member('T:UC', [row('a', 2, 3), row('b', 2, 3)]),
    ]);
    expect(r.map((s) => [s.learner, s.rank])).toEqual([
      ['T:UB', 1],
      ['T:UC', 2],
      ['T:UA', 3],
    ]);
    expect(r[0]).toMatchObject({ scenariosCompleted: 1, stepsPassed: 3, stepsTotal: 6, perScenario: { a: 3, b: 0 } });
  });

  it('breaks ties by fewer hints and solutions, then less time; equal learners share a rank', () => {
    const at = (min: number) => new Date(Date.parse('2026-01-01T10:00:00.000Z') + min * 60_000).toISOString();
    const r = standings([
      member('T:UA', [row('a', 2, 3, { hintsUsed: 2, lastCheckAt: at(5) })]),
      member('T:UB', [row('a', 2, 3, { hintsUsed: 0, lastCheckAt: at(30) })]),
      member('T:UC', [row('a', 2, 3, { hintsUsed: 0, lastCheckAt: at(10) })]),
      member('T:UD', [row('a', 2, 3, { hintsUsed: 0, lastCheckAt: at(10) })]),
      member('T:UE', [row('a', 2, 3, { hintsUsed: 0 })]),
    ]);
    expect(r.map((s) => [s.learner, s.rank])).toEqual([
      ['T:UC', 1],
      ['T:UD', 1],
      ['T:UB', 3],
      ['T:UE', 4],
      ['T:UA', 5],
    ]);
    expect(r[0]!.timeMs).toBe(10 * 60_000);
    expect(r[3]!.timeMs).toBeUndefined();
  });

  it('counts no time for checks made before joining', () => {
    const [s] = standings([member('T:UA', [row('a', 1, 3, { lastCheckAt: '2026-01-01T09:00:00.000Z' })])]);
    expect(s!.timeMs).toBeUndefined();
  });
});
