import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAccountLimitsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeLaunchConfigurationsCommand,
  DescribeLifecycleHooksCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeWarmPoolCommand,
  RollbackInstanceRefreshCommand,
  SetDesiredCapacityCommand,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, DescribeInstancesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';
import type { AsgLab } from './test-setup.js';
import { startAsgLab } from './test-setup.js';

const ACCOUNT = '000000000061';
const AT = 'At [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z';
const cause = (...sentences: string[]) => new RegExp(`^${sentences.map((s) => `${AT} ${s.replace(/[.()]/g, '\\$&')}`).join('  ')}$`);

let lab: AsgLab;

beforeAll(async () => {
  lab = await startAsgLab(ACCOUNT);
});
afterAll(async () => {
  await lab.close();
});

function create(name: string, extra: { MinSize?: number; MaxSize?: number; DesiredCapacity?: number; Version?: string } = {}) {
  return lab.asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: extra.Version ?? '$Latest' },
      MinSize: extra.MinSize ?? 1,
      MaxSize: extra.MaxSize ?? 4,
      DesiredCapacity: extra.DesiredCapacity,
      VPCZoneIdentifier: lab.subnets,
    }),
  );
}

async function group(name: string): Promise<AutoScalingGroup> {
  return (await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!;
}

async function activities(name: string) {
  return (await lab.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }))).Activities!;
}

describe('SetDesiredCapacity', () => {
  it('launches and terminates to the new capacity, with AWS\'s activity causes', async () => {
    await create('hosts', { MinSize: 1, MaxSize: 4, DesiredCapacity: 1 });
    await lab.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hosts', DesiredCapacity: 3 }));
    expect((await group('hosts')).DesiredCapacity).toBe(3);
    expect((await group('hosts')).Instances).toHaveLength(3);
    const [launched] = await activities('hosts');
    expect(launched!.Description).toMatch(/^Launching a new EC2 instance: i-/);
    expect(launched!.Cause).toMatch(
      cause('a user request explicitly set group desired capacity changing the desired capacity from 1 to 3.', 'an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 1 to 3.'),
    );

    await lab.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hosts', DesiredCapacity: 2 }));
    expect((await group('hosts')).Instances).toHaveLength(2);
    const [terminated] = await activities('hosts');
    const id = terminated!.Description!.split(': ')[1];
    expect(terminated!.Cause).toMatch(
      cause(
        'a user request explicitly set group desired capacity changing the desired capacity from 3 to 2.',
        'an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 3 to 2.',
        `instance ${id} was selected for termination.`,
      ),
    );
    // The same capacity again changes nothing.
    const before = (await activities('hosts')).length;
    await lab.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hosts', DesiredCapacity: 2 }));
    expect(await activities('hosts')).toHaveLength(before);
  });

  it('refuses a capacity outside Min/Max, and an unknown group, with ValidationError', async () => {
    await expect(lab.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hosts', DesiredCapacity: 5 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.',
    });
    await expect(lab.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hosts', DesiredCapacity: 0 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.',
    });
    await expect(lab.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'ghost', DesiredCapacity: 1 }))).rejects.toMatchObject({ name: 'ValidationError' });
    expect((await group('hosts')).DesiredCapacity).toBe(2);
  });
});

describe('TerminateInstanceInAutoScalingGroup', () => {
  it('replaces the instance when the capacity is not decremented', async () => {
    const [victim, kept] = (await group('hosts')).Instances!.map((i) => i.InstanceId!);
    const out = await lab.asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: victim, ShouldDecrementDesiredCapacity: false }));
    expect(out.Activity).toMatchObject({ AutoScalingGroupName: 'hosts', Description: `Terminating EC2 instance: ${victim}`, StatusCode: 'Successful' });
    expect(out.Activity!.Cause).toMatch(cause(`instance ${victim} was taken out of service in response to a user request.`));
    const after = await group('hosts');
    expect(after.DesiredCapacity).toBe(2);
    const ids = after.Instances!.map((i) => i.InstanceId!);
    expect(ids).toHaveLength(2);
    expect(ids).toContain(kept);
    expect(ids).not.toContain(victim);
    const [replacement, termination] = await activities('hosts');
    expect(termination!.ActivityId).toBe(out.Activity!.ActivityId);
    expect(replacement!.Cause).toMatch(cause('an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 1 to 2.'));
    const ec2 = await lab.ec2.send(new DescribeInstancesCommand({ InstanceIds: [victim!] }));
    expect(ec2.Reservations![0]!.Instances![0]!.State!.Name).toBe('terminated');
  });

  it('shrinks the group when decrementing, down to its minimum', async () => {
    const [victim, last] = (await group('hosts')).Instances!.map((i) => i.InstanceId!);
    const out = await lab.asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: victim, ShouldDecrementDesiredCapacity: true }));
    expect(out.Activity!.Cause).toMatch(cause(`instance ${victim} was taken out of service in response to a user request, shrinking the capacity from 2 to 1.`));
    const after = await group('hosts');
    expect(after.DesiredCapacity).toBe(1);
    expect(after.Instances!.map((i) => i.InstanceId)).toEqual([last]);
    await expect(lab.asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: last, ShouldDecrementDesiredCapacity: true }))).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        "Currently, desiredSize equals minSize (1). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.",
    });
    expect((await group('hosts')).Instances!.map((i) => i.InstanceId)).toEqual([last]);
  });

  it('does not know instances outside any group', async () => {
    for (const id of ['i-0123456789abcdef0', (await activities('hosts')).at(-1)!.Description!.split(': ')[1]!]) {
      await expect(lab.asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: id, ShouldDecrementDesiredCapacity: false }))).rejects.toMatchObject({
        name: 'ValidationError',
        message: `Instance Id not found - No managed instance found for instance ID: ${id}`,
      });
    }
  });
});

describe('RollbackInstanceRefresh', () => {
  it('rolls an in-progress refresh back to the previous launch template version', async () => {
    await lab.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'lab-ecs-hosts', SourceVersion: '1', LaunchTemplateData: { InstanceType: 'c5.xlarge' } }));
    await create('pinned', { MinSize: 2, MaxSize: 2, Version: '1' });
    const { InstanceRefreshId: id } = await lab.asg.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: 'pinned',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '2' } },
        Preferences: { InstanceWarmup: 10 },
      }),
    );
    expect((await group('pinned')).Instances!.map((i) => i.LaunchTemplate!.Version)).toEqual(['2', '2']);
    const out = await lab.asg.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'pinned' }));
    expect(out.InstanceRefreshId).toBe(id);
    const after = await group('pinned');
    expect(after.LaunchTemplate!.Version).toBe('1');
    expect(after.Instances!.map((i) => i.LaunchTemplate!.Version)).toEqual(['1', '1']);
    const [refresh] = (await lab.asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'pinned' }))).InstanceRefreshes!;
    expect(refresh).toMatchObject({ InstanceRefreshId: id, Status: 'RollbackSuccessful' });
    // Nothing is in progress any more.
    await expect(lab.asg.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'pinned' }))).rejects.toMatchObject({ name: 'ActiveInstanceRefreshNotFoundFault' });
  });

  it('refuses without an active refresh, and without a desired configuration', async () => {
    // A refresh with the default warm-up of 0 is Successful at once: nothing to roll back.
    await lab.asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'hosts' }));
    await expect(lab.asg.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'hosts' }))).rejects.toMatchObject({
      name: 'ActiveInstanceRefreshNotFoundFault',
      message: 'No in progress or pending Instance Refresh found for Auto Scaling group hosts',
    });
    await lab.asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'hosts', Preferences: { InstanceWarmup: 10 } }));
    await expect(lab.asg.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'hosts' }))).rejects.toMatchObject({ name: 'IrreversibleInstanceRefreshFault' });
    await expect(lab.asg.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'ghost' }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('configuration the sandbox does not model', () => {
  it('answers empty lists, the account limits, and ValidationError for an unknown group', async () => {
    expect((await lab.asg.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'hosts' }))).LifecycleHooks).toEqual([]);
    expect((await lab.asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'hosts' }))).ScalingPolicies).toEqual([]);
    expect((await lab.asg.send(new DescribePoliciesCommand({}))).ScalingPolicies).toEqual([]);
    expect((await lab.asg.send(new DescribeLaunchConfigurationsCommand({}))).LaunchConfigurations).toEqual([]);
    const pool = await lab.asg.send(new DescribeWarmPoolCommand({ AutoScalingGroupName: 'hosts' }));
    expect(pool.WarmPoolConfiguration).toBeUndefined();
    expect(pool.Instances).toEqual([]);
    expect(await lab.asg.send(new DescribeAccountLimitsCommand({}))).toMatchObject({
      MaxNumberOfAutoScalingGroups: 500,
      MaxNumberOfLaunchConfigurations: 200,
      NumberOfAutoScalingGroups: 2,
      NumberOfLaunchConfigurations: 0,
    });
    for (const command of [
      new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'ghost' }),
      new DescribePoliciesCommand({ AutoScalingGroupName: 'ghost' }),
      new DescribeWarmPoolCommand({ AutoScalingGroupName: 'ghost' }),
    ]) {
      await expect(lab.asg.send(command as never)).rejects.toMatchObject({ name: 'ValidationError', message: 'AutoScalingGroup name not found - AutoScalingGroup ghost not found' });
    }
  });
});

describe('persistence', () => {
  it('keeps the capacity, instances and activities of SetDesiredCapacity and TerminateInstance across a restart', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let asg = new AutoScalingClient(clientConfig(box.url, ACCOUNT));
      const ec2 = new EC2Client(clientConfig(box.url, ACCOUNT));
      await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'hosts', LaunchTemplateData: { ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', InstanceType: 't3.micro' } }));
      const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
      ec2.destroy();
      await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'kept', LaunchTemplate: { LaunchTemplateName: 'hosts' }, MinSize: 0, MaxSize: 5, VPCZoneIdentifier: subnets[0]!.SubnetId }));
      await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'kept', DesiredCapacity: 3 }));
      const victim = (await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups![0]!.Instances![0]!.InstanceId!;
      await asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: victim, ShouldDecrementDesiredCapacity: true }));
      const groupsBefore = (await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups;
      const activitiesBefore = (await asg.send(new DescribeScalingActivitiesCommand({}))).Activities;
      expect(activitiesBefore).toHaveLength(4);
      asg.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      asg = new AutoScalingClient(clientConfig(box.url, ACCOUNT));
      const groupsAfter = (await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups;
      expect(groupsAfter).toEqual(groupsBefore);
      expect(groupsAfter![0]!.DesiredCapacity).toBe(2);
      expect((await asg.send(new DescribeScalingActivitiesCommand({}))).Activities).toEqual(activitiesBefore);
      asg.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});
