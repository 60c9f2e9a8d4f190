/** Builds a CheckContext over a real AwsSession for unit tests (clients mocked with aws-sdk-client-mock). */
import { AwsSession } from '../../src/aws/session.js';
import { resolveTargetSpec } from '../../src/aws/target.js';
import { Redactor } from '../../src/checks/redact.js';
import type { CheckContext } from '../../src/checks/types.js';
import { resourceContext } from '../../src/scenarios/provision.js';

export function testContext(overrides: Partial<CheckContext> = {}): CheckContext & { redactor: Redactor } {
  const spec = resolveTargetSpec({ endpoint: 'http://127.0.0.1:9' }, {});
  const aws = new AwsSession(spec, { maxAttempts: 1 });
  const target = { kind: 'endpoint' as const, endpoint: 'http://127.0.0.1:9', account: '123456789012', region: 'us-east-1' };
  const conn = { aws, target, account: '123456789012', principal: 'arn:aws:iam::123456789012:user/test', enforcesIam: false, close: async () => {} };
  const memo = new Map<string, Promise<unknown>>();
  const redactor = new Redactor();
  return {
    aws,
    target,
    account: conn.account,
    region: 'us-east-1',
    scenario: 'demo',
    enforcesIam: false,
    resources: resourceContext(conn, 'demo'),
    sensitive: (v) => redactor.add(v),
    wantedServices: new Map(),
    plantedValues: [],
    memo: <T>(key: string, load: () => Promise<T>) => {
      if (!memo.has(key)) memo.set(key, load());
      return memo.get(key) as Promise<T>;
    },
    redactor,
    ...overrides,
  };
}
