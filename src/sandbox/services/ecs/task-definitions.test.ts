import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ecs: ECSClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ecs = new ECSClient(clientConfig(sandbox.url));
});
afterAll(async () => {
  ecs.destroy();
  await sandbox.close();
});

const metricsAgent: RegisterTaskDefinitionCommandInput = {
  family: 'metrics-agent',
  networkMode: 'bridge',
  pidMode: 'host',
  taskRoleArn: 'arn:aws:iam::000000000000:role/task',
  executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
  containerDefinitions: [
    {
      name: 'agent',
      image: 'public.ecr.aws/lab/agent:1',
      memory: 256,
      privileged: true,
      user: '1000',
      readonlyRootFilesystem: false,
      linuxParameters: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
      environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
      secrets: [{ name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:lab/api-AbCdEf' }],
      logConfiguration: {
        logDriver: 'splunk',
        options: { 'splunk-url': 'https://splunk.example' },
        secretOptions: [{ name: 'splunk-token', valueFrom: 'arn:aws:ssm:us-east-1:000000000000:parameter/lab/splunk' }],
      },
    },
  ],
  tags: [{ key: 'environment', value: 'prod' }],
};

describe('ECS task definitions', () => {
  it('registers a revision keeping every container field the scenarios use', async () => {
    const out = await ecs.send(new RegisterTaskDefinitionCommand(metricsAgent));
    const td = out.taskDefinition!;
    expect(td.taskDefinitionArn).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/metrics-agent:1');
    expect(td.revision).toBe(1);
    expect(td.status).toBe('ACTIVE');
    expect(td.pidMode).toBe('host');
    expect(td.compatibilities).toEqual(['EXTERNAL', 'EC2']);
    expect(td.registeredAt).toBeInstanceOf(Date);
    const c = td.containerDefinitions![0]!;
    expect(c.privileged).toBe(true);
    expect(c.user).toBe('1000');
    expect(c.readonlyRootFilesystem).toBe(false);
    expect(c.linuxParameters?.capabilities).toEqual({ add: ['NET_ADMIN'], drop: ['ALL'] });
    expect(c.environment).toEqual([{ name: 'DB_PASSWORD', value: 'hunter2' }]);
    expect(c.secrets?.[0]?.valueFrom).toContain(':secret:lab/api');
    expect(c.logConfiguration?.secretOptions?.[0]?.name).toBe('splunk-token');
    expect(c.essential).toBe(true);
    expect(out.tags).toEqual([{ key: 'environment', value: 'prod' }]);
  });

  it('registers a Fargate revision and refuses Fargate-incompatible ones', async () => {
    const ok = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'profiler',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'p', image: 'x', linuxParameters: { capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] } } }],
      }),
    );
    expect(ok.taskDefinition?.compatibilities).toEqual(['EC2', 'FARGATE']);
    const bad = { family: 'profiler', networkMode: 'awsvpc' as const, requiresCompatibilities: ['FARGATE' as const], cpu: '256', memory: '512' };
    await expect(ecs.send(new RegisterTaskDefinitionCommand({ ...bad, containerDefinitions: [{ name: 'p', image: 'x', privileged: true }] }))).rejects.toMatchObject({ name: 'ClientException' });
    await expect(
      ecs.send(new RegisterTaskDefinitionCommand({ ...bad, containerDefinitions: [{ name: 'p', image: 'x', linuxParameters: { capabilities: { add: ['NET_ADMIN'] } } }] })),
    ).rejects.toMatchObject({ name: 'ClientException' });
    await expect(
      ecs.send(new RegisterTaskDefinitionCommand({ ...bad, networkMode: 'bridge', containerDefinitions: [{ name: 'p', image: 'x' }] })),
    ).rejects.toMatchObject({ name: 'ClientException' });
  });

  it('rejects a container without memory on EC2 and a missing family', async () => {
    await expect(ecs.send(new RegisterTaskDefinitionCommand({ family: 'x', containerDefinitions: [{ name: 'a', image: 'b' }] }))).rejects.toMatchObject({
      name: 'ClientException',
    });
    await expect(ecs.send(new RegisterTaskDefinitionCommand({ containerDefinitions: [] } as never))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('describes the latest ACTIVE revision, with tags only when asked', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ ...metricsAgent, tags: [{ key: 'environment', value: 'dev' }] }));
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'metrics-agent' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    expect(latest.tags).toBeUndefined();
    const first = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'metrics-agent:1', include: ['TAGS'] }));
    expect(first.tags).toEqual([{ key: 'environment', value: 'prod' }]);
    await expect(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:1' }))).rejects.toMatchObject({ name: 'ClientException' });
  });

  it('deregisters, then deletes, an inactive revision', async () => {
    await expect(ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ['metrics-agent:1'] }))).resolves.toMatchObject({
      failures: [expect.objectContaining({ reason: expect.stringContaining('ACTIVE') })],
    });
    const dereg = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'metrics-agent:1' }));
    expect(dereg.taskDefinition?.status).toBe('INACTIVE');
    expect(dereg.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    await expect(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'metrics-agent' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'metrics-agent', status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns).toEqual(['arn:aws:ecs:us-east-1:000000000000:task-definition/metrics-agent:1']);
    const deleted = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ['arn:aws:ecs:us-east-1:000000000000:task-definition/metrics-agent:1'] }));
    expect(deleted.taskDefinitions?.[0]?.status).toBe('DELETE_IN_PROGRESS');
  });

  it('lists revisions and families', async () => {
    const desc = await ecs.send(new ListTaskDefinitionsCommand({ sort: 'DESC' }));
    expect(desc.taskDefinitionArns?.[0]).toMatch(/metrics-agent:2$|profiler:1$/);
    const families = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'm' }));
    expect(families.families).toEqual(['metrics-agent']);
    await expect(ecs.send(new ListTaskDefinitionFamiliesCommand({ nextToken: 'bad' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
