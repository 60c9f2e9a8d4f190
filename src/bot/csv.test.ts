import { describe, expect, it } from 'vitest';
import { cohortCsv, csvCell } from './csv.js';

describe('cohort CSV', () => {
  it('quotes cells that need it and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(3)).toBe('3');
  });

  it('has one row per member with Slack ids, totals and steps per scenario', () => {
    const csv = cohortCsv({
      cohort: { id: 1, team: 'T1', channel: 'C1', name: 'w1', facilitator: 'T1:UF', startedAt: '2026-01-01T00:00:00Z', members: 1 },
      scenarios: [
        { id: 'secrets', title: 'S', steps: 7 },
        { id: 'patching', title: 'P', steps: 7 },
      ],
      standings: [
        { rank: 1, learner: 'T1:UA', joinedAt: '2026-01-01T00:00:00Z', scenariosCompleted: 1, stepsPassed: 9, stepsTotal: 14, hintsUsed: 2, solutionsRevealed: 1, timeMs: 61_400, lastCheckAt: '2026-01-01T00:01:01Z', perScenario: { secrets: 7, patching: 2 } },
      ],
    });
    const [head, row, end] = csv.split('\r\n');
    expect(head).toBe('rank,team,user,scenarios_completed,steps_passed,steps_total,hints_used,solutions_revealed,time_seconds,joined_at,last_check_at,secrets_steps_passed,patching_steps_passed');
    expect(row).toBe('1,T1,UA,1,9,14,2,1,61,2026-01-01T00:00:00Z,2026-01-01T00:01:01Z,7,2');
    expect(end).toBe('');
  });
});
