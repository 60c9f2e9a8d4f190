/**
 * Block Kit messages and views of the Slack bot: pure functions from engine results to Slack
 * payloads, within Block Kit's limits (50 blocks a message, 100 a Home tab, 3,000 characters a
 * section text), each with its plain-text fallback. No secret goes into a button value.
 */
import type { types } from '@slack/bolt';
import type { Standing } from '../scenarios/cohort.js';
import type { CheckReport, StepReport } from '../scenarios/report.js';
import type { AnswerResult, HintResult, ProgressRow, ScenarioSummary, SolutionResult } from '../scenarios/types.js';
import type { CatalogScenario, CohortBoard, CohortSummary, HomeData, LearnerCredentials, ResetSummary, SandboxInfo, StartSummary } from './lab/types.js';

type Block = types.KnownBlock;
type Button = types.Button;

/** A message: blocks plus the plain-text fallback Slack shows in notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const LIMITS = { blocks: 50, homeBlocks: 100, sectionText: 3000, buttonText: 75, buttonValue: 2000, header: 150, context: 10, actions: 25 } as const;

/** Action ids of the bot's buttons. */
export const ACTION = {
  check: 'lab_check',
  hint: 'lab_hint',
  solution: 'lab_solution',
  start: 'lab_start',
  answer: 'lab_answer',
  creds: 'lab_creds',
  rotate: 'lab_creds_rotate',
} as const;

const STATUS_EMOJI: Record<string, string> = { pass: '✅', fail: '❌', error: '⚠️', skip: '⏭️' };
const PROGRESS_EMOJI: Record<string, string> = { complete: '✅', 'in-progress': '🔧', 'not-started': '⬜' };

/** Escapes the three characters Slack's mrkdwn treats as markup. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters, marking the cut. */
export function clamp(text: string, max: number, more = '…'): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - more.length)) + more;
}

export function section(text: string, accessory?: Button): types.SectionBlock {
  const block: types.SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: clamp(text || ' ', LIMITS.sectionText) } };
  if (accessory) block.accessory = accessory;
  return block;
}

export function context(...texts: string[]): types.ContextBlock {
  return { type: 'context', elements: texts.slice(0, LIMITS.context).map((t) => ({ type: 'mrkdwn' as const, text: clamp(t, LIMITS.sectionText) })) };
}

function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clamp(text, LIMITS.header), emoji: true } };
}

const divider: types.DividerBlock = { type: 'divider' };

export function button(text: string, actionId: string, value: string, extra: Partial<Pick<Button, 'style' | 'confirm'>> = {}): Button {
  return { type: 'button', text: { type: 'plain_text', text: clamp(text, LIMITS.buttonText), emoji: true }, action_id: actionId, value: clamp(value, LIMITS.buttonValue), ...extra };
}

function actions(buttons: Button[]): types.ActionsBlock {
  return { type: 'actions', elements: buttons.slice(0, LIMITS.actions) };
}

/** A button value: the scenario, optionally a step and a quiz choice. Never a learner or a secret. */
export function buttonValue(scenario: string, step?: string, choice?: string): string {
  return [scenario, step, choice].filter((x) => x !== undefined).join(':');
}

const VALUE = /^([a-z0-9][a-z0-9-]{0,63})(?::([a-z0-9][a-z0-9-]{0,63}))?(?::([a-z0-9][a-z0-9-]{0,63}))?$/;

/** Parses a button value strictly; anything else (a forged value naming a learner, say) is undefined. */
export function parseButtonValue(value: string | undefined): { scenario: string; step?: string; choice?: string } | undefined {
  const m = VALUE.exec(value ?? '');
  if (!m) return undefined;
  return { scenario: m[1]!, step: m[2], choice: m[3] };
}

function solutionConfirm(): types.ConfirmationDialog {
  return {
    title: { type: 'plain_text', text: 'Reveal the solution?' },
    text: { type: 'mrkdwn', text: 'The reference solution is recorded in your progress (and in your cohort report). Try a hint first?' },
    confirm: { type: 'plain_text', text: 'Show it' },
    deny: { type: 'plain_text', text: 'Not yet' },
  };
}

/** Check / Hint / Solution buttons for a scenario (Solution behind a confirm dialog). */
export function labButtons(scenario: string, step?: string): Button[] {
  return [
    button('Check again', ACTION.check, buttonValue(scenario), { style: 'primary' }),
    button('Hint', ACTION.hint, buttonValue(scenario)),
    button('Solution', ACTION.solution, buttonValue(scenario, step), { confirm: solutionConfirm() }),
  ];
}

function stepText(step: StepReport): string {
  let text = `${STATUS_EMOJI[step.status] ?? '•'} *${esc(step.title)}*`;
  if (step.status === 'pass') return text;
  if (step.kind === 'quiz') return `${text}\n_Quiz: not answered right yet._`;
  for (const c of step.checks.filter((x) => x.status !== 'pass')) {
    const controls = c.controls.length ? ` [${c.controls.map(esc).join(', ')}]` : '';
    const tag = c.status === 'fail' ? '' : ` _(${c.status})_`;
    text += `\n• \`${esc(c.id)}\`${controls}${tag}: ${esc(c.message)}`;
  }
  return text;
}

function reportFallback(r: CheckReport): string {
  return `${r.scenario}: ${r.passed}/${r.total} steps pass (${r.status}).`;
}

/**
 * The check report: a summary, one section per step (✅/❌, its title, failing checks with their
 * messages and control ids), answer buttons for open quizzes, and Check / Hint / Solution. A report
 * that would pass Block Kit's limits is condensed to the failing steps with a pointer elsewhere.
 */
export function checkReportMessage(r: CheckReport, scenario?: CatalogScenario): SlackMessage {
  const title = scenario ? `Case ${scenario.case}: ${esc(scenario.title)}` : `\`${r.scenario}\``;
  const done = r.status === 'pass';
  const head = section(`*${title}* — *${r.passed}/${r.total}* steps pass${done ? ' 🎉 Every step is fixed.' : ''}`);
  const meta = context(
    `Target ${r.target.kind}${r.target.account ? ` · account ${r.target.account}` : ''} · ${r.target.region} · ${r.durationMs} ms · ${r.apiCalls} API calls`,
  );
  const firstOpen = r.steps.find((s) => s.status !== 'pass' && s.status !== 'skip');
  const tail = actions(labButtons(r.scenario, firstOpen?.id));

  const body: Block[] = [];
  for (const step of r.steps) {
    body.push(section(clamp(stepText(step), LIMITS.sectionText, `… _(more: \`ecs-lab check ${r.scenario}\` in the CLI)_`)));
    const quiz = scenario?.steps.find((s) => s.id === step.id && s.kind === 'quiz');
    if (quiz?.choices && step.status !== 'pass') {
      body.push(section(`*${esc(quiz.question ?? quiz.title)}*\n${quiz.choices.map((c) => `*${esc(c.id)}*: ${esc(c.text)}`).join('\n')}`));
      // action_ids must be unique within a block: one per choice, all routed to the answer listener
      body.push(actions(quiz.choices.slice(0, 5).map((c) => button(`Answer ${c.id}`, `${ACTION.answer}_${c.id}`, buttonValue(r.scenario, step.id, c.id)))));
    }
  }
  const blocks = [head, meta, ...body, tail];
  if (blocks.length <= LIMITS.blocks) return { text: reportFallback(r), blocks };

  // Condensed: the open steps by title in one section, and where the full report is.
  const open = r.steps.filter((s) => s.status !== 'pass' && s.status !== 'skip');
  const list = open.map((s) => `${STATUS_EMOJI[s.status]} ${esc(s.title)}`).join('\n');
  return {
    text: reportFallback(r),
    blocks: [
      head,
      meta,
      section(clamp(`*${open.length} step(s) still open:*\n${list}`, LIMITS.sectionText)),
      context(`This report is too long for one Slack message. Your progress per step is in the bot's App Home; the full report: \`ecs-lab check ${r.scenario}\` in the CLI.`),
      tail,
    ],
  };
}

export function hintMessage(scenario: string, h: HintResult | null): SlackMessage {
  if (!h) {
    const text = `Every step of ${scenario} passes in your last check: nothing to hint.`;
    return { text, blocks: [section(`✅ ${text}`), actions([button('Check again', ACTION.check, buttonValue(scenario))])] };
  }
  const text = `Hint ${h.level}/3 for step "${h.stepTitle}" of ${h.scenario}${h.final ? ' (the full solution)' : ''}.`;
  const buttons = [button('Check', ACTION.check, buttonValue(h.scenario), { style: 'primary' })];
  if (!h.final) buttons.unshift(button('More specific hint', ACTION.hint, buttonValue(h.scenario, h.step)));
  return {
    text,
    blocks: [
      section(`💡 *Hint ${h.level}/3* for step *${esc(h.stepTitle)}* (\`${h.step}\`)${h.final ? ' — the full solution' : ''}\n${esc(h.text)}`),
      actions(buttons),
    ],
  };
}

export function solutionMessage(s: SolutionResult): SlackMessage {
  const blocks: Block[] = [section(`📖 *Solution* for step *${esc(s.stepTitle)}* (\`${s.step}\`) of \`${s.scenario}\`\n${esc(s.text)}`)];
  if (s.cli.length) blocks.push(section(clamp('```' + esc(s.cli.join('\n')), LIMITS.sectionText - 3) + '```'));
  blocks.push(actions([button('Check', ACTION.check, buttonValue(s.scenario), { style: 'primary' })]));
  return { text: `Solution for step "${s.stepTitle}" of ${s.scenario}.`, blocks };
}

export function answerMessage(r: AnswerResult): SlackMessage {
  const text = r.correct ? `Right: ${r.explanation ?? ''}`.trim() : `Not quite. Try again, or ask for a hint.`;
  const buttons = r.correct
    ? [button('Check', ACTION.check, buttonValue(r.scenario), { style: 'primary' })]
    : [button('Hint', ACTION.hint, buttonValue(r.scenario, r.step))];
  return { text, blocks: [section(`${r.correct ? '✅' : '❌'} *${esc(r.step)}*: ${esc(text)}`), actions(buttons)] };
}

export function startMessage(s: StartSummary): SlackMessage {
  const text = `${s.title} is ready in your sandbox (${s.created} resource(s) created, ${s.existing} already there).`;
  return {
    text,
    blocks: [
      section(`🚀 *${esc(s.title)}* is ready in your sandbox: ${s.created} resource(s) created, ${s.existing} already there.`),
      section(esc(s.briefing.trim())),
      context('Fix it with the AWS CLI, the console or IaC (`/ecslab creds` gives your sandbox credentials), then check.'),
      actions([button('Check', ACTION.check, buttonValue(s.scenario), { style: 'primary' }), button('Hint', ACTION.hint, buttonValue(s.scenario))]),
    ],
  };
}

export function resetMessage(r: ResetSummary): SlackMessage {
  const text = `Reset ${r.scenario ?? 'all scenarios'}: ${r.removed} resource(s) deleted; nothing lab-tagged is left.`;
  return { text, blocks: [section(`🧹 ${text}`)] };
}

export function listMessage(rows: ScenarioSummary[]): SlackMessage {
  const blocks: Block[] = [section('*The six cases of CON307*, fixed in your own sandbox:')];
  for (const r of rows) {
    const started = r.progress.status !== 'not-started';
    blocks.push(
      section(
        `${PROGRESS_EMOJI[r.progress.status]} *Case ${r.case}: ${esc(r.title)}* (\`${r.id}\`) — ${r.progress.passed}/${r.progress.total} steps\n${esc(r.question)}`,
        started ? button('Check', ACTION.check, buttonValue(r.id)) : button('Start', ACTION.start, buttonValue(r.id)),
      ),
    );
  }
  blocks.push(context('`/ecslab start <id>` builds the starting state, `/ecslab check <id>` checks it.'));
  return { text: rows.map((r) => `${r.id}: ${r.progress.passed}/${r.progress.total}`).join(', '), blocks: blocks.slice(0, LIMITS.blocks) };
}

function progressLine(p: ProgressRow): string {
  return `${PROGRESS_EMOJI[p.status]} *${esc(p.title)}* (\`${p.id}\`): ${p.passed}/${p.total} steps · ${p.hintsUsed} hint(s) · ${p.solutionsRevealed} solution(s)`;
}

export function progressMessage(rows: ProgressRow[]): SlackMessage {
  const done = rows.filter((r) => r.status === 'complete').length;
  return {
    text: `${done}/${rows.length} scenarios complete.`,
    blocks: [section(`*Your progress*: ${done}/${rows.length} scenarios complete`), section(rows.map(progressLine).join('\n'))],
  };
}

export const HELP_LINES = [
  '`/ecslab list` — the scenarios and your progress',
  '`/ecslab start <id>` — build the insecure starting state in your sandbox',
  '`/ecslab check <id>` — check every step against live state',
  '`/ecslab hint <id> [step]` — the next hint for the first failing (or given) step',
  '`/ecslab solution <id> [step]` — the reference solution (recorded)',
  '`/ecslab answer <id> <step> <choice>` — answer a quiz step',
  '`/ecslab progress` — steps passed, hints used, solutions revealed',
  '`/ecslab reset <id>|all` — delete what the lab created in your sandbox',
  '`/ecslab creds [rotate]` — your sandbox credentials (only you see them)',
  '`/ecslab whoami` — who the bot thinks you are, and your sandbox',
  '`/ecslab cohort join <name>` — join a facilitated session',
  '`/ecslab cohort start <name>` · `board` · `report` · `end` — facilitators',
];

export function helpMessage(note?: string): SlackMessage {
  const blocks: Block[] = [];
  if (note) blocks.push(section(esc(note)));
  blocks.push(section(`*ECS security lab* — scenarios: \`patching\`, \`task-roles\`, \`network-isolation\`, \`secrets\`, \`capabilities\`, \`tag-access\`\n${HELP_LINES.join('\n')}`));
  return { text: `${note ? `${note} ` : ''}Usage: /ecslab list | start | check | hint | solution | answer | progress | reset | creds | whoami | cohort`, blocks };
}

export function workingMessage(what: string): SlackMessage {
  return { text: `⏳ ${what}…`, blocks: [context(`⏳ ${esc(what)}…`)] };
}

export function errorMessage(text: string): SlackMessage {
  return { text, blocks: [section(`⚠️ ${esc(text)}`)] };
}

export function refusedMessage(text: string): SlackMessage {
  return { text, blocks: [section(`🚫 ${esc(text)}`)] };
}

/** The lines a learner pastes into a shell; CONTRACT §5 connection help. */
export function exportLines(c: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string }): string[] {
  return [
    `export AWS_ENDPOINT_URL=${c.endpoint}`,
    `export AWS_ACCESS_KEY_ID=${c.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${c.secretAccessKey}`,
    `export AWS_REGION=${c.region}`,
  ];
}

const CLI_NOTE = 'AWS CLI versions older than 2.13 (v2) or 1.29 (v1) ignore `AWS_ENDPOINT_URL` (Debian 12’s `awscli` is 2.9.19): add `--endpoint-url` to each command.';

function credentialBlocks(c: LearnerCredentials): Block[] {
  if (c.target === 'aws') {
    return [
      section(`*Your sandbox* is AWS account \`${c.account}\` (${c.region}). Work in it as the role:\n\`${esc(c.roleArn)}\``),
      section('```' + `[profile ecs-lab]\nrole_arn = ${esc(c.roleArn)}\nsource_profile = default\nregion = ${c.region}` + '```'),
      context('The bot keeps no long-term key for it; use `aws --profile ecs-lab …`.'),
    ];
  }
  return [
    section(`*Your sandbox* is account \`${c.account}\` at ${c.endpoint} (${c.region})${c.rotated ? ' — *new secret*: the old one no longer works.' : '.'}`),
    section('```' + exportLines(c).join('\n') + '```'),
    context(`Only you can see this. ${CLI_NOTE}`, '`/ecslab creds rotate` replaces the secret.'),
  ];
}

export function credentialsMessage(c: LearnerCredentials): SlackMessage {
  return { text: `Your sandbox credentials (account ${c.account}); only you can see them.`, blocks: credentialBlocks(c) };
}

export function credentialsModal(c: LearnerCredentials): types.ModalView {
  const blocks = credentialBlocks(c);
  if (c.target === 'local') {
    blocks.push(
      actions([
        button('Rotate secret', ACTION.rotate, 'rotate', {
          style: 'danger',
          confirm: {
            title: { type: 'plain_text', text: 'Rotate your secret?' },
            text: { type: 'mrkdwn', text: 'The current secret stops working at once.' },
            confirm: { type: 'plain_text', text: 'Rotate' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        }),
      ]),
    );
  }
  return { type: 'modal', callback_id: 'lab_creds_modal', title: { type: 'plain_text', text: 'Sandbox credentials' }, close: { type: 'plain_text', text: 'Close' }, blocks };
}

function sandboxLine(s: SandboxInfo): string {
  if (s.target === 'aws') return `AWS account \`${s.account ?? '?'}\` (${s.region}) as role \`${esc(s.roleArn ?? 'none')}\``;
  if (!s.account) return `Endpoint ${s.endpoint ?? '?'} (${s.region}); your account is created on your first \`/ecslab start\` or \`/ecslab creds\`.`;
  return `Endpoint ${s.endpoint ?? '?'} · ${s.region} · account \`${s.account}\` · key \`${s.accessKeyId ?? '?'}\``;
}

export interface WhoamiInfo {
  team: string;
  user: string;
  learner: string;
  facilitator: boolean;
  sandbox: SandboxInfo;
  cohorts: string[];
}

export function whoamiMessage(w: WhoamiInfo): SlackMessage {
  const lines = [
    `*Learner*: \`${w.learner}\` (team \`${w.team}\`, user <@${w.user}>)`,
    `*Sandbox*: ${sandboxLine(w.sandbox)}`,
    `*Facilitator*: ${w.facilitator ? 'yes' : 'no'}`,
    `*Cohorts*: ${w.cohorts.length ? w.cohorts.map(esc).join(', ') : 'none'}`,
  ];
  return { text: `You are ${w.learner}.`, blocks: [section(lines.join('\n'))] };
}

/** `h:mm:ss` or `m:ss`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The Slack user id of a `TEAM:USER` learner. */
export function userOf(learner: string): string {
  return learner.slice(learner.indexOf(':') + 1);
}

const MEDAL = ['🥇', '🥈', '🥉'];

function standingLine(s: Standing): string {
  const place = s.rank <= 3 ? MEDAL[s.rank - 1]! : `${s.rank}.`;
  return `${place} <@${userOf(s.learner)}> — ${s.scenariosCompleted} scenario(s) · ${s.stepsPassed}/${s.stepsTotal} steps · ${s.hintsUsed} hint(s) · ${formatDuration(s.timeMs)}`;
}

function slackDate(iso: string, fmt = '{date_short_pretty} {time}'): string {
  const t = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${t}^${fmt}|${iso}>`;
}

const BOARD_ROWS = 40;

/** The cohort leaderboard: one message, updated in place. */
export function leaderboardMessage(b: CohortBoard, nowIso: string): SlackMessage {
  const c = b.cohort;
  const blocks: Block[] = [header(`🏁 ${c.name}: leaderboard${c.endedAt ? ' (final)' : ''}`)];
  const rows = b.standings.slice(0, BOARD_ROWS).map(standingLine);
  if (rows.length === 0) blocks.push(section('Nobody has joined yet: `/ecslab cohort join ' + esc(c.name) + '`.'));
  // Pack rows into as few sections as the 3,000-character limit allows.
  let chunk = '';
  for (const row of rows) {
    if (chunk && chunk.length + row.length + 1 > LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${row}` : row;
  }
  if (chunk) blocks.push(section(chunk));
  if (b.standings.length > BOARD_ROWS) blocks.push(context(`…and ${b.standings.length - BOARD_ROWS} more: \`/ecslab cohort report\` has everyone.`));
  blocks.push(
    context(
      `${b.standings.length} member(s) · started ${slackDate(c.startedAt)} · updated ${slackDate(nowIso, '{time_secs}')}`,
      c.endedAt ? 'This cohort has ended.' : `Join: \`/ecslab cohort join ${esc(c.name)}\``,
    ),
  );
  const top = b.standings[0];
  const text = `${c.name} leaderboard: ${b.standings.length} member(s)${top ? `, leading: ${userOf(top.learner)} with ${top.stepsPassed} steps` : ''}.`;
  return { text, blocks };
}

export function cohortStartedMessage(c: CohortSummary): SlackMessage {
  const text = `Cohort ${c.name} has started. Join with /ecslab cohort join ${c.name}.`;
  return { text, blocks: [section(`🎬 *Cohort ${esc(c.name)}* has started, run by <@${userOf(c.facilitator)}>. Join with \`/ecslab cohort join ${esc(c.name)}\`, then \`/ecslab list\`.`)] };
}

export function cohortJoinedMessage(c: CohortSummary, joined: boolean): SlackMessage {
  const text = joined ? `You joined cohort ${c.name} (${c.members} member(s)).` : `You are already in cohort ${c.name}.`;
  return { text, blocks: [section(`👋 ${esc(text)} Start with \`/ecslab list\`.`)] };
}

export function cohortReportSummary(b: CohortBoard): SlackMessage {
  const n = b.standings.length;
  const done = b.standings.filter((s) => s.scenariosCompleted === b.scenarios.length).length;
  const avg = n ? b.standings.reduce((x, s) => x + s.stepsPassed, 0) / n : 0;
  const hints = b.standings.reduce((x, s) => x + s.hintsUsed, 0);
  const text = `Cohort ${b.cohort.name}: ${n} member(s), ${done} finished every scenario, ${avg.toFixed(1)} steps passed on average, ${hints} hint(s) used.`;
  return { text, blocks: [section(`📊 ${esc(text)}`), context('Per-member figures are in the CSV file above.')] };
}

export function cohortEndedMessage(c: CohortSummary): SlackMessage {
  const text = `Cohort ${c.name} has ended (${c.members} member(s)). Thanks for taking part.`;
  return { text, blocks: [section(`🏁 ${esc(text)}`)] };
}

/** App Home: progress per scenario with Start / Check / Hint, cohort and rank, the sandbox. */
export function homeView(user: string, data: HomeData): types.HomeView {
  const blocks: Block[] = [
    header('ECS security lab'),
    section(`Hi <@${user}>. Fix the six cases of CON307 in your own sandbox, then check. \`/ecslab help\` lists every command.`),
    divider,
  ];
  for (const p of data.progress) {
    const last = p.lastCheckAt ? ` · last check ${slackDate(p.lastCheckAt)}` : '';
    blocks.push(section(`${PROGRESS_EMOJI[p.status]} *Case ${p.case}: ${esc(p.title)}* (\`${p.id}\`)\n${p.passed}/${p.total} steps · ${p.hintsUsed} hint(s)${last}`));
    blocks.push(
      actions([
        button(p.status === 'not-started' ? 'Start' : 'Start again', ACTION.start, buttonValue(p.id)),
        button('Check', ACTION.check, buttonValue(p.id), p.status === 'not-started' ? {} : { style: 'primary' }),
        button('Hint', ACTION.hint, buttonValue(p.id)),
      ]),
    );
  }
  blocks.push(divider);
  if (data.cohorts.length === 0) blocks.push(section('*Cohort*: none. A facilitator starts one; join with `/ecslab cohort join <name>`.'));
  for (const lc of data.cohorts.slice(0, 3)) {
    blocks.push(section(`*Cohort ${esc(lc.cohort.name)}*: you are ${lc.rank ? `#${lc.rank}` : 'unranked'} of ${lc.of}.`));
    if (lc.top.length) blocks.push(context(...lc.top.map(standingLine)));
  }
  blocks.push(divider);
  blocks.push(section(`*Your sandbox*\n${sandboxLine(data.sandbox)}`, button('Show credentials', ACTION.creds, 'show')));
  blocks.push(context(CLI_NOTE));
  return { type: 'home', blocks: blocks.slice(0, LIMITS.homeBlocks) };
}
