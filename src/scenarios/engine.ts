/**
 * The engine: the only place that decides. The CLI, the TUI and the Slack bot call these
 * functions and render what they return; none of them holds lab logic of its own.
 */
import type { ProgressStore } from '../store/store.js';
import { EngineError, toEngineError } from './errors.js';
import type { LoadedScenarios } from './load.js';
import type { ProvisionedResource, ResetResult } from './provision.js';
import type { CheckReport, RunEvent } from './report.js';
import type { BaseSpec } from '../resources/types.js';
import type { Scenario, Step } from './schema.js';
import type { AnswerResult, Connection, HintResult, ProgressRow, ScenarioState, ScenarioSummary, SolutionResult } from './types.js';

export interface EngineOptions {
  scenarios: LoadedScenarios;
  store: ProgressStore;
  learner: string;
  /** Opens and verifies the target; called once, on the first command that needs AWS. */
  connect: () => Promise<Connection>;
}

export interface StartResult {
  scenario: string;
  title: string;
  briefing: string;
  resources: ProvisionedResource[];
}

export interface Engine {
  readonly learner: string;
  list(): ScenarioSummary[];
  get(id: string): Scenario;
  connection(): Promise<Connection>;
  start(id: string, onResource?: (r: ProvisionedResource) => void): Promise<StartResult>;
  check(id: string): AsyncGenerator<RunEvent>;
  hint(id: string, step?: string): HintResult | null;
  solution(id: string, step?: string): SolutionResult;
  answer(id: string, step: string, choice: string): AnswerResult;
  reset(id: string | null): Promise<ResetResult>;
  progress(): ProgressRow[];
  /** What is known of one scenario step by step, without any AWS call (for step-by-step views). */
  state(id: string): ScenarioState;
}

export function createEngine(opts: EngineOptions): Engine {
  const { scenarios, store, learner } = opts;
  let conn: Promise<Connection> | undefined;

  const get = (id: string): Scenario => {
    const s = scenarios.scenarios.find((x) => x.id === id);
    if (!s) {
      throw new EngineError('UNKNOWN_SCENARIO', `Unknown scenario "${id}" (valid: ${scenarios.scenarios.map((x) => x.id).join(', ')}).`);
    }
    return s;
  };

  const getStep = (s: Scenario, stepId: string): Step => {
    const step = s.steps.find((x) => x.id === stepId);
    if (!step) {
      throw new EngineError('UNKNOWN_STEP', `Scenario ${s.id} has no step "${stepId}" (valid: ${s.steps.map((x) => x.id).join(', ')}).`);
    }
    return step;
  };

  const connection = (): Promise<Connection> => {
    if (!conn) {
      conn = opts.connect().catch((err) => {
        conn = undefined;
        throw toEngineError(err);
      });
    }
    return conn;
  };

  /** Latest known status per step: check results from the last run, quiz steps from answers. */
  const knownStatus = (s: Scenario): Map<string, string> => {
    const statuses = new Map<string, string>(store.latestStepStatuses(learner, s.id));
    for (const q of store.correctlyAnswered(learner, s.id)) statuses.set(q, 'pass');
    return statuses;
  };

  const progressOf = (s: Scenario): ProgressRow => {
    const p = store.progress(learner, s.id);
    const passed = s.steps.filter((st) => p.steps[st.id] === 'pass' || p.steps[st.id] === 'skip').length;
    const total = s.steps.length;
    const status = passed === total ? 'complete' : p.checks > 0 || p.startedAt || passed > 0 ? 'in-progress' : 'not-started';
    return {
      id: s.id,
      case: s.case,
      title: s.title,
      passed,
      total,
      status,
      hintsUsed: p.hintsUsed,
      solutionsRevealed: p.solutionsRevealed,
      firstCheckAt: p.firstCheckAt,
      lastCheckAt: p.lastCheckAt,
      startedAt: p.startedAt,
    };
  };

  return {
    learner,
    get,
    connection,

    list() {
      return scenarios.scenarios.map((s) => {
        const p = progressOf(s);
        return {
          id: s.id,
          case: s.case,
          title: s.title,
          question: s.question,
          launchTypes: [...s.launchTypes],
          steps: s.steps.length,
          progress: { passed: p.passed, total: p.total, status: p.status },
        };
      });
    },

    async start(id, onResource) {
      const s = get(id);
      const c = await connection();
      // The check and resource registries load on first use: listing, hints and answers (and
      // the terminal UI's first frame) never pay for them.
      const { provision } = await import('./provision.js');
      const resources = await provision(c, s.id, scenarios.shared.resources as BaseSpec[], s.resources as BaseSpec[], onResource);
      store.recordEvent(learner, s.id, 'start');
      return { scenario: s.id, title: s.title, briefing: s.briefing, resources };
    },

    async *check(id) {
      const s = get(id);
      const c = await connection();
      let final: CheckReport | undefined;
      const { runCheck } = await import('./run-check.js');
      for await (const event of runCheck({
        scenario: s,
        sharedResources: scenarios.shared.resources,
        learner,
        conn: c,
        answered: store.correctlyAnswered(learner, s.id),
      })) {
        if (event.type === 'finished') final = event.report;
        else yield event;
      }
      if (final) {
        store.recordCheck({
          learner,
          scenario: s.id,
          status: final.status,
          passed: final.passed,
          total: final.total,
          durationMs: final.durationMs,
          apiCalls: final.apiCalls,
          target: final.target.kind,
          account: final.target.account,
          steps: final.steps.map((st) => ({ id: st.id, status: st.status })),
        });
        yield { type: 'finished', report: final };
      }
    },

    hint(id, stepId) {
      const s = get(id);
      let step: Step | undefined;
      if (stepId) step = getStep(s, stepId);
      else {
        const statuses = knownStatus(s);
        step = s.steps.find((st) => statuses.get(st.id) !== 'pass' && statuses.get(st.id) !== 'skip');
      }
      if (!step) return null;
      const level = Math.min(3, store.hintLevel(learner, s.id, step.id) + 1);
      store.recordHint(learner, s.id, step.id, level);
      return { scenario: s.id, step: step.id, stepTitle: step.title, level, final: level === 3, text: step.hints[level - 1]! };
    },

    solution(id, stepId) {
      const s = get(id);
      let step: Step | undefined;
      if (stepId) step = getStep(s, stepId);
      else {
        const statuses = knownStatus(s);
        step = s.steps.find((st) => statuses.get(st.id) !== 'pass') ?? s.steps[0]!;
      }
      store.recordSolution(learner, s.id, step.id);
      if (step.kind === 'quiz') {
        const right = step.choices.find((c) => c.id === step.answer)!;
        return { scenario: s.id, step: step.id, stepTitle: step.title, text: `Answer ${right.id}: ${right.text} ${step.explanation}`, cli: [] };
      }
      return { scenario: s.id, step: step.id, stepTitle: step.title, text: step.solution.text, cli: [...step.solution.cli] };
    },

    answer(id, stepId, choice) {
      const s = get(id);
      const step = getStep(s, stepId);
      if (step.kind !== 'quiz') {
        const quizzes = s.steps.filter((x) => x.kind === 'quiz').map((x) => x.id);
        throw new EngineError('UNKNOWN_STEP', `Step ${stepId} of ${s.id} is not a quiz (quiz steps: ${quizzes.join(', ') || 'none'}).`);
      }
      const normalised = choice.trim().toLowerCase();
      if (!step.choices.some((c) => c.id === normalised)) {
        throw new EngineError('UNKNOWN_CHOICE', `"${choice}" is not a choice of ${s.id}/${step.id} (valid: ${step.choices.map((c) => c.id).join(', ')}).`);
      }
      const correct = normalised === step.answer;
      store.recordAnswer(learner, s.id, step.id, normalised, correct);
      return { scenario: s.id, step: step.id, choice: normalised, correct, explanation: correct ? step.explanation : undefined };
    },

    async reset(id) {
      if (id !== null) get(id);
      const c = await connection();
      const { resetResources } = await import('./provision.js');
      const result = await resetResources(c, id);
      if (id !== null) store.recordEvent(learner, id, 'reset');
      else for (const s of scenarios.scenarios) store.recordEvent(learner, s.id, 'reset');
      if (result.leftovers.length > 0) {
        const names = result.leftovers.map((l) => `${l.type} ${l.name} (${l.why})`).join('; ');
        throw new EngineError('RESET_INCOMPLETE', `Reset left ${result.leftovers.length} lab-tagged resource(s): ${names}.`, result);
      }
      return result;
    },

    progress() {
      return scenarios.scenarios.map(progressOf);
    },

    state(id) {
      const s = get(id);
      const levels = store.hintLevels(learner, s.id);
      return {
        id: s.id,
        started: store.lastEvent(learner, s.id) === 'start',
        steps: Object.fromEntries(knownStatus(s)) as ScenarioState['steps'],
        hintLevels: Object.fromEntries(levels),
      };
    },
  };
}
