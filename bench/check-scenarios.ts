/**
 * bench/check-scenarios: for every scenario, the API calls of one full check (deterministic) and
 * the engine's overhead: the wall time of `check` divided by the time the very same API calls
 * take when issued bare from an SDK loop against the same sandbox, measured alternately in one
 * run (median of rounds). Goal: at most 25 calls per check, overhead ratio at most 1.3.
 *   npx tsx bench/check-scenarios.ts [rounds=15]
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AwsSession, type ServiceName } from '../src/aws/session.js';
import { resolveTargetSpec } from '../src/aws/target.js';
import { startSandbox } from '../src/sandbox/index.js';
import { createEngine } from '../src/scenarios/engine.js';
import { loadScenarios } from '../src/scenarios/load.js';
import { foldReport } from '../src/scenarios/report.js';
import { ProgressStore } from '../src/store/store.js';

const rounds = Number(process.argv[2] ?? 15);
const sandbox = await startSandbox({ port: 0 });
const scenarios = loadScenarios();
const spec = resolveTargetSpec({ endpoint: sandbox.url, region: 'us-east-1' }, {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The fastest round: on a shared, noisy machine the least disturbed measurement of each side. */
const fastest = (xs: number[]) => Math.min(...xs);

interface Call {
  service: ServiceName;
  operation: string;
  input: unknown;
}
let recording: Call[] | undefined;
const session = new AwsSession(spec, { endpoint: sandbox.url, onCall: (service, operation, input) => recording?.push({ service, operation, input: structuredClone(input) }) });
const identity = await session.identity();
const store = new ProgressStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'state.db'));
const engine = createEngine({
  scenarios,
  store,
  learner: 'bench',
  connect: async () => ({
    aws: session,
    target: { kind: 'endpoint', endpoint: sandbox.url, account: identity.account, region: 'us-east-1' },
    account: identity.account,
    principal: identity.arn,
    enforcesIam: false,
    close: async () => {},
  }),
});
const bare = new AwsSession(spec, { endpoint: sandbox.url });

const rows: Array<{ id: string; steps: number; checks: number; calls: number; checkMs: number; bareMs: number; ratio: number; minRatio: number }> = [];
for (const s of scenarios.scenarios) {
  await engine.start(s.id);
  // warm-up, and the recording of the calls one check makes
  await foldReport(engine.check(s.id));
  recording = [];
  const report = await foldReport(engine.check(s.id));
  const calls = recording;
  recording = undefined;
  for (const c of calls) await bare.client(c.service); // clients loaded before timing
  const checkTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    await foldReport(engine.check(s.id));
    checkTimes.push(performance.now() - t);
    t = performance.now();
    for (const c of calls) {
      const client = (await bare.client(c.service)) as unknown as Record<string, (i: unknown) => Promise<unknown>>;
      const method = c.operation.charAt(0).toLowerCase() + c.operation.slice(1);
      await client[method]!.call(client, c.input).catch(() => undefined);
    }
    bareTimes.push(performance.now() - t);
  }
  const checks = s.steps.reduce((n, st) => n + (st.kind === 'check' ? st.checks.length : 0), 0);
  const checkMs = median(checkTimes);
  const bareMs = median(bareTimes);
  rows.push({ id: s.id, steps: s.steps.length, checks, calls: report.apiCalls, checkMs, bareMs, ratio: calls.length ? checkMs / bareMs : Number.NaN, minRatio: calls.length ? fastest(checkTimes) / fastest(bareTimes) : Number.NaN });
  await engine.reset(null).catch(() => undefined);
}
console.log(`check-scenarios: ${rounds} rounds per scenario, median times, same process and sandbox`);
console.log('scenario            steps checks calls  check ms  bare ms  overhead (median)  overhead (fastest)');
for (const r of rows) {
  console.log(
    `${r.id.padEnd(19)} ${String(r.steps).padStart(5)} ${String(r.checks).padStart(6)} ${String(r.calls).padStart(5)} ${r.checkMs.toFixed(1).padStart(9)} ${r.bareMs.toFixed(1).padStart(8)} ${r.ratio.toFixed(2).padStart(17)}x ${r.minRatio.toFixed(2).padStart(18)}x`,
  );
}
const worstCalls = Math.max(...rows.map((r) => r.calls));
const worstRatio = Math.max(...rows.filter((r) => !Number.isNaN(r.ratio)).map((r) => r.ratio));
const worstMin = Math.max(...rows.filter((r) => !Number.isNaN(r.minRatio)).map((r) => r.minRatio));
console.log(`max calls per check: ${worstCalls} (goal <= 25); max overhead ratio: ${worstRatio.toFixed(2)} median, ${worstMin.toFixed(2)} fastest rounds (goal <= 1.3)`);
store.close();
await sandbox.close();
