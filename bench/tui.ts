/**
 * bench/tui: the terminal UI's responsiveness, measured side by side in one run.
 *
 * 1. Time to first frame of the built app (`node dist/cli.js` under a pseudo-terminal made by
 *    util-linux `script`, 100x30) until the scenario list is on screen, as a ratio to a bare
 *    `node -e 0` started the same way, interleaved round by round. Goal: at most 4x. The list is
 *    painted before Ink loads; the time until Ink has drawn it again and handles keys is reported
 *    beside it. The first start after an install or an edit of scenarios.yaml validates the file
 *    and is reported apart.
 * 2. Key-to-frame latency while a check runs: the built App (dist, as `ecs-lab` loads it) on the
 *    real engine and an in-process sandbox (as `ecs-lab` runs it), rendered by Ink to a fake
 *    terminal; watch mode keeps checks running while j/k move the focus; from the key written to
 *    the first frame showing the focus moved. Goal: p95 under 50 ms.
 *
 *   npm run build && npm run bench:tui [rounds=15] [samples=200]     (rounds 0 or samples 0 skip a part)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TuiEntry from '../src/tui.js';
import { FakeStdin, FakeStdout, plain } from '../test/helpers/fake-tty.js';
import { freePort } from '../test/helpers/moto.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 15);
const samples = Number(process.argv[3] ?? 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

if (!existsSync(path.join(root, 'dist/tui.js'))) {
  console.error('bench/tui: run `npm run build` first (it measures the built app).');
  process.exit(2);
}

// ---------------------------------------------------------------- 1. time to first frame

const env = { ...process.env, TERM: 'xterm-256color', ECS_LAB_LEARNER: 'bench' } as Record<string, string | undefined>;
delete env.CI;
delete env.NO_COLOR;

interface PtyRun {
  /** ms until `until` was first on screen (or until exit without `until`). */
  shown: number;
  /** ms until `until` was on screen again after Ink cleared the painted frame. */
  interactive?: number;
}

/**
 * Runs `command` in a 100x30 pseudo-terminal; notes when `until` first appears in its output
 * and when it appears again after the second screen clear (Ink taking over from the painted first
 * frame), then types `q` and waits for the exit.
 */
function underPty(command: string, extraEnv: Record<string, string>, until?: string): Promise<PtyRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 100 rows 30; exec ${command}`, '/dev/null'], { env: { ...env, ...extraEnv }, cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let shown: number | undefined;
    let interactive: number | undefined;
    const CLEAR = '\u001b[2J';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!until) return;
      if (shown === undefined && plain(out).includes(until)) shown = performance.now() - t0;
      const clears = out.split(CLEAR);
      if (interactive === undefined && clears.length > 2 && plain(clears.slice(2).join(CLEAR)).includes(until)) {
        interactive = performance.now() - t0;
        child.stdin.write('q');
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (until === undefined) resolve({ shown: performance.now() - t0 });
      else if (shown !== undefined && interactive !== undefined && code === 0) resolve({ shown, interactive });
      else reject(new Error(`${command} exited ${code} before showing "${until}" twice:\n${plain(out).slice(-1500)}`));
    });
  });
}

const port = await freePort();
const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-bench-tui-'));
const appEnv = { ECS_LAB_HOME: home, ECS_LAB_LOCAL_PORT: String(port) };
const app = () => underPty(`${process.execPath} dist/cli.js`, appEnv, 'Overall');
const bare = () => underPty(`${process.execPath} -e 0`, {});

if (rounds > 0) {
const cold = await app();
const nodeTimes: number[] = [];
const appTimes: number[] = [];
const inkTimes: number[] = [];
for (let i = 0; i < rounds; i++) {
  nodeTimes.push((await bare()).shown);
  const r = await app();
  appTimes.push(r.shown);
  inkTimes.push(r.interactive!);
}
const ratios = appTimes.map((t, i) => t / nodeTimes[i]!);
const inkRatios = inkTimes.map((t, i) => t / nodeTimes[i]!);
const f = (ms: number) => `${ms.toFixed(0)} ms`;
console.log(`\nTime to first frame (built app, 100x30 pty via script, ${rounds} interleaved rounds)`);
console.log(`  node -e 0 (same pty harness):    median ${f(median(nodeTimes))}  fastest ${f(Math.min(...nodeTimes))}`);
console.log(`  first frame (list painted):      median ${f(median(appTimes))}  fastest ${f(Math.min(...appTimes))}`);
console.log(`  Ink drawn, keys handled:         median ${f(median(inkTimes))}  fastest ${f(Math.min(...inkTimes))}`);
console.log(`  first frame / node -e 0:         median ${median(ratios).toFixed(2)}x  fastest-to-fastest ${(Math.min(...appTimes) / Math.min(...nodeTimes)).toFixed(2)}x   (goal <= 4x)`);
console.log(`  interactive / node -e 0:         median ${median(inkRatios).toFixed(2)}x  fastest-to-fastest ${(Math.min(...inkTimes) / Math.min(...nodeTimes)).toFixed(2)}x`);
console.log(`  first start (validates scenarios.yaml, fills the cache): first frame ${f(cold.shown)}, interactive ${f(cold.interactive!)}`);
}
if (samples === 0) process.exit(0);

// ---------------------------------------------------------------- 2. key-to-frame latency

// the interactive chunk exactly as the app loads it (React's production build, Ink as bundled)
const { loadInkApp } = (await import(path.join(root, 'dist/tui.js'))) as typeof TuiEntry;
const { App, LabSession, render, createElement, INK_OPTIONS } = await loadInkApp();
const { startSandbox } = await import('../src/sandbox/index.js');
const { createEngine } = await import('../src/scenarios/engine.js');
const { loadScenarios } = await import('../src/scenarios/load.js');
const { ProgressStore, storePath } = await import('../src/store/store.js');
const { connectTarget } = await import('../src/aws/connect.js');
const { resolveTargetSpec } = await import('../src/aws/target.js');

const sandbox = await startSandbox({ port: 0 });
const latencyHome = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-bench-tui-'));
const lenv = { ECS_LAB_HOME: latencyHome, ECS_LAB_LOCAL_PORT: String(sandbox.port), AWS_REGION: 'us-east-1' };
const store = new ProgressStore(storePath(latencyHome));
const scenarios = loadScenarios();
const scenarioId = 'task-roles'; // IAM policy evaluation in every check: the busiest event loop
const engine = createEngine({ scenarios, store, learner: 'bench', connect: () => connectTarget(resolveTargetSpec({}, lenv), 'bench', lenv) });
await engine.start(scenarioId);
const session = new LabSession(engine, { watchIntervalMs: 20 });
const stdout = new FakeStdout();
// Frames are looked at only while a measurement waits for one (frameShows).
const ignore = () => {};
stdout.onWrite = ignore;
const stdin = new FakeStdin();
const instance = render(createElement(App, { engine, session, region: 'us-east-1', credentials: { kind: 'chain' } }), {
  stdout: stdout as unknown as NodeJS.WriteStream,
  stdin: stdin as unknown as NodeJS.ReadStream,
  ...INK_OPTIONS,
});

const frameShows = (test: (frame: string) => boolean) =>
  new Promise<number>((resolve) => {
    stdout.onWrite = (written) => {
      if (test(plain(written))) {
        stdout.onWrite = ignore;
        resolve(performance.now());
      }
    };
  });
const focusedStep = (frame: string) => /^ › .*?(\d+)\. /m.exec(frame)?.[1];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const steps = scenarios.scenarios.find((s) => s.id === scenarioId)!.steps.length;
const caseNo = scenarios.scenarios.find((s) => s.id === scenarioId)!.case;
await pause(50);
stdin.press(String(caseNo));
await pause(50);
const opened = frameShows((fr) => fr.includes(`· ${scenarioId} ·`));
stdin.press('\r');
await opened;
await pause(50);
/** Moves the focus one step and resolves with the ms until the frame shows it. */
let pos = 1;
let dir = 1;
async function keyToFrame(): Promise<number> {
  if (pos + dir < 1 || pos + dir > steps) dir = -dir;
  const next = String(pos + dir);
  const shown = frameShows((fr) => focusedStep(fr) === next);
  const t0 = performance.now();
  stdin.press(dir > 0 ? 'j' : 'k');
  const t1 = await shown;
  pos += dir;
  return t1 - t0;
}
const idle: number[] = [];
for (let i = 0; i < 30; i++) {
  await pause(15 + Math.random() * 40);
  idle.push(await keyToFrame());
}
stdin.press('w'); // watch: checks run back to back
const latencies: number[] = [];
while (latencies.length < samples) {
  await pause(15 + Math.random() * 40);
  if (session.snapshot().scenarios[scenarioId]?.phase !== 'checking') continue;
  const ms = await keyToFrame();
  // only keys pressed and drawn while a check was running count
  if (session.snapshot().scenarios[scenarioId]?.phase === 'checking') latencies.push(ms);
}
const checks = store.countRuns();
instance.unmount();
session.dispose();
store.close();
await sandbox.close();

console.log(`\nKey-to-frame latency while a check runs (${scenarioId}, real engine + in-process sandbox, watch mode, ${samples} keys, ${checks} checks run)`);
console.log(`  idle, for comparison: p50 ${pct(idle, 50).toFixed(1)} ms  p95 ${pct(idle, 95).toFixed(1)} ms`);
console.log(`  p50 ${pct(latencies, 50).toFixed(1)} ms  p95 ${pct(latencies, 95).toFixed(1)} ms  p99 ${pct(latencies, 99).toFixed(1)} ms  max ${Math.max(...latencies).toFixed(1)} ms   (goal p95 < 50 ms)`);
process.exit(0);
