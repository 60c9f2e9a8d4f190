import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Access, AccessConfigError, parseFacilitators, parseLearners } from './access.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-access-'));
const base = { allowedAccounts: ['123456789012'], facilitators: [], facilitatorGroups: [], allowedTeams: ['T0LAB'] } as const;

describe('learners file', () => {
  it('maps Slack user ids to role ARNs in allow-listed accounts', () => {
    const text = 'learners:\n  - user: UALICE01\n    roleArn: arn:aws:iam::123456789012:role/ecs-lab-alice\n  - user: UBOB0001\n    team: T0LAB\n    roleArn: arn:aws:iam::123456789012:role/bob\n';
    expect(parseLearners(text, 'l.yaml', 'aws', ['123456789012'])).toEqual([
      { user: 'UALICE01', roleArn: 'arn:aws:iam::123456789012:role/ecs-lab-alice' },
      { user: 'UBOB0001', team: 'T0LAB', roleArn: 'arn:aws:iam::123456789012:role/bob' },
    ]);
  });

  it('rejects names instead of ids, accounts outside the allow-list, duplicates and missing roles', () => {
    const bad: Array<[string, RegExp]> = [
      ['learners:\n  - user: alice\n', /learners\.0\.user: a Slack user id/],
      ['learners:\n  - user: UALICE01\n    roleArn: arn:aws:iam::999999999999:role/x\n', /account 999999999999 of UALICE01 is not in ECS_LAB_ALLOWED_ACCOUNTS/],
      ['learners:\n  - user: UALICE01\n    roleArn: arn:aws:iam::123456789012:role/x\n  - user: UALICE01\n    roleArn: arn:aws:iam::123456789012:role/y\n', /listed twice/],
      ['learners:\n  - user: UALICE01\n', /needs a roleArn/],
      ['learners: [\n', /not valid YAML/],
      ['people: []\n', /\(root\)|learners/],
    ];
    for (const [text, re] of bad) expect(() => parseLearners(text, 'l.yaml', 'aws', ['123456789012'])).toThrow(re);
    expect(() => parseLearners('learners:\n  - user: alice\n', 'l.yaml', 'aws', [])).toThrow(AccessConfigError);
  });

  it('facilitators are user ids, optionally with their team', () => {
    expect(parseFacilitators('UFAC0001, T0LAB:UFAC0002')).toEqual(['UFAC0001', 'T0LAB:UFAC0002']);
    expect(parseFacilitators(undefined)).toEqual([]);
    expect(() => parseFacilitators('alice')).toThrow(/not a Slack user id/);
  });
});

describe('Access', () => {
  it('local target without a learners file: members of allowed teams, each as TEAM:USER', async () => {
    const a = new Access({ ...base, target: 'local' });
    expect(await a.actor('T0LAB', 'UALICE01')).toEqual({ ok: true, actor: { learner: 'T0LAB:UALICE01' } });
    expect(await a.actor('TOTHER01', 'UALICE01')).toMatchObject({ ok: false, code: 'TEAM_NOT_ALLOWED' });
    expect(await a.actor('T0LAB', 'not-an-id')).toMatchObject({ ok: false, code: 'BAD_IDENTITY' });
  });

  it('aws target: refuses everyone without a learners file', async () => {
    const a = new Access({ ...base, target: 'aws' });
    expect(await a.actor('T0LAB', 'UALICE01')).toMatchObject({ ok: false, code: 'NO_LEARNERS_FILE' });
  });

  it('fails start-up on a missing learners file, and refuses everyone once it becomes unreadable or invalid', async () => {
    const dir = tmp();
    const file = path.join(dir, 'learners.yaml');
    await expect(new Access({ ...base, target: 'aws', learnersFile: file }).init()).rejects.toThrow(/cannot read the learners file \(ENOENT\)/);

    writeFileSync(file, 'learners:\n  - user: UALICE01\n    roleArn: arn:aws:iam::123456789012:role/alice\n');
    const errors: string[] = [];
    const a = new Access({ ...base, target: 'aws', learnersFile: file, onConfigError: (m) => errors.push(m) });
    await a.init();
    expect(await a.actor('T0LAB', 'UALICE01')).toEqual({ ok: true, actor: { learner: 'T0LAB:UALICE01', roleArn: 'arn:aws:iam::123456789012:role/alice' } });
    expect(await a.actor('T0LAB', 'UBOB0001')).toMatchObject({ ok: false, code: 'NOT_A_LEARNER' });

    writeFileSync(file, 'learners:\n  - user: alice\n');
    expect(await a.actor('T0LAB', 'UALICE01')).toMatchObject({ ok: false, code: 'LEARNERS_FILE_UNUSABLE' });
    if (process.getuid?.() !== 0) {
      writeFileSync(file, 'learners:\n  - user: UALICE01\n    roleArn: arn:aws:iam::123456789012:role/alice\n');
      chmodSync(file, 0o000);
      expect(await a.actor('T0LAB', 'UALICE01')).toMatchObject({ ok: false, code: 'LEARNERS_FILE_UNUSABLE' });
      chmodSync(file, 0o600);
    }
    rmSync(file);
    expect(await a.actor('T0LAB', 'UALICE01')).toMatchObject({ ok: false, code: 'LEARNERS_FILE_UNUSABLE' });
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('a learners file also restricts the local target', async () => {
    const file = path.join(tmp(), 'learners.yaml');
    writeFileSync(file, 'learners:\n  - user: UALICE01\n');
    const a = new Access({ ...base, target: 'local', learnersFile: file });
    await a.init();
    expect((await a.actor('T0LAB', 'UALICE01')).ok).toBe(true);
    expect(await a.actor('T0LAB', 'UBOB0001')).toMatchObject({ ok: false, code: 'NOT_A_LEARNER' });
  });

  it('facilitators: listed ids or members of listed user groups; a failing group lookup grants nothing', async () => {
    const a = new Access({ ...base, target: 'local', facilitators: ['UFAC0001', 'T0LAB:UFAC0002'], facilitatorGroups: ['SFAC0001'], groupMembers: async () => ['UGRP0001'] });
    expect(await a.isFacilitator('T0LAB', 'UFAC0001')).toBe(true);
    expect(await a.isFacilitator('T0LAB', 'UFAC0002')).toBe(true);
    expect(await a.isFacilitator('TOTHER01', 'UFAC0002')).toBe(false);
    expect(await a.isFacilitator('T0LAB', 'UGRP0001')).toBe(true);
    expect(await a.isFacilitator('T0LAB', 'UALICE01')).toBe(false);
    const failing = new Access({ ...base, target: 'local', facilitatorGroups: ['SFAC0001'], groupMembers: async () => Promise.reject(new Error('missing_scope')) });
    expect(await failing.isFacilitator('T0LAB', 'UGRP0001')).toBe(false);
    expect(await new Access({ ...base, target: 'local' }).isFacilitator('T0LAB', 'UFAC0001')).toBe(false);
  });
});
