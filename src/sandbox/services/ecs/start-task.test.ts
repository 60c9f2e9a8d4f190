import { EC2Client, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, DescribeContainerInstancesCommand, DescribeTasksCommand, ECSClient, ListContainerInstancesCommand, RegisterTaskDefinitionCommand, StartTaskCommand } from '@aws-sdk/client-ecs';
import type { ContainerInstance } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000032';
let sandbox: RunningSandbox;
let ec2: EC2Client;
let ecs: ECSClient;
let hosts: ContainerInstance[];

async function launchHosts(client: EC2Client, cluster: string, count: number): Promise<string[]> {
  const out = await client.send(new RunInstancesCommand({
    ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
    InstanceType: 't3.medium',
    MinCount: count,
    MaxCount: count,
    UserData: Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`).toString('base64'),
  }));
  return out.Instances!.map((i) => i.InstanceId!);
}

async function containerInstances(client: ECSClient, cluster: string): Promise<ContainerInstance[]> {
  const arns = (await client.send(new ListContainerInstancesCommand({ cluster }))).containerInstanceArns!;
  return (await client.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: arns }))).containerInstances!;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ec2 = new EC2Client(clientConfig(sandbox.url, ACCOUNT));
  ecs = new ECSClient(clientConfig(sandbox.url, ACCOUNT));
  await ecs.send(new CreateClusterCommand({ clusterName: 'hosts' }));
  await ecs.send(new RegisterTaskDefinitionCommand({
    family: 'agent-check',
    requiresCompatibilities: ['EC2'],
    networkMode: 'bridge',
    containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64, essential: true, portMappings: [{ containerPort: 80 }] }],
  }));
  await ecs.send(new RegisterTaskDefinitionCommand({
    family: 'fargate-only',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image: 'busybox', essential: true }],
  }));
  await launchHosts(ec2, 'hosts', 3);
  hosts = await containerInstances(ecs, 'hosts');
});
afterAll(async () => {
  ec2.destroy();
  ecs.destroy();
  await sandbox.close();
});

describe('ECS StartTask', () => {
  it('places one task on each named container instance, by ARN or id', async () => {
    const [a, b] = hosts;
    const idOfB = b!.containerInstanceArn!.split('/').pop()!;
    const out = await ecs.send(new StartTaskCommand({ cluster: 'hosts', taskDefinition: 'agent-check', containerInstances: [a!.containerInstanceArn!, idOfB], startedBy: 'patch-check', tags: [{ key: 'purpose', value: 'verify' }] }));
    expect(out.failures).toEqual([]);
    expect(out.tasks!.map((t) => t.containerInstanceArn)).toEqual([a!.containerInstanceArn, b!.containerInstanceArn]);
    expect(out.tasks![0]).toMatchObject({ launchType: 'EC2', lastStatus: 'RUNNING', startedBy: 'patch-check', group: 'family:agent-check', tags: [{ key: 'purpose', value: 'verify' }] });
    expect(out.tasks![0]!.containers![0]!.networkBindings![0]!.hostPort).toBeGreaterThanOrEqual(32768);
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'hosts', tasks: out.tasks!.map((t) => t.taskArn!) }));
    expect(described.tasks!.map((t) => t.containerInstanceArn)).toEqual([a!.containerInstanceArn, b!.containerInstanceArn]);
  });

  it('reports unknown and disconnected container instances as failures', async () => {
    const c = hosts[2]!;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [c.ec2InstanceId!] }));
    const unknown = 'arn:aws:ecs:us-east-1:000000000032:container-instance/hosts/0123456789abcdef0123456789abcdef';
    const out = await ecs.send(new StartTaskCommand({ cluster: 'hosts', taskDefinition: 'agent-check', containerInstances: [unknown, c.containerInstanceArn!] }));
    expect(out.tasks).toEqual([]);
    expect(out.failures).toEqual([{ arn: unknown, reason: 'MISSING' }, { arn: c.containerInstanceArn, reason: 'AGENT' }]);
  });

  it('validates its input as ECS does', async () => {
    const arn = hosts[0]!.containerInstanceArn!;
    await expect(ecs.send(new StartTaskCommand({ cluster: 'hosts', taskDefinition: 'agent-check', containerInstances: [] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(ecs.send(new StartTaskCommand({ cluster: 'hosts', taskDefinition: 'agent-check', containerInstances: Array(11).fill(arn) }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'containerInstances can have at most 10 items.',
    });
    await expect(ecs.send(new StartTaskCommand({ cluster: 'nowhere', taskDefinition: 'agent-check', containerInstances: [arn] }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(ecs.send(new StartTaskCommand({ cluster: 'hosts', taskDefinition: 'missing', containerInstances: [arn] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    // An awsvpc task definition needs its network configuration here too (the scheduler's check).
    await expect(ecs.send(new StartTaskCommand({ cluster: 'hosts', taskDefinition: 'fargate-only', containerInstances: [arn] }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
  });

  it('denies an assumed role without ecs:StartTask on the task definition', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:StartTask', Resource: 'arn:aws:ecs:us-east-1:000000000032:task-definition/other:*' }] });
    const creds = await roleSession(sandbox.url, ACCOUNT, 'starter', policy);
    const role = new ECSClient({ ...clientConfig(sandbox.url, ACCOUNT), credentials: creds });
    try {
      await expect(role.send(new StartTaskCommand({ cluster: 'hosts', taskDefinition: 'agent-check', containerInstances: [hosts[0]!.containerInstanceArn!] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      role.destroy();
    }
  });

  it('keeps started tasks across a restart', async () => {
    const data = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: data.dir });
      let e2 = new EC2Client(clientConfig(box.url, ACCOUNT));
      let client = new ECSClient(clientConfig(box.url, ACCOUNT));
      await client.send(new CreateClusterCommand({ clusterName: 'kept' }));
      await client.send(new RegisterTaskDefinitionCommand({ family: 'kept', containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }] }));
      await launchHosts(e2, 'kept', 1);
      const [host] = await containerInstances(client, 'kept');
      const started = await client.send(new StartTaskCommand({ cluster: 'kept', taskDefinition: 'kept', containerInstances: [host!.containerInstanceArn!] }));
      const taskArn = started.tasks![0]!.taskArn!;
      e2.destroy();
      client.destroy();
      await box.close();
      box = await startTestSandbox({ dataDir: data.dir });
      e2 = new EC2Client(clientConfig(box.url, ACCOUNT));
      client = new ECSClient(clientConfig(box.url, ACCOUNT));
      try {
        const [task] = (await client.send(new DescribeTasksCommand({ cluster: 'kept', tasks: [taskArn] }))).tasks!;
        expect(task).toMatchObject({ lastStatus: 'RUNNING', containerInstanceArn: host!.containerInstanceArn });
      } finally {
        e2.destroy();
        client.destroy();
        await box.close();
      }
    } finally {
      data.remove();
    }
  });
});
