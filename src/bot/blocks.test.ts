import { describe, expect, it } from 'vitest';
import type { CheckReport, StepReport } from '../scenarios/report.js';
import {
  ACTION,
  LIMITS,
  checkReportMessage,
  clamp,
  credentialsMessage,
  credentialsModal,
  esc,
  formatDuration,
  helpMessage,
  hintMessage,
  homeView,
  leaderboardMessage,
  parseButtonValue,
  solutionMessage,
  type SlackMessage,
} from './blocks.js';
import type { CatalogScenario, CohortBoard } from './lab/types.js';

const step = (id: string, status: StepReport['status'], checks: StepReport['checks'] = [], kind: StepReport['kind'] = 'check'): StepReport => ({
  id,
  kind,
  title: `Title of ${id}`,
  status,
  checks,
});

const failing = (id: string, message: string, controls = ['ECS.8']) => ({ id, status: 'fail' as const, message, resources: [], controls, docs: [] });

const report = (steps: StepReport[]): CheckReport => ({
  scenario: 'secrets',
  learner: 'T1:UA',
  target: { kind: 'local', endpoint: 'http://127.0.0.1:4566', account: '123456789012', region: 'us-east-1' },
  status: steps.every((s) => s.status === 'pass') ? 'pass' : 'fail',
  passed: steps.filter((s) => s.status === 'pass').length,
  total: steps.length,
  steps,
  durationMs: 84,
  apiCalls: 11,
});

const catalog: CatalogScenario = {
  id: 'secrets',
  case: 4,
  title: 'Sensitive data into containers',
  question: 'q',
  steps: [
    { id: 'a', kind: 'check', title: 'Title of a' },
    { id: 'quiz', kind: 'quiz', title: 'Title of quiz', question: 'Which one?', choices: [
      { id: 'a', text: 'first' },
      { id: 'b', text: 'second' },
    ] },
  ],
};

type AnyBlocks = { blocks: unknown[] };
interface ButtonLike {
  action_id: string;
  value?: string;
  confirm?: unknown;
  text: { text: string };
}
type LooseBlock = { type: string; text?: { text: string }; accessory?: ButtonLike; elements?: ButtonLike[] };

/** Every section text of a message. */
function sections(m: AnyBlocks): string[] {
  return (m.blocks as LooseBlock[]).flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
}
/** Every button, in order (actions blocks and section accessories). */
function buttons(m: AnyBlocks): ButtonLike[] {
  return (m.blocks as LooseBlock[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : b.type === 'section' && b.accessory ? [b.accessory] : []));
}

describe('checkReportMessage', () => {
  it('has one section per step with ✅/❌ and the title, failing checks with message and controls', () => {
    const m = checkReportMessage(
      report([step('a', 'pass'), step('b', 'fail', [failing('ecs-no-secret-env', 'Task definition x:1: DB_PASSWORD holds a literal value (redacted).', ['ECS.8', 'SecretsManager.1'])])]),
      catalog,
    );
    const s = sections(m);
    expect(s[0]).toContain('Case 4: Sensitive data into containers');
    expect(s[0]).toContain('*1/2* steps pass');
    expect(s).toContain('✅ *Title of a*');
    const failed = s.find((x) => x.startsWith('❌ *Title of b*'))!;
    expect(failed).toContain('`ecs-no-secret-env` [ECS.8, SecretsManager.1]: Task definition x:1: DB_PASSWORD holds a literal value (redacted).');
    expect(m.text).toBe('secrets: 1/2 steps pass (fail).');
  });

  it('offers Check / Hint / Solution, the Solution behind a confirm dialog, for the first open step', () => {
    const m = checkReportMessage(report([step('a', 'pass'), step('b', 'fail', [failing('c', 'm')]), step('c', 'fail', [failing('c', 'm')])]));
    const b = buttons(m);
    expect(b.map((x) => x.action_id)).toEqual([ACTION.check, ACTION.hint, ACTION.solution]);
    expect(b.map((x) => x.value)).toEqual(['secrets', 'secrets', 'secrets:b']);
    expect(b[2]!.confirm).toMatchObject({ confirm: { text: 'Show it' } });
    expect(b[0]!.confirm).toBeUndefined();
  });

  it('marks read errors apart from failures and escapes Slack markup in messages', () => {
    const m = checkReportMessage(report([step('a', 'error', [{ ...failing('c', 'AccessDenied on <arn> & more'), status: 'error' }])]));
    expect(sections(m)[1]).toContain('⚠️ *Title of a*');
    expect(sections(m)[1]).toContain('_(error)_: AccessDenied on &lt;arn&gt; &amp; more');
  });

  it('asks open quizzes with one answer button per choice', () => {
    const m = checkReportMessage(report([step('a', 'pass'), step('quiz', 'fail', [], 'quiz')]), catalog);
    expect(sections(m).join('\n')).toContain('*Which one?*\n*a*: first\n*b*: second');
    expect(buttons(m).filter((b) => b.action_id.startsWith(ACTION.answer)).map((b) => [b.action_id, b.value])).toEqual([
      ['lab_answer_a', 'secrets:quiz:a'],
      ['lab_answer_b', 'secrets:quiz:b'],
    ]);
  });

  it('keeps every section within 3,000 characters', () => {
    const long = 'x'.repeat(5000);
    const m = checkReportMessage(report([step('a', 'fail', [failing('c', long), failing('d', long)])]));
    for (const s of sections(m)) expect(s.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(sections(m)[1]).toMatch(/ecs-lab check secrets/);
  });

  it('condenses a report beyond 50 blocks to the open steps and a pointer to App Home and the CLI', () => {
    const steps = Array.from({ length: 60 }, (_, i) => step(`s${i}`, i % 2 ? 'fail' : 'pass', i % 2 ? [failing('c', 'm')] : []));
    const m = checkReportMessage(report(steps));
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(sections(m).join('\n')).toContain('30 step(s) still open');
    expect(JSON.stringify(m.blocks)).toContain('App Home');
    expect(JSON.stringify(m.blocks)).toContain('ecs-lab check secrets');
    expect(m.text).toBe('secrets: 30/60 steps pass (fail).');
    expect(buttons(m).map((b) => b.action_id)).toContain(ACTION.solution);
  });

  it('celebrates a passing report', () => {
    const m = checkReportMessage(report([step('a', 'pass')]));
    expect(sections(m)[0]).toContain('Every step is fixed');
  });
});

describe('Block Kit rules', () => {
  it('action ids are unique within every actions block of every message and view', () => {
    const quizReport = checkReportMessage(report([step('a', 'fail', [failing('c', 'm')]), step('quiz', 'fail', [], 'quiz')]), catalog);
    const home = homeView('UA', {
      progress: [{ id: 'secrets', case: 4, title: 'S', passed: 0, total: 7, status: 'not-started', hintsUsed: 0, solutionsRevealed: 0 }],
      cohorts: [],
      sandbox: { target: 'local', region: 'us-east-1' },
    });
    const hint = hintMessage('secrets', { scenario: 'secrets', step: 'a', stepTitle: 'A', level: 1, final: false, text: 't' });
    for (const m of [quizReport, home, hint] as AnyBlocks[]) {
      for (const b of m.blocks as LooseBlock[]) {
        if (b.type !== 'actions') continue;
        const ids = (b.elements ?? []).map((e) => e.action_id);
        expect(new Set(ids).size).toBe(ids.length);
      }
    }
  });
});

describe('button values', () => {
  it('round-trip scenario, step and choice', () => {
    expect(parseButtonValue('secrets')).toEqual({ scenario: 'secrets', step: undefined, choice: undefined });
    expect(parseButtonValue('secrets:rotation:b')).toEqual({ scenario: 'secrets', step: 'rotation', choice: 'b' });
  });
  it('reject anything that could name a learner or carry other data', () => {
    for (const v of ['T0LAB:UBOB:secrets', 'secrets:a:b:c', '', '../x', 'secrets;rm', 'SECRETS', undefined]) expect(parseButtonValue(v)).toBeUndefined();
  });
});

describe('other messages', () => {
  it('always set a plain-text fallback and stay within the limits', () => {
    const all: SlackMessage[] = [
      helpMessage(),
      helpMessage('"frobnicate" is not an /ecslab command.'),
      hintMessage('secrets', null),
      hintMessage('secrets', { scenario: 'secrets', step: 'a', stepTitle: 'A', level: 3, final: true, text: 'do it' }),
      solutionMessage({ scenario: 'secrets', step: 'a', stepTitle: 'A', text: 'why', cli: ['aws ecs x'.repeat(500)] }),
    ];
    for (const m of all) {
      expect(m.text.length).toBeGreaterThan(0);
      expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
      for (const s of sections(m)) expect(s.length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
  });

  it('hint: more specific hint button until the final level', () => {
    const h = { scenario: 'secrets', step: 'a', stepTitle: 'A', level: 1, final: false, text: 'look at env' };
    expect(buttons(hintMessage('secrets', h)).map((b) => [b.action_id, b.value])).toEqual([
      [ACTION.hint, 'secrets:a'],
      [ACTION.check, 'secrets'],
    ]);
    expect(buttons(hintMessage('secrets', { ...h, level: 3, final: true })).map((b) => b.action_id)).toEqual([ACTION.check]);
  });

  it('credentials: export lines with the CLI-version note, and a rotate button with a confirm in the modal', () => {
    const c = { target: 'local' as const, endpoint: 'http://lab:4566', region: 'eu-west-1', account: '123456789012', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's3cr3t', rotated: false };
    const text = JSON.stringify(credentialsMessage(c));
    expect(text).toContain('export AWS_ENDPOINT_URL=http://lab:4566');
    expect(text).toContain('export AWS_SECRET_ACCESS_KEY=s3cr3t');
    expect(text).toContain('2.13');
    const modal = credentialsModal(c);
    expect(modal.type).toBe('modal');
    expect(buttons(modal)).toMatchObject([{ action_id: ACTION.rotate, confirm: {} }]);
    expect(buttons(modal)[0]!.value).not.toContain('s3cr3t');
  });

  it('App Home: Start / Check / Hint per scenario, cohort rank, sandbox details without the secret', () => {
    const progress = [
      { id: 'secrets', case: 4, title: 'Secrets', passed: 2, total: 7, status: 'in-progress' as const, hintsUsed: 1, solutionsRevealed: 0 },
      { id: 'patching', case: 1, title: 'Patching', passed: 0, total: 7, status: 'not-started' as const, hintsUsed: 0, solutionsRevealed: 0 },
    ];
    const standing = { rank: 1, learner: 'T1:UA', joinedAt: '2026-01-01T00:00:00Z', scenariosCompleted: 0, stepsPassed: 2, stepsTotal: 14, hintsUsed: 1, solutionsRevealed: 0, perScenario: {} };
    const view = homeView('UA', {
      progress,
      cohorts: [{ cohort: { id: 1, team: 'T1', channel: 'C1', name: 'week1', facilitator: 'T1:UF', startedAt: '2026-01-01T00:00:00Z', members: 3 }, rank: 1, of: 3, top: [standing] }],
      sandbox: { target: 'local', region: 'us-east-1', endpoint: 'http://lab:4566', account: '123456789012', accessKeyId: 'AKIAEXAMPLE' },
    });
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.homeBlocks);
    const b = buttons(view);
    expect(b.filter((x) => x.value === 'secrets').map((x) => x.action_id)).toEqual([ACTION.start, ACTION.check, ACTION.hint]);
    expect(b.at(-1)).toMatchObject({ action_id: ACTION.creds });
    const text = JSON.stringify(view);
    expect(text).toContain('you are #1 of 3');
    expect(text).toContain('account `123456789012`');
    expect(text).not.toContain('SECRET');
  });
});

describe('leaderboardMessage', () => {
  const board = (n: number): CohortBoard => ({
    cohort: { id: 1, team: 'T1', channel: 'C1', name: 'week1', facilitator: 'T1:UF', startedAt: '2026-01-01T00:00:00.000Z', members: n },
    scenarios: [{ id: 'secrets', title: 'S', steps: 7 }],
    standings: Array.from({ length: n }, (_, i) => ({
      rank: i + 1,
      learner: `T1:U${String(i).padStart(4, '0')}`,
      joinedAt: '2026-01-01T00:00:00.000Z',
      scenariosCompleted: 0,
      stepsPassed: n - i,
      stepsTotal: 7,
      hintsUsed: i,
      solutionsRevealed: 0,
      timeMs: 65_000 * (i + 1),
      perScenario: {},
    })),
  });

  it('shows rank, member (by id, as a mention), steps, hints and time', () => {
    const m = leaderboardMessage(board(3), '2026-01-01T01:00:00.000Z');
    const s = sections(m).join('\n');
    expect(s).toContain('🥇 <@U0000> — 0 scenario(s) · 3/7 steps · 0 hint(s) · 1:05');
    expect(s).toContain('🥉 <@U0002>');
    expect(m.text).toContain('week1 leaderboard: 3 member(s)');
  });

  it('stays within the limits for a large cohort', () => {
    const m = leaderboardMessage(board(300), '2026-01-01T01:00:00.000Z');
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    for (const s of sections(m)) expect(s.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(JSON.stringify(m.blocks)).toContain('and 260 more');
  });
});

describe('helpers', () => {
  it('escape, clamp and format', () => {
    expect(esc('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(clamp('abcdef', 4)).toBe('abc…');
    expect(clamp('abc', 4)).toBe('abc');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
