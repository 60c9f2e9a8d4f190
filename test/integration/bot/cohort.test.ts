/**
 * A facilitated session: start in a channel, learners join, one leaderboard message kept up to
 * date with chat.update, a CSV report uploaded to the channel, and the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, expectNoLeaks, FACILITATOR, startTestBot, type TestBot } from '../../helpers/bot.js';
import type { ResponsePost } from '../../helpers/fake-slack.js';

const CHANNEL = 'C0COHORT';
const FAC = { user: FACILITATOR, channel: CHANNEL };
const ALICE = { user: 'UALICE01', channel: CHANNEL };
const BOB = { user: 'UBOB0001', channel: CHANNEL };

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.stop();
});

async function run(who: { user: string; channel?: string }, text: string): Promise<ResponsePost[]> {
  const { ack, rid } = await t.command(who, text);
  expect(ack.status).toBe(200);
  await t.settle();
  return t.fake.responsesTo(rid);
}

const boardPosts = () => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL && String(c.args.text).includes('leaderboard'));
const boardUpdates = () => t.fake.callsTo('chat.update').filter((c) => c.args.channel === CHANNEL);

describe('cohorts', () => {
  it('a facilitator starts one in a channel; it is announced there', async () => {
    const posts = await run(FAC, 'cohort start week1');
    expect(posts[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: true, text: 'Cohort week1 started in this channel.' });
    expect(posts[1]!.body).toMatchObject({ response_type: 'in_channel', text: 'Cohort week1 has started. Join with /ecslab cohort join week1.' });
    expect((await run(FAC, 'cohort start other'))[0]!.body.text).toMatch(/already running in this channel/);
    expect((await run({ user: FACILITATOR, channel: 'DFAC0001' }, 'cohort start dm'))[0]!.body.text).toMatch(/in the channel the cohort is for/);
  });

  it('learners join by name', async () => {
    expect((await run(ALICE, 'cohort join week1'))[0]!.body.text).toBe('You joined cohort week1 (1 member(s)).');
    expect((await run(ALICE, 'cohort join week1'))[0]!.body.text).toBe('You are already in cohort week1.');
    expect((await run(BOB, 'cohort join week1'))[0]!.body.text).toBe('You joined cohort week1 (2 member(s)).');
    expect((await run(BOB, 'cohort join nope'))[0]!.body.text).toBe('No running cohort is named "nope".');
  });

  it('board posts one leaderboard message in the channel', async () => {
    const posts = await run(FAC, 'cohort board');
    expect(posts[0]!.body.text).toBe('The week1 leaderboard is up to date in this channel.');
    expect(boardPosts()).toHaveLength(1);
    const blocks = JSON.stringify(boardPosts()[0]!.args.blocks);
    expect(blocks).toContain('🏁 week1: leaderboard');
    expect(blocks).toContain('<@UALICE01>');
    expect(blocks).toContain('<@UBOB0001>');
    expect(blocks).not.toContain('name-of-');
  });

  it('progress by a member updates that same message (chat.update), never a new one', async () => {
    const ts = (await t.bot.lab.cohortInChannel('T0LAB', CHANNEL))!.board!.ts;
    const before = boardUpdates().length;
    await run(ALICE, 'start capabilities');
    await run(ALICE, 'check capabilities');
    await run(ALICE, 'hint capabilities');
    await run(BOB, 'hint capabilities');
    await t.settle();
    const updates = boardUpdates().slice(before);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.every((u) => u.args.ts === ts)).toBe(true);
    expect(boardPosts()).toHaveLength(1);
    const last = JSON.stringify(updates.at(-1)!.args.blocks);
    expect(last).toMatch(/🥇 <@UALICE01> — 0 scenario\(s\) · \d+\/\d+ steps · 1 hint\(s\)/);
    expect(last).toMatch(/<@UBOB0001> — 0 scenario\(s\) · 0\/\d+ steps · 1 hint\(s\)/);
  });

  it('App Home shows the cohort and the learner’s rank', async () => {
    await t.homeOpened(ALICE);
    await t.settle();
    const view = JSON.stringify(t.fake.callsTo('views.publish').filter((c) => c.args.user_id === 'UALICE01').at(-1)!.args.view);
    expect(view).toContain('*Cohort week1*: you are #1 of 2.');
  });

  it('report uploads a CSV to the channel and summarises it for the facilitator', async () => {
    const posts = await run(FAC, 'cohort report');
    expect(posts[0]!.body.text).toMatch(/^Cohort week1: 2 member\(s\), 0 finished every scenario, [\d.]+ steps passed on average, 2 hint\(s\) used\.$/);
    expect(t.fake.callsTo('files.getUploadURLExternal')[0]!.args).toMatchObject({ filename: 'ecs-lab-cohort-week1.csv' });
    const complete = t.fake.callsTo('files.completeUploadExternal')[0]!.args;
    expect(complete).toMatchObject({ channel_id: CHANNEL, initial_comment: posts[0]!.body.text });
    const csv = t.fake.uploads[0]!.content;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^rank,team,user,scenarios_completed,steps_passed,steps_total,hints_used,solutions_revealed,time_seconds,joined_at,last_check_at,patching_steps_passed,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['1,T0LAB,UALICE01', '2,T0LAB,UBOB0001']);
  });

  it('end closes it, updates the board a last time and announces it; report still works', async () => {
    const before = boardUpdates().length;
    const posts = await run(FAC, 'cohort end');
    expect(posts[0]!.body.text).toBe('Cohort week1 ended.');
    expect(posts[1]!.body).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/^Cohort week1 has ended \(2 member\(s\)\)/) });
    expect(JSON.stringify(boardUpdates().slice(before).at(-1)!.args.blocks)).toContain('(final)');
    expect((await run(FAC, 'cohort board'))[0]!.body.text).toMatch(/No cohort is running in this channel/);
    expect((await run(FAC, 'cohort report'))[0]!.body.text).toMatch(/^Cohort week1: 2 member\(s\)/);
    // progress after the end no longer touches the board
    const n = boardUpdates().length;
    await run(ALICE, 'hint capabilities');
    await t.settle();
    expect(boardUpdates()).toHaveLength(n);
    // a new cohort may start in the same channel
    expect((await run(FAC, 'cohort start week2'))[0]!.body.text).toBe('Cohort week2 started in this channel.');
  });

  it('audits every cohort command and leaks nothing', () => {
    const cohort = auditEntries(t).filter((e) => String(e.command).startsWith('cohort'));
    expect(cohort.map((e) => `${e.command}:${e.outcome}`)).toEqual(
      expect.arrayContaining(['cohort start:ok', 'cohort join:ok', 'cohort board:ok', 'cohort report:ok', 'cohort end:ok', 'cohort start:usage', 'cohort join:usage']),
    );
    expect(cohort.every((e) => e.team === 'T0LAB' && typeof e.durationMs === 'number')).toBe(true);
    // nobody asked for credentials here; the keys issued for checks are still scanned
    expectNoLeaks(t);
  });
});
