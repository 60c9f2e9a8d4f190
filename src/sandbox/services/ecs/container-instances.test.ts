import { CreateSubnetCommand, CreateVpcCommand, DescribeNetworkInterfacesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { Task } from '@aws-sdk/client-ecs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteAttributesCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListAttributesCommand,
  ListContainerInstancesCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  PutAttributesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ecs: ECSClient;
let ec2: EC2Client;
/** Two hosts of cluster `hosts`: a c5.large in us-east-1a and a c5.xlarge in us-east-1b. */
let hostA: string;
let hostB: string;

async function register(instanceId: string, instanceType: string, availabilityZone: string): Promise<string> {
  const doc = JSON.stringify({ instanceId, imageId: 'ami-0abc', instanceType, availabilityZone });
  const out = await ecs.send(new RegisterContainerInstanceCommand({ cluster: 'hosts', instanceIdentityDocument: doc }));
  return out.containerInstance!.containerInstanceArn!;
}

async function listed(filter: string): Promise<string[]> {
  const out = await ecs.send(new ListContainerInstancesCommand({ cluster: 'hosts', filter }));
  return out.containerInstanceArns ?? [];
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ecs = new ECSClient(clientConfig(sandbox.url));
  ec2 = new EC2Client(clientConfig(sandbox.url));
  await ecs.send(new CreateClusterCommand({ clusterName: 'hosts' }));
  hostA = await register('i-0aaaaaaaaaaaaaaaa', 'c5.large', 'us-east-1a');
  hostB = await register('i-0bbbbbbbbbbbbbbbb', 'c5.xlarge', 'us-east-1b');
});
afterAll(async () => {
  ecs.destroy();
  ec2.destroy();
  await sandbox.close();
});

describe('ECS container instance attributes', () => {
  it('puts custom attributes by ARN or by id with targetType, lists, filters and deletes them', async () => {
    const idB = hostB.split('/').pop()!;
    const put = await ecs.send(
      new PutAttributesCommand({
        cluster: 'hosts',
        attributes: [
          { name: 'stack', value: 'prod', targetId: hostA },
          { name: 'stack', value: 'dev', targetId: idB, targetType: 'container-instance' },
          { name: 'gpu-ready', targetId: hostB },
        ],
      }),
    );
    expect(put.attributes).toEqual([
      { name: 'stack', value: 'prod', targetType: 'container-instance', targetId: hostA },
      { name: 'stack', value: 'dev', targetType: 'container-instance', targetId: hostB },
      { name: 'gpu-ready', targetType: 'container-instance', targetId: hostB },
    ]);
    const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'hosts', containerInstances: [hostA] }));
    expect(described.containerInstances![0]!.attributes).toContainEqual({ name: 'stack', value: 'prod' });

    const stacks = await ecs.send(new ListAttributesCommand({ cluster: 'hosts', targetType: 'container-instance', attributeName: 'stack' }));
    expect(stacks.attributes?.map((a) => [a.targetId, a.value]).sort()).toEqual([[hostA, 'prod'], [hostB, 'dev']].sort());
    const prod = await ecs.send(new ListAttributesCommand({ cluster: 'hosts', targetType: 'container-instance', attributeName: 'stack', attributeValue: 'prod' }));
    expect(prod.attributes?.map((a) => a.targetId)).toEqual([hostA]);
    // Without a name, the agent's attributes are listed too; pages follow nextToken.
    const first = await ecs.send(new ListAttributesCommand({ cluster: 'hosts', targetType: 'container-instance', maxResults: 5 }));
    expect(first.attributes).toHaveLength(5);
    const second = await ecs.send(new ListAttributesCommand({ cluster: 'hosts', targetType: 'container-instance', nextToken: first.nextToken }));
    const all = [...first.attributes!, ...second.attributes!];
    expect(all.filter((a) => a.name === 'ecs.ami-id')).toHaveLength(2);

    // Setting a name again replaces its value.
    await ecs.send(new PutAttributesCommand({ cluster: 'hosts', attributes: [{ name: 'stack', value: 'staging', targetId: hostB }] }));
    const replaced = await ecs.send(new ListAttributesCommand({ cluster: 'hosts', targetType: 'container-instance', attributeName: 'stack', attributeValue: 'staging' }));
    expect(replaced.attributes?.map((a) => a.targetId)).toEqual([hostB]);

    const deleted = await ecs.send(new DeleteAttributesCommand({ cluster: 'hosts', attributes: [{ name: 'gpu-ready', targetId: hostB }] }));
    expect(deleted.attributes).toEqual([{ name: 'gpu-ready', targetType: 'container-instance', targetId: hostB }]);
    const gone = await ecs.send(new ListAttributesCommand({ cluster: 'hosts', targetType: 'container-instance', attributeName: 'gpu-ready' }));
    expect(gone.attributes).toEqual([]);
  });

  it('rejects unknown targets, ids without targetType, bad names and an eleventh custom attribute, changing nothing', async () => {
    const missing = 'arn:aws:ecs:us-east-1:000000000000:container-instance/hosts/00000000000000000000000000000000';
    await expect(ecs.send(new PutAttributesCommand({ cluster: 'hosts', attributes: [{ name: 'x', value: 'y', targetId: missing }] }))).rejects.toMatchObject({
      name: 'TargetNotFoundException',
    });
    await expect(ecs.send(new PutAttributesCommand({ cluster: 'hosts', attributes: [{ name: 'x', value: 'y', targetId: hostA.split('/').pop()! }] }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ecs.send(new PutAttributesCommand({ cluster: 'hosts', attributes: [{ name: 'bad name', value: 'y', targetId: hostA }] }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ecs.send(new PutAttributesCommand({ cluster: 'hosts', attributes: [{ name: 'x', value: ' padded', targetId: hostA }] }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ecs.send(new ListAttributesCommand({ cluster: 'hosts', targetType: 'container-instance', attributeValue: 'prod' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ecs.send(new ListAttributesCommand({ cluster: 'ghost', targetType: 'container-instance' }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });

    // hostA holds one custom attribute (stack); ten more in two calls: the second call fails whole.
    const batch = (from: number) => Array.from({ length: 5 }, (_, i) => ({ name: `label-${from + i}`, value: 'v', targetId: hostA }));
    await ecs.send(new PutAttributesCommand({ cluster: 'hosts', attributes: batch(0) }));
    await expect(ecs.send(new PutAttributesCommand({ cluster: 'hosts', attributes: batch(5) }))).rejects.toMatchObject({ name: 'AttributeLimitExceededException' });
    const labels = await ecs.send(new ListAttributesCommand({ cluster: 'hosts', targetType: 'container-instance', attributeName: 'label-5' }));
    expect(labels.attributes).toEqual([]);
    await ecs.send(new DeleteAttributesCommand({ cluster: 'hosts', attributes: batch(0).map(({ name, targetId }) => ({ name, targetId })) }));
  });
});

describe('ECS ListContainerInstances --filter (cluster query language)', () => {
  it('selects by attribute, instance id, wildcard, list and boolean combinations', async () => {
    expect(await listed('attribute:ecs.availability-zone == us-east-1b')).toEqual([hostB]);
    expect(await listed('attribute:ecs.availability-zone != us-east-1b')).toEqual([hostA]);
    expect(await listed('attribute:ecs.instance-type =~ c5.*')).toEqual([hostA, hostB].sort());
    expect(await listed('attribute:ecs.instance-type in [c5.xlarge, m5.large]')).toEqual([hostB]);
    expect(await listed('ec2InstanceId == i-0aaaaaaaaaaaaaaaa')).toEqual([hostA]);
    expect(await listed('attribute:stack exists')).toEqual([hostA, hostB].sort());
    expect(await listed('attribute:stack == prod and attribute:ecs.availability-zone == us-east-1a')).toEqual([hostA]);
    expect(await listed('attribute:stack == prod && attribute:ecs.availability-zone == us-east-1b')).toEqual([]);
    expect(await listed('attribute:stack == prod or attribute:stack == staging')).toEqual([hostA, hostB].sort());
    expect(await listed('not (attribute:stack == prod)')).toEqual([hostB]);
    expect(await listed('attribute:missing !exists')).toEqual([hostA, hostB].sort());
    expect(await listed('runningTasksCount == 0')).toEqual([hostA, hostB].sort());
  });

  it('answers a malformed expression with InvalidParameterException', async () => {
    for (const filter of ['garbage ===', 'attribute:stack', 'attribute:stack == prod and', '(attribute:stack == prod', 'nosuchsubject == 1', 'attribute:stack in []']) {
      await expect(ecs.send(new ListContainerInstancesCommand({ cluster: 'hosts', filter })), filter).rejects.toMatchObject({ name: 'InvalidParameterException' });
    }
  });
});

describe('ECS clusters and account settings', () => {
  it('turns Container Insights on for new clusters when the account setting says so, unless the cluster says otherwise', async () => {
    const insights = async (name: string) =>
      (await ecs.send(new DescribeClustersCommand({ clusters: [name], include: ['SETTINGS'] }))).clusters![0]!.settings?.find((s) => s.name === 'containerInsights')?.value;
    await ecs.send(new CreateClusterCommand({ clusterName: 'before' }));
    expect(await insights('before')).toBe('disabled');
    await ecs.send(new PutAccountSettingDefaultCommand({ name: 'containerInsights', value: 'enabled' }));
    await ecs.send(new CreateClusterCommand({ clusterName: 'after' }));
    expect(await insights('after')).toBe('enabled');
    expect(await insights('before')).toBe('disabled');
    await ecs.send(new CreateClusterCommand({ clusterName: 'opted-out', settings: [{ name: 'containerInsights', value: 'disabled' }] }));
    expect(await insights('opted-out')).toBe('disabled');
    // The caller's own setting wins over the account default.
    await ecs.send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'enhanced' }));
    await ecs.send(new CreateClusterCommand({ clusterName: 'enhanced' }));
    expect(await insights('enhanced')).toBe('enhanced');
  });

  it('counts tasks and services by launch type with --include STATISTICS', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'stats' }));
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'stats-app', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
    await ecs.send(
      new CreateServiceCommand({ cluster: 'stats', serviceName: 'web', taskDefinition: td.taskDefinition!.taskDefinitionArn, desiredCount: 2, launchType: 'EC2' }),
    );
    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ['stats'] }));
    expect(plain.clusters![0]!.statistics).toEqual([]);
    const out = await ecs.send(new DescribeClustersCommand({ clusters: ['stats'], include: ['STATISTICS'] }));
    const stats = Object.fromEntries(out.clusters![0]!.statistics!.map((s) => [s.name, s.value]));
    expect(stats).toEqual({
      runningEC2TasksCount: '2',
      pendingEC2TasksCount: '0',
      activeEC2ServiceCount: '1',
      drainingEC2ServiceCount: '0',
      runningFargateTasksCount: '0',
      pendingFargateTasksCount: '0',
      activeFargateServiceCount: '0',
      drainingFargateServiceCount: '0',
    });
  });
});

describe('ECS resources, port bindings and task ENIs', () => {
  it('registers a host sized by its instance type and reserves what its running tasks use', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'ports' }));
    const doc = JSON.stringify({ instanceId: 'i-0cccccccccccccccc', imageId: 'ami-0abc', instanceType: 'c5.xlarge', availabilityZone: 'us-east-1a' });
    const host = (await ecs.send(new RegisterContainerInstanceCommand({ cluster: 'ports', instanceIdentityDocument: doc }))).containerInstance!;
    const registered = Object.fromEntries(host.registeredResources!.map((r) => [r.name, r.integerValue ?? r.stringSetValue]));
    expect(registered).toEqual({ CPU: 4096, MEMORY: Math.floor(8192 * 0.93), PORTS: ['22', '2375', '2376', '51678', '51679'], PORTS_UDP: [] });

    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'bridge-web',
        containerDefinitions: [{ name: 'web', image: 'nginx', cpu: 256, memory: 512, portMappings: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 9090 }] }],
      }),
    );
    const run = await ecs.send(new RunTaskCommand({ cluster: 'ports', taskDefinition: td.taskDefinition!.taskDefinitionArn, launchType: 'EC2', count: 2 }));
    const bindings = run.tasks!.map((t) => t.containers![0]!.networkBindings);
    expect(bindings[0]).toEqual([
      { bindIP: '0.0.0.0', containerPort: 80, hostPort: 8080, protocol: 'tcp' },
      { bindIP: '0.0.0.0', containerPort: 9090, hostPort: 32768, protocol: 'tcp' },
    ]);
    // The second task's dynamic port is the next free one on the same host.
    expect(bindings[1]![1]).toMatchObject({ containerPort: 9090, hostPort: 32769 });
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'ports', tasks: [run.tasks![0]!.taskArn!] }));
    expect(described.tasks![0]!.containers![0]!.networkBindings).toEqual(bindings[0]);

    const after = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'ports', containerInstances: [host.containerInstanceArn!] }))).containerInstances![0]!;
    const remaining = Object.fromEntries(after.remainingResources!.map((r) => [r.name, r.integerValue ?? r.stringSetValue]));
    expect(remaining.CPU).toBe(4096 - 2 * 256);
    expect(remaining.MEMORY).toBe(Math.floor(8192 * 0.93) - 2 * 512);
    expect(remaining.PORTS).toEqual(expect.arrayContaining(['22', '8080', '32768', '32769']));
    expect(after.runningTasksCount).toBe(2);
  });

  it('lists the agent capabilities a task definition requires', async () => {
    const out = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'needs',
        networkMode: 'awsvpc',
        taskRoleArn: 'arn:aws:iam::000000000000:role/app',
        executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
        containerDefinitions: [
          {
            name: 'app',
            image: '000000000000.dkr.ecr.us-east-1.amazonaws.com/app:1',
            memory: 256,
            secrets: [
              { name: 'DB', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db' },
              { name: 'FLAG', valueFrom: 'arn:aws:ssm:us-east-1:000000000000:parameter/flag' },
            ],
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1' } },
          },
        ],
      }),
    );
    expect(out.taskDefinition!.requiresAttributes!.map((a) => a.name).sort()).toEqual(
      [
        'com.amazonaws.ecs.capability.docker-remote-api.1.19',
        'com.amazonaws.ecs.capability.ecr-auth',
        'com.amazonaws.ecs.capability.logging-driver.awslogs',
        'com.amazonaws.ecs.capability.task-iam-role',
        'ecs.capability.execution-role-awslogs',
        'ecs.capability.execution-role-ecr-pull',
        'ecs.capability.secrets.asm.environment-variables',
        'ecs.capability.secrets.ssm.environment-variables',
        'ecs.capability.task-eni',
      ].sort(),
    );
    const plain = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'plain', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
    expect(plain.taskDefinition!.requiresAttributes).toEqual([]);
  });

  it('attaches a Fargate task ENI and gives it a public IP when assignPublicIp is ENABLED', async () => {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.8.1.0/24', AvailabilityZone: 'us-east-1a' }));
    await ecs.send(new CreateClusterCommand({ clusterName: 'fargate' }));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'fg', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx' }] }),
    );
    const launch = (assignPublicIp: 'ENABLED' | 'DISABLED') =>
      ecs.send(
        new RunTaskCommand({
          cluster: 'fargate',
          taskDefinition: td.taskDefinition!.taskDefinitionArn,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets: [subnet.Subnet!.SubnetId!], assignPublicIp } },
        }),
      );
    const eniOf = async (task: Task) => {
      const id = task.attachments![0]!.details!.find((d) => d.name === 'networkInterfaceId')!.value!;
      return (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }))).NetworkInterfaces![0]!;
    };
    const open = await eniOf((await launch('ENABLED')).tasks![0]!);
    expect(open.Attachment).toMatchObject({ Status: 'attached', DeviceIndex: 1, DeleteOnTermination: false });
    expect(open.Association?.PublicIp).toMatch(/^3\.[0-9]+\.[0-9]+\.[0-9]+$/);
    const byIp = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'association.public-ip', Values: [open.Association!.PublicIp!] }] }));
    expect(byIp.NetworkInterfaces?.map((n) => n.NetworkInterfaceId)).toEqual([open.NetworkInterfaceId]);
    const closed = await eniOf((await launch('DISABLED')).tasks![0]!);
    expect(closed.Attachment?.Status).toBe('attached');
    expect(closed.Association).toBeUndefined();

    // Task ENIs and instances share the subnet's addresses: the lowest free one past AWS's four reserved.
    expect([open.PrivateIpAddress, closed.PrivateIpAddress]).toEqual(['10.8.1.4', '10.8.1.5']);
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', InstanceType: 'c5.large', MinCount: 1, MaxCount: 1, SubnetId: subnet.Subnet!.SubnetId }),
    );
    expect(run.Instances![0]!.PrivateIpAddress).toBe('10.8.1.6');
  });

  it('places no more awsvpc tasks than the subnet has free addresses, and says so', async () => {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    // A /28 holds 16 addresses, 5 of them reserved by AWS: 11 tasks fit.
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.9.0.0/28', AvailabilityZone: 'us-east-1a' }));
    await ecs.send(new CreateClusterCommand({ clusterName: 'small' }));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'small', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx' }] }),
    );
    const network = { awsvpcConfiguration: { subnets: [subnet.Subnet!.SubnetId!] } };
    const created = await ecs.send(
      new CreateServiceCommand({ cluster: 'small', serviceName: 'crowd', taskDefinition: td.taskDefinition!.taskDefinitionArn, desiredCount: 14, launchType: 'FARGATE', networkConfiguration: network }),
    );
    expect(created.service).toMatchObject({ desiredCount: 14, runningCount: 11 });
    expect(created.service!.events!.map((e) => e.message).join('\n')).toContain('no subnet of its network configuration has a free IP address');
    const run = await ecs.send(new RunTaskCommand({ cluster: 'small', taskDefinition: td.taskDefinition!.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: network }));
    expect(run.tasks).toEqual([]);
    expect(run.failures).toEqual([{ reason: 'RESOURCE:ENI', detail: 'No subnet of the network configuration has a free IP address.' }]);
    const addresses = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnet.Subnet!.SubnetId!] }] }))).NetworkInterfaces!.map((n) => n.PrivateIpAddress);
    expect(new Set(addresses).size).toBe(11);
  });
});
