import {
  CancelInstanceRefreshCommand,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  SetInstanceProtectionCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import type { AutoScalingGroup, InstanceRefresh, StartInstanceRefreshCommandInput } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, DescribeInstancesCommand, DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsgLab } from './test-setup.js';
import { amiOf, containerInstances, describeHosts, groupEc2Instances, startAsgLab } from './test-setup.js';

let lab: AsgLab;
let recommendedAmi: string;

async function group(name = 'lab-ecs-hosts'): Promise<AutoScalingGroup> {
  return (await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!;
}

async function refreshes(name = 'lab-ecs-hosts'): Promise<InstanceRefresh[]> {
  return (await lab.asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name }))).InstanceRefreshes!;
}

function start(input: Partial<StartInstanceRefreshCommandInput> = {}, name = 'lab-ecs-hosts') {
  return lab.asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: name, ...input }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  lab = await startAsgLab('000000000042');
  await lab.asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'lab-ecs-hosts',
      LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '$Latest' },
      MinSize: 1,
      MaxSize: 4,
      DesiredCapacity: 2,
      VPCZoneIdentifier: lab.subnets,
    }),
  );
});
afterAll(async () => {
  await lab.close();
});

describe('instance refresh after a launch template change (the patching lab)', () => {
  it('replaces every instance from the current version and reaches Successful', async () => {
    const old = (await group()).Instances!.map((i) => i.InstanceId!);
    const oldHosts = (await containerInstances(lab)).map((c) => c.containerInstanceArn!);
    expect(oldHosts).toHaveLength(2);
    await lab.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateName: 'lab-ecs-hosts',
        SourceVersion: '1',
        LaunchTemplateData: { ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' },
      }),
    );
    const resolved = await lab.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'lab-ecs-hosts', Versions: ['2'], ResolveAlias: true }));
    recommendedAmi = resolved.LaunchTemplateVersions![0]!.LaunchTemplateData!.ImageId!;
    expect(recommendedAmi).not.toBe(lab.oldAmi);

    const { InstanceRefreshId } = await start();
    const [refresh] = await refreshes();
    expect(refresh).toMatchObject({
      InstanceRefreshId,
      AutoScalingGroupName: 'lab-ecs-hosts',
      Status: 'Successful',
      PercentageComplete: 100,
      InstancesToUpdate: 0,
      Strategy: 'Rolling',
      Preferences: { MinHealthyPercentage: 90, SkipMatching: false, ScaleInProtectedInstances: 'Wait' },
    });
    expect(refresh!.EndTime).toBeInstanceOf(Date);

    const now = (await group()).Instances!;
    expect(now).toHaveLength(2);
    expect(now.some((i) => old.includes(i.InstanceId!))).toBe(false);
    expect(now.every((i) => i.LaunchTemplate?.Version === '2' && i.ImageId === recommendedAmi)).toBe(true);
    const terminated = await lab.ec2.send(new DescribeInstancesCommand({ InstanceIds: old }));
    expect(terminated.Reservations!.flatMap((r) => r.Instances!).map((i) => i.State?.Name)).toEqual(['terminated', 'terminated']);
    expect((await groupEc2Instances(lab, 'lab-ecs-hosts')).every((i) => i.ImageId === recommendedAmi)).toBe(true);

    const active = await containerInstances(lab);
    expect(active.map((c) => c.ec2InstanceId).sort()).toEqual(now.map((i) => i.InstanceId).sort());
    expect(active.every((c) => amiOf(c) === recommendedAmi)).toBe(true);
    const deregistered = await describeHosts(lab, oldHosts);
    expect(deregistered.map((c) => c.status)).toEqual(['INACTIVE', 'INACTIVE']);
    expect(deregistered.map((c) => c.ec2InstanceId).sort()).toEqual([...old].sort());
  });

  it('progresses deterministically in batches of InstanceWarmup seconds', async () => {
    await start({ Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 1 } });
    const [first] = await refreshes();
    expect(first).toMatchObject({ Status: 'InProgress', PercentageComplete: 0, InstancesToUpdate: 2, ProgressDetails: { LivePoolProgress: { PercentageComplete: 0, InstancesToUpdate: 2 } } });
    await expect(start()).rejects.toMatchObject({ name: 'InstanceRefreshInProgressFault', Code: 'InstanceRefreshInProgress' });
    await sleep(1300);
    expect((await refreshes())[0]).toMatchObject({ Status: 'InProgress', PercentageComplete: 50, InstancesToUpdate: 1 });
    await sleep(1000);
    const [done] = await refreshes();
    expect(done).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
    expect(done!.EndTime!.getTime() - done!.StartTime!.getTime()).toBe(2000);
  });

  it('cancels an active refresh, and only an active one', async () => {
    const { InstanceRefreshId } = await start({ Preferences: { InstanceWarmup: 5 } });
    expect((await lab.asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'lab-ecs-hosts' }))).InstanceRefreshId).toBe(InstanceRefreshId);
    const [cancelled] = await refreshes();
    expect(cancelled).toMatchObject({ InstanceRefreshId, Status: 'Cancelled' });
    await expect(lab.asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'lab-ecs-hosts' }))).rejects.toMatchObject({
      name: 'ActiveInstanceRefreshNotFoundFault',
      Code: 'ActiveInstanceRefreshNotFound',
    });
    const only = await lab.asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'lab-ecs-hosts', InstanceRefreshIds: [InstanceRefreshId!] }));
    expect(only.InstanceRefreshes!.map((r) => r.Status)).toEqual(['Cancelled']);
    expect((await refreshes()).map((r) => r.Status)).toEqual(['Cancelled', 'Successful', 'Successful']);
  });

  it('skips matching instances and applies a desired configuration', async () => {
    const before = (await group()).Instances!.map((i) => i.InstanceId).sort();
    await start({ Preferences: { SkipMatching: true } });
    expect((await refreshes())[0]).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    expect((await group()).Instances!.map((i) => i.InstanceId).sort()).toEqual(before);

    await lab.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'lab-ecs-hosts', SourceVersion: '2', LaunchTemplateData: { InstanceType: 'c5.xlarge' } }));
    await start({ DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '3' } } });
    const g = await group();
    expect(g.LaunchTemplate?.Version).toBe('3');
    expect(g.Instances!.every((i) => i.LaunchTemplate?.Version === '3' && i.InstanceType === 'c5.xlarge')).toBe(true);
  });
});

describe('instance refresh and scale-in protection', () => {
  beforeAll(async () => {
    await lab.asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'lab-protected',
        LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '$Latest' },
        MinSize: 2,
        MaxSize: 2,
        VPCZoneIdentifier: lab.subnets,
        NewInstancesProtectedFromScaleIn: true,
      }),
    );
  });

  it('waits (the default) until protection is removed, replacing each instance when it is', async () => {
    const [a, b] = (await group('lab-protected')).Instances!.map((i) => i.InstanceId!);
    await start({}, 'lab-protected');
    const [waiting] = await refreshes('lab-protected');
    expect(waiting).toMatchObject({ Status: 'InProgress', PercentageComplete: 0, InstancesToUpdate: 2 });
    expect(waiting!.StatusReason).toMatch(/protected from scale in/);
    await lab.asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'lab-protected', InstanceIds: [a!], ProtectedFromScaleIn: false }));
    expect((await refreshes('lab-protected'))[0]).toMatchObject({ Status: 'InProgress', PercentageComplete: 50 });
    await lab.asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'lab-protected', InstanceIds: [b!], ProtectedFromScaleIn: false }));
    expect((await refreshes('lab-protected'))[0]).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    const ids = (await group('lab-protected')).Instances!.map((i) => i.InstanceId);
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(a);
    expect(ids).not.toContain(b);
  });

  it('ignores or refreshes protected instances when asked', async () => {
    const before = (await group('lab-protected')).Instances!.map((i) => i.InstanceId).sort();
    await start({ Preferences: { ScaleInProtectedInstances: 'Ignore' } }, 'lab-protected');
    expect((await refreshes('lab-protected'))[0]).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
    expect((await group('lab-protected')).Instances!.map((i) => i.InstanceId).sort()).toEqual(before);
    await start({ Preferences: { ScaleInProtectedInstances: 'Refresh' } }, 'lab-protected');
    expect((await refreshes('lab-protected'))[0]).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    const after = (await group('lab-protected')).Instances!;
    expect(after.some((i) => before.includes(i.InstanceId))).toBe(false);
    expect(after.every((i) => i.ProtectedFromScaleIn)).toBe(true);
  });
});

describe('instance refresh errors', () => {
  it('rejects invalid requests with ValidationError', async () => {
    const bad: Partial<StartInstanceRefreshCommandInput>[] = [
      { Preferences: { MinHealthyPercentage: 120 } },
      { Preferences: { MinHealthyPercentage: 50, MaxHealthyPercentage: 210 } },
      { Preferences: { ScaleInProtectedInstances: 'Sometimes' as never } },
      { Strategy: 'ReplaceRootVolume' },
      { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'no-such-template' } } },
    ];
    for (const input of bad) await expect(start(input)).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(start({}, 'ghost')).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await refreshes('ghost')).toEqual([]);
  });
});
