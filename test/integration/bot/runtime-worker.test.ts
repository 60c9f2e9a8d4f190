/** The bot runtime in its worker thread: plain data and coded errors across the boundary. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/bot/audit.js';
import { startRuntime } from '../../../src/bot/runtime/client.js';
import type { Runtime, RuntimeConfig } from '../../../src/bot/runtime/index.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.js';

function config(fake: FakeSlack, port = 0, extra: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-runtime-'));
  return {
    lab: { target: 'local', storeFile: path.join(home, 'state.db'), region: 'us-east-1', allowedAccounts: [], sandbox: { host: '127.0.0.1', port, dataDir: path.join(home, 'sb') } },
    botToken: 'xoxb-runtime-test',
    slackApiUrl: fake.apiUrl,
    retries: 0,
    facilitators: [],
    facilitatorGroups: [],
    allowedTeams: ['T0LAB'],
    concurrency: 2,
    boardDebounceMs: 10,
    homeDebounceMs: 10,
    ...extra,
  };
}

describe('bot runtime worker', () => {
  let fake: FakeSlack;
  let runtime: Runtime;
  const audit: AuditEntry[] = [];
  const logs: string[] = [];
  const fatal: Error[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    runtime = await startRuntime(config(fake), { audit: (e) => audit.push(e), log: (_l, m) => logs.push(m) }, { onFatal: (e) => fatal.push(e) });
  });
  afterAll(async () => {
    await runtime?.close();
    await fake?.close();
  });

  it('answers lab calls with plain data, one sandbox account per learner', async () => {
    expect(((await runtime.lab('catalog', [])) as Array<{ id: string }>).map((s) => s.id)).toEqual(['patching', 'task-roles', 'network-isolation', 'secrets', 'capabilities', 'tag-access']);
    expect(await runtime.info()).toMatchObject({ sandboxUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const a = (await runtime.lab('sandbox', [{ learner: 'T0LAB:UA' }, true])) as { account: string };
    const b = (await runtime.lab('sandbox', [{ learner: 'T0LAB:UB' }, true])) as { account: string };
    expect(a.account).toMatch(/^\d{12}$/);
    expect(a.account).not.toBe(b.account);
  });

  it('keeps error codes and one-line messages', async () => {
    await expect(runtime.lab('hint', [{ learner: 'T0LAB:UA' }, 'nope'])).rejects.toMatchObject({ name: 'LabError', code: 'UNKNOWN_SCENARIO', message: expect.stringContaining('valid: patching') });
    await expect(runtime.lab('cohortJoin', ['T0LAB', 'ghost', 'T0LAB:UA'])).rejects.toMatchObject({ code: 'NO_COHORT' });
  });

  it('runs a dispatched command, delivers through the response_url and sends the audit entry back', async () => {
    runtime.dispatch({ team: 'T0LAB', user: 'UALICE01', channel: 'C1', label: 'progress', origin: 'command', responseUrl: fake.responseUrl('rt-1'), receivedAt: Date.now() }, { kind: 'progress' }, false);
    await runtime.settle();
    expect(fake.responsesTo('rt-1')[0]!.body).toMatchObject({ replace_original: true, text: '0/6 scenarios complete.' });
    expect(audit.at(-1)).toMatchObject({ team: 'T0LAB', user: 'UALICE01', command: 'progress', outcome: 'ok' });
  });

  it('refuses calls once closed, without reporting it as a failure', async () => {
    await runtime.close();
    await expect(runtime.settle()).rejects.toThrow('the bot runtime is closed');
    expect(fatal).toEqual([]);
  });

  it('fails start-up with one line when the sandbox cannot bind or the learners file cannot be read', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    const sinks = { audit: () => {}, log: () => {} };
    await expect(startRuntime(config(fake, port), sinks)).rejects.toMatchObject({ code: 'TARGET', message: `Cannot start the sandbox on 127.0.0.1:${port}: EADDRINUSE.` });
    busy.close();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-runtime-')), 'learners.yaml');
    writeFileSync(file, 'learners:\n  - user: alice\n');
    await expect(startRuntime(config(fake, 0, { learnersFile: file }), sinks)).rejects.toMatchObject({ code: 'ACCESS_CONFIG', message: expect.stringContaining('learners.0.user') });
  });
});
