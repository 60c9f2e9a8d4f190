/**
 * Error paths through the real CLI, the real SDK clients and real HTTP: AccessDenied, throttling
 * past retries, an expired token and a refused connection each give `error` results (never
 * `fail`), exit 3 and one line without a stack trace.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonError, startFakeAws, type FakeAws } from '../helpers/fake-aws.js';
import { freePort } from '../helpers/moto.js';
import { runCli } from '../helpers/run-cli.js';

const fixture = new URL('../fixtures/mini-scenarios.yaml', import.meta.url).pathname;
let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const env = (endpoint: string) => ({
  ECS_LAB_SCENARIOS: fixture,
  ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-cli-')),
  ECS_LAB_MAX_ATTEMPTS: '2',
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
});

async function checkWith(handler: Parameters<typeof startFakeAws>[0]) {
  fake = await startFakeAws(handler, { account: '123456789012' });
  const res = await runCli(['check', 'demo', '--json'], env(fake.endpoint));
  return { ...res, report: res.stdout ? JSON.parse(res.stdout) : undefined };
}

function expectNoStack(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
}

describe('check against a failing endpoint', () => {
  it('AccessDenied -> error results naming action, principal and code; exit 3', async () => {
    const { code, report, stderr } = await checkWith(() =>
      jsonError(400, 'AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/lab-developer/s is not authorized to perform: ecs:DescribeClusters'),
    );
    expect(code).toBe(3);
    expect(report.status).toBe('error');
    const tagged = report.steps.find((s: { id: string }) => s.id === 'tagged');
    expect(tagged.status).toBe('error');
    expect(tagged.checks[0].message).toBe(
      'Could not read the state: ecs:DescribeClusters was denied for arn:aws:sts::123456789012:assumed-role/lab-developer/s (AccessDeniedException).',
    );
    // a read failure is never a fail: every check step is error (only the unanswered quiz fails)
    expect(report.steps.filter((s: { kind: string }) => s.kind === 'check').map((s: { status: string }) => s.status)).toEqual(['error', 'error']);
    expectNoStack(stderr);
  });

  it('throttling past retries -> error, and the SDK retried', async () => {
    const { code, report } = await checkWith(() => jsonError(400, 'ThrottlingException', 'Rate exceeded'));
    expect(code).toBe(3);
    const tagged = report.steps.find((s: { id: string }) => s.id === 'tagged');
    expect(tagged.status).toBe('error');
    expect(tagged.checks[0].message).toMatch(/ecs:DescribeClusters was throttled and still failing after retries \(ThrottlingException\)/);
    expect(fake!.hits.DescribeClusters).toBe(2);
  });

  it('an expired token -> error naming the credentials problem', async () => {
    const { code, report } = await checkWith(() => jsonError(400, 'ExpiredTokenException', 'The security token included in the request is expired'));
    expect(code).toBe(3);
    const tagged = report.steps.find((s: { id: string }) => s.id === 'tagged');
    expect(tagged.checks[0].message).toMatch(/credentials .* were rejected \(ExpiredTokenException\)/);
  });

  it('an expired token at the first call stops the command with one line and exit 3', async () => {
    fake = await startFakeAws(() => jsonError(500, 'x', 'x'), { stsError: { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' } });
    const res = await runCli(['check', 'demo'], env(fake.endpoint));
    expect(res.code).toBe(3);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^ecs-lab: sts:GetCallerIdentity failed: the credentials of .* were rejected \(ExpiredToken\)/);
  });

  it('connection refused -> one line naming the URL, exit 3', async () => {
    const port = await freePort();
    const res = await runCli(['check', 'demo'], env(`http://127.0.0.1:${port}`));
    expect(res.code).toBe(3);
    expect(res.stderr).toBe(`ecs-lab: Cannot reach http://127.0.0.1:${port} (connection refused). Is the endpoint running?\n`);
  });
});

describe('usage errors', () => {
  it('an unknown scenario exits 2 naming the valid ids', async () => {
    const res = await runCli(['check', 'nope'], { ECS_LAB_SCENARIOS: fixture, ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-cli-')) });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('ecs-lab: Unknown scenario "nope" (valid: demo).\n');
  });

  it('an unknown flag or command exits 2 with one line', async () => {
    const a = await runCli(['list', '--bogus'], {});
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^ecs-lab: Unknown option '--bogus'/);
    const b = await runCli(['lsit'], {});
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/Unknown command "lsit" \(valid: list, start, check/);
  });

  it('an unknown target kind exits 3 listing the valid kinds', async () => {
    const res = await runCli(['check', 'demo', '--target', 'prod'], { ECS_LAB_SCENARIOS: fixture, ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-cli-')) });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('(valid: local, endpoint, aws)');
  });
});
