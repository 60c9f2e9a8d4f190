import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeAws, type FakeAws } from '../../test/helpers/fake-aws.js';
import { runCli } from '../../test/helpers/run-cli.js';
import { resolveLearner, resolveRegion, resolveTargetSpec } from './target.js';

describe('resolveTargetSpec (CONTRACT §2)', () => {
  it('defaults to the local sandbox, never to AWS', () => {
    expect(resolveTargetSpec({}, {})).toMatchObject({ kind: 'local', region: 'us-east-1' });
    expect(resolveTargetSpec({}, { AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIA' }).kind).toBe('local');
  });

  it('uses an endpoint from --endpoint or AWS_ENDPOINT_URL, the flag first', () => {
    expect(resolveTargetSpec({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000/' })).toMatchObject({ kind: 'endpoint', endpoint: 'http://127.0.0.1:5000' });
    expect(resolveTargetSpec({ endpoint: 'http://h:1' }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }).endpoint).toBe('http://h:1');
  });

  it('rejects bad endpoints, unknown kinds and malformed allowed accounts', () => {
    expect(() => resolveTargetSpec({ endpoint: 'not a url' }, {})).toThrow(/is not a URL/);
    expect(() => resolveTargetSpec({ endpoint: 'ftp://x' }, {})).toThrow(/http:\/\/ or https:\/\//);
    expect(() => resolveTargetSpec({ target: 'prod' }, {})).toThrow('(valid: local, endpoint, aws)');
    expect(() => resolveTargetSpec({ target: 'aws', allowAccount: ['12345'] }, {})).toThrow(/12-digit/);
    expect(() => resolveTargetSpec({ target: 'aws', endpoint: 'http://x' }, {})).toThrow(/takes no --endpoint/);
  });

  it('merges the allow-list from the environment and flags', () => {
    const s = resolveTargetSpec({ target: 'aws', allowAccount: ['111111111111'] }, { ECS_LAB_ALLOWED_ACCOUNTS: '222222222222, 333333333333' });
    expect(s.allowedAccounts).toEqual(['222222222222', '333333333333', '111111111111']);
  });

  it('resolves region and learner in the documented order', () => {
    expect(resolveRegion({ region: 'eu-west-1' }, { AWS_REGION: 'us-west-2' })).toBe('eu-west-1');
    expect(resolveRegion({}, { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('us-west-2');
    expect(resolveRegion({}, { AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(resolveLearner({ learner: 'bob' }, { ECS_LAB_LEARNER: 'alice' })).toBe('bob');
    expect(resolveLearner({}, { ECS_LAB_LEARNER: 'alice' })).toBe('alice');
  });
});

describe('the aws target', () => {
  let fake: FakeAws;
  const saved = { ...process.env };
  beforeEach(async () => {
    fake = await startFakeAws(() => ({ status: 200, body: {} }), { account: '123456789012' });
    // The SDK reads these from the process environment; STS goes to the fake, never to AWS.
    process.env.AWS_ENDPOINT_URL_STS = fake.endpoint;
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKEFAKEFAKEFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake';
  });
  afterEach(async () => {
    process.env = { ...saved };
    await fake.close();
  });

  const env = () => ({
    ...process.env,
    ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-aws-')),
    ECS_LAB_SCENARIOS: new URL('../../test/fixtures/mini-scenarios.yaml', import.meta.url).pathname,
    AWS_REGION: 'us-east-1',
  });

  it('is refused when the account is not allow-listed, naming the account and how to allow it', async () => {
    const res = await runCli(['check', 'demo', '--target', 'aws'], env());
    expect(res.code).toBe(3);
    expect(res.stderr).toBe(
      'ecs-lab: Refusing to use AWS account 123456789012 (arn:aws:iam::123456789012:user/learner): it is not allow-listed; add it to ECS_LAB_ALLOWED_ACCOUNTS or pass --allow-account 123456789012 if it is a sandbox account.\n',
    );
    expect(fake.hits.GetCallerIdentity).toBe(1);
  });

  it('start and reset need --yes when stdin is not a terminal, even when allow-listed', async () => {
    for (const cmd of [['start', 'demo'], ['reset', 'demo'], ['reset', '--all']]) {
      const res = await runCli([...cmd, '--target', 'aws', '--allow-account', '123456789012'], env());
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('Target: AWS account 123456789012');
      expect(res.stderr).toMatch(/on AWS account 123456789012 needs --yes when stdin is not a terminal\.\n$/);
    }
  });
});
