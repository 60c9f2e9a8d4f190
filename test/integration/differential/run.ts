/** Runs the request sequence against one endpoint and normalises every outcome. */
import type { Outcome, ShapeDiff } from './shape.js';
import { diffOutcomes, outcomeOf } from './shape.js';
import type { Clients, Step } from './sequence.js';

/** What one step produced on one endpoint. */
export interface StepResult {
  readonly id: string;
  readonly outcome: Outcome;
  /** The raw SDK result, or the error's message (for failure reports). */
  readonly raw: unknown;
  /** The step's value probe applied to a successful result. */
  readonly probe?: unknown;
}

class DependencyFailed extends Error {
  constructor(stepId: string) {
    super(`depends on step ${stepId}, which failed`);
    this.name = 'DependencyFailed';
  }
}

/** Runs `steps` in order against one endpoint's clients. */
export async function runSequence(steps: readonly Step[], clients: Clients): Promise<StepResult[]> {
  const values = new Map<string, unknown>();
  const results: StepResult[] = [];
  const lookup = (id: string) => {
    if (!values.has(id)) throw new DependencyFailed(id);
    return values.get(id);
  };
  for (const s of steps) {
    let settled: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      settled = { ok: true, value: await s.run(clients, lookup) };
      values.set(s.id, settled.value);
    } catch (error) {
      settled = { ok: false, error };
    }
    let probe: unknown;
    if (settled.ok && s.probe) {
      try {
        probe = s.probe(settled.value);
      } catch (error) {
        probe = `probe failed: ${(error as Error).message}`;
      }
    }
    results.push({
      id: s.id,
      outcome: outcomeOf(settled),
      raw: settled.ok ? settled.value : `${(settled.error as Error).name}: ${(settled.error as Error).message}`,
      probe,
    });
  }
  return results;
}

/** Every difference of one step: outcome and shape first, then the value probe. */
export function diffStep(moto: StepResult, sandbox: StepResult): ShapeDiff[] {
  const diffs = diffOutcomes(moto.outcome, sandbox.outcome);
  if (moto.outcome.kind === 'ok' && sandbox.outcome.kind === 'ok' && (moto.probe !== undefined || sandbox.probe !== undefined)) {
    const a = JSON.stringify(moto.probe);
    const b = JSON.stringify(sandbox.probe);
    if (a !== b) diffs.push({ path: '(value)', moto: a, sandbox: b });
  }
  return diffs;
}
