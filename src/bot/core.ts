/**
 * What the bot does for one command or button, after it has been acknowledged: decide who acts
 * (always the signed Slack identity, never a value from a button), run the lab call off the
 * request path, deliver the result to that user, republish their App Home, nudge the
 * leaderboards, and write one audit line. Listeners only translate Bolt payloads into calls here.
 */
import type { webApi } from '@slack/bolt';
import type { Access } from './access.js';
import type { AuditLog, Outcome } from './audit.js';
import {
  answerMessage,
  checkReportMessage,
  cohortEndedMessage,
  cohortJoinedMessage,
  cohortReportSummary,
  cohortStartedMessage,
  credentialsMessage,
  credentialsModal,
  errorMessage,
  helpMessage,
  hintMessage,
  homeView,
  leaderboardMessage,
  listMessage,
  progressMessage,
  refusedMessage,
  resetMessage,
  section,
  solutionMessage,
  startMessage,
  whoamiMessage,
  workingMessage,
  type SlackMessage,
} from './blocks.js';
import { commandLabel, type LabCommand } from './commands.js';
import { cohortCsv } from './csv.js';
import { Debouncer } from './debounce.js';
import type { Actor, CatalogScenario, LabApi } from './lab/types.js';
import { LabError } from './lab/types.js';
import { QueueFullError, type WorkQueue } from './queue.js';
import type { Delivery, Responder, SendOptions } from './responder.js';

/** One acknowledged interaction. */
export interface Invocation {
  team: string;
  user: string;
  channel?: string;
  /** Audit label: the subcommand, or `button <action_id>`. */
  label: string;
  delivery: Delivery;
  /** Where it came from: a slash command, a button on a message, or a button in App Home. */
  origin: 'command' | 'message' | 'home';
}

export interface BotCoreOptions {
  lab: LabApi;
  catalog: CatalogScenario[];
  access: Access;
  responder: Responder;
  audit: Pick<AuditLog, 'record'>;
  client: webApi.WebClient;
  queue: WorkQueue;
  boardDebounceMs: number;
  homeDebounceMs: number;
  onError?: (what: string, err: unknown) => void;
}

interface Result {
  msg: SlackMessage;
  send?: SendOptions;
  outcome: Outcome;
  status?: string;
  code?: string;
  /** The learner's progress changed: republish Home, update their cohorts' boards. */
  changed?: boolean;
  /** Runs after the result is delivered (announcements). */
  after?: () => Promise<void>;
}

/** What the "working" acknowledgement says for each command. */
export function workingText(c: LabCommand): string {
  switch (c.kind) {
    case 'check':
      return `Checking ${c.scenario}`;
    case 'start':
      return `Building the starting state of ${c.scenario}`;
    case 'reset':
      return `Resetting ${c.scenario ?? 'every scenario'}`;
    case 'hint':
      return `Finding a hint for ${c.scenario}`;
    case 'solution':
      return `Fetching the solution for ${c.scenario}`;
    case 'cohort':
      return `Cohort ${c.action}`;
    default:
      return `Working on ${c.kind}`;
  }
}

const FACILITATOR_ONLY = new Set(['start', 'board', 'report', 'end']);
const USAGE_CODES = new Set(['UNKNOWN_SCENARIO', 'UNKNOWN_STEP', 'UNKNOWN_CHOICE', 'USAGE', 'NO_COHORT', 'COHORT_EXISTS', 'CHANNEL_BUSY']);

export class BotCore {
  readonly home: Debouncer;
  readonly boards: Debouncer;
  private readonly scenarioIds: Set<string>;
  /**
   * Users who opened App Home since the bot started: only their Home is republished on change
   * (views.publish is rate-limited per workspace); everyone else gets a fresh one when they open it.
   */
  private readonly homeViewers = new Set<string>();

  constructor(private readonly o: BotCoreOptions) {
    this.scenarioIds = new Set(o.catalog.map((s) => s.id));
    this.home = new Debouncer(o.homeDebounceMs, (key, err) => o.onError?.(`App Home ${key}`, err));
    this.boards = new Debouncer(o.boardDebounceMs, (key, err) => o.onError?.(`leaderboard ${key}`, err));
  }

  /** Writes the audit line of an interaction handled outside `dispatch` (App Home, refusals). */
  auditNow(inv: Pick<Invocation, 'team' | 'user' | 'channel' | 'label'>, outcome: Outcome, receivedAt: number): void {
    this.o.audit.record({ team: inv.team, user: inv.user, channel: inv.channel, command: inv.label, outcome, durationMs: Date.now() - receivedAt });
  }

  /** Answers an interaction that cannot run (a malformed button value). */
  refuseButton(inv: Invocation, msg: SlackMessage): Promise<void> {
    return this.o.queue.push(`refuse:${inv.team}:${inv.user}`, async () => {
      await this.o.responder.send(inv.delivery, msg);
      this.auditNow(inv, 'usage', inv.delivery.receivedAt);
    });
  }

  /**
   * Queues a command; resolves once its result is delivered and audited. With `working`, the
   * message behind the response_url first becomes a "Checking…" note (buttons on a report).
   */
  dispatch(inv: Invocation, cmd: LabCommand, opts: { working?: boolean } = {}): Promise<void> {
    const key = `${inv.team}:${inv.user}`;
    try {
      return this.o.queue.push(key, () => this.run(inv, cmd, opts.working ?? false));
    } catch (err) {
      return this.finish(inv, cmd, { msg: errorMessage((err as Error).message), outcome: 'error', code: err instanceof QueueFullError ? 'BUSY' : 'INTERNAL' });
    }
  }

  private async run(inv: Invocation, cmd: LabCommand, working: boolean): Promise<void> {
    let result: Result;
    try {
      if (working) await this.o.responder.send(inv.delivery, workingMessage(workingText(cmd)), { replace: true });
      result = await this.execute(inv, cmd);
    } catch (err) {
      result = this.failure(err);
    }
    await this.finish(inv, cmd, result);
  }

  private failure(err: unknown): Result {
    if (err instanceof LabError) return { msg: errorMessage(err.message), outcome: USAGE_CODES.has(err.code) ? 'usage' : 'error', code: err.code };
    this.o.onError?.('command', err);
    return { msg: errorMessage('Something went wrong in the bot; the facilitator can find it in its log.'), outcome: 'error', code: 'INTERNAL' };
  }

  private async finish(inv: Invocation, cmd: LabCommand, r: Result): Promise<void> {
    const replace = inv.origin === 'command' || (inv.origin === 'message' && cmd.kind === 'check');
    await this.o.responder.send(inv.delivery, r.msg, { replace, ...r.send });
    if (r.after) await r.after().catch((err: unknown) => this.o.onError?.('announcement', err));
    if (r.changed) await this.changed(inv.team, inv.user).catch((err: unknown) => this.o.onError?.('after a change', err));
    const scenario = 'scenario' in cmd && cmd.scenario && this.scenarioIds.has(cmd.scenario) ? cmd.scenario : undefined;
    this.o.audit.record({
      team: inv.team,
      user: inv.user,
      channel: inv.channel,
      command: inv.label,
      scenario,
      outcome: r.outcome,
      status: r.status,
      code: r.code,
      durationMs: Date.now() - inv.delivery.receivedAt,
    });
  }

  /** Republishes the learner's Home and updates the boards of their cohorts (both debounced). */
  private async changed(team: string, user: string): Promise<void> {
    this.scheduleHome(team, user);
    for (const id of await this.o.lab.cohortIdsOf(`${team}:${user}`)) this.scheduleBoard(id);
  }

  private unknownScenario(id: string): Result {
    return { msg: errorMessage(`Unknown scenario "${id}" (valid: ${[...this.scenarioIds].join(', ')}).`), outcome: 'usage', code: 'UNKNOWN_SCENARIO' };
  }

  private async execute(inv: Invocation, cmd: LabCommand): Promise<Result> {
    const decision = await this.o.access.actor(inv.team, inv.user);
    if (!decision.ok) return { msg: refusedMessage(decision.reason), outcome: 'refused', code: decision.code };
    const a = decision.actor;
    if ('scenario' in cmd && cmd.scenario !== null && !this.scenarioIds.has(cmd.scenario)) return this.unknownScenario(cmd.scenario);
    const byId = (id: string) => this.o.catalog.find((s) => s.id === id);
    const lab = this.o.lab;
    switch (cmd.kind) {
      case 'help':
        return { msg: helpMessage(), outcome: 'ok' };
      case 'list':
        return { msg: listMessage(await lab.list(a)), outcome: 'ok' };
      case 'progress':
        return { msg: progressMessage(await lab.progress(a)), outcome: 'ok' };
      case 'start':
        return { msg: startMessage(await lab.start(a, cmd.scenario)), outcome: 'ok', changed: true };
      case 'check': {
        const report = await lab.check(a, cmd.scenario);
        return { msg: checkReportMessage(report, byId(cmd.scenario)), outcome: 'ok', status: report.status, changed: true };
      }
      case 'hint':
        return { msg: hintMessage(cmd.scenario, await lab.hint(a, cmd.scenario, cmd.step)), outcome: 'ok', changed: true };
      case 'solution':
        return { msg: solutionMessage(await lab.solution(a, cmd.scenario, cmd.step)), outcome: 'ok', changed: true };
      case 'answer': {
        const r = await lab.answer(a, cmd.scenario, cmd.step, cmd.choice);
        return { msg: answerMessage(r), outcome: 'ok', status: r.correct ? 'pass' : 'fail', changed: true };
      }
      case 'reset':
        return { msg: resetMessage(await lab.reset(a, cmd.scenario)), outcome: 'ok', changed: true };
      case 'creds':
        return { msg: credentialsMessage(await lab.credentials(a, cmd.rotate)), outcome: 'ok', send: { sensitive: true } };
      case 'whoami': {
        const [facilitator, home] = await Promise.all([this.o.access.isFacilitator(inv.team, inv.user), lab.home(a)]);
        return {
          msg: whoamiMessage({ team: inv.team, user: inv.user, learner: a.learner, facilitator, sandbox: home.sandbox, cohorts: home.cohorts.map((c) => c.cohort.name) }),
          outcome: 'ok',
        };
      }
      case 'cohort':
        return this.cohort(inv, a, cmd);
    }
  }

  private async cohort(inv: Invocation, a: Actor, cmd: Extract<LabCommand, { kind: 'cohort' }>): Promise<Result> {
    const lab = this.o.lab;
    if (cmd.action === 'join') {
      const { cohort, joined } = await lab.cohortJoin(inv.team, cmd.name, a.learner);
      this.scheduleBoard(cohort.id);
      this.scheduleHome(inv.team, inv.user);
      return { msg: cohortJoinedMessage(cohort, joined), outcome: 'ok' };
    }
    if (FACILITATOR_ONLY.has(cmd.action) && !(await this.o.access.isFacilitator(inv.team, inv.user))) {
      return { msg: refusedMessage(`Only facilitators can run \`/ecslab cohort ${cmd.action}\` (ask whoever runs the session).`), outcome: 'refused', code: 'NOT_FACILITATOR' };
    }
    const channel = inv.channel;
    if (!channel || channel.startsWith('D')) {
      return { msg: errorMessage('Run cohort commands in the channel the cohort is for.'), outcome: 'usage', code: 'NOT_A_CHANNEL' };
    }
    if (cmd.action === 'start') {
      const cohort = await lab.cohortStart(inv.team, channel, cmd.name, a.learner);
      return {
        msg: { text: `Cohort ${cohort.name} started in this channel.`, blocks: [section(`✅ Cohort *${cohort.name}* started. \`/ecslab cohort board\` posts its leaderboard here.`)] },
        outcome: 'ok',
        after: async () => {
          await this.o.responder.send(inv.delivery, cohortStartedMessage(cohort), { inChannel: true });
        },
      };
    }
    const cohort = await lab.cohortInChannel(inv.team, channel, cmd.action === 'report');
    if (!cohort) return { msg: errorMessage('No cohort is running in this channel: `/ecslab cohort start <name>`.'), outcome: 'usage', code: 'NO_COHORT' };
    if (cmd.action === 'board') {
      await this.boards.now(String(cohort.id), () => this.renderBoard(cohort.id, true));
      return { msg: { text: `The ${cohort.name} leaderboard is up to date in this channel.`, blocks: [section(`🏁 The *${cohort.name}* leaderboard is up to date in this channel; it follows every check.`)] }, outcome: 'ok' };
    }
    if (cmd.action === 'report') {
      const board = await lab.cohortBoard(cohort.id);
      const summary = cohortReportSummary(board);
      await this.o.client.filesUploadV2({
        channel_id: cohort.channel,
        filename: `ecs-lab-cohort-${cohort.name}.csv`,
        title: `ecs-lab cohort ${cohort.name}`,
        content: cohortCsv(board),
        initial_comment: summary.text,
      });
      return { msg: summary, outcome: 'ok' };
    }
    const ended = await lab.cohortEnd(cohort.id);
    if (ended.board) await this.boards.now(String(ended.id), () => this.renderBoard(ended.id));
    return {
      msg: { text: `Cohort ${ended.name} ended.`, blocks: [section(`✅ Cohort *${ended.name}* ended; \`/ecslab cohort report\` still works here.`)] },
      outcome: 'ok',
      after: async () => {
        await this.o.responder.send(inv.delivery, cohortEndedMessage(ended), { inChannel: true });
      },
    };
  }

  /**
   * Updates the leaderboard's one message; `post` (the board command) posts it when there is
   * none yet, or when the old one is gone. Progress alone never posts a new message.
   */
  async renderBoard(cohortId: number, post = false): Promise<void> {
    const b = await this.o.lab.cohortBoard(cohortId);
    if (!b.cohort.board && !post) return;
    const msg = leaderboardMessage(b, new Date().toISOString());
    if (b.cohort.board) {
      try {
        await this.o.client.chat.update({ channel: b.cohort.board.channel, ts: b.cohort.board.ts, text: msg.text, blocks: msg.blocks });
        return;
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error;
        if (code !== 'message_not_found' && code !== 'cant_update_message' && code !== 'channel_not_found') throw err;
        if (!post) return;
      }
    }
    const posted = await this.o.client.chat.postMessage({ channel: b.cohort.channel, text: msg.text, blocks: msg.blocks });
    if (posted.ts && posted.channel) await this.o.lab.cohortSetBoard(cohortId, posted.channel, posted.ts);
  }

  scheduleBoard(cohortId: number): void {
    this.boards.touch(String(cohortId), () => this.renderBoard(cohortId));
  }

  scheduleHome(team: string, user: string): void {
    const key = `${team}:${user}`;
    if (this.homeViewers.has(key)) this.home.touch(key, () => this.publishHome(team, user));
  }

  /** App Home was opened: publish it now, and keep it current from here on. */
  async homeOpened(team: string, user: string): Promise<void> {
    const key = `${team}:${user}`;
    this.homeViewers.add(key);
    await this.home.now(key, () => this.publishHome(team, user));
  }

  /** Publishes a user's App Home (their own data only). */
  async publishHome(team: string, user: string): Promise<void> {
    const decision = await this.o.access.actor(team, user);
    const view = decision.ok
      ? homeView(user, await this.o.lab.home(decision.actor))
      : { type: 'home' as const, blocks: refusedMessage(decision.reason).blocks };
    await this.o.client.views.publish({ user_id: user, view });
  }

  /** App Home "Show credentials": a modal only the user sees (trigger ids last 3 s). */
  async showCredentials(inv: Invocation, triggerId: string): Promise<void> {
    await this.privateCredentials(inv, false, async (view) => {
      await this.o.client.views.open({ trigger_id: triggerId, view });
    });
  }

  /** "Rotate secret" inside the credentials modal. */
  async rotateCredentials(inv: Invocation, viewId: string): Promise<void> {
    await this.privateCredentials(inv, true, async (view) => {
      await this.o.client.views.update({ view_id: viewId, view });
    });
  }

  /** Runs in a lane of its own per user: a long check of theirs must not outlive the trigger id. */
  private privateCredentials(inv: Invocation, rotate: boolean, show: (view: ReturnType<typeof credentialsModal>) => Promise<void>): Promise<void> {
    return this.o.queue.push(`creds:${inv.team}:${inv.user}`, () => this.credentialsJob(inv, rotate, show));
  }

  private async credentialsJob(inv: Invocation, rotate: boolean, show: (view: ReturnType<typeof credentialsModal>) => Promise<void>): Promise<void> {
    let outcome: Outcome = 'ok';
    let code: string | undefined;
    try {
      const decision = await this.o.access.actor(inv.team, inv.user);
      if (!decision.ok) {
        outcome = 'refused';
        code = decision.code;
        await this.o.responder.send(inv.delivery, refusedMessage(decision.reason));
      } else {
        const creds = await this.o.lab.credentials(decision.actor, rotate);
        await show(credentialsModal(creds));
        if (rotate) this.scheduleHome(inv.team, inv.user);
      }
    } catch (err) {
      const r = this.failure(err);
      outcome = r.outcome;
      code = r.code;
      await this.o.responder.send(inv.delivery, r.msg);
    }
    this.o.audit.record({ team: inv.team, user: inv.user, channel: inv.channel, command: inv.label, outcome, code, durationMs: Date.now() - inv.delivery.receivedAt });
  }

  /** For tests and shutdown: waits until queued work, Home and board updates are done. */
  async settle(): Promise<void> {
    await this.o.queue.idle();
    await this.home.settle();
    await this.boards.settle();
  }

  close(): void {
    this.home.close();
    this.boards.close();
  }
}

export { commandLabel };
