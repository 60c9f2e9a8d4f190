/** The resource-kind registry and its schemas, which become the scenarios.yaml JSON Schema (no AWS needed). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RESOURCE_KINDS, RESOURCE_KINDS_BY_TYPE } from '../../src/resources/index.js';

const order = (type: string) => RESOURCE_KINDS_BY_TYPE.get(type)?.order ?? Number.NaN;

describe('resource kind registry', () => {
  it('registers every kind once, each with a lookup', () => {
    const types = RESOURCE_KINDS.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual([
      'autoscaling-group',
      'ec2-launch-template',
      'ec2-security-group',
      'ec2-subnet',
      'ec2-vpc',
      'ecs-account-setting',
      'ecs-capacity-provider',
      'ecs-cluster',
      'ecs-service',
      'ecs-task-definition',
      'iam-policy',
      'iam-role',
      'logs-log-group',
      's3-bucket',
      'secretsmanager-secret',
      'ssm-parameter',
    ]);
    // Account settings carry no tags, so there is nothing for a tag check to look up.
    for (const kind of RESOURCE_KINDS) if (kind.type !== 'ecs-account-setting') expect(typeof kind.lookup, kind.type).toBe('function');
  });

  it('creates what a kind depends on first (and so deletes it last)', () => {
    const before: Array<[string, string]> = [
      ['ec2-vpc', 'ec2-subnet'],
      ['ec2-subnet', 'ec2-security-group'],
      ['ec2-security-group', 'ecs-service'],
      ['iam-policy', 'iam-role'],
      ['iam-role', 'ecs-task-definition'],
      ['ecs-cluster', 'ecs-service'],
      ['ecs-task-definition', 'ecs-service'],
      ['logs-log-group', 'ecs-task-definition'],
      ['secretsmanager-secret', 'ecs-task-definition'],
      ['ssm-parameter', 'ecs-task-definition'],
      ['ec2-subnet', 'autoscaling-group'],
      ['ec2-launch-template', 'autoscaling-group'],
      ['ecs-cluster', 'autoscaling-group'],
      ['autoscaling-group', 'ecs-capacity-provider'],
      ['ecs-cluster', 'ecs-capacity-provider'],
      // last, so that it can tell a restart (everything else found) from a first start
      ['ecs-service', 'ecs-account-setting'],
    ];
    for (const [first, then] of before) expect(order(first), `${first} before ${then}`).toBeLessThan(order(then));
  });

  it('turns every schema into a strict JSON Schema whose type is the kind\'s', () => {
    for (const kind of RESOURCE_KINDS) {
      const json = z.toJSONSchema(kind.schema as z.ZodType) as { properties: Record<string, { const?: string; description?: string }>; additionalProperties?: boolean; required?: string[] };
      expect(json.properties.type?.const, kind.type).toBe(kind.type);
      expect(json.additionalProperties, kind.type).toBe(false);
      expect(json.required, kind.type).toEqual(expect.arrayContaining(['type', 'name']));
      expect(json.properties.name?.description, `${kind.type} name`).toBeTruthy();
    }
  });

  it('rejects misspelt fields and accepts the specs of the lab world', () => {
    const parse = (spec: Record<string, unknown>) => RESOURCE_KINDS_BY_TYPE.get(String(spec.type))?.schema.safeParse(spec).success;
    expect(parse({ type: 'ecs-cluster', name: 'lab-prod', tag: { environment: 'prod' } })).toBe(false);
    expect(parse({ type: 'ecs-cluster', name: 'lab-prod', tags: { environment: 'prod' } })).toBe(true);
    expect(parse({ type: 'iam-role', name: 'lab-task-execution-role', trust: { service: 'ecs-tasks.amazonaws.com' }, managedPolicies: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'] })).toBe(true);
    expect(parse({ type: 'iam-role', name: 'r', trust: { Statement: [{ Effect: 'Permit' }] } })).toBe(false);
    expect(parse({ type: 's3-bucket', name: 'lab-audit-${account}' })).toBe(true);
    expect(parse({ type: 's3-bucket', name: 'Lab_Audit' })).toBe(false);
    expect(parse({ type: 'ssm-parameter', name: '/lab/auth/x', parameterType: 'StringList', value: 'a' })).toBe(false);
    expect(parse({ type: 'secretsmanager-secret', name: 'lab/other-team/api-key', secretString: 'x' })).toBe(true);
    expect(
      parse({ type: 'ecs-service', name: 'storefront', cluster: 'lab-prod', taskDefinition: 'storefront', desiredCount: 1, launchType: 'FARGATE', network: { subnets: ['lab-private-a'], assignPublicIp: 'yes' } }),
    ).toBe(false);
    const lt = { type: 'ec2-launch-template', name: 'lab-ecs-hosts', instanceType: 't3.medium', userData: 'ECS_CLUSTER=lab-prod' };
    expect(parse({ ...lt, image: { parameter: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended' } })).toBe(true);
    expect(parse({ ...lt, image: { id: 'ami-0123456789abcdef0' } })).toBe(true);
    expect(parse({ ...lt, image: { id: 'ami-0123456789abcdef0', parameter: '/x' } })).toBe(false);
    const group = { type: 'autoscaling-group', name: 'lab-ecs-hosts', launchTemplate: 'lab-ecs-hosts', minSize: 0, maxSize: 4, subnets: ['lab-private-a'] };
    expect(parse({ ...group, desiredCapacity: 2, version: '$Default' })).toBe(true);
    expect(parse({ ...group, desiredCapacity: 5 })).toBe(false);
    expect(parse({ ...group, desiredCapacity: 2, version: 'latest' })).toBe(false);
    const provider = { type: 'ecs-capacity-provider', name: 'lab-ecs-hosts', autoScalingGroup: 'lab-ecs-hosts', cluster: 'lab-prod' };
    expect(parse({ ...provider, managedScaling: { status: 'DISABLED' }, managedTerminationProtection: 'DISABLED', managedDraining: 'DISABLED' })).toBe(true);
    expect(parse({ ...provider, name: 'ecs-hosts' })).toBe(false);
    expect(parse({ ...provider, managedDraining: 'ON' })).toBe(false);
  });
});
