/**
 * Terminal UI tests: the App rendered by ink-testing-library (no ANSI in frames), keys written to
 * its stdin one by one, and waits that poll the frame until it shows what a test expects (the
 * vitest timeout bounds them; nothing is timed). `scriptedEngine` is the real engine over an
 * in-memory store whose AWS-facing methods (start, check, reset, connection) follow a script.
 */
import { render } from 'ink-testing-library';
import type { CredentialSource } from '../../src/aws/credentials.js';
import type { Connection } from '../../src/aws/connect.js';
import { createEngine, type Engine } from '../../src/scenarios/engine.js';
import type { LoadedScenarios } from '../../src/scenarios/load.js';
import type { ProvisionedResource } from '../../src/scenarios/provision.js';
import { summarise, type CheckItem, type CheckReport, type RunEvent, type StepReport } from '../../src/scenarios/report.js';
import { ProgressStore } from '../../src/store/store.js';
import { App, type AppProps } from '../../src/tui/App.js';
import { LabSession } from '../../src/tui/session.js';

export const KEY = {
  enter: '\r',
  esc: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  pageDown: '\u001b[6~',
  ctrlC: '\u0003',
} as const;

const macrotask = () => new Promise<void>((r) => setTimeout(r, 5));

export interface Tui {
  frame(): string;
  /** Writes each key separately, letting Ink handle one before the next. */
  press(...keys: string[]): Promise<void>;
  /** Writes all keys in one chunk, as a busy terminal delivers a burst. */
  burst(keys: string): Promise<void>;
  /** Polls the frame until it matches; throws with the last frame when it never does. */
  waitFor(expected: string | RegExp | ((frame: string) => boolean)): Promise<string>;
  session: LabSession;
  quits: number;
  unmount(): void;
}

export const EMULATOR: CredentialSource = { kind: 'emulator', accessKeyId: 'test', secretAccessKey: 'test' };

export async function renderTui(engine: Engine, props: Partial<AppProps> = {}): Promise<Tui> {
  const session = props.session ?? new LabSession(engine, { watchIntervalMs: props.watchIntervalMs ?? 30 });
  const state = { quits: 0 };
  const r = render(
    <App engine={engine} session={session} region="us-east-1" credentials={EMULATOR} columns={100} rows={30} onQuit={() => state.quits++} {...props} />,
  );
  // useInput subscribes in an effect: input written before it is lost
  await macrotask();
  const frame = () => r.lastFrame() ?? '';
  const tui: Tui = {
    frame,
    async press(...keys) {
      for (const k of keys) {
        // a frame can be on screen before its screen's input handler subscribes (an effect)
        await macrotask();
        r.stdin.write(k);
        await macrotask();
      }
    },
    async burst(keys) {
      await macrotask();
      r.stdin.write(keys);
      await macrotask();
    },
    async waitFor(expected) {
      const test = typeof expected === 'function' ? expected : (f: string) => (typeof expected === 'string' ? f.includes(expected) : expected.test(f));
      // a bound on waiting, not a timing assertion: the condition either comes or the test fails
      const deadline = Date.now() + 20_000;
      while (!test(frame())) {
        if (Date.now() > deadline) throw new Error(`the frame never showed ${String(expected)}; last frame:\n${frame()}`);
        await new Promise((res) => setTimeout(res, 10));
      }
      return frame();
    },
    session,
    get quits() {
      return state.quits;
    },
    unmount: () => {
      session.dispose();
      r.unmount();
    },
  };
  return tui;
}

/** The line of the frame that contains `text` (for assertions on one row). */
export function row(frame: string, text: string): string {
  const line = frame.split('\n').find((l) => l.includes(text));
  if (line === undefined) throw new Error(`no line with "${text}" in:\n${frame}`);
  return line;
}

export interface CheckScript {
  /** Per step id: the outcome of its one check (quiz steps follow the answers). */
  results: Record<string, Partial<CheckItem> & { status: CheckItem['status'] }>;
  /** While set, each step waits for it before finishing (to see a run in progress). */
  gate?: Promise<void>;
  /** Resources `start` reports, one by one, waiting for `gate` before the last. */
  resources: ProvisionedResource[];
  fail?: { check?: string; start?: string; reset?: string; connect?: string };
  calls: { start: number; check: number; reset: number };
}

export const CONNECTION: Connection = {
  aws: undefined as never,
  target: { kind: 'local', endpoint: 'http://127.0.0.1:4566', account: '000000000000', region: 'us-east-1' },
  account: '000000000000',
  principal: 'arn:aws:iam::000000000000:root',
  enforcesIam: true,
  startedSandbox: true,
  close: async () => {},
};

/** The real engine over an in-memory store; start, check, reset and the connection follow `script`. */
export function scriptedEngine(scenarios: LoadedScenarios, learner = 'alice'): { engine: Engine; store: ProgressStore; script: CheckScript } {
  const store = new ProgressStore(':memory:');
  const script: CheckScript = { results: {}, resources: [], calls: { start: 0, check: 0, reset: 0 } };
  const real = createEngine({ scenarios, store, learner, connect: async () => CONNECTION });
  const engine: Engine = {
    ...real,
    learner,
    async connection() {
      if (script.fail?.connect) throw new Error(script.fail.connect);
      return CONNECTION;
    },
    async start(id, onResource) {
      script.calls.start++;
      const s = real.get(id);
      if (script.fail?.start) throw new Error(script.fail.start);
      for (const [i, r] of script.resources.entries()) {
        if (i === script.resources.length - 1) await script.gate;
        onResource?.(r);
      }
      store.recordEvent(learner, id, 'start');
      return { scenario: id, title: s.title, briefing: s.briefing, resources: script.resources };
    },
    async *check(id): AsyncGenerator<RunEvent> {
      script.calls.check++;
      const s = real.get(id);
      const steps = s.steps.map((st) => ({ id: st.id, kind: st.kind, title: st.title }));
      yield { type: 'started', scenario: id, learner, target: CONNECTION.target, steps };
      if (script.fail?.check) throw new Error(script.fail.check);
      const answered = store.correctlyAnswered(learner, id);
      const reports: StepReport[] = [];
      for (const st of s.steps) {
        const info = { id: st.id, kind: st.kind, title: st.title };
        yield { type: 'step-started', step: info };
        await script.gate;
        const planned = script.results[st.id] ?? { status: 'fail' as const };
        const status = st.kind === 'quiz' ? (answered.has(st.id) ? 'pass' : 'fail') : planned.status;
        const check: CheckItem = {
          id: planned.id ?? (st.kind === 'quiz' ? 'quiz-answered' : `${st.id}-check`),
          status,
          message: planned.message ?? (status === 'pass' ? `${st.title}: as required.` : `${st.title}: not yet.`),
          resources: planned.resources ?? [],
          controls: planned.controls ?? [],
          docs: planned.docs ?? [],
        };
        yield { type: 'check-finished', step: st.id, check };
        const report: StepReport = { ...info, status, checks: [check] };
        reports.push(report);
        yield { type: 'step-finished', step: report };
      }
      const report: CheckReport = { scenario: id, learner, target: CONNECTION.target, ...summarise(reports), steps: reports, durationMs: 12, apiCalls: 7 };
      store.recordCheck({
        learner,
        scenario: id,
        status: report.status,
        passed: report.passed,
        total: report.total,
        durationMs: 12,
        apiCalls: 7,
        target: 'local',
        steps: reports.map((r) => ({ id: r.id, status: r.status })),
      });
      yield { type: 'finished', report };
    },
    async reset(id) {
      script.calls.reset++;
      if (id !== null) real.get(id);
      if (script.fail?.reset) throw new Error(script.fail.reset);
      if (id !== null) store.recordEvent(learner, id, 'reset');
      return { removed: script.resources.map((r) => `${r.type} ${r.name}`), leftovers: [] };
    },
  };
  return { engine, store, script };
}
