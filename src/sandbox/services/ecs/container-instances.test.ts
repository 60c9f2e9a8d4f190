import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteAttributesCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  ECSClient,
  ListAttributesCommand,
  ListContainerInstancesCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  PutAttributesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ecs: ECSClient;
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
  await ecs.send(new CreateClusterCommand({ clusterName: 'hosts' }));
  hostA = await register('i-0aaaaaaaaaaaaaaaa', 'c5.large', 'us-east-1a');
  hostB = await register('i-0bbbbbbbbbbbbbbbb', 'c5.xlarge', 'us-east-1b');
});
afterAll(async () => {
  ecs.destroy();
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
