import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { ProgressStore } from './store.js';

const run = (steps: Array<[string, 'pass' | 'fail']>) => ({
  learner: 'alice',
  scenario: 'secrets',
  status: steps.every(([, s]) => s === 'pass') ? ('pass' as const) : ('fail' as const),
  passed: steps.filter(([, s]) => s === 'pass').length,
  total: steps.length,
  durationMs: 10,
  apiCalls: 3,
  target: 'local',
  account: '000000000000',
  steps: steps.map(([id, status]) => ({ id, status })),
});

describe('ProgressStore', () => {
  it('keeps the step status history and reports the latest run', () => {
    const s = new ProgressStore(':memory:');
    s.recordCheck(run([['a', 'fail'], ['b', 'fail']]));
    s.recordCheck(run([['a', 'pass'], ['b', 'fail']]));
    expect(Object.fromEntries(s.latestStepStatuses('alice', 'secrets'))).toEqual({ a: 'pass', b: 'fail' });
    expect(s.stepHistory('alice', 'secrets', 'a').map((h) => h.status)).toEqual(['fail', 'pass']);
    expect(s.latestStepStatuses('bob', 'secrets').size).toBe(0);
  });

  it('records hints, solutions, answers and start events per learner and scenario', () => {
    const s = new ProgressStore(':memory:');
    s.recordHint('alice', 'secrets', 'a', 1);
    s.recordHint('alice', 'secrets', 'a', 2);
    s.recordHint('bob', 'secrets', 'a', 3);
    s.recordSolution('alice', 'secrets', 'a');
    s.recordAnswer('alice', 'secrets', 'quiz', 'a', false);
    s.recordAnswer('alice', 'secrets', 'quiz', 'b', true);
    s.recordEvent('alice', 'secrets', 'start');
    expect(s.hintLevel('alice', 'secrets', 'a')).toBe(2);
    expect(s.hintLevel('alice', 'secrets', 'b')).toBe(0);
    const p = s.progress('alice', 'secrets');
    expect(p).toMatchObject({ hintsUsed: 2, solutionsRevealed: 1, checks: 0, steps: { quiz: 'pass' } });
    expect(p.startedAt).toMatch(/^\d{4}-/);
  });

  it('migrates a new file to the latest schema in WAL mode, and reopens it unchanged', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-store-')), 'state.db');
    const s = new ProgressStore(file);
    s.recordCheck(run([['a', 'pass']]));
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    s.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = new ProgressStore(file);
    expect(again.countRuns()).toBe(1);
    again.close();
  });

  it('refuses a file written by a newer schema', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-store-')), 'state.db');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => new ProgressStore(file)).toThrow(/newer ecs-lab/);
  });

  it('two processes writing at once lose nothing and leave a sound database', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-store-')), 'state.db');
    const writer = new URL('../../test/fixtures/store-writer.ts', import.meta.url).pathname;
    const N = 150;
    const spawnWriter = (learner: string) =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', writer, file, learner, String(N)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`writer ${learner} exited ${code}: ${err}`))));
      });
    await Promise.all([spawnWriter('alice'), spawnWriter('bob')]);
    const s = new ProgressStore(file);
    expect(s.integrityCheck()).toBe('ok');
    expect(s.countRuns()).toBe(2 * N);
    for (const learner of ['alice', 'bob']) {
      expect(s.progress(learner, 'secrets')).toMatchObject({ checks: N, hintsUsed: N });
      expect(s.stepHistory(learner, 'secrets', 'step-0')).toHaveLength(N);
    }
    s.close();
  }, 60_000);
});
