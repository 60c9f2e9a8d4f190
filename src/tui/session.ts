/**
 * The terminal UI's session: what the learner has done since the UI opened (check runs as they
 * stream in, hints and solutions shown, quiz answers, watch mode, the connection), kept outside
 * React so a screen can unmount while a check runs. Every decision is the engine's; this only
 * calls it and remembers the results for display. Snapshots are immutable (useSyncExternalStore).
 */
import type { Engine } from '../scenarios/engine.js';
import type { ProvisionedResource } from '../scenarios/provision.js';
import type { CheckItem, RunEvent } from '../scenarios/report.js';
import type { AnswerResult, HintResult, SolutionResult } from '../scenarios/types.js';
import type { TargetInfo } from '../aws/session.js';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skip';
/** A step's status as shown: a check status, or never checked. */
export type ShownStatus = CheckStatus | 'unknown';

export interface StepView {
  id: string;
  kind: 'check' | 'quiz';
  title: string;
  status: ShownStatus;
  /** Being evaluated by the check run in progress. */
  running: boolean;
  /** The checks of the latest run (those of the run in progress as they finish). */
  checks: CheckItem[];
  /** The status before the latest run, when that run changed it. */
  changedFrom?: ShownStatus;
}

export type Tone = 'info' | 'good' | 'bad' | 'warn';
export interface Notice {
  tone: Tone;
  text: string;
}

export interface RunSummary {
  status: CheckStatus;
  passed: number;
  total: number;
  durationMs: number;
  apiCalls: number;
  at: number;
}

export interface ScenarioView {
  id: string;
  started: boolean;
  phase: 'idle' | 'starting' | 'checking' | 'resetting';
  steps: StepView[];
  /** Resources reported by the start in progress (or the last one of this session). */
  startLog: ProvisionedResource[];
  lastRun?: RunSummary;
  /** Completed check runs in this session. */
  runs: number;
  notice?: Notice;
  watching: boolean;
  /** When the next watch run starts (ms since epoch). */
  nextCheckAt?: number;
  /** Hints shown in this session, per step, in order. */
  hints: Record<string, HintResult[]>;
  hintLevels: Record<string, number>;
  solutions: Record<string, SolutionResult>;
  answers: Record<string, AnswerResult>;
}

export interface ConnectionView {
  state: 'idle' | 'connecting' | 'ready' | 'error';
  target?: TargetInfo;
  account?: string;
  principal?: string;
  startedSandbox?: boolean;
  error?: string;
}

export interface Snapshot {
  connection: ConnectionView;
  scenarios: Readonly<Record<string, ScenarioView>>;
  /** Bumped on every change, so list rows re-read progress from the engine. */
  version: number;
}

export interface SessionOptions {
  /** Seconds between watch runs; default 5 (ECS_LAB_WATCH_INTERVAL). */
  watchIntervalMs?: number;
}

/** At most this often, streamed results are drawn (ms). */
const STREAM_MS = 40;

const message = (err: unknown): string => {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
};

export class LabSession {
  private snap: Snapshot = { connection: { state: 'idle' }, scenarios: {}, version: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private disposed = false;
  private pending: NodeJS.Timeout | undefined;
  private readonly watchIntervalMs: number;

  constructor(
    readonly engine: Engine,
    opts: SessionOptions = {},
  ) {
    this.watchIntervalMs = opts.watchIntervalMs ?? 5_000;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): Snapshot => this.snap;

  private emit(next: Omit<Snapshot, 'version'>, when: 'now' | 'soon' = 'now'): void {
    if (this.disposed) return;
    this.snap = { ...next, version: this.snap.version + 1 };
    if (when === 'now') this.notify();
    else this.notifySoon();
  }

  private notify(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    for (const l of this.listeners) l();
  }

  /**
   * Results streaming in (a check's events, a start's resources) are drawn at most every
   * STREAM_MS: each draw costs the terminal UI a few milliseconds that keys should not wait for.
   */
  private notifySoon(): void {
    this.pending ??= setTimeout(() => this.notify(), STREAM_MS);
  }

  private setConnection(connection: ConnectionView): void {
    this.emit({ ...this.snap, connection });
  }

  private update(id: string, fn: (v: ScenarioView) => ScenarioView, when: 'now' | 'soon' = 'now'): void {
    const current = this.view(id);
    this.emit({ ...this.snap, scenarios: { ...this.snap.scenarios, [id]: fn(current) } }, when);
  }

  /** The view of a scenario, built from what the engine knows when first asked for. */
  view(id: string): ScenarioView {
    const existing = this.snap.scenarios[id];
    if (existing) return existing;
    const s = this.engine.get(id);
    const known = this.engine.state(id);
    return {
      id,
      started: known.started,
      phase: 'idle',
      steps: s.steps.map((st) => ({ id: st.id, kind: st.kind, title: st.title, status: known.steps[st.id] ?? 'unknown', running: false, checks: [] })),
      startLog: [],
      runs: 0,
      watching: false,
      hints: {},
      hintLevels: { ...known.hintLevels },
      solutions: {},
      answers: {},
    };
  }

  /** Makes the scenario's view part of the snapshot (so screens can read it). */
  open(id: string): void {
    if (!this.snap.scenarios[id]) this.update(id, (v) => v);
  }

  /** Opens the target (starting the local sandbox when none answers); safe to call again after a failure. */
  async connect(): Promise<void> {
    if (this.snap.connection.state === 'connecting' || this.snap.connection.state === 'ready') return;
    this.setConnection({ state: 'connecting' });
    try {
      const c = await this.engine.connection();
      this.setConnection({ state: 'ready', target: c.target, account: c.account, principal: c.principal, startedSandbox: Boolean(c.startedSandbox) });
    } catch (err) {
      this.setConnection({ state: 'error', error: message(err) });
    }
  }

  /** Builds the scenario's starting state, then checks it so the learner sees what to fix. */
  async start(id: string): Promise<void> {
    const v = this.view(id);
    if (v.phase !== 'idle') return;
    this.update(id, (x) => ({ ...x, phase: 'starting', startLog: [], notice: undefined }));
    try {
      const result = await this.engine.start(id, (r) => this.update(id, (x) => ({ ...x, startLog: [...x.startLog, r] }), 'soon'));
      if (this.snap.connection.state !== 'ready') void this.connect();
      const created = result.resources.filter((r) => r.status === 'created').length;
      this.update(id, (x) => ({
        ...x,
        phase: 'idle',
        started: true,
        notice: { tone: 'good', text: `Started: ${created} resource(s) created, ${result.resources.length - created} already there. Fix it with the AWS CLI (e shows the setup), then press c to check.` },
      }));
    } catch (err) {
      this.update(id, (x) => ({ ...x, phase: 'idle', notice: { tone: 'bad', text: `Could not start ${id}: ${message(err)}` } }));
      return;
    }
    await this.check(id, { keepNotice: true });
  }

  /** Runs every check of the scenario, showing each result as it arrives. */
  async check(id: string, opts: { keepNotice?: boolean } = {}): Promise<void> {
    const v = this.view(id);
    if (v.phase !== 'idle') return;
    this.clearTimer(id);
    const before = new Map(v.steps.map((s) => [s.id, s.status]));
    this.update(id, (x) => ({ ...x, phase: 'checking', nextCheckAt: undefined, notice: opts.keepNotice ? x.notice : undefined }));
    const patchStep = (stepId: string, fn: (s: StepView) => StepView) =>
      this.update(id, (x) => ({ ...x, steps: x.steps.map((s) => (s.id === stepId ? fn(s) : s)) }), 'soon');
    try {
      for await (const e of this.engine.check(id) as AsyncGenerator<RunEvent>) {
        if (this.disposed) return;
        if (e.type === 'step-started') patchStep(e.step.id, (s) => ({ ...s, running: true, checks: [] }));
        else if (e.type === 'check-finished') patchStep(e.step, (s) => ({ ...s, checks: [...s.checks, e.check] }));
        else if (e.type === 'step-finished') {
          const was = before.get(e.step.id) ?? 'unknown';
          patchStep(e.step.id, (s) => ({
            ...s,
            running: false,
            status: e.step.status,
            checks: e.step.checks,
            // a change since the last known result; a first result is not a change
            changedFrom: was !== 'unknown' && was !== e.step.status ? was : undefined,
          }));
        } else if (e.type === 'finished') {
          const r = e.report;
          const summary: RunSummary = { status: r.status, passed: r.passed, total: r.total, durationMs: r.durationMs, apiCalls: r.apiCalls, at: Date.now() };
          const allPass = r.status === 'pass';
          this.update(id, (x) => ({
            ...x,
            lastRun: summary,
            runs: x.runs + 1,
            watching: x.watching && !allPass,
            notice: allPass ? { tone: 'good', text: `All ${r.total} steps pass: ${id} is complete.` } : opts.keepNotice ? x.notice : undefined,
          }));
        }
      }
    } catch (err) {
      this.update(id, (x) => ({
        ...x,
        watching: false,
        steps: x.steps.map((s) => ({ ...s, running: false })),
        notice: { tone: 'bad', text: `The check could not run: ${message(err)}` },
      }));
    } finally {
      this.update(id, (x) => ({ ...x, phase: 'idle', steps: x.steps.map((s) => (s.running ? { ...s, running: false } : s)) }));
      this.scheduleWatch(id);
    }
  }

  /** Watch mode: checks now and again every few seconds until every step passes or it is turned off. */
  toggleWatch(id: string): void {
    const v = this.view(id);
    if (v.watching) {
      this.stopWatch(id);
      return;
    }
    this.update(id, (x) => ({ ...x, watching: true }));
    if (v.phase === 'idle') void this.check(id);
  }

  stopWatch(id: string): void {
    this.clearTimer(id);
    if (this.snap.scenarios[id]?.watching) this.update(id, (x) => ({ ...x, watching: false, nextCheckAt: undefined }));
  }

  private scheduleWatch(id: string): void {
    const v = this.snap.scenarios[id];
    if (!v?.watching || this.disposed) return;
    const at = Date.now() + this.watchIntervalMs;
    this.update(id, (x) => ({ ...x, nextCheckAt: at }));
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        if (this.snap.scenarios[id]?.watching) void this.check(id);
      }, this.watchIntervalMs),
    );
  }

  private clearTimer(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  /** Whether the next hint for the step would be its full solution (ask before showing it). */
  nextHintIsSolution(id: string, stepId: string): boolean {
    return (this.view(id).hintLevels[stepId] ?? 0) + 1 >= 3;
  }

  /** The next hint level for a step (the engine records it). */
  hint(id: string, stepId: string): void {
    try {
      const h = this.engine.hint(id, stepId);
      if (!h) return;
      this.update(id, (x) => ({
        ...x,
        hints: { ...x.hints, [h.step]: [...(x.hints[h.step] ?? []).filter((p) => p.level !== h.level), h] },
        hintLevels: { ...x.hintLevels, [h.step]: Math.max(h.level, x.hintLevels[h.step] ?? 0) },
      }));
    } catch (err) {
      this.update(id, (x) => ({ ...x, notice: { tone: 'bad', text: message(err) } }));
    }
  }

  /** The reference solution of a step (the engine records that it was revealed). */
  solution(id: string, stepId: string): void {
    try {
      const s = this.engine.solution(id, stepId);
      this.update(id, (x) => ({ ...x, solutions: { ...x.solutions, [s.step]: s } }));
    } catch (err) {
      this.update(id, (x) => ({ ...x, notice: { tone: 'bad', text: message(err) } }));
    }
  }

  /** Answers a quiz step; a right answer turns the step to pass at once. */
  answer(id: string, stepId: string, choice: string): void {
    try {
      const a = this.engine.answer(id, stepId, choice);
      this.update(id, (x) => ({
        ...x,
        answers: { ...x.answers, [a.step]: a },
        steps: x.steps.map((s) => (s.id === a.step && a.correct ? { ...s, changedFrom: s.status !== 'pass' ? s.status : s.changedFrom, status: 'pass' } : s)),
      }));
    } catch (err) {
      this.update(id, (x) => ({ ...x, notice: { tone: 'bad', text: message(err) } }));
    }
  }

  /** Deletes what the lab created for the scenario, then verifies nothing lab-tagged is left. */
  async reset(id: string): Promise<void> {
    const v = this.view(id);
    if (v.phase !== 'idle') return;
    this.stopWatch(id);
    this.update(id, (x) => ({ ...x, phase: 'resetting', notice: undefined }));
    try {
      const r = await this.engine.reset(id);
      this.update(id, (x) => ({
        ...x,
        started: false,
        startLog: [],
        notice: { tone: 'good', text: `Reset ${id}: ${r.removed.length} resource(s) deleted; nothing lab-tagged is left. Press enter to start again.` },
      }));
    } catch (err) {
      this.update(id, (x) => ({ ...x, notice: { tone: 'bad', text: `Reset incomplete: ${message(err)}` } }));
    } finally {
      this.update(id, (x) => ({ ...x, phase: 'idle' }));
    }
  }

  /** Stops the watch timers; later engine results are ignored. */
  dispose(): void {
    for (const id of this.timers.keys()) this.clearTimer(id);
    if (this.pending) clearTimeout(this.pending);
    this.disposed = true;
    this.listeners.clear();
  }
}
