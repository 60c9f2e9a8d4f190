/** The lab host in its worker thread: plain data and coded errors across the boundary. */
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../../../src/bot/lab/client.js';
import type { LabApi } from '../../../src/bot/lab/types.js';

describe('lab worker', () => {
  let lab: LabApi;
  const fatal: Error[] = [];
  beforeAll(async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-worker-'));
    lab = await startLab(
      { target: 'local', storeFile: path.join(home, 'state.db'), region: 'us-east-1', allowedAccounts: [], sandbox: { host: '127.0.0.1', port: 0, dataDir: path.join(home, 'sb') } },
      { onFatal: (e) => fatal.push(e) },
    );
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('answers with plain data', async () => {
    expect((await lab.catalog()).map((s) => s.id)).toEqual(['patching', 'task-roles', 'network-isolation', 'secrets', 'capabilities', 'tag-access']);
    expect(await lab.info()).toMatchObject({ target: 'local', sandboxUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const a = await lab.sandbox({ learner: 'T1:UA' }, true);
    const b = await lab.sandbox({ learner: 'T1:UB' }, true);
    expect(a.account).toMatch(/^\d{12}$/);
    expect(a.account).not.toBe(b.account);
    expect(await lab.sandbox({ learner: 'T1:UA' }, false)).toEqual(a);
  });

  it('keeps error codes and one-line messages', async () => {
    await expect(lab.hint({ learner: 'T1:UA' }, 'nope')).rejects.toMatchObject({ name: 'LabError', code: 'UNKNOWN_SCENARIO', message: expect.stringContaining('valid: patching') });
    await expect(lab.cohortJoin('T1', 'ghost', 'T1:UA')).rejects.toMatchObject({ code: 'NO_COHORT' });
  });

  it('refuses calls once closed, without reporting it as a failure', async () => {
    await lab.close();
    await expect(lab.catalog()).rejects.toThrow('the lab is closed');
    expect(fatal).toEqual([]);
  });

  it('fails start-up with one line when the sandbox cannot bind', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-worker-'));
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    await expect(
      startLab({ target: 'local', storeFile: path.join(home, 'state.db'), region: 'us-east-1', allowedAccounts: [], sandbox: { host: '127.0.0.1', port, dataDir: path.join(home, 'sb') } }),
    ).rejects.toMatchObject({ code: 'TARGET', message: `Cannot start the sandbox on 127.0.0.1:${port}: EADDRINUSE.` });
    busy.close();
  });
});
