import { GetParameterCommand, GetParameterHistoryCommand, GetParametersCommand, LabelParameterVersionCommand, PutParameterCommand, SSMClient, UnlabelParameterVersionCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000053';
const NAME = '/lab/orders/db-password';
let sandbox: RunningSandbox;
let ssm: SSMClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ssm = new SSMClient(clientConfig(sandbox.url, ACCOUNT));
  await ssm.send(new PutParameterCommand({ Name: NAME, Value: 'first', Type: 'SecureString' }));
  await ssm.send(new PutParameterCommand({ Name: NAME, Value: 'second', Overwrite: true }));
  await ssm.send(new PutParameterCommand({ Name: NAME, Value: 'third', Overwrite: true }));
});
afterAll(async () => {
  ssm.destroy();
  await sandbox.close();
});

const labelsByVersion = async (): Promise<Record<number, string[]>> =>
  Object.fromEntries((await ssm.send(new GetParameterHistoryCommand({ Name: NAME }))).Parameters!.map((p) => [p.Version!, p.Labels ?? []]));

describe('SSM LabelParameterVersion', () => {
  it('labels the current version by default, shown in the history and usable as name:label', async () => {
    expect(await ssm.send(new LabelParameterVersionCommand({ Name: NAME, Labels: ['prod'] }))).toMatchObject({ ParameterVersion: 3, InvalidLabels: [] });
    await ssm.send(new LabelParameterVersionCommand({ Name: NAME, ParameterVersion: 1, Labels: ['stable', 'v1.0'] }));
    expect(await labelsByVersion()).toEqual({ 1: ['stable', 'v1.0'], 2: [], 3: ['prod'] });
    const got = (await ssm.send(new GetParameterCommand({ Name: `${NAME}:stable`, WithDecryption: true }))).Parameter!;
    expect(got).toMatchObject({ Value: 'first', Version: 1, Selector: ':stable' });
    expect((await ssm.send(new GetParametersCommand({ Names: [`${NAME}:prod`], WithDecryption: true }))).Parameters![0]!.Value).toBe('third');
  });

  it('moves a label from another version', async () => {
    await ssm.send(new LabelParameterVersionCommand({ Name: NAME, ParameterVersion: 2, Labels: ['prod'] }));
    expect(await labelsByVersion()).toEqual({ 1: ['stable', 'v1.0'], 2: ['prod'], 3: [] });
    expect((await ssm.send(new GetParameterCommand({ Name: `${NAME}:prod`, WithDecryption: true }))).Parameter!.Value).toBe('second');
  });

  it('returns labels breaking the naming rules in InvalidLabels', async () => {
    const out = await ssm.send(new LabelParameterVersionCommand({ Name: NAME, ParameterVersion: 3, Labels: ['awsy', 'SSM-x', '1st', 'has space', 'ok_label'] }));
    expect(out.InvalidLabels).toEqual(['awsy', 'SSM-x', '1st', 'has space']);
    expect((await labelsByVersion())[3]).toEqual(['ok_label']);
  });

  it('allows at most 10 labels on a version', async () => {
    await ssm.send(new LabelParameterVersionCommand({ Name: NAME, ParameterVersion: 3, Labels: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'] }));
    await expect(ssm.send(new LabelParameterVersionCommand({ Name: NAME, ParameterVersion: 3, Labels: ['one-too-many'] }))).rejects.toMatchObject({
      name: 'ParameterVersionLabelLimitExceeded',
    });
    // Re-applying a label it already has is no change.
    await ssm.send(new LabelParameterVersionCommand({ Name: NAME, ParameterVersion: 3, Labels: ['a1'] }));
    expect((await labelsByVersion())[3]).toHaveLength(10);
  });

  it('refuses unknown parameters and versions and out-of-range label lists', async () => {
    await expect(ssm.send(new LabelParameterVersionCommand({ Name: '/lab/none', Labels: ['x'] }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(ssm.send(new LabelParameterVersionCommand({ Name: NAME, ParameterVersion: 9, Labels: ['x'] }))).rejects.toMatchObject({ name: 'ParameterVersionNotFound' });
    await expect(ssm.send(new LabelParameterVersionCommand({ Name: NAME, Labels: [] }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new LabelParameterVersionCommand({ Name: NAME, Labels: ['x'.repeat(101)] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('SSM UnlabelParameterVersion', () => {
  it('removes labels, reporting the ones the version does not carry', async () => {
    const out = await ssm.send(new UnlabelParameterVersionCommand({ Name: NAME, ParameterVersion: 1, Labels: ['stable', 'prod'] }));
    expect(out).toMatchObject({ RemovedLabels: ['stable'], InvalidLabels: ['prod'] });
    expect((await labelsByVersion())[1]).toEqual(['v1.0']);
    await expect(ssm.send(new GetParameterCommand({ Name: `${NAME}:stable` }))).rejects.toMatchObject({ name: 'ParameterVersionNotFound' });
    await expect(ssm.send(new UnlabelParameterVersionCommand({ Name: NAME, ParameterVersion: 9, Labels: ['x'] }))).rejects.toMatchObject({ name: 'ParameterVersionNotFound' });
    await expect(ssm.send(new UnlabelParameterVersionCommand({ Name: '/lab/none', ParameterVersion: 1, Labels: ['x'] }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(ssm.send(new UnlabelParameterVersionCommand({ Name: NAME, Labels: ['x'] } as never))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('SSM labels across a restart', () => {
  it('keeps labels and their selectors', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new SSMClient(clientConfig(box.url, ACCOUNT));
      await client.send(new PutParameterCommand({ Name: '/lab/kept', Value: 'one', Type: 'String' }));
      await client.send(new PutParameterCommand({ Name: '/lab/kept', Value: 'two', Overwrite: true }));
      await client.send(new LabelParameterVersionCommand({ Name: '/lab/kept', ParameterVersion: 1, Labels: ['golden'] }));
      client.destroy();
      await box.close();
      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new SSMClient(clientConfig(box.url, ACCOUNT));
      expect((await client.send(new GetParameterCommand({ Name: '/lab/kept:golden' }))).Parameter).toMatchObject({ Value: 'one', Version: 1 });
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});
