/**
 * One check run as an async stream of events. Steps run in order; checks of a run share a memo so
 * the same Describe call is made once. A check that throws becomes an `error` result with the AWS
 * code in its message — a read failure is never a `fail`.
 */
import { AwsCallError, toAwsCallError } from '../aws/errors.js';
import { CHECKS_BY_ID } from '../checks/index.js';
import { Redactor } from '../checks/redact.js';
import type { CheckContext, CheckOutcome } from '../checks/types.js';
import { expandTemplates, resourceContext } from './provision.js';
import type { CheckItem, RunEvent, StepInfo, StepReport } from './report.js';
import { foldStatus, summarise } from './report.js';
import type { CheckEntry, CheckStep, QuizStep, Scenario } from './schema.js';
import { plantedSecrets } from './secrets.js';
import type { Connection } from './types.js';

export interface RunCheckOptions {
  scenario: Scenario;
  sharedResources: readonly unknown[];
  learner: string;
  conn: Connection;
  /** Quiz steps the learner has answered right. */
  answered: ReadonlySet<string>;
}

/** Every {cluster, service} pair named anywhere in the scenario's check parameters. */
export function wantedServices(scenario: Scenario): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.cluster === 'string' && typeof o.service === 'string') {
        if (!out.has(o.cluster)) out.set(o.cluster, new Set());
        out.get(o.cluster)!.add(o.service);
      }
      Object.values(o).forEach(visit);
    }
  };
  for (const step of scenario.steps) if (step.kind === 'check') for (const c of step.checks as CheckEntry[]) visit(c.params);
  return out;
}

const union = (...lists: Array<readonly string[] | undefined>): string[] => [...new Set(lists.flatMap((l) => l ?? []))];

async function runOne(ctx: CheckContext, entry: CheckEntry): Promise<CheckOutcome> {
  const def = CHECKS_BY_ID.get(entry.check);
  if (!def) return { status: 'error', message: `Check kind ${entry.check} is not registered.`, resources: [] };
  try {
    // ARNs in parameters name the account and Region of the target: ${account}, ${region}
    return await def.run(ctx, expandTemplates(entry.params, { account: ctx.account, region: ctx.region, scenario: ctx.scenario }));
  } catch (err) {
    if (err instanceof AwsCallError || (err as { $metadata?: unknown })?.$metadata) {
      const e = toAwsCallError(err, 'unknown');
      return { status: 'error', message: `Could not read the state: ${e.message}`, resources: [] };
    }
    return { status: 'error', message: `Check ${entry.check} failed unexpectedly: ${(err as Error)?.message ?? String(err)}`, resources: [] };
  }
}

function quizItem(step: QuizStep, scenario: string, answered: boolean): CheckItem {
  return {
    id: 'quiz-answer',
    status: answered ? 'pass' : 'fail',
    message: answered
      ? `Quiz "${step.title}" answered correctly.`
      : `Quiz "${step.title}" is not answered yet: ecs-lab answer ${scenario} --step ${step.id} <${step.choices.map((c) => c.id).join('|')}>.`,
    resources: [],
    controls: step.controls,
    docs: step.docs,
  };
}

/** Runs every step of a scenario against live state, yielding events as results arrive. */
export async function* runCheck(opts: RunCheckOptions): AsyncGenerator<RunEvent> {
  const { scenario, conn, learner } = opts;
  const startedAt = performance.now();
  conn.aws.resetStats();
  const redactor = new Redactor();
  const planted = [...opts.sharedResources, ...scenario.resources].flatMap((r) => plantedSecrets(r));
  for (const s of planted) redactor.add(s);
  const memo = new Map<string, Promise<unknown>>();
  const ctx: CheckContext = {
    aws: conn.aws,
    target: conn.target,
    account: conn.account,
    region: conn.target.region,
    scenario: scenario.id,
    enforcesIam: conn.enforcesIam,
    resources: resourceContext(conn, scenario.id),
    wantedServices: wantedServices(scenario),
    plantedValues: planted,
    sensitive: (v) => redactor.add(v),
    memo<T>(key: string, load: () => Promise<T>): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = load();
        memo.set(key, p);
        // a failed read is not cached: the next check may retry it
        p.catch(() => memo.delete(key));
      }
      return p;
    },
  };
  const infos: StepInfo[] = scenario.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title }));
  yield { type: 'started', scenario: scenario.id, learner, target: conn.target, steps: infos };

  const steps: StepReport[] = [];
  for (const step of scenario.steps) {
    yield { type: 'step-started', step: { id: step.id, kind: step.kind, title: step.title } };
    const items: CheckItem[] = [];
    if (step.kind === 'quiz') {
      const item = quizItem(step, scenario.id, opts.answered.has(step.id));
      items.push(item);
      yield { type: 'check-finished', step: step.id, check: item };
    } else {
      for (const entry of (step as CheckStep).checks as CheckEntry[]) {
        const def = CHECKS_BY_ID.get(entry.check);
        const outcome = await runOne(ctx, entry);
        const item: CheckItem = {
          id: entry.id ?? entry.check,
          status: outcome.status,
          message: redactor.redact(outcome.message),
          resources: outcome.resources.map((r) => redactor.redact(r)),
          controls: union(def?.controls, step.controls, entry.controls),
          docs: union(entry.docs, step.docs, def?.docs),
        };
        items.push(item);
        yield { type: 'check-finished', step: step.id, check: item };
      }
    }
    const report: StepReport = { id: step.id, kind: step.kind, title: step.title, status: foldStatus(items.map((i) => i.status)), checks: items };
    steps.push(report);
    yield { type: 'step-finished', step: report };
  }
  yield {
    type: 'finished',
    report: {
      scenario: scenario.id,
      learner,
      target: conn.target,
      ...summarise(steps),
      steps,
      durationMs: Math.round(performance.now() - startedAt),
      apiCalls: conn.aws.stats.apiCalls,
    },
  };
}
