/**
 * A user acts only on their own sandbox: whatever a request names, the learner is the signed
 * Slack team + user. Cohort commands need a facilitator; a broken authorisation config refuses.
 */
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, expectNoLeaks, startTestBot, type TestBot } from '../../helpers/bot.js';
import { startFakeSlack, type FakeSlack, type ResponsePost } from '../../helpers/fake-slack.js';

const ALICE = { user: 'UALICE01' };
const BOB = { user: 'UBOB0001' };
const BOB_LEARNER = 'T0LAB:UBOB0001';

async function run(t: TestBot, who: { user: string; team?: string; channel?: string }, text: string): Promise<ResponsePost[]> {
  const { ack, rid } = await t.command(who, text);
  expect(ack.status).toBe(200);
  await t.settle();
  return t.fake.responsesTo(rid);
}

const credsOf = (posts: ResponsePost[]) => {
  const text = JSON.stringify(posts[0]!.body);
  return {
    endpoint: /AWS_ENDPOINT_URL=(http:\/\/[^\s`"\\]+)/.exec(text)![1]!,
    accessKeyId: /AWS_ACCESS_KEY_ID=(AKIA[A-Z2-7]{16})/.exec(text)![1]!,
    secretAccessKey: /AWS_SECRET_ACCESS_KEY=([^\s`"\\]+)/.exec(text)![1]!,
    account: /account `(\d{12})`/.exec(text)![1]!,
  };
};

describe('one learner cannot act on another’s sandbox', () => {
  let t: TestBot;
  let alice: ReturnType<typeof credsOf>;
  let bob: ReturnType<typeof credsOf>;

  beforeAll(async () => {
    t = await startTestBot();
    alice = credsOf(await run(t, ALICE, 'creds'));
    bob = credsOf(await run(t, BOB, 'creds'));
    await run(t, BOB, 'start capabilities');
    await run(t, BOB, 'check capabilities');
    await run(t, BOB, 'hint capabilities');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('each learner has their own account and key', () => {
    expect(alice.account).not.toBe(bob.account);
    expect(alice.accessKeyId).not.toBe(bob.accessKeyId);
    expect(alice.secretAccessKey).not.toBe(bob.secretAccessKey);
  });

  it('a button value naming another learner is refused, and their progress is untouched', async () => {
    const before = await t.bot.lab.progress({ learner: BOB_LEARNER });
    for (const [action, value] of [
      ['lab_hint', `${BOB_LEARNER}:capabilities`],
      ['lab_check', 'UBOB0001:capabilities'],
      // lower-cased it parses, but as scenario "t0lab": no such scenario
      ['lab_solution', 't0lab:ubob0001:capabilities'],
    ] as const) {
      const r = await t.button(ALICE, action, value);
      await t.settle();
      const posted = t.fake.responsesTo(r.rid!);
      expect(JSON.stringify(posted)).toMatch(/not valid|Unknown scenario/);
    }
    expect(await t.bot.lab.progress({ learner: BOB_LEARNER })).toEqual(before);
  });

  it('a payload dressed up as the other learner still acts as the signed user', async () => {
    const before = await t.bot.lab.progress({ learner: BOB_LEARNER });
    const r = await t.button(ALICE, 'lab_check', 'capabilities', {}, {
      view: { id: 'VHOME', type: 'home', private_metadata: BOB_LEARNER },
      message: { text: `report for ${BOB_LEARNER}`, user: 'UBOB0001' },
    });
    await t.settle();
    const report = t.fake.responsesTo(r.rid!).at(-1)!;
    // Alice never started capabilities: her own (empty) account fails every step
    expect(report.body.text).toMatch(/^capabilities: 0\/\d+ steps pass/);
    expect(JSON.stringify(report.body)).toContain(`account ${alice.account}`);
    expect(JSON.stringify(report.body)).not.toContain(bob.account);
    expect(await t.bot.lab.progress({ learner: BOB_LEARNER })).toEqual(before);
  });

  it('check, hint and reset by one learner never reach the other’s sandbox or progress', async () => {
    const bobBefore = await t.bot.lab.progress({ learner: BOB_LEARNER });
    const aliceCheck = await run(t, ALICE, 'check capabilities');
    expect(JSON.stringify(aliceCheck)).not.toContain(bob.account);
    await run(t, ALICE, 'hint capabilities');
    await run(t, ALICE, 'reset capabilities');
    expect(await t.bot.lab.progress({ learner: BOB_LEARNER })).toEqual(bobBefore);
    // Bob's scenario is still there, in his account only
    const ecs = (c: typeof alice) => new ECSClient({ endpoint: c.endpoint, region: 'us-east-1', credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }, maxAttempts: 1 });
    expect((await ecs(bob).send(new ListClustersCommand({}))).clusterArns?.length).toBeGreaterThan(0);
    expect((await ecs(alice).send(new ListClustersCommand({}))).clusterArns ?? []).toEqual([]);
    // and Bob's key cannot sign as Alice's
    await expect(ecs({ ...alice, secretAccessKey: bob.secretAccessKey }).send(new ListClustersCommand({}))).rejects.toThrow();
  });

  it('creds and rotate only ever touch the caller’s own key', async () => {
    const again = credsOf(await run(t, ALICE, 'creds'));
    expect(again.accessKeyId).toBe(alice.accessKeyId);
    const rotated = credsOf(await run(t, ALICE, 'creds rotate'));
    expect(rotated.accessKeyId).toBe(alice.accessKeyId);
    const bobAgain = credsOf(await run(t, BOB, 'creds'));
    expect(bobAgain).toEqual(bob);
    // Alice's rotated-away secret is scanned too
    expectNoLeaks(t, [{ secret: alice.secretAccessKey, user: ALICE.user }]);
  });

  it('cohort start, board, report and end need a facilitator', async () => {
    for (const text of ['cohort start sneaky', 'cohort board', 'cohort report', 'cohort end']) {
      const posts = await run(t, ALICE, text);
      expect(posts[0]!.body.text).toMatch(/^Only facilitators can run `\/ecslab cohort/);
      expect(auditEntries(t).at(-1)).toMatchObject({ user: 'UALICE01', outcome: 'refused', code: 'NOT_FACILITATOR' });
    }
    expect(t.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0GENERAL')).toEqual([]);
  });

  it('a user of another team is refused', async () => {
    const posts = await run(t, { team: 'TOTHER01', user: 'UALICE01' }, 'list');
    expect(posts[0]!.body.text).toBe('Team TOTHER01 may not use this lab.');
    expect(auditEntries(t).at(-1)).toMatchObject({ team: 'TOTHER01', outcome: 'refused', code: 'TEAM_NOT_ALLOWED' });
  });
});

describe('a learners file restricts the lab and fails closed', () => {
  let t: TestBot;
  let fake: FakeSlack;
  let file: string;

  beforeAll(async () => {
    fake = await startFakeSlack();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-learners-'));
    file = path.join(dir, 'learners.yaml');
    writeFileSync(file, 'learners:\n  - user: UALICE01\n');
    t = await startTestBot({ ECS_LAB_LEARNERS: file }, fake);
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  it('admits listed users only', async () => {
    expect((await run(t, ALICE, 'list'))[0]!.body.text).toMatch(/^patching: 0\/7/);
    expect((await run(t, BOB, 'list'))[0]!.body.text).toMatch(/not in the learners file/);
    expect((await run(t, BOB, 'creds'))[0]!.body.text).not.toMatch(/AWS_SECRET/);
  });

  it('refuses everyone once the file is gone or broken, until it is fixed', async () => {
    rmSync(file);
    expect((await run(t, ALICE, 'list'))[0]!.body.text).toMatch(/learners file cannot be used/);
    writeFileSync(file, 'learners: nonsense\n');
    expect((await run(t, ALICE, 'creds'))[0]!.body.text).toMatch(/learners file cannot be used/);
    expect(auditEntries(t).at(-1)).toMatchObject({ outcome: 'refused', code: 'LEARNERS_FILE_UNUSABLE' });
    expect(t.logLines.join('\n')).toMatch(/authorisation config: .*learners\.yaml/);
    writeFileSync(file, 'learners:\n  - user: UALICE01\n  - user: UBOB0001\n');
    expect((await run(t, BOB, 'list'))[0]!.body.text).toMatch(/^patching: 0\/7/);
  });
});
