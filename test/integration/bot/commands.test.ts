/**
 * Every /ecslab subcommand and every button through the real HTTPReceiver (signed requests), the
 * real engine over the embedded sandbox (SigV4, one account per learner) in the lab worker, and
 * a fake Slack Web API. Results are read from what the bot posted to the fake.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../../src/scenarios/load.js';
import { auditEntries, expectNoLeaks, startTestBot, type TestBot } from '../../helpers/bot.js';
import type { ResponsePost } from '../../helpers/fake-slack.js';

const ALICE = { user: 'UALICE01' };
const quiz = loadScenarios().scenarios.find((s) => s.id === 'secrets')!.steps.find((s) => s.kind === 'quiz')!;
if (quiz.kind !== 'quiz') throw new Error('the secrets scenario has a quiz step');
const wrongChoice = quiz.choices.find((c) => c.id !== quiz.answer)!.id;

let t: TestBot;
const rotatedAway: Array<{ secret: string; user: string }> = [];

beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.stop();
});

/** Runs `/ecslab <text>` as Alice; returns the ack and what the bot posted to the response_url. */
async function run(text: string, who = ALICE): Promise<{ ack: Record<string, unknown>; posts: ResponsePost[]; rid: string }> {
  const { ack, rid } = await t.command(who, text);
  expect(ack.status).toBe(200);
  await t.settle();
  return { ack: ack.json ?? {}, posts: t.fake.responsesTo(rid), rid };
}

const blocksText = (p: ResponsePost | undefined) => JSON.stringify(p?.body.blocks ?? []);
const secretOf = (text: string) => /AWS_SECRET_ACCESS_KEY=([^\s`"\\]+)/.exec(text)?.[1];
const keyIdOf = (text: string) => /AWS_ACCESS_KEY_ID=(AKIA[A-Z2-7]{16})/.exec(text)?.[1];

describe('slash commands', () => {
  it('help and an unknown subcommand are answered in the acknowledgement itself', async () => {
    const help = await run('help');
    expect(help.ack.response_type).toBe('ephemeral');
    expect(JSON.stringify(help.ack)).toContain('/ecslab check <id>');
    const unknown = await run('frobnicate the cluster');
    expect(JSON.stringify(unknown.ack)).toContain('\\"frobnicate\\" is not an /ecslab command.');
    expect(JSON.stringify(unknown.ack)).toContain('/ecslab cohort join <name>');
    expect(unknown.posts).toEqual([]);
    const usage = await run('check');
    expect(JSON.stringify(usage.ack)).toContain('scenario id is missing');
    expect(auditEntries(t).slice(-3).map((e) => [e.command, e.outcome])).toEqual([
      ['help', 'ok'],
      ['unknown', 'usage'],
      ['usage', 'usage'],
    ]);
  });

  it('list: acknowledged with a working note, which the result replaces', async () => {
    const { ack, posts } = await run('list');
    expect(ack).toMatchObject({ response_type: 'ephemeral', text: '⏳ Working on list…' });
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    for (const id of ['patching', 'task-roles', 'network-isolation', 'secrets', 'capabilities', 'tag-access']) expect(blocksText(posts[0])).toContain(`(\`${id}\`)`);
    expect(posts[0]!.body.text).toContain('secrets: 0/7');
  });

  it('start builds the scenario in the learner’s own sandbox account', async () => {
    const { ack, posts } = await run('start secrets');
    expect(ack.text).toBe('⏳ Building the starting state of secrets…');
    expect(posts[0]!.body.text).toMatch(/is ready in your sandbox \(\d+ resource\(s\) created, 0 already there\)/);
    const again = await run('start secrets');
    expect(again.posts[0]!.body.text).toMatch(/\(0 resource\(s\) created, \d+ already there\)/);
  });

  it('check: the Block Kit report replaces "Checking…"', async () => {
    const { ack, posts } = await run('check secrets');
    expect(ack.text).toBe('⏳ Checking secrets…');
    const body = posts[0]!.body as { text: string; replace_original: boolean; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<Record<string, unknown>> }> };
    expect(body.replace_original).toBe(true);
    expect(body.text).toMatch(/^secrets: 0\/\d+ steps pass \(fail\)\.$/);
    const sections = body.blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
    expect(sections.some((s) => s.startsWith('❌ *No credentials in environment variables or log options*') && s.includes('`ecs-no-secret-env` [ECS.8'))).toBe(true);
    expect(sections.join('\n')).toContain('(redacted)');
    const buttons = body.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!);
    const main = buttons.filter((b) => ['lab_check', 'lab_hint', 'lab_solution'].includes(String(b.action_id)));
    expect(main.map((b) => b.action_id)).toEqual(['lab_check', 'lab_hint', 'lab_solution']);
    expect(main[2]!.confirm).toBeDefined();
    expect(buttons.filter((b) => String(b.action_id).startsWith('lab_answer')).map((b) => b.value)).toContain(`secrets:${quiz.id}:${quiz.answer}`);
    expect(auditEntries(t).at(-1)).toMatchObject({ command: 'check', scenario: 'secrets', outcome: 'ok', status: 'fail', team: 'T0LAB', user: 'UALICE01', channel: 'C0GENERAL' });
  });

  it('hint climbs the levels; solution and answer are recorded; progress shows them', async () => {
    expect((await run('hint secrets')).posts[0]!.body.text).toMatch(/^Hint 1\/3 for step/);
    expect((await run('hint secrets')).posts[0]!.body.text).toMatch(/^Hint 2\/3 for step/);
    expect((await run('hint secrets no-plaintext')).posts[0]!.body.text).toMatch(/^Hint 3\/3 for step .* \(the full solution\)/);
    const sol = await run('solution secrets no-plaintext');
    expect(sol.posts[0]!.body.text).toContain('Solution for step');
    expect(blocksText(sol.posts[0])).toContain('```');
    expect((await run(`answer secrets ${quiz.id} ${wrongChoice}`)).posts[0]!.body.text).toContain('Not quite');
    expect((await run(`answer secrets ${quiz.id} ${quiz.answer}`)).posts[0]!.body.text).toMatch(/^Right/);
    const progress = await run('progress');
    expect(blocksText(progress.posts[0])).toMatch(/\(`secrets`\): 1\/7 steps · 3 hint\(s\) · 1 solution\(s\)/);
    const unknownStep = await run('hint secrets nope');
    expect(unknownStep.posts[0]!.body.text).toMatch(/has no step "nope" \(valid: /);
    const unknownScenario = await run('check nope');
    expect(unknownScenario.posts[0]!.body.text).toMatch(/Unknown scenario "nope" \(valid: patching, /);
    expect(auditEntries(t).at(-1)).toMatchObject({ command: 'check', outcome: 'usage', code: 'UNKNOWN_SCENARIO' });
    expect(auditEntries(t).at(-1)).not.toHaveProperty('scenario');
  });

  it('whoami: the learner is TEAM:USER, with the sandbox account and no secret', async () => {
    const { posts } = await run('whoami');
    const text = blocksText(posts[0]);
    expect(text).toContain('`T0LAB:UALICE01`');
    expect(text).toMatch(/account `\d{12}`/);
    expect(text).toContain('*Facilitator*: no');
    expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY/);
  });

  it('creds: the learner’s own key pair, ephemeral, working against the sandbox; rotate replaces it', async () => {
    const first = await run('creds');
    const body = first.posts[0]!.body;
    expect(body.response_type).toBe('ephemeral');
    const text = JSON.stringify(body);
    const secret = secretOf(text)!;
    const keyId = keyIdOf(text)!;
    expect(secret).toBeTruthy();
    const sandboxUrl = /AWS_ENDPOINT_URL=(http:\/\/[^\s`"\\]+)/.exec(text)![1]!;
    const client = new STSClient({ endpoint: sandboxUrl, region: 'us-east-1', credentials: { accessKeyId: keyId, secretAccessKey: secret }, maxAttempts: 1 });
    const id = await client.send(new GetCallerIdentityCommand({}));
    expect(text).toContain(`account \`${id.Account}\``);
    expect(text).toContain('2.13');

    const rotated = await run('creds rotate');
    const newSecret = secretOf(JSON.stringify(rotated.posts[0]!.body))!;
    expect(newSecret).not.toBe(secret);
    expect(JSON.stringify(rotated.posts[0]!.body)).toContain('new secret');
    rotatedAway.push({ secret, user: ALICE.user });
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/signature|SignatureDoesNotMatch/i);
    const fresh = new STSClient({ endpoint: sandboxUrl, region: 'us-east-1', credentials: { accessKeyId: keyId, secretAccessKey: newSecret }, maxAttempts: 1 });
    await expect(fresh.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: id.Account });
    // the bot's own checks follow the rotation
    expect((await run('check secrets')).posts[0]!.body.text).toMatch(/^secrets: 1\/\d+ steps pass/);
  });
});

describe('buttons', () => {
  it('Check on a report: "Checking…" first, then the new report, both replacing the message', async () => {
    const { ack, rid } = await t.button(ALICE, 'lab_check', 'secrets');
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    await t.settle();
    const posts = t.fake.responsesTo(rid!);
    expect(posts.map((p) => p.body.replace_original)).toEqual([true, true]);
    expect(posts[0]!.body.text).toBe('⏳ Checking secrets…');
    expect(posts[1]!.body.text).toMatch(/^secrets: 1\/7 steps pass/);
    expect(auditEntries(t).at(-1)).toMatchObject({ command: 'button lab_check', scenario: 'secrets', outcome: 'ok', status: 'fail' });
  });

  it('Hint, Solution, Start and Answer post new ephemeral messages, keeping the report', async () => {
    const hint = await t.button(ALICE, 'lab_hint', 'secrets');
    const sol = await t.button(ALICE, 'lab_solution', 'secrets:password-from-store');
    const start = await t.button(ALICE, 'lab_start', 'capabilities');
    const answer = await t.button(ALICE, `lab_answer_${wrongChoice}`, `secrets:${quiz.id}:${wrongChoice}`);
    await t.settle();
    const first = (rid?: string) => t.fake.responsesTo(rid!)[0]!.body;
    expect(first(hint.rid)).toMatchObject({ replace_original: false, response_type: 'ephemeral', text: expect.stringMatching(/^Hint [1-3]\/3 for step "/) });
    expect(first(sol.rid)).toMatchObject({ replace_original: false, text: expect.stringContaining('Solution for step') });
    expect(first(start.rid)).toMatchObject({ replace_original: false, text: expect.stringMatching(/is ready in your sandbox/) });
    expect(first(answer.rid)).toMatchObject({ text: expect.stringContaining('Not quite') });
  });

  it('a malformed button value is refused without touching the lab', async () => {
    const before = await t.bot.lab.progress({ learner: 'T0LAB:UALICE01' });
    const r = await t.button(ALICE, 'lab_hint', 'secrets:a:b:c:d');
    await t.settle();
    expect(t.fake.responsesTo(r.rid!)[0]!.body.text).toContain('not valid');
    expect(await t.bot.lab.progress({ learner: 'T0LAB:UALICE01' })).toEqual(before);
  });
});

describe('App Home', () => {
  it('is published on app_home_opened with progress, Start / Check / Hint, and the sandbox', async () => {
    const before = t.fake.callsTo('views.publish').length;
    const res = await t.homeOpened(ALICE);
    expect(res.status).toBe(200);
    await t.settle();
    const published = t.fake.callsTo('views.publish').slice(before);
    expect(published.length).toBeGreaterThanOrEqual(1);
    const last = published.at(-1)!;
    expect(last.args.user_id).toBe('UALICE01');
    const view = JSON.stringify(last.args.view);
    expect(view).toContain('"type":"home"');
    expect(view).toMatch(/Case 4: Sensitive data into containers\* \(`secrets`\)\\n1\/7 steps · 4 hint\(s\)/);
    expect(view).toContain('"action_id":"lab_creds"');
    expect(view).not.toContain('AWS_SECRET_ACCESS_KEY');
    expect(auditEntries(t).some((e) => e.command === 'event app_home_opened' && e.outcome === 'ok')).toBe(true);
  });

  it('is republished after each change while the user has it', async () => {
    const before = t.fake.callsTo('views.publish').length;
    await run('hint secrets');
    await t.settle();
    const after = t.fake.callsTo('views.publish').slice(before);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(after.at(-1)!.args.view)).toMatch(/1\/7 steps · 5 hint\(s\)/);
    // someone who never opened App Home gets a fresh one when they do, not one per change
    await run('hint secrets', { user: 'UCAROL01' });
    await t.settle();
    expect(t.fake.callsTo('views.publish').filter((c) => c.args.user_id === 'UCAROL01')).toEqual([]);
  });

  it('buttons in App Home deliver their result as a direct message', async () => {
    const before = t.fake.callsTo('chat.postMessage').length;
    await t.button(ALICE, 'lab_check', 'secrets', { home: true });
    await t.settle();
    const dm = t.fake.callsTo('chat.postMessage').slice(before);
    expect(dm).toHaveLength(1);
    expect(dm[0]!.args).toMatchObject({ channel: 'UALICE01', text: expect.stringMatching(/^secrets: 1\/7 steps pass/) });
  });

  it('Show credentials opens a modal only the user sees; Rotate updates it with a new secret', async () => {
    await t.button(ALICE, 'lab_creds', 'show', { home: true });
    await t.settle();
    const opened = t.fake.callsTo('views.open').at(-1)!;
    expect(String(opened.args.trigger_id)).toContain('UALICE01');
    const secret = secretOf(JSON.stringify(opened.args.view))!;
    expect(secret).toBeTruthy();
    await t.button(ALICE, 'lab_creds_rotate', 'rotate', { home: true }, { view: { id: 'VMODAL-UALICE01', type: 'modal' }, container: { type: 'view', view_id: 'VMODAL-UALICE01' } });
    await t.settle();
    const updated = t.fake.callsTo('views.update').at(-1)!;
    expect(updated.args.view_id).toBe('VMODAL-UALICE01');
    const next = secretOf(JSON.stringify(updated.args.view))!;
    expect(next).toBeTruthy();
    expect(next).not.toBe(secret);
    rotatedAway.push({ secret, user: ALICE.user });
  });
});

describe('delivery when the response_url cannot be used', () => {
  it('falls back to chat.postEphemeral when Slack refuses the response_url (expired)', async () => {
    const rid = 'expired-1';
    t.fake.failResponse(rid, 404);
    t.ridOwner.set(rid, ALICE.user);
    const before = t.fake.callsTo('chat.postEphemeral').length;
    await t.button(ALICE, 'lab_hint', 'secrets', { rid });
    await t.settle();
    const eph = t.fake.callsTo('chat.postEphemeral').slice(before);
    expect(eph).toHaveLength(1);
    expect(eph[0]!.args).toMatchObject({ channel: 'C0GENERAL', user: 'UALICE01', text: expect.stringMatching(/^Hint/) });
  });

  it('uses one response_url at most 5 times, then posts ephemerally', async () => {
    const rid = 'busy-1';
    const before = t.fake.callsTo('chat.postEphemeral').length;
    for (let i = 0; i < 6; i++) await t.button(ALICE, 'lab_hint', 'secrets:no-plaintext', { rid });
    await t.settle();
    expect(t.fake.responsesTo(rid)).toHaveLength(5);
    expect(t.fake.callsTo('chat.postEphemeral').slice(before)).toHaveLength(1);
  });
});

describe('reset', () => {
  it('deletes what the lab created in the learner’s sandbox', async () => {
    const { ack, posts } = await run('reset secrets');
    expect(ack.text).toBe('⏳ Resetting secrets…');
    expect(posts[0]!.body.text).toMatch(/^Reset secrets: \d+ resource\(s\) deleted; nothing lab-tagged is left\.$/);
    expect((await run('reset all')).posts[0]!.body.text).toMatch(/^Reset all scenarios:/);
  });
});

describe('secrets', () => {
  it('no Slack payload or log line carries a planted secret, and issued keys reach only their owner', () => {
    const { scanned, secrets } = expectNoLeaks(t, rotatedAway);
    expect(scanned).toBeGreaterThan(50);
    expect(secrets).toBeGreaterThanOrEqual(3);
    // every interaction was audited with who, what, outcome and duration
    for (const e of auditEntries(t)) {
      expect(e).toMatchObject({ team: 'T0LAB', user: expect.stringMatching(/^U/), command: expect.any(String), outcome: expect.any(String), durationMs: expect.any(Number) });
    }
  });
});
