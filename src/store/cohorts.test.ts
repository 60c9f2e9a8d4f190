import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { ProgressStore } from './store.js';

describe('CohortStore', () => {
  it('starts one running cohort per channel and per name, and lets learners join once', () => {
    const s = new ProgressStore(':memory:');
    const c = s.cohorts.start('T1', 'C1', 'onboarding', 'T1:UF');
    expect(c).toMatchObject({ team: 'T1', channel: 'C1', name: 'onboarding', facilitator: 'T1:UF' });
    expect(() => s.cohorts.start('T1', 'C2', 'onboarding', 'T1:UF')).toThrow(/already running/);
    expect(() => s.cohorts.start('T1', 'C1', 'other', 'T1:UF')).toThrow(/already running in this channel/);
    // another team may use the same name and channel id
    expect(s.cohorts.start('T2', 'C1', 'onboarding', 'T2:UF').team).toBe('T2');
    expect(s.cohorts.join(c.id, 'T1:UA')).toBe(true);
    expect(s.cohorts.join(c.id, 'T1:UA')).toBe(false);
    expect(s.cohorts.join(c.id, 'T1:UB')).toBe(true);
    expect(s.cohorts.members(c.id).map((m) => m.learner)).toEqual(['T1:UA', 'T1:UB']);
    expect(s.cohorts.activeOf('T1:UA').map((x) => x.id)).toEqual([c.id]);
  });

  it('keeps the leaderboard message, and frees the channel and name when a cohort ends', () => {
    const s = new ProgressStore(':memory:');
    const c = s.cohorts.start('T1', 'C1', 'week1', 'T1:UF');
    s.cohorts.setBoard(c.id, 'C1', '123.456');
    expect(s.cohorts.byId(c.id)?.board).toEqual({ channel: 'C1', ts: '123.456' });
    const ended = s.cohorts.end(c.id);
    expect(ended.endedAt).toBeDefined();
    expect(s.cohorts.activeInChannel('T1', 'C1')).toBeUndefined();
    expect(s.cohorts.latestInChannel('T1', 'C1')?.id).toBe(c.id);
    expect(s.cohorts.activeOf('T1:UA')).toEqual([]);
    const next = s.cohorts.start('T1', 'C1', 'week1', 'T1:UF');
    expect(next.id).not.toBe(c.id);
    expect(s.cohorts.latestInChannel('T1', 'C1')?.id).toBe(next.id);
  });

  it('records which sandbox key a learner holds, never its secret', () => {
    const s = new ProgressStore(':memory:');
    expect(s.cohorts.sandboxKey('T1:UA')).toBeUndefined();
    s.cohorts.setSandboxKey('T1:UA', 'AKIAAAAAAAAAAAAAAAAA', '123456789012');
    s.cohorts.markRotated('T1:UA');
    const k = s.cohorts.sandboxKey('T1:UA')!;
    expect(k).toMatchObject({ learner: 'T1:UA', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', account: '123456789012' });
    expect(k.rotatedAt).toBeDefined();
    expect(Object.keys(k)).not.toContain('secretAccessKey');
  });

  it('migrates a version-1 store without touching its progress', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-store-')), 'state.db');
    const db = new Database(file);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO hints (learner, scenario, step, level, at) VALUES ('alice', 'secrets', 'a', 1, '2026-01-01T00:00:00Z')").run();
    db.close();
    const s = new ProgressStore(file);
    expect(s.schemaVersion).toBe(2);
    expect(s.progress('alice', 'secrets').hintsUsed).toBe(1);
    expect(s.cohorts.start('T1', 'C1', 'x', 'T1:UF').id).toBe(1);
    s.close();
  });
});
