import { CreateLaunchTemplateCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  DeleteAccountSettingCommand,
  DeleteCapacityProviderCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  ECSClient,
  ListAccountSettingsCommand,
  ListContainerInstancesCommand,
  ListTagsForResourceCommand,
  PutAccountSettingCommand,
  PutAccountSettingDefaultCommand,
  PutClusterCapacityProvidersCommand,
  RegisterContainerInstanceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateCapacityProviderCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ecs: ECSClient;
let ec2: EC2Client;
const asgArn = 'arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:0e1b5b7d-1111-2222-3333-444455556666:autoScalingGroupName/lab-ecs-hosts';

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ecs = new ECSClient(clientConfig(sandbox.url));
  ec2 = new EC2Client(clientConfig(sandbox.url));
  await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod' }));
});
afterAll(async () => {
  ecs.destroy();
  ec2.destroy();
  await sandbox.close();
});

describe('ECS capacity providers', () => {
  it('creates an ASG provider with termination protection and draining off', async () => {
    const out = await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'lab-ecs-hosts',
        autoScalingGroupProvider: { autoScalingGroupArn: asgArn, managedTerminationProtection: 'DISABLED', managedDraining: 'DISABLED' },
        tags: [{ key: 'ecs-lab:managed', value: 'true' }],
      }),
    );
    expect(out.capacityProvider).toMatchObject({ name: 'lab-ecs-hosts', status: 'ACTIVE' });
    expect(out.capacityProvider?.autoScalingGroupProvider?.managedScaling?.status).toBe('DISABLED');
    await expect(
      ecs.send(new CreateCapacityProviderCommand({ name: 'lab-ecs-hosts', autoScalingGroupProvider: { autoScalingGroupArn: asgArn } })),
    ).rejects.toMatchObject({ name: 'ClientException' });
    await expect(ecs.send(new CreateCapacityProviderCommand({ name: 'fargate-x', autoScalingGroupProvider: { autoScalingGroupArn: 'a' } }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('updates managed scaling, termination protection and draining', async () => {
    await expect(
      ecs.send(new UpdateCapacityProviderCommand({ name: 'lab-ecs-hosts', autoScalingGroupProvider: { managedTerminationProtection: 'ENABLED' } })),
    ).rejects.toMatchObject({ name: 'ClientException' });
    const out = await ecs.send(
      new UpdateCapacityProviderCommand({
        name: 'lab-ecs-hosts',
        autoScalingGroupProvider: { managedScaling: { status: 'ENABLED', targetCapacity: 100 }, managedTerminationProtection: 'ENABLED', managedDraining: 'ENABLED' },
      }),
    );
    expect(out.capacityProvider?.autoScalingGroupProvider).toMatchObject({
      managedTerminationProtection: 'ENABLED',
      managedDraining: 'ENABLED',
      managedScaling: { status: 'ENABLED', targetCapacity: 100 },
    });
  });

  it('describes providers (built-ins included) and refuses to delete one in use', async () => {
    const all = await ecs.send(new DescribeCapacityProvidersCommand({}));
    expect(all.capacityProviders?.map((p) => p.name)).toEqual(['FARGATE', 'FARGATE_SPOT', 'lab-ecs-hosts']);
    const tagged = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['lab-ecs-hosts', 'ghost'], include: ['TAGS'] }));
    expect(tagged.capacityProviders?.[0]?.tags).toEqual([{ key: 'ecs-lab:managed', value: 'true' }]);
    expect(tagged.failures?.[0]?.reason).toBe('MISSING');
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'lab-prod', capacityProviders: ['lab-ecs-hosts'], defaultCapacityProviderStrategy: [] }));
    await expect(ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'lab-ecs-hosts' }))).rejects.toMatchObject({ name: 'ClientException' });
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'lab-prod', capacityProviders: [], defaultCapacityProviderStrategy: [] }));
    const deleted = await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'lab-ecs-hosts' }));
    expect(deleted.capacityProvider?.status).toBe('INACTIVE');
  });
});

describe('ECS container instances', () => {
  it('registers hosts launched with ECS_CLUSTER user data, reporting their AMI', async () => {
    const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-ecs-hvm-2023.0.20240109*'] }] }));
    const oldAmi = images.Images![0]!.ImageId!;
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'lab-ecs-hosts',
        LaunchTemplateData: { ImageId: oldAmi, InstanceType: 'c5.large', UserData: Buffer.from('#!/bin/bash\necho ECS_CLUSTER=lab-prod >> /etc/ecs/ecs.config').toString('base64') },
      }),
    );
    const run = await ec2.send(new RunInstancesCommand({ MinCount: 2, MaxCount: 2, LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts' } }));
    expect(run.Instances).toHaveLength(2);
    const list = await ecs.send(new ListContainerInstancesCommand({ cluster: 'lab-prod' }));
    expect(list.containerInstanceArns).toHaveLength(2);
    const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'lab-prod', containerInstances: list.containerInstanceArns! }));
    const ami = described.containerInstances![0]!.attributes!.find((a) => a.name === 'ecs.ami-id')?.value;
    expect(ami).toBe(oldAmi);
    const cluster = await ecs.send(new DescribeClustersCommand({ clusters: ['lab-prod'] }));
    expect(cluster.clusters![0]!.registeredContainerInstancesCount).toBe(2);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [run.Instances![0]!.InstanceId!] }));
    const after = await ecs.send(new ListContainerInstancesCommand({ cluster: 'lab-prod' }));
    expect(after.containerInstanceArns).toHaveLength(1);
  });

  it('registers through the agent API and drains', async () => {
    const doc = JSON.stringify({ instanceId: 'i-0123456789abcdef0', imageId: 'ami-0abc', instanceType: 'c5.xlarge', availabilityZone: 'us-east-1b' });
    const out = await ecs.send(new RegisterContainerInstanceCommand({ cluster: 'lab-prod', instanceIdentityDocument: doc }));
    expect(out.containerInstance?.attributes).toEqual(expect.arrayContaining([{ name: 'ecs.ami-id', value: 'ami-0abc' }]));
    const drained = await ecs.send(
      new UpdateContainerInstancesStateCommand({ cluster: 'lab-prod', containerInstances: [out.containerInstance!.containerInstanceArn!], status: 'DRAINING' }),
    );
    expect(drained.containerInstances?.[0]?.status).toBe('DRAINING');
    await expect(ecs.send(new DescribeContainerInstancesCommand({ cluster: 'ghost', containerInstances: ['x'] }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
  });
});

describe('ECS account settings', () => {
  it('shows AWS defaults as effective settings', async () => {
    const out = await ecs.send(new ListAccountSettingsCommand({ name: 'fargateTaskRetirementWaitPeriod', effectiveSettings: true }));
    expect(out.settings).toEqual([
      { name: 'fargateTaskRetirementWaitPeriod', value: '7', principalArn: 'arn:aws:iam::000000000000:root', type: 'aws_managed' },
    ]);
  });

  it('puts account defaults and principal settings, and resolves them', async () => {
    await ecs.send(new PutAccountSettingDefaultCommand({ name: 'fargateTaskRetirementWaitPeriod', value: '0' }));
    await ecs.send(new PutAccountSettingDefaultCommand({ name: 'awsvpcTrunking', value: 'disabled' }));
    const role = 'arn:aws:iam::000000000000:role/ecsInstanceRole';
    const put = await ecs.send(new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled', principalArn: role }));
    expect(put.setting).toMatchObject({ principalArn: role, value: 'enabled' });
    const forRole = await ecs.send(new ListAccountSettingsCommand({ name: 'awsvpcTrunking', principalArn: role, effectiveSettings: true }));
    expect(forRole.settings?.[0]?.value).toBe('enabled');
    const root = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true }));
    expect(root.settings?.find((s) => s.name === 'fargateTaskRetirementWaitPeriod')?.value).toBe('0');
    expect(root.settings?.find((s) => s.name === 'awsvpcTrunking')?.value).toBe('disabled');
    const deleted = await ecs.send(new DeleteAccountSettingCommand({ name: 'awsvpcTrunking', principalArn: role }));
    expect(deleted.setting?.value).toBe('enabled');
  });

  it('rejects invalid names and values', async () => {
    await expect(ecs.send(new PutAccountSettingDefaultCommand({ name: 'fargateTaskRetirementWaitPeriod', value: '3' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ecs.send(new PutAccountSettingCommand({ name: 'nope' as never, value: 'enabled' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      ecs.send(new PutAccountSettingCommand({ name: 'fargateTaskRetirementWaitPeriod', value: '7', principalArn: 'arn:aws:iam::000000000000:role/x' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('ECS tagging', () => {
  const arn = 'arn:aws:ecs:us-east-1:000000000000:cluster/lab-prod';
  it('tags, lists and untags a cluster', async () => {
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'environment', value: 'prod' }, { key: 'team', value: 'a' }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    const out = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(out.tags).toEqual([{ key: 'environment', value: 'prod' }]);
  });

  it('rejects reserved keys and unknown resources', async () => {
    await expect(ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'aws:x', value: 'y' }] }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ecs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/ghost' }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
    await expect(ecs.send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
