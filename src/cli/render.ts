/**
 * Human-readable rendering for the CLI. Meaning is carried by symbols and words (✔ PASS, ✖ FAIL),
 * colour only adds to it, and is off for NO_COLOR, --no-color, TERM=dumb and non-TTY output.
 */
import type { CheckItem, CheckReport, StepReport } from '../scenarios/report.js';
import type { ProgressRow, ScenarioSummary } from '../scenarios/types.js';

export interface Style {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (code: number, reset: number) => (s: string) => `\u001b[${code}m${s}\u001b[${reset}m`;

/** Colour when allowed, plain text otherwise. */
export function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    const id = (s: string) => s;
    return { green: id, red: id, yellow: id, dim: id, bold: id };
  }
  return { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

export function colorEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined>, noColorFlag: boolean): boolean {
  if (noColorFlag || env.NO_COLOR !== undefined || env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR === '0') return false;
  return Boolean(stream.isTTY);
}

const SYMBOL: Record<string, string> = { pass: '✔', fail: '✖', error: '!', skip: '-' };
const WORD: Record<string, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIP' };

function paint(st: Style, status: string, s: string): string {
  if (status === 'pass') return st.green(s);
  if (status === 'fail') return st.red(s);
  if (status === 'error') return st.yellow(s);
  return st.dim(s);
}

export function statusLabel(st: Style, status: string): string {
  return paint(st, status, `${SYMBOL[status] ?? '?'} ${(WORD[status] ?? status.toUpperCase()).padEnd(5)}`);
}

function checkLines(st: Style, c: CheckItem): string[] {
  const lines = [`      ${paint(st, c.status, SYMBOL[c.status] ?? '?')} ${c.id}: ${c.message}`];
  const meta = [c.controls.length ? `controls: ${c.controls.join(', ')}` : '', c.docs[0] ? `docs: ${c.docs[0]}` : ''].filter(Boolean);
  if (meta.length && c.status !== 'pass') lines.push(st.dim(`        ${meta.join(' · ')}`));
  return lines;
}

/** A quiz's question and choices, shown under its step until it is answered. */
export interface QuizText {
  readonly question: string;
  readonly choices: readonly { readonly id: string; readonly text: string }[];
}

/** One step: a status line, and for anything but a pass, each check's message and controls. */
export function renderStep(st: Style, step: StepReport, index: number, quiz?: QuizText): string {
  const head = `${statusLabel(st, step.status)} ${index + 1}. ${step.title}${step.kind === 'quiz' ? st.dim(' (quiz)') : ''}`;
  if (step.status === 'pass') return head;
  const asked = quiz ? [`      ${quiz.question}`, ...quiz.choices.map((c) => `        ${c.id}) ${c.text}`)] : [];
  return [head, ...asked, ...step.checks.filter((c) => c.status !== 'pass').flatMap((c) => checkLines(st, c))].join('\n');
}

export function renderTargetLine(st: Style, r: Pick<CheckReport, 'target'>): string {
  const t = r.target;
  return st.dim(`target ${t.kind}${t.endpoint ? ` ${t.endpoint}` : ''} · account ${t.account ?? 'unknown'} · ${t.region}`);
}

export function renderSummary(st: Style, r: CheckReport): string {
  const verdict =
    r.status === 'pass'
      ? st.green(`✔ All ${r.total} steps pass.`)
      : r.status === 'error'
        ? st.yellow(`! ${r.passed}/${r.total} steps pass; some state could not be read (see ERROR above).`)
        : st.red(`✖ ${r.passed}/${r.total} steps pass.`);
  const next = r.status === 'fail' ? `\nNext: ecs-lab hint ${r.scenario}` : '';
  return `${verdict} ${st.dim(`${r.durationMs} ms · ${r.apiCalls} API calls`)}${next}`;
}

export function renderReport(st: Style, r: CheckReport, quizzes: ReadonlyMap<string, QuizText> = new Map()): string {
  return [renderTargetLine(st, r), ...r.steps.map((s, i) => renderStep(st, s, i, quizzes.get(s.id))), renderSummary(st, r)].join('\n');
}

function bar(passed: number, total: number, width = 10): string {
  const filled = total ? Math.round((passed / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function renderList(st: Style, rows: ScenarioSummary[]): string {
  const lines = rows.map(
    (s) =>
      `${String(s.case).padStart(2)}. ${s.id.padEnd(18)} ${bar(s.progress.passed, s.progress.total)} ${`${s.progress.passed}/${s.progress.total}`.padEnd(5)} ${s.title} ${st.dim(`(${s.launchTypes.join(', ')})`)}`,
  );
  return lines.join('\n');
}

export function renderProgress(st: Style, rows: ProgressRow[]): string {
  const head = st.bold(`${'scenario'.padEnd(18)} ${'steps'.padEnd(6)} ${'hints'.padEnd(5)} ${'solutions'.padEnd(9)} last check`);
  const lines = rows.map(
    (r) =>
      `${r.id.padEnd(18)} ${`${r.passed}/${r.total}`.padEnd(6)} ${String(r.hintsUsed).padEnd(5)} ${String(r.solutionsRevealed).padEnd(9)} ${r.lastCheckAt ?? st.dim('never')}${r.status === 'complete' ? st.green(' ✔ complete') : ''}`,
  );
  return [head, ...lines].join('\n');
}
