/**
 * The CLI's commands: each turns parsed arguments into engine calls and renders the result.
 * No lab logic lives here.
 */
import readline from 'node:readline/promises';
import { connectTarget, type Connection } from '../aws/connect.js';
import { resolveHome, resolveLearner, resolveTargetSpec, type TargetFlags } from '../aws/target.js';
import { createEngine, type Engine } from '../scenarios/engine.js';
import { EngineError } from '../scenarios/errors.js';
import { loadScenarios } from '../scenarios/load.js';
import type { CheckReport, RunEvent } from '../scenarios/report.js';
import { ProgressStore, storePath } from '../store/store.js';
import type { ParsedArgs } from './args.js';
import { USAGE } from './args.js';
import { colorEnabled, makeStyle, renderList, renderProgress, renderReport, renderStep, renderSummary, renderTargetLine, type QuizText, type Style } from './render.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

interface Ctx {
  args: ParsedArgs;
  io: Io;
  st: Style;
  engine: Engine;
  out(line: string): void;
  note(line: string): void;
  json(value: unknown): void;
}

const EXIT_FOR_STATUS: Record<string, number> = { pass: 0, skip: 0, fail: 1, error: 3 };

function need(args: ParsedArgs, what: string): string {
  const v = args.positionals[0];
  if (!v) throw new EngineError('USAGE', `ecs-lab ${args.command} needs ${what} (valid: patching, task-roles, network-isolation, secrets, capabilities, tag-access).`);
  return v;
}

/** Asks for confirmation before changing state in a real AWS account (CONTRACT §2). */
async function confirmAws(c: Ctx, conn: Connection, action: string): Promise<void> {
  if (conn.target.kind !== 'aws') return;
  c.note(`Target: AWS account ${conn.account} (${conn.principal}) in ${conn.target.region}.`);
  if (c.args.flags.yes) return;
  if (!c.io.stdin.isTTY) {
    throw new EngineError('CONFIRMATION_REQUIRED', `${action} on AWS account ${conn.account} needs --yes when stdin is not a terminal.`);
  }
  const rl = readline.createInterface({ input: c.io.stdin, output: c.io.stderr });
  const answer = await rl.question(`${action} in AWS account ${conn.account}? Type the account id to continue: `);
  rl.close();
  if (answer.trim() !== conn.account) throw new EngineError('CONFIRMATION_REQUIRED', `${action} cancelled: the account id was not confirmed.`);
}

async function noteSandbox(c: Ctx): Promise<void> {
  const conn = await c.engine.connection();
  if (conn.startedSandbox) {
    c.note(c.st.dim(`No sandbox was running, so one was started for this command at ${conn.target.endpoint}; run \`ecs-lab sandbox\` in another terminal so the AWS CLI can reach it.`));
  }
}

async function cmdList(c: Ctx): Promise<number> {
  const rows = c.engine.list();
  if (c.args.flags.json) c.json(rows);
  else c.out(renderList(c.st, rows));
  return 0;
}

async function cmdStart(c: Ctx): Promise<number> {
  const id = need(c.args, 'a scenario id');
  c.engine.get(id);
  const conn = await c.engine.connection();
  await noteSandbox(c);
  await confirmAws(c, conn, `Start ${id}`);
  const result = await c.engine.start(id, (r) => {
    if (!c.args.flags.json) c.note(c.st.dim(`  ${r.status === 'created' ? '+ created' : '= exists '} ${r.type} ${r.name}`));
  });
  if (c.args.flags.json) {
    c.json({ scenario: result.scenario, resources: result.resources.map(({ type, name, arn, status }) => ({ type, name, arn, status })) });
  } else {
    const created = result.resources.filter((r) => r.status === 'created').length;
    c.out(c.st.bold(`${result.title}`));
    c.out(result.briefing.trim());
    c.out(`\n${created} resource(s) created, ${result.resources.length - created} already there. Fix it with the AWS CLI, then: ecs-lab check ${id}`);
  }
  return 0;
}

/** The scenario's quiz steps by id, so that an unanswered one shows what it asks. */
function quizzesOf(c: Ctx, id: string): Map<string, QuizText> {
  return new Map(c.engine.get(id).steps.flatMap((s) => (s.kind === 'quiz' ? [[s.id, { question: s.question, choices: s.choices }] as const] : [])));
}

async function runOnce(c: Ctx, id: string, live: boolean): Promise<CheckReport> {
  let report: CheckReport | undefined;
  let index = 0;
  const quizzes = quizzesOf(c, id);
  for await (const e of c.engine.check(id) as AsyncGenerator<RunEvent>) {
    if (e.type === 'started' && live) c.out(renderTargetLine(c.st, e));
    if (e.type === 'step-finished' && live) c.out(renderStep(c.st, e.step, index++, quizzes.get(e.step.id)));
    if (e.type === 'finished') report = e.report;
  }
  return report!;
}

async function cmdCheck(c: Ctx): Promise<number> {
  const id = need(c.args, 'a scenario id');
  c.engine.get(id);
  await c.engine.connection();
  await noteSandbox(c);
  if (!c.args.flags.watch) {
    const report = await runOnce(c, id, !c.args.flags.json);
    if (c.args.flags.json) c.json(report);
    else c.out(renderSummary(c.st, report));
    return EXIT_FOR_STATUS[report.status] ?? 3;
  }
  const interval = Math.max(1, Number(c.args.flags.interval ?? c.io.env.ECS_LAB_WATCH_INTERVAL ?? 5)) * 1000;
  let previous: Map<string, string> | undefined;
  let stop = false;
  const onSig = () => (stop = true);
  process.once('SIGINT', onSig);
  try {
    for (;;) {
      const report = await runOnce(c, id, false);
      if (c.args.flags.json) c.json(report);
      else if (!previous) c.out(renderReport(c.st, report, quizzesOf(c, id)));
      else {
        const changed = report.steps.map((s, i) => ({ s, i })).filter(({ s }) => previous!.get(s.id) !== s.status);
        for (const { s, i } of changed) c.out(`${c.st.bold('changed:')} ${renderStep(c.st, s, i, quizzesOf(c, id).get(s.id))}`);
        if (changed.length) c.out(renderSummary(c.st, report));
      }
      previous = new Map(report.steps.map((s) => [s.id, s.status]));
      if (report.status === 'pass' || stop) return EXIT_FOR_STATUS[report.status] ?? 3;
      if (!c.args.flags.json) c.note(c.st.dim(`watching: next check in ${interval / 1000} s (Ctrl-C to stop)`));
      const until = Date.now() + interval;
      while (!stop && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      if (stop) return EXIT_FOR_STATUS[report.status] ?? 3;
    }
  } finally {
    process.removeListener('SIGINT', onSig);
  }
}

async function cmdHint(c: Ctx): Promise<number> {
  const id = need(c.args, 'a scenario id');
  const h = c.engine.hint(id, c.args.flags.step);
  if (c.args.flags.json) c.json(h ?? { scenario: id, step: null, text: 'Every step passes.' });
  else if (!h) c.out(`Every step of ${id} passes in your last check: nothing to hint.`);
  else {
    c.out(c.st.bold(`Hint ${h.level}/3 for step "${h.stepTitle}" (${h.step})${h.final ? ': the full solution' : ''}`));
    c.out(h.text);
    if (!h.final) c.out(c.st.dim(`Run the same command again for a more specific hint.`));
  }
  return 0;
}

async function cmdSolution(c: Ctx): Promise<number> {
  const id = need(c.args, 'a scenario id');
  const s = c.engine.solution(id, c.args.flags.step);
  if (c.args.flags.json) c.json(s);
  else {
    c.out(c.st.bold(`Solution for step "${s.stepTitle}" (${s.step})`));
    c.out(s.text);
    for (const cmd of s.cli) c.out(`  ${cmd}`);
  }
  return 0;
}

async function cmdAnswer(c: Ctx): Promise<number> {
  const id = need(c.args, 'a scenario id');
  const choice = c.args.positionals[1];
  if (!c.args.flags.step || !choice) {
    const quiz = c.args.flags.step ? quizzesOf(c, id).get(c.args.flags.step) : undefined;
    const asked = quiz ? ` ${quiz.question} ${quiz.choices.map((x) => `${x.id}) ${x.text}`).join(' ')}` : '';
    throw new EngineError('USAGE', `Usage: ecs-lab answer ${id} --step ${c.args.flags.step ?? 'STEP'} CHOICE.${asked}`);
  }
  const r = c.engine.answer(id, c.args.flags.step, choice);
  if (c.args.flags.json) c.json(r);
  else if (r.correct) c.out(`${c.st.green('✔ Right.')} ${r.explanation ?? ''}`);
  else c.out(`${c.st.red('✖ Not quite.')} Try again, or: ecs-lab hint ${id} --step ${r.step}`);
  return r.correct ? 0 : 1;
}

async function cmdReset(c: Ctx): Promise<number> {
  const id = c.args.flags.all ? null : need(c.args, 'a scenario id or --all');
  if (id) c.engine.get(id);
  const conn = await c.engine.connection();
  await noteSandbox(c);
  await confirmAws(c, conn, id ? `Reset ${id}` : 'Reset every lab resource');
  try {
    const r = await c.engine.reset(id);
    if (c.args.flags.json) c.json({ scenario: id, removed: r.removed, leftovers: [] });
    else {
      for (const line of r.removed) c.note(c.st.dim(`  - deleted ${line}`));
      c.out(`${c.st.green('✔')} Reset ${id ?? 'all scenarios'}: ${r.removed.length} resource(s) deleted; nothing lab-tagged is left.`);
    }
    return 0;
  } catch (err) {
    if (err instanceof EngineError && err.code === 'RESET_INCOMPLETE' && c.args.flags.json) {
      c.json({ scenario: id, ...(err.details as object) });
    }
    throw err;
  }
}

async function cmdProgress(c: Ctx): Promise<number> {
  const rows = c.engine.progress();
  if (c.args.flags.json) c.json({ learner: c.engine.learner, scenarios: rows });
  else c.out(renderProgress(c.st, rows));
  return 0;
}

async function cmdBare(c: Ctx): Promise<number> {
  // The terminal UI arrives with its own issue; until then the bare command lists scenarios.
  c.out(renderList(c.st, c.engine.list()));
  c.note(c.st.dim('\nStart with: ecs-lab start <id>, then ecs-lab check <id>. All commands: ecs-lab help'));
  return 0;
}

const HANDLERS: Record<string, (c: Ctx) => Promise<number>> = {
  list: cmdList,
  start: cmdStart,
  check: cmdCheck,
  hint: cmdHint,
  solution: cmdSolution,
  answer: cmdAnswer,
  reset: cmdReset,
  progress: cmdProgress,
};

/** Runs an engine-backed command; the store and any in-process sandbox are closed afterwards. */
export async function runEngineCommand(args: ParsedArgs, io: Io): Promise<number> {
  const flags: TargetFlags = args.flags;
  const env = io.env;
  const spec = resolveTargetSpec(flags, env);
  const learner = resolveLearner(flags, env);
  const scenarios = loadScenarios(env.ECS_LAB_SCENARIOS || undefined);
  const store = new ProgressStore(storePath(resolveHome(env)));
  let conn: Connection | undefined;
  const engine = createEngine({
    scenarios,
    store,
    learner,
    connect: async () => (conn = await connectTarget(spec, learner, env)),
  });
  const st = makeStyle(colorEnabled(io.stdout, env, args.flags.noColor));
  const c: Ctx = {
    args,
    io,
    st,
    engine,
    out: (line) => io.stdout.write(`${line}\n`),
    note: (line) => io.stderr.write(`${line}\n`),
    json: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
  try {
    const handler = args.command ? HANDLERS[args.command] : cmdBare;
    return await handler!(c);
  } finally {
    store.close();
    await conn?.close();
  }
}

export { USAGE };
