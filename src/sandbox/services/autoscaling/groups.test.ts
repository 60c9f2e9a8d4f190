import {
  CreateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeTagsCommand,
  SetInstanceProtectionCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import type { AutoScalingGroup, CreateAutoScalingGroupCommandInput } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, DescribeInstancesCommand, DescribeLaunchTemplatesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsgLab } from './test-setup.js';
import { amiOf, containerInstances, describeHosts, groupEc2Instances, startAsgLab } from './test-setup.js';

let lab: AsgLab;

async function group(name: string): Promise<AutoScalingGroup> {
  const out = await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return out.AutoScalingGroups![0]!;
}

function create(name: string, extra: Partial<CreateAutoScalingGroupCommandInput> = {}) {
  return lab.asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '$Latest' },
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: 0,
      VPCZoneIdentifier: lab.subnets,
      ...extra,
    }),
  );
}

beforeAll(async () => {
  lab = await startAsgLab('000000000041');
});
afterAll(async () => {
  await lab.close();
});

describe('CreateAutoScalingGroup', () => {
  it('launches the desired instances into EC2, and into ECS through the user data', async () => {
    await create('lab-ecs-hosts', {
      MinSize: 1,
      DesiredCapacity: 2,
      Tags: [{ Key: 'env', Value: 'lab', PropagateAtLaunch: true }, { Key: 'cost-centre', Value: 'sec' }],
    });
    const g = await group('lab-ecs-hosts');
    expect(g).toMatchObject({
      AutoScalingGroupName: 'lab-ecs-hosts',
      LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '$Latest' },
      MinSize: 1,
      MaxSize: 4,
      DesiredCapacity: 2,
      HealthCheckType: 'EC2',
      NewInstancesProtectedFromScaleIn: false,
    });
    expect(g.AutoScalingGroupARN).toMatch(/^arn:aws:autoscaling:us-east-1:000000000041:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/lab-ecs-hosts$/);
    expect(g.Instances).toHaveLength(2);
    expect(new Set(g.Instances!.map((i) => i.AvailabilityZone)).size).toBe(2);
    expect(g.Instances!.every((i) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy' && i.LaunchTemplate?.Version === '1')).toBe(true);
    expect(g.Tags).toContainEqual({ ResourceId: 'lab-ecs-hosts', ResourceType: 'auto-scaling-group', Key: 'env', Value: 'lab', PropagateAtLaunch: true });

    const ec2Instances = await groupEc2Instances(lab, 'lab-ecs-hosts');
    expect(ec2Instances.map((i) => i.InstanceId).sort()).toEqual(g.Instances!.map((i) => i.InstanceId).sort());
    expect(ec2Instances.every((i) => i.ImageId === lab.oldAmi)).toBe(true);
    const tags = ec2Instances[0]!.Tags!.map((t) => t.Key);
    expect(tags).toContain('env');
    expect(tags).not.toContain('cost-centre');

    const hosts = await containerInstances(lab);
    expect(hosts.map((c) => c.ec2InstanceId).sort()).toEqual(g.Instances!.map((i) => i.InstanceId).sort());
    expect(hosts.every((c) => amiOf(c) === lab.oldAmi)).toBe(true);
  });

  it('takes the template by id with $Default, or Availability Zones instead of subnets', async () => {
    const lt = (await lab.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['lab-ecs-hosts'] }))).LaunchTemplates![0]!;
    await create('by-id', { LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId }, VPCZoneIdentifier: undefined, AvailabilityZones: ['us-east-1a'], DesiredCapacity: 1 });
    const g = await group('by-id');
    expect(g.LaunchTemplate).toEqual({ LaunchTemplateId: lt.LaunchTemplateId, LaunchTemplateName: 'lab-ecs-hosts', Version: '$Default' });
    expect(g.AvailabilityZones).toEqual(['us-east-1a']);
    expect(g.VPCZoneIdentifier).toMatch(/^subnet-/);
    expect(g.Instances?.[0]?.AvailabilityZone).toBe('us-east-1a');
  });

  it('rejects what AWS rejects', async () => {
    await expect(create('lab-ecs-hosts')).rejects.toMatchObject({ name: 'AlreadyExistsFault', Code: 'AlreadyExists' });
    const invalid: Partial<CreateAutoScalingGroupCommandInput>[] = [
      { MinSize: 1, MaxSize: 2, DesiredCapacity: 3 },
      { MinSize: 3, MaxSize: 2, DesiredCapacity: 3 },
      { LaunchTemplate: { LaunchTemplateName: 'no-such-template' } },
      { LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '9' } },
      { LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', LaunchTemplateId: 'lt-0123' } },
      { LaunchTemplate: undefined },
      { LaunchTemplate: undefined, LaunchConfigurationName: 'old-style' },
      { VPCZoneIdentifier: 'subnet-00000000000000000' },
      { VPCZoneIdentifier: undefined },
    ];
    for (const extra of invalid) await expect(create('bad-group', extra)).rejects.toMatchObject({ name: 'ValidationError' });
    expect((await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['bad-group'] }))).AutoScalingGroups).toEqual([]);
  });
});

describe('names that are Object.prototype members', () => {
  it('are plain group names', async () => {
    await expect(lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'constructor', DesiredCapacity: 0 }))).rejects.toMatchObject({ name: 'ValidationError' });
    await create('__proto__');
    expect((await group('__proto__')).AutoScalingGroupName).toBe('__proto__');
    await lab.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: '__proto__' }));
    expect((await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['__proto__', 'constructor'] }))).AutoScalingGroups).toEqual([]);
    await expect(lab.asg.send(new DescribeTagsCommand({ Filters: [{ Name: 'constructor', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('UpdateAutoScalingGroup and instance protection', () => {
  it('scales out and in, moving the capacity with MinSize', async () => {
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts', DesiredCapacity: 3 }));
    expect((await group('lab-ecs-hosts')).Instances).toHaveLength(3);
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts', MinSize: 4 }));
    expect(await group('lab-ecs-hosts')).toMatchObject({ MinSize: 4, DesiredCapacity: 4 });
    const before = (await group('lab-ecs-hosts')).Instances!.map((i) => i.InstanceId!);
    const hosts = (await containerInstances(lab)).map((c) => c.containerInstanceArn!);
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts', MinSize: 1, DesiredCapacity: 1 }));
    const after = (await group('lab-ecs-hosts')).Instances!.map((i) => i.InstanceId!);
    expect(after).toHaveLength(1);
    const gone = before.filter((id) => !after.includes(id));
    const described = await lab.ec2.send(new DescribeInstancesCommand({ InstanceIds: gone }));
    expect(described.Reservations!.flatMap((r) => r.Instances!).every((i) => i.State?.Name === 'terminated')).toBe(true);
    const inactive = (await describeHosts(lab, hosts)).filter((c) => c.status === 'INACTIVE').map((c) => c.ec2InstanceId);
    expect(inactive.sort()).toEqual([...gone].sort());
  });

  it('launches new instances from the template version the group now uses', async () => {
    await lab.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'lab-ecs-hosts', SourceVersion: '1', LaunchTemplateData: { InstanceType: 'c5.xlarge' } }));
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts', DesiredCapacity: 2 }));
    const versions = (await group('lab-ecs-hosts')).Instances!.map((i) => `${i.LaunchTemplate?.Version}:${i.InstanceType}`).sort();
    expect(versions).toEqual(['1:c5.large', '2:c5.xlarge']);
  });

  it('keeps protected instances on scale-in until their protection is removed', async () => {
    const ids = (await group('lab-ecs-hosts')).Instances!.map((i) => i.InstanceId!);
    await lab.asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'lab-ecs-hosts', InstanceIds: ids, ProtectedFromScaleIn: true }));
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts', MinSize: 0, DesiredCapacity: 1 }));
    expect((await group('lab-ecs-hosts')).Instances!.map((i) => i.ProtectedFromScaleIn)).toEqual([true, true]);
    await lab.asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'lab-ecs-hosts', InstanceIds: [ids[0]!], ProtectedFromScaleIn: false }));
    expect((await group('lab-ecs-hosts')).Instances!.map((i) => i.InstanceId)).toEqual([ids[1]]);
    const details = await lab.asg.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [ids[1]!] }));
    expect(details.AutoScalingInstances).toEqual([expect.objectContaining({ InstanceId: ids[1], AutoScalingGroupName: 'lab-ecs-hosts', ProtectedFromScaleIn: true })]);
    await expect(
      lab.asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'lab-ecs-hosts', InstanceIds: ['i-00000000000000000'], ProtectedFromScaleIn: true })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('rejects invalid updates', async () => {
    await expect(lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts', DesiredCapacity: 9 }))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'ghost', DesiredCapacity: 1 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'AutoScalingGroup name not found - AutoScalingGroup ghost not found',
    });
  });
});

describe('DescribeAutoScalingGroups and tags', () => {
  it('pages with MaxRecords and NextToken and filters by tag', async () => {
    await create('lab-empty-a', { Tags: [{ Key: 'tier', Value: 'batch' }] });
    await create('lab-empty-b', { Tags: [{ Key: 'tier', Value: 'web' }] });
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await lab.asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 1, NextToken: token }));
      expect(page.AutoScalingGroups!.length).toBeLessThanOrEqual(1);
      names.push(...page.AutoScalingGroups!.map((g) => g.AutoScalingGroupName!));
      token = page.NextToken;
    } while (token);
    expect(names).toEqual(['by-id', 'lab-ecs-hosts', 'lab-empty-a', 'lab-empty-b']);
    const tagged = await lab.asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:tier', Values: ['web'] }] }));
    expect(tagged.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual(['lab-empty-b']);
    const byKey = await lab.asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag-key', Values: ['tier'] }] }));
    expect(byKey.AutoScalingGroups).toHaveLength(2);
    await expect(lab.asg.send(new DescribeAutoScalingGroupsCommand({ NextToken: 'bogus' }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
    await expect(lab.asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 }))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('creates, updates, describes and deletes tags', async () => {
    await lab.asg.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          { ResourceId: 'lab-empty-a', ResourceType: 'auto-scaling-group', Key: 'tier', Value: 'jobs', PropagateAtLaunch: true },
          { ResourceId: 'lab-empty-a', ResourceType: 'auto-scaling-group', Key: 'owner', Value: 'platform' },
        ],
      }),
    );
    const described = await lab.asg.send(new DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: ['lab-empty-a'] }] }));
    expect(described.Tags).toEqual([
      { ResourceId: 'lab-empty-a', ResourceType: 'auto-scaling-group', Key: 'tier', Value: 'jobs', PropagateAtLaunch: true },
      { ResourceId: 'lab-empty-a', ResourceType: 'auto-scaling-group', Key: 'owner', Value: 'platform', PropagateAtLaunch: false },
    ]);
    const propagated = await lab.asg.send(new DescribeTagsCommand({ Filters: [{ Name: 'propagate-at-launch', Values: ['true'] }, { Name: 'key', Values: ['tier'] }] }));
    expect(propagated.Tags!.map((t) => t.ResourceId)).toEqual(['lab-empty-a']);
    await lab.asg.send(new DeleteTagsCommand({ Tags: [{ ResourceId: 'lab-empty-a', ResourceType: 'auto-scaling-group', Key: 'owner' }] }));
    expect((await group('lab-empty-a')).Tags!.map((t) => t.Key)).toEqual(['tier']);
    await expect(lab.asg.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: 'ghost', ResourceType: 'auto-scaling-group', Key: 'k', Value: 'v' }] }))).rejects.toMatchObject({
      name: 'ValidationError',
    });
    const many = Array.from({ length: 50 }, (_, i) => ({ ResourceId: 'lab-empty-b', ResourceType: 'auto-scaling-group', Key: `k${i}`, Value: 'v' }));
    await expect(lab.asg.send(new CreateOrUpdateTagsCommand({ Tags: many }))).rejects.toMatchObject({ name: 'LimitExceededFault' });
  });
});

describe('DeleteAutoScalingGroup', () => {
  it('refuses while instances remain, and ForceDelete terminates them', async () => {
    await expect(lab.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts' }))).rejects.toMatchObject({
      name: 'ResourceInUseFault',
      Code: 'ResourceInUse',
    });
    const ids = (await group('lab-ecs-hosts')).Instances!.map((i) => i.InstanceId!);
    const hosts = (await containerInstances(lab)).filter((c) => ids.includes(c.ec2InstanceId!)).map((c) => c.containerInstanceArn!);
    expect(hosts).toHaveLength(ids.length);
    await lab.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-ecs-hosts', ForceDelete: true }));
    expect((await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['lab-ecs-hosts'] }))).AutoScalingGroups).toEqual([]);
    expect(await groupEc2Instances(lab, 'lab-ecs-hosts')).toEqual([]);
    expect((await describeHosts(lab, hosts)).map((c) => c.status)).toEqual(ids.map(() => 'INACTIVE'));
    await lab.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-empty-a' }));
    await expect(lab.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'lab-empty-a' }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
