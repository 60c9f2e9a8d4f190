/**
 * The lab host: one engine per learner over that learner's own sandbox, the progress store and
 * cohorts. Local target: the host runs the embedded sandbox with SigV4 auth and issues each
 * learner their own account and key pair, so every engine call is signed as that learner and the
 * sandbox itself keeps learners apart. AWS target: each learner's engine assumes the role the
 * learners file names for them, in an allow-listed account.
 */
import { connectTarget, type Connection } from '../../aws/connect.js';
import { AwsSession } from '../../aws/session.js';
import type { TargetSpec } from '../../aws/target.js';
import type * as SandboxModule from '../../sandbox/index.js';
import type { RunningSandbox, SandboxLogger } from '../../sandbox/index.js';
import { standings, type Standing } from '../../scenarios/cohort.js';
import { createEngine, type Engine } from '../../scenarios/engine.js';
import { EngineError, toEngineError } from '../../scenarios/errors.js';
import { loadScenarios, type LoadedScenarios } from '../../scenarios/load.js';
import { foldReport } from '../../scenarios/report.js';
import type { Cohort } from '../../store/cohorts.js';
import { CohortError } from '../../store/cohorts.js';
import { ProgressStore } from '../../store/store.js';
import type { Actor, CatalogScenario, CohortSummary, LabApi, LabConfig, LearnerCohort, SandboxInfo } from './types.js';
import { LabError } from './types.js';

type KeyApi = Pick<typeof SandboxModule, 'issueKey' | 'lookupKey' | 'rotateKey'>;

interface CachedEngine {
  engine: Engine;
  /** What the engine's connection was built from; a change (rotated key, new role) rebuilds it. */
  basis: string;
}

/** Turns anything thrown into a LabError with a one-line message and a stable code. */
export function toLabError(err: unknown): LabError {
  if (err instanceof LabError) return err;
  if (err instanceof CohortError) return new LabError(err.code, err.message);
  const e = err instanceof EngineError ? err : toEngineError(err);
  return new LabError(e.code, e.message.split('\n')[0] ?? e.message);
}

function summary(c: Cohort, members: number): CohortSummary {
  return { ...c, members };
}

/** Creates the host; on the local target this starts the sandbox. */
export async function createLabHost(config: LabConfig, logger?: SandboxLogger): Promise<LabApi> {
  const scenarios: LoadedScenarios = loadScenarios(config.scenariosFile);
  const store = new ProgressStore(config.storeFile);
  let sandbox: RunningSandbox | undefined;
  let keys: KeyApi | undefined;
  let internalUrl: string | undefined;
  if (config.target === 'local') {
    if (!config.sandbox) throw new LabError('CONFIG_INVALID', 'the local target needs sandbox settings');
    const mod = await import('../../sandbox/index.js');
    keys = mod;
    try {
      sandbox = await mod.startSandbox({ port: config.sandbox.port, host: config.sandbox.host, dataDir: config.sandbox.dataDir, auth: 'sigv4', logger });
    } catch (err) {
      store.close();
      const code = (err as NodeJS.ErrnoException).code;
      throw new LabError('TARGET', `Cannot start the sandbox on ${config.sandbox.host}:${config.sandbox.port}: ${code ?? (err as Error).message}.`);
    }
    // The engine talks to the sandbox over loopback whatever address it listens on.
    internalUrl = `http://127.0.0.1:${sandbox.port}`;
  }
  const publicUrl = config.sandbox?.publicUrl?.replace(/\/+$/, '') || sandbox?.url;
  const engines = new Map<string, CachedEngine>();

  const get = (id: string) => {
    const s = scenarios.scenarios.find((x) => x.id === id);
    if (!s) throw new LabError('UNKNOWN_SCENARIO', `Unknown scenario "${id}" (valid: ${scenarios.scenarios.map((x) => x.id).join(', ')}).`);
    return s;
  };

  /** The learner's key pair on the local sandbox, issued on first use (and again if the sandbox lost it). */
  const keyOf = (learner: string, issue: boolean) => {
    const record = store.cohorts.sandboxKey(learner);
    const known = record && keys!.lookupKey(sandbox!, record.accessKeyId);
    if (known || !issue) return known;
    const issued = keys!.issueKey(sandbox!);
    store.cohorts.setSandboxKey(learner, issued.accessKeyId, issued.account);
    return issued;
  };

  const localConnect = (learner: string) => async (): Promise<Connection> => {
    const key = keyOf(learner, true)!;
    const spec: TargetSpec = { kind: 'local', endpoint: internalUrl, region: config.region, allowedAccounts: [] };
    const aws = new AwsSession(spec, { endpoint: internalUrl, credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } });
    const id = await aws.verify();
    return {
      aws,
      target: { kind: 'local', endpoint: publicUrl, account: id.account, region: config.region },
      account: id.account,
      principal: id.arn,
      enforcesIam: true,
      close: async () => {},
    };
  };

  const engineFor = (a: Actor): Engine => {
    let basis: string;
    let connect: () => Promise<Connection>;
    if (config.target === 'local') {
      const key = keyOf(a.learner, true)!;
      basis = `local:${key.accessKeyId}:${store.cohorts.sandboxKey(a.learner)?.rotatedAt ?? ''}`;
      connect = localConnect(a.learner);
    } else {
      if (!a.roleArn) throw new LabError('ACCESS_DENIED', 'You have no sandbox role in the learners file.');
      basis = `aws:${a.roleArn}`;
      const spec: TargetSpec = { kind: 'aws', region: config.region, roleArn: a.roleArn, allowedAccounts: config.allowedAccounts };
      connect = () => connectTarget(spec, a.learner.replace(':', '-'));
    }
    const cached = engines.get(a.learner);
    if (cached && cached.basis === basis) return cached.engine;
    const engine = createEngine({ scenarios, store, learner: a.learner, connect });
    engines.set(a.learner, { engine, basis });
    return engine;
  };

  /** Progress-only engine for any learner (no connection is ever opened through it). */
  const progressOf = (learner: string) => createEngine({ scenarios, store, learner, connect: () => Promise.reject(new Error('offline')) }).progress();

  const sandboxInfo = (a: Actor, issue: boolean): SandboxInfo => {
    if (config.target === 'aws') {
      const account = a.roleArn?.split(':')[4];
      return { target: 'aws', region: config.region, roleArn: a.roleArn, account };
    }
    const key = keyOf(a.learner, issue);
    return { target: 'local', region: config.region, endpoint: publicUrl, account: key?.account, accessKeyId: key?.accessKeyId };
  };

  const cohortOrFail = (id: number): Cohort => {
    const c = store.cohorts.byId(id);
    if (!c) throw new LabError('NO_COHORT', `No cohort ${id}.`);
    return c;
  };

  const board = (id: number) => {
    const c = cohortOrFail(id);
    const members = store.cohorts.members(id);
    const ranked: Standing[] = standings(members.map((m) => ({ learner: m.learner, joinedAt: m.joinedAt, progress: progressOf(m.learner) })));
    return {
      cohort: summary(c, members.length),
      standings: ranked,
      scenarios: scenarios.scenarios.map((s) => ({ id: s.id, title: s.title, steps: s.steps.length })),
    };
  };

  const wrap = <A extends unknown[], R>(fn: (...args: A) => R | Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toLabError(err);
    }
  };

  const api: LabApi = {
    info: wrap(async () => ({ target: config.target, sandboxUrl: sandbox?.url })),
    catalog: wrap(async (): Promise<CatalogScenario[]> =>
      scenarios.scenarios.map((s) => ({
        id: s.id,
        case: s.case,
        title: s.title,
        question: s.question,
        steps: s.steps.map((st) =>
          st.kind === 'quiz'
            ? { id: st.id, kind: st.kind, title: st.title, question: st.question, choices: st.choices.map((c) => ({ id: c.id, text: c.text })) }
            : { id: st.id, kind: st.kind, title: st.title },
        ),
      })),
    ),
    list: wrap(async (a: Actor) => engineFor(a).list()),
    start: wrap(async (a: Actor, id: string) => {
      get(id);
      const r = await engineFor(a).start(id);
      const created = r.resources.filter((x) => x.status === 'created').length;
      return { scenario: r.scenario, title: r.title, briefing: r.briefing, created, existing: r.resources.length - created };
    }),
    check: wrap(async (a: Actor, id: string) => {
      get(id);
      return foldReport(engineFor(a).check(id));
    }),
    hint: wrap(async (a: Actor, id: string, step?: string) => engineFor(a).hint(id, step)),
    solution: wrap(async (a: Actor, id: string, step?: string) => engineFor(a).solution(id, step)),
    answer: wrap(async (a: Actor, id: string, step: string, choice: string) => engineFor(a).answer(id, step, choice)),
    reset: wrap(async (a: Actor, id: string | null) => {
      if (id !== null) get(id);
      const r = await engineFor(a).reset(id);
      return { scenario: id, removed: r.removed.length };
    }),
    progress: wrap(async (a: Actor) => engineFor(a).progress()),
    sandbox: wrap(async (a: Actor, issue: boolean) => sandboxInfo(a, issue)),
    credentials: wrap(async (a: Actor, rotate: boolean) => {
      if (config.target === 'aws') {
        if (!a.roleArn) throw new LabError('ACCESS_DENIED', 'You have no sandbox role in the learners file.');
        return { target: 'aws' as const, region: config.region, roleArn: a.roleArn, account: a.roleArn.split(':')[4] ?? '' };
      }
      let key = keyOf(a.learner, true)!;
      let rotated = false;
      if (rotate) {
        const next = keys!.rotateKey(sandbox!, key.accessKeyId);
        if (!next) throw new LabError('TARGET', 'The sandbox no longer knows your key; run /ecslab creds again.');
        store.cohorts.markRotated(a.learner);
        engines.delete(a.learner);
        key = next;
        rotated = true;
      }
      return { target: 'local' as const, endpoint: publicUrl!, region: config.region, account: key.account, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, rotated };
    }),
    home: wrap(async (a: Actor) => {
      const cohorts: LearnerCohort[] = store.cohorts.activeOf(a.learner).map((c) => {
        const b = board(c.id);
        return { cohort: b.cohort, rank: b.standings.find((s) => s.learner === a.learner)?.rank, of: b.standings.length, top: b.standings.slice(0, 3) };
      });
      return { progress: progressOf(a.learner), cohorts, sandbox: sandboxInfo(a, false) };
    }),
    cohortStart: wrap(async (team: string, channel: string, name: string, facilitator: string) => summary(store.cohorts.start(team, channel, name, facilitator), 0)),
    cohortJoin: wrap(async (team: string, name: string, learner: string) => {
      const c = store.cohorts.active(team, name);
      if (!c) throw new LabError('NO_COHORT', `No running cohort is named "${name}".`);
      const joined = store.cohorts.join(c.id, learner);
      return { cohort: summary(c, store.cohorts.members(c.id).length), joined };
    }),
    cohortInChannel: wrap(async (team: string, channel: string, includeEnded?: boolean) => {
      const c = includeEnded ? store.cohorts.latestInChannel(team, channel) : store.cohorts.activeInChannel(team, channel);
      return c && summary(c, store.cohorts.members(c.id).length);
    }),
    cohortBoard: wrap(async (id: number) => board(id)),
    cohortSetBoard: wrap(async (id: number, channel: string, ts: string) => {
      cohortOrFail(id);
      store.cohorts.setBoard(id, channel, ts);
    }),
    cohortEnd: wrap(async (id: number) => {
      cohortOrFail(id);
      const c = store.cohorts.end(id);
      return summary(c, store.cohorts.members(id).length);
    }),
    cohortIdsOf: wrap(async (learner: string) => store.cohorts.activeOf(learner).map((c) => c.id)),
    async close() {
      engines.clear();
      store.close();
      await sandbox?.close();
    },
  };
  return api;
}
