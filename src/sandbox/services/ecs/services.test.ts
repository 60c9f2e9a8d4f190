import { CreateSubnetCommand, CreateVpcCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ecs: ECSClient;
let ec2: EC2Client;
let subnets: string[];
let vpcId: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ecs = new ECSClient(clientConfig(sandbox.url));
  ec2 = new EC2Client(clientConfig(sandbox.url));
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  vpcId = vpc.Vpc!.VpcId!;
  const a = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }));
  const b = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1b' }));
  subnets = [a.Subnet!.SubnetId!, b.Subnet!.SubnetId!];
  await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod' }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'storefront',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: 'nginx' }],
      tags: [{ key: 'environment', value: 'prod' }],
    }),
  );
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'catalog', containerDefinitions: [{ name: 'app', image: 'x', memory: 128 }] }));
});
afterAll(async () => {
  ecs.destroy();
  ec2.destroy();
  await sandbox.close();
});

describe('ECS services and tasks', () => {
  it('creates a Fargate service whose PRIMARY deployment reaches the desired count, using the VPC default SG', async () => {
    const out = await ecs.send(
      new CreateServiceCommand({
        cluster: 'lab-prod',
        serviceName: 'storefront',
        taskDefinition: 'storefront',
        desiredCount: 1,
        launchType: 'FARGATE',
        platformVersion: '1.3.0',
        deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 },
        networkConfiguration: { awsvpcConfiguration: { subnets: [subnets[0]!] } },
        propagateTags: 'TASK_DEFINITION',
        enableECSManagedTags: true,
        tags: [{ key: 'environment', value: 'prod' }],
      }),
    );
    const service = out.service!;
    expect(service.serviceArn).toBe('arn:aws:ecs:us-east-1:000000000000:service/lab-prod/storefront');
    expect(service.platformVersion).toBe('1.3.0');
    expect(service.deploymentConfiguration).toMatchObject({ minimumHealthyPercent: 0, maximumPercent: 100 });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({ status: 'PRIMARY', runningCount: 1, desiredCount: 1, rolloutState: 'COMPLETED', platformVersion: '1.3.0' });
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }));
    expect(service.networkConfiguration?.awsvpcConfiguration).toEqual({
      subnets: [subnets[0]],
      securityGroups: [groups.SecurityGroups![0]!.GroupId],
      assignPublicIp: 'DISABLED',
    });
    // CreateService echoes the tags it was given (create-service example 1).
    expect(service.tags).toEqual([{ key: 'environment', value: 'prod' }]);
  });

  it('runs tasks for the service, with propagated and managed tags and an ENI', async () => {
    const list = await ecs.send(new ListTasksCommand({ cluster: 'lab-prod', serviceName: 'storefront' }));
    expect(list.taskArns).toHaveLength(1);
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'lab-prod', tasks: list.taskArns!, include: ['TAGS'] }));
    const task = described.tasks![0]!;
    expect(task).toMatchObject({ lastStatus: 'RUNNING', launchType: 'FARGATE', platformVersion: '1.3.0', group: 'service:storefront' });
    expect(task.tags).toEqual(
      expect.arrayContaining([
        { key: 'environment', value: 'prod' },
        { key: 'aws:ecs:serviceName', value: 'storefront' },
      ]),
    );
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(enis.NetworkInterfaces).toHaveLength(1);
  });

  it('updates platform version, capacity and network configuration with a new deployment', async () => {
    const out = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'lab-prod',
        service: 'storefront',
        platformVersion: 'LATEST',
        desiredCount: 2,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
        networkConfiguration: { awsvpcConfiguration: { subnets, assignPublicIp: 'DISABLED' } },
      }),
    );
    const s = out.service!;
    expect(s.platformVersion).toBe('LATEST');
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments![0]).toMatchObject({ status: 'PRIMARY', runningCount: 2, platformVersion: 'LATEST' });
    expect(s.networkConfiguration?.awsvpcConfiguration?.subnets).toEqual(subnets);
    const tasks = await ecs.send(new ListTasksCommand({ cluster: 'lab-prod', serviceName: 'storefront' }));
    expect(tasks.taskArns).toHaveLength(2);
  });

  it('refuses bad service requests with the real error codes', async () => {
    await expect(ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'ghost', desiredCount: 1 }))).rejects.toMatchObject({ name: 'ServiceNotFoundException' });
    await expect(ecs.send(new DescribeServicesCommand({ cluster: 'ghost', services: ['x'] }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(
      ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: 'nonet', taskDefinition: 'storefront', launchType: 'FARGATE', desiredCount: 1 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Network Configuration') });
    await expect(
      ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: 'ec2-fargate', taskDefinition: 'catalog', launchType: 'FARGATE', desiredCount: 1 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      ecs.send(
        new CreateServiceCommand({
          cluster: 'lab-prod',
          serviceName: 'badsubnet',
          taskDefinition: 'storefront',
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0000'] } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('replaces a stopped service task', async () => {
    const before = await ecs.send(new ListTasksCommand({ cluster: 'lab-prod', serviceName: 'storefront' }));
    const stopped = await ecs.send(new StopTaskCommand({ cluster: 'lab-prod', task: before.taskArns![0]!, reason: 'test' }));
    expect(stopped.task).toMatchObject({ lastStatus: 'STOPPED', stoppedReason: 'test' });
    const after = await ecs.send(new ListTasksCommand({ cluster: 'lab-prod', serviceName: 'storefront' }));
    expect(after.taskArns).toHaveLength(2);
    expect(after.taskArns).not.toContain(before.taskArns![0]);
    const stoppedList = await ecs.send(new ListTasksCommand({ cluster: 'lab-prod', desiredStatus: 'STOPPED' }));
    expect(stoppedList.taskArns).toContain(before.taskArns![0]);
    await expect(ecs.send(new StopTaskCommand({ cluster: 'lab-prod', task: 'nope' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('runs a standalone EC2 task', async () => {
    const out = await ecs.send(new RunTaskCommand({ cluster: 'lab-prod', taskDefinition: 'catalog', count: 2 }));
    expect(out.tasks).toHaveLength(2);
    expect(out.tasks![0]).toMatchObject({ launchType: 'EC2', group: 'family:catalog' });
    await expect(ecs.send(new RunTaskCommand({ cluster: 'lab-prod', taskDefinition: 'nope' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('describes services with tags and lists them', async () => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'lab-prod', services: ['storefront', 'ghost'], include: ['TAGS'] }));
    expect(out.services![0]!.tags).toEqual([{ key: 'environment', value: 'prod' }]);
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:service/lab-prod/ghost', reason: 'MISSING' }]);
    const list = await ecs.send(new ListServicesCommand({ cluster: 'lab-prod' }));
    expect(list.serviceArns).toEqual(['arn:aws:ecs:us-east-1:000000000000:service/lab-prod/storefront']);
  });

  it('deletes a service only when scaled to zero or forced', async () => {
    await expect(ecs.send(new DeleteServiceCommand({ cluster: 'lab-prod', service: 'storefront' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const out = await ecs.send(new DeleteServiceCommand({ cluster: 'lab-prod', service: 'storefront', force: true }));
    expect(out.service?.status).toBe('DRAINING');
    const described = await ecs.send(new DescribeServicesCommand({ cluster: 'lab-prod', services: ['storefront'] }));
    expect(described.services![0]!.status).toBe('INACTIVE');
    const tasks = await ecs.send(new ListTasksCommand({ cluster: 'lab-prod', serviceName: 'storefront' }));
    expect(tasks.taskArns).toEqual([]);
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(enis.NetworkInterfaces).toEqual([]);
    await expect(ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'storefront', desiredCount: 1 }))).rejects.toMatchObject({
      name: 'ServiceNotActiveException',
    });
  });
});
