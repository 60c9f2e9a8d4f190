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
      'ec2-security-group',
      'ec2-subnet',
      'ec2-vpc',
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
    for (const kind of RESOURCE_KINDS) expect(typeof kind.lookup, kind.type).toBe('function');
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
  });
});
