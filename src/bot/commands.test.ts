import { describe, expect, it } from 'vitest';
import { commandLabel, parseCommand, type LabCommand } from './commands.js';

const ok = (text: string): LabCommand => {
  const p = parseCommand(text);
  if (!p.ok) throw new Error(`expected ${text} to parse: ${p.message}`);
  return p.command;
};

describe('parseCommand', () => {
  it('parses every subcommand of CONTRACT §7', () => {
    expect(ok('')).toEqual({ kind: 'help' });
    expect(ok('help')).toEqual({ kind: 'help' });
    expect(ok('list')).toEqual({ kind: 'list' });
    expect(ok('  START   Secrets ')).toEqual({ kind: 'start', scenario: 'secrets' });
    expect(ok('check secrets')).toEqual({ kind: 'check', scenario: 'secrets' });
    expect(ok('hint secrets')).toEqual({ kind: 'hint', scenario: 'secrets' });
    expect(ok('hint secrets no-plaintext')).toEqual({ kind: 'hint', scenario: 'secrets', step: 'no-plaintext' });
    expect(ok('hint secrets --step no-plaintext')).toEqual({ kind: 'hint', scenario: 'secrets', step: 'no-plaintext' });
    expect(ok('solution secrets rotation')).toEqual({ kind: 'solution', scenario: 'secrets', step: 'rotation' });
    expect(ok('answer secrets rotation b')).toEqual({ kind: 'answer', scenario: 'secrets', step: 'rotation', choice: 'b' });
    expect(ok('progress')).toEqual({ kind: 'progress' });
    expect(ok('reset secrets')).toEqual({ kind: 'reset', scenario: 'secrets' });
    expect(ok('reset all')).toEqual({ kind: 'reset', scenario: null });
    expect(ok('creds')).toEqual({ kind: 'creds', rotate: false });
    expect(ok('creds rotate')).toEqual({ kind: 'creds', rotate: true });
    expect(ok('whoami')).toEqual({ kind: 'whoami' });
    expect(ok('cohort start Week-1')).toEqual({ kind: 'cohort', action: 'start', name: 'Week-1' });
    expect(ok('cohort join Week-1')).toEqual({ kind: 'cohort', action: 'join', name: 'Week-1' });
    for (const a of ['board', 'report', 'end'] as const) expect(ok(`cohort ${a}`)).toEqual({ kind: 'cohort', action: a });
  });

  it('calls an unknown word unknown (help follows) and a misused subcommand a usage error', () => {
    expect(parseCommand('frobnicate now')).toMatchObject({ ok: false, reason: 'unknown', message: expect.stringContaining('"frobnicate"') });
    expect(parseCommand('check')).toMatchObject({ ok: false, reason: 'usage', message: expect.stringContaining('/ecslab check secrets') });
    expect(parseCommand('check <script>')).toMatchObject({ ok: false, reason: 'usage' });
    expect(parseCommand('answer secrets rotation')).toMatchObject({ ok: false, reason: 'usage' });
    expect(parseCommand('creds please')).toMatchObject({ ok: false, reason: 'usage' });
    expect(parseCommand('cohort start')).toMatchObject({ ok: false, reason: 'usage' });
    expect(parseCommand('cohort start a;b')).toMatchObject({ ok: false, reason: 'usage' });
    expect(parseCommand('cohort dance')).toMatchObject({ ok: false, reason: 'usage' });
    expect(parseCommand('hint secrets --step')).toMatchObject({ ok: false, reason: 'usage' });
  });

  it('labels commands for the audit log without their arguments', () => {
    expect(commandLabel(ok('check secrets'))).toBe('check');
    expect(commandLabel(ok('cohort start x'))).toBe('cohort start');
  });
});
