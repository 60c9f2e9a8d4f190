import { DescribeClustersCommand, DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../../../test/helpers/check-context.js';
import awsRead, { closest } from './aws-read.js';

const ecs = mockClient(ECSClient);
afterEach(() => ecs.reset());

const base = {
  service: 'ecs' as const,
  operation: 'DescribeServices',
  input: { cluster: 'lab-prod', services: ['storefront'] },
  path: 'services[0].deployments[?status==PRIMARY].platformVersion',
  expect: { op: 'in' as const, value: ['LATEST', '1.4.0'] },
  quantifier: 'all' as const,
  resource: 'service lab-prod/storefront',
};

describe('aws-read', () => {
  it('passes when the selected value matches', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ deployments: [{ status: 'PRIMARY', platformVersion: '1.4.0' }] }] });
    const out = await awsRead.run(testContext(), awsRead.params.parse(base));
    expect(out.status).toBe('pass');
    expect(out.message).toContain('service lab-prod/storefront');
    expect(out.message).toContain('"1.4.0"');
  });

  it('fails when the selected value differs, naming what it saw', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ deployments: [{ status: 'PRIMARY', platformVersion: '1.3.0' }] }] });
    const out = await awsRead.run(testContext(), awsRead.params.parse(base));
    expect(out.status).toBe('fail');
    expect(out.message).toMatch(/is "1\.3\.0"; expected one of \["LATEST","1\.4\.0"\]/);
  });

  it('fails when the path selects nothing (the resource is missing)', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    const out = await awsRead.run(testContext(), awsRead.params.parse(base));
    expect(out.status).toBe('fail');
    expect(out.message).toContain('is nothing');
  });

  it('with quantifier any, passes when one value matches and fails when none does', async () => {
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ settings: [{ name: 'containerInsights', value: 'enabled' }] }] });
    const p = awsRead.params.parse({ ...base, operation: 'DescribeClusters', input: { clusters: ['lab-prod'], include: ['SETTINGS'] }, path: 'clusters[0].settings[*].value', expect: { op: 'eq', value: 'enabled' }, quantifier: 'any' });
    expect((await awsRead.run(testContext(), p)).status).toBe('pass');
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ settings: [{ name: 'containerInsights', value: 'disabled' }] }] });
    expect((await awsRead.run(testContext(), p)).status).toBe('fail');
  });

  it('shares one call between checks of a run through the memo', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ deployments: [{ status: 'PRIMARY', platformVersion: '1.4.0' }] }] });
    const ctx = testContext();
    await awsRead.run(ctx, awsRead.params.parse(base));
    await awsRead.run(ctx, awsRead.params.parse(base));
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });

  it('rejects write operations, unknown operations and decrypted reads at load', () => {
    expect(awsRead.params.safeParse({ ...base, operation: 'DeleteService' }).success).toBe(false);
    const typo = awsRead.params.safeParse({ ...base, operation: 'DescribeServicez' });
    expect(typo.success).toBe(false);
    expect(JSON.stringify(typo.error?.issues)).toContain('did you mean: DescribeServices');
    expect(awsRead.params.safeParse({ ...base, service: 'ssm', operation: 'GetParameter', input: { Name: 'x', WithDecryption: true } }).success).toBe(false);
    expect(awsRead.params.safeParse({ ...base, service: 'secretsmanager', operation: 'GetSecretValue' }).success).toBe(false);
  });

  it('suggests near names', () => {
    expect(closest('DescribeClusterz', ['DescribeClusters', 'ListClusters', 'DescribeServices'])).toEqual(['DescribeClusters']);
  });
});

describe('aws-read quantifier none', () => {
  const p = awsRead.params.parse({
    service: 'ecs',
    operation: 'DescribeServices',
    input: { cluster: 'c', services: ['s'] },
    path: 'services[*].deployments[*].platformVersion',
    expect: { op: 'eq', value: '1.3.0' },
    quantifier: 'none',
    resource: 'service c/s',
  });
  it('passes when no value matches, including when nothing is selected', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ deployments: [{ platformVersion: '1.4.0' }] }] });
    expect((await awsRead.run(testContext(), p)).status).toBe('pass');
    ecs.on(DescribeServicesCommand).resolves({ services: [{ deployments: [] }] });
    expect((await awsRead.run(testContext(), p)).status).toBe('pass');
  });
  it('fails when any value matches', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ deployments: [{ platformVersion: '1.4.0' }, { platformVersion: '1.3.0' }] }] });
    const out = await awsRead.run(testContext(), p);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('expected no value equal to "1.3.0"');
  });
});
