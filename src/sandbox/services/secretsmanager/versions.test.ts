import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  BatchGetSecretValueCommand,
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';
import { RECORDER_IDLE_MS } from '../cloudtrail/recorder.js';

const ACCOUNT = '000000000052';
let sandbox: RunningSandbox;
let sm: SecretsManagerClient;
let v1: string;
let v2: string;
let v3: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sm = new SecretsManagerClient(clientConfig(sandbox.url, ACCOUNT));
  v1 = (await sm.send(new CreateSecretCommand({ Name: 'lab/rotating', SecretString: 'value-one' }))).VersionId!;
  v2 = (await sm.send(new PutSecretValueCommand({ SecretId: 'lab/rotating', SecretString: 'value-two' }))).VersionId!;
  v3 = (await sm.send(new PutSecretValueCommand({ SecretId: 'lab/rotating', SecretString: 'value-three', VersionStages: ['AWSPENDING'] }))).VersionId!;
});
afterAll(async () => {
  sm.destroy();
  await sandbox.close();
});

const stages = async (): Promise<Record<string, string[]>> => (await sm.send(new DescribeSecretCommand({ SecretId: 'lab/rotating' }))).VersionIdsToStages ?? {};

describe('ListSecretVersionIds', () => {
  it('lists labelled versions with their stages; deprecated ones only with IncludeDeprecated', async () => {
    await sm.send(new PutSecretValueCommand({ SecretId: 'lab/rotating', SecretString: 'value-four', VersionStages: ['AWSPENDING'] }));
    // v3 lost AWSPENDING: deprecated. v1 is AWSPREVIOUS.
    const out = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lab/rotating' }));
    expect(out.Name).toBe('lab/rotating');
    const listed = Object.fromEntries(out.Versions!.map((v) => [v.VersionId, v.VersionStages]));
    expect(listed[v1]).toEqual(['AWSPREVIOUS']);
    expect(listed[v2]).toEqual(['AWSCURRENT']);
    expect(listed[v3]).toBeUndefined();
    expect(out.Versions!.every((v) => v.CreatedDate instanceof Date)).toBe(true);
    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lab/rotating', IncludeDeprecated: true }));
    expect(all.Versions!.find((v) => v.VersionId === v3)?.VersionStages).toEqual([]);
    expect(all.Versions).toHaveLength(4);
  });

  it('pages with MaxResults and NextToken and validates them', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lab/rotating', IncludeDeprecated: true, MaxResults: 3, NextToken: token }));
      expect(page.Versions!.length).toBeLessThanOrEqual(3);
      seen.push(...page.Versions!.map((v) => v.VersionId!));
      token = page.NextToken;
    } while (token);
    expect(new Set(seen).size).toBe(4);
    await expect(sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lab/rotating', MaxResults: 101 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lab/rotating', NextToken: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
    await expect(sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lab/ghost' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('UpdateSecretVersionStage', () => {
  it('moves AWSCURRENT back, leaving AWSPREVIOUS on the version it left', async () => {
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/rotating', VersionStage: 'AWSCURRENT', MoveToVersionId: v1, RemoveFromVersionId: v2 }));
    const now = await stages();
    expect(now[v1]).toEqual(['AWSCURRENT']);
    expect(now[v2]).toEqual(['AWSPREVIOUS']);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'lab/rotating' }))).SecretString).toBe('value-one');
  });

  it('requires RemoveFromVersionId naming the version that holds a label', async () => {
    await expect(sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/rotating', VersionStage: 'AWSCURRENT', MoveToVersionId: v2 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v1}, so you must explicitly reference that version in RemoveFromVersionId.`,
    });
    await expect(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/rotating', VersionStage: 'AWSCURRENT', MoveToVersionId: v2, RemoveFromVersionId: v3 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/rotating', VersionStage: 'AWSCURRENT', RemoveFromVersionId: v1 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/rotating', VersionStage: 'X', MoveToVersionId: 'no-such-version' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/ghost', VersionStage: 'X', MoveToVersionId: v1 }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await stages())[v1]).toEqual(['AWSCURRENT']);
  });

  it('attaches, moves and removes a custom label', async () => {
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/rotating', VersionStage: 'blue', MoveToVersionId: v3 }));
    expect((await stages())[v3]).toEqual(['blue']);
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/rotating', VersionStage: 'blue', MoveToVersionId: v2, RemoveFromVersionId: v3 }));
    const now = await stages();
    expect(now[v2]).toEqual(['AWSPREVIOUS', 'blue']);
    expect(now[v3]).toBeUndefined();
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'lab/rotating', VersionStage: 'blue' }))).SecretString).toBe('value-two');
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'lab/rotating', VersionStage: 'blue', RemoveFromVersionId: v2 }));
    expect((await stages())[v2]).toEqual(['AWSPREVIOUS']);
  });
});

describe('BatchGetSecretValue', () => {
  it('gets secrets by id, reporting missing and deleted ones in Errors', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'lab/batch/a', SecretString: 'batch-a' }));
    await sm.send(new CreateSecretCommand({ Name: 'lab/batch/b', SecretString: 'batch-b' }));
    await sm.send(new CreateSecretCommand({ Name: 'lab/batch/gone', SecretString: 'batch-gone' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'lab/batch/gone', RecoveryWindowInDays: 7 }));
    await sm.send(new CreateSecretCommand({ Name: 'lab/batch/empty' }));
    const out = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['lab/batch/a', 'lab/batch/b', 'lab/batch/gone', 'lab/nope', 'lab/batch/empty'] }));
    expect(out.SecretValues!.map((v) => [v.Name, v.SecretString, v.VersionStages])).toEqual([
      ['lab/batch/a', 'batch-a', ['AWSCURRENT']],
      ['lab/batch/b', 'batch-b', ['AWSCURRENT']],
    ]);
    expect(out.Errors!.map((e) => [e.SecretId, e.ErrorCode])).toEqual([
      ['lab/batch/gone', 'InvalidRequestException'],
      ['lab/nope', 'ResourceNotFoundException'],
      ['lab/batch/empty', 'ResourceNotFoundException'],
    ]);
  });

  it('gets secrets by filter, page by page', async () => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['lab/batch/'] }], MaxResults: 1, NextToken: token }));
      names.push(...page.SecretValues!.map((v) => v.Name!));
      token = page.NextToken;
    } while (token);
    expect(names).toEqual(['lab/batch/a', 'lab/batch/b']);
  });

  it('validates its parameters', async () => {
    const filters = [{ Key: 'name' as const, Values: ['lab/'] }];
    await expect(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['lab/batch/a'], Filters: filters }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(sm.send(new BatchGetSecretValueCommand({}))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['lab/batch/a'], MaxResults: 5 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(sm.send(new BatchGetSecretValueCommand({ Filters: filters, MaxResults: 21 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sm.send(new BatchGetSecretValueCommand({ SecretIdList: Array.from({ length: 21 }, (_, i) => `s${i}`) }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('GetRandomPassword', () => {
  const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  const password = async (input: ConstructorParameters<typeof GetRandomPasswordCommand>[0] = {}) => (await sm.send(new GetRandomPasswordCommand(input))).RandomPassword!;

  it('gives 32 characters with every type by default', async () => {
    for (let i = 0; i < 20; i++) {
      const p = await password();
      expect(p).toHaveLength(32);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
      expect([...p].some((c) => PUNCTUATION.includes(c))).toBe(true);
      expect([...p].every((c) => /[A-Za-z0-9]/.test(c) || PUNCTUATION.includes(c))).toBe(true);
    }
    expect(await password()).not.toBe(await password());
  });

  it('honours the exclusions, IncludeSpace and RequireEachIncludedType', async () => {
    for (let i = 0; i < 20; i++) {
      expect(await password({ PasswordLength: 40, ExcludePunctuation: true, ExcludeNumbers: true })).toMatch(/^[A-Za-z]{40}$/);
      expect(await password({ PasswordLength: 12, ExcludeUppercase: true, ExcludeLowercase: true, ExcludePunctuation: true })).toMatch(/^[0-9]{12}$/);
      expect(await password({ ExcludeCharacters: 'abcdefghijklmnopqrstuvwxyz0123456789', ExcludePunctuation: true })).toMatch(/^[A-Z]{32}$/);
      expect(await password({ PasswordLength: 5, IncludeSpace: true })).toContain(' ');
    }
    expect(await password({ PasswordLength: 1, RequireEachIncludedType: false })).toHaveLength(1);
  });

  it('refuses impossible or out-of-range requests', async () => {
    await expect(password({ PasswordLength: 3 })).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Password length is too short based on the required types.' });
    await expect(password({ PasswordLength: 0 })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(password({ PasswordLength: 4097 })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(password({ ExcludeUppercase: true, ExcludeLowercase: true, ExcludeNumbers: true, ExcludePunctuation: true })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('RotateSecret and CancelRotateSecret without Lambda', () => {
  it('answers as AWS does for a secret without a rotation function, and for a function it cannot invoke', async () => {
    await expect(sm.send(new RotateSecretCommand({ SecretId: 'lab/rotating' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'No Lambda rotation function ARN is associated with this secret.',
    });
    await expect(
      sm.send(new RotateSecretCommand({ SecretId: 'lab/rotating', RotationLambdaARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:rotate`, RotationRules: { AutomaticallyAfterDays: 30 } })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('secretsmanager.amazonaws.com') });
    await expect(sm.send(new RotateSecretCommand({ SecretId: 'lab/rotating', RotationRules: { AutomaticallyAfterDays: 1001 } }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(sm.send(new RotateSecretCommand({ SecretId: 'lab/ghost' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(sm.send(new RotateSecretCommand({ SecretId: 'lab/batch/gone' }))).rejects.toMatchObject({ name: 'InvalidRequestException', message: expect.stringContaining('marked for deletion') });
    await expect(sm.send(new CancelRotateSecretCommand({ SecretId: 'lab/rotating' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(sm.send(new CancelRotateSecretCommand({ SecretId: 'lab/ghost' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'lab/rotating' }))).RotationEnabled).toBe(false);
  });
});

describe('CloudTrail', () => {
  it('never records a generated password or a batch-read secret value', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'lab/trail/secret', SecretString: 'trail-secret-value' }));
    const generated = (await sm.send(new GetRandomPasswordCommand({ PasswordLength: 64 }))).RandomPassword!;
    expect((await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['lab/trail/secret'] }))).SecretValues![0]!.SecretString).toBe('trail-secret-value');
    await new Promise((resolve) => setTimeout(resolve, RECORDER_IDLE_MS * 3));
    const trail = new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT));
    /** Every string in an event (parsed, so that JSON escaping cannot hide a value). */
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
    for (const name of ['GetRandomPassword', 'BatchGetSecretValue']) {
      const events = (await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [];
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        const values = strings(JSON.parse(event.CloudTrailEvent!));
        expect(values.some((v) => v.includes(generated) || v.includes('trail-secret-value'))).toBe(false);
      }
    }
    trail.destroy();
  });
});
