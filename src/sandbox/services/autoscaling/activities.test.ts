import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import type { Activity, CreateAutoScalingGroupCommandInput, DescribeScalingActivitiesCommandInput } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, DescribeInstancesCommand, DescribeSubnetsCommand, EC2Client, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';
import { MAX_ACTIVITIES_PER_GROUP, MAX_DELETED_GROUPS } from './activities.js';
import type { AsgLab } from './test-setup.js';
import { startAsgLab } from './test-setup.js';

const ACCOUNT = '000000000043';
const AT = 'At [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z';
/** A Cause as a regular expression: `AT` stands for each sentence's time, sentences are joined by two spaces. */
const cause = (...sentences: string[]) => new RegExp(`^${sentences.map((s) => `${AT} ${s.replace(/[.()]/g, '\\$&')}`).join('  ')}$`);
const difference = 'an instance was started in response to a difference between desired and actual capacity, increasing the capacity from';
const shrink = 'an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from';

let lab: AsgLab;

function create(name: string, extra: Partial<CreateAutoScalingGroupCommandInput> = {}) {
  return lab.asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '$Latest' },
      MinSize: 0,
      MaxSize: 10,
      VPCZoneIdentifier: lab.subnets,
      ...extra,
    }),
  );
}

async function activities(input: Partial<DescribeScalingActivitiesCommandInput> = {}, client = lab.asg): Promise<Activity[]> {
  return (await client.send(new DescribeScalingActivitiesCommand(input))).Activities!;
}

/** Every page of DescribeScalingActivities. */
async function everyActivity(input: Partial<DescribeScalingActivitiesCommandInput> = {}, client = lab.asg): Promise<Activity[]> {
  const all: Activity[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeScalingActivitiesCommand({ ...input, NextToken: token }));
    all.push(...page.Activities!);
    token = page.NextToken;
  } while (token);
  return all;
}

async function instanceIds(name: string): Promise<string[]> {
  const out = await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return out.AutoScalingGroups![0]!.Instances!.map((i) => i.InstanceId!);
}

async function groupArn(name: string): Promise<string> {
  return (await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!.AutoScalingGroupARN!;
}

const RECOMMENDED = 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
const idOf = (a: Activity) => a.Description!.split(': ')[1]!;

beforeAll(async () => {
  lab = await startAsgLab(ACCOUNT);
});
afterAll(async () => {
  await lab.close();
});

describe('activities of the group simulation', () => {
  it('records one launch per instance when a group is created, with AWS\'s wording and details', async () => {
    await create('web', { MinSize: 1, MaxSize: 4, DesiredCapacity: 2 });
    const list = await activities({ AutoScalingGroupName: 'web' });
    expect(list).toHaveLength(2);
    const ids = await instanceIds('web');
    expect(list.map(idOf).sort()).toEqual([...ids].sort());
    const reservations = (await lab.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!;
    const placement = new Map(reservations.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, { 'Subnet ID': i.SubnetId, 'Availability Zone': i.Placement!.AvailabilityZone }]));
    for (const a of list) {
      expect(a).toEqual({
        ActivityId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        AutoScalingGroupName: 'web',
        AutoScalingGroupARN: await groupArn('web'),
        Description: `Launching a new EC2 instance: ${idOf(a)}`,
        Cause: expect.stringMatching(cause('a user request created an AutoScalingGroup changing the desired capacity from 0 to 2.', `${difference} 0 to 2.`)),
        StartTime: expect.any(Date),
        EndTime: expect.any(Date),
        StatusCode: 'Successful',
        Progress: 100,
        Details: JSON.stringify(placement.get(idOf(a))),
      });
      expect(Math.abs(a.StartTime!.getTime() - Date.now())).toBeLessThan(60_000);
    }
    expect(new Set(list.map((a) => JSON.parse(a.Details!)['Availability Zone'])).size).toBe(2);
  });

  it('records scale-out and scale-in from UpdateAutoScalingGroup, newest first', async () => {
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 3 }));
    const [launched] = await activities({ AutoScalingGroupName: 'web' });
    expect(launched!.Description).toMatch(/^Launching a new EC2 instance: i-/);
    expect(launched!.Cause).toMatch(cause('a user request update of AutoScalingGroup constraints to min: 1, max: 4, desired: 3 changing the desired capacity from 2 to 3.', `${difference} 2 to 3.`));

    const before = await instanceIds('web');
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 1 }));
    const after = await instanceIds('web');
    const list = await activities({ AutoScalingGroupName: 'web' });
    expect(list).toHaveLength(5);
    const terminated = list.slice(0, 2);
    expect(terminated.map(idOf).sort()).toEqual(before.filter((id) => !after.includes(id)).sort());
    for (const a of terminated) {
      expect(a.Description).toBe(`Terminating EC2 instance: ${idOf(a)}`);
      expect(a.Cause).toMatch(
        cause('a user request update of AutoScalingGroup constraints to min: 1, max: 4, desired: 1 changing the desired capacity from 3 to 1.', `${shrink} 3 to 1.`, `instance ${idOf(a)} was selected for termination.`),
      );
      expect(JSON.parse(a.Details!)).toEqual({ 'Subnet ID': expect.stringMatching(/^subnet-/), 'Availability Zone': expect.stringMatching(/^us-east-1[a-f]$/) });
    }
    expect(list[2]).toEqual(launched);
    // An update that leaves the capacity alone launches and terminates nothing.
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MaxSize: 5 }));
    expect(await activities({ AutoScalingGroupName: 'web' })).toHaveLength(5);
  });

  it('records an instance terminated outside the group, and its replacement', async () => {
    const [victim] = await instanceIds('web');
    await lab.ec2.send(new TerminateInstancesCommand({ InstanceIds: [victim!] }));
    await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MaxSize: 4 }));
    const [replacement, gone] = await activities({ AutoScalingGroupName: 'web' });
    expect(gone).toMatchObject({ Description: `Terminating EC2 instance: ${victim}` });
    expect(gone!.Cause).toMatch(cause('an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.'));
    expect(replacement!.Description).toMatch(/^Launching a new EC2 instance: /);
    expect(replacement!.Cause).toMatch(cause(`${difference} 0 to 1.`));
  });

  it('records the replacements of an instance refresh', async () => {
    await lab.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'lab-ecs-hosts', SourceVersion: '1', LaunchTemplateData: { InstanceType: 'c5.xlarge' } }));
    const [old] = await instanceIds('web');
    await lab.asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'web' }));
    const [fresh] = await instanceIds('web');
    const [launched, terminated] = await activities({ AutoScalingGroupName: 'web' });
    expect(terminated).toMatchObject({ Description: `Terminating EC2 instance: ${old}`, StatusCode: 'Successful', Progress: 100 });
    expect(terminated!.Cause).toMatch(cause('an instance was taken out of service in response to an instance refresh.', `instance ${old} was selected for termination.`));
    expect(launched).toMatchObject({ Description: `Launching a new EC2 instance: ${fresh}` });
    expect(launched!.Cause).toMatch(cause('an instance was launched in response to an instance refresh.'));
  });
});

describe('DescribeScalingActivities', () => {
  it('filters by ActivityIds, Filters and group, and an unknown group is an empty list', async () => {
    await create('batch', { DesiredCapacity: 1 });
    const all = await activities();
    expect(new Set(all.map((a) => a.AutoScalingGroupName))).toEqual(new Set(['web', 'batch']));
    expect(all[0]!.AutoScalingGroupName).toBe('batch');
    const times = all.map((a) => a.StartTime!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const picked = [all[1]!.ActivityId!, all[3]!.ActivityId!];
    expect((await activities({ ActivityIds: [...picked, '00000000-0000-4000-8000-000000000000'] })).map((a) => a.ActivityId)).toEqual(picked);
    expect(await activities({ AutoScalingGroupName: 'ghost' })).toEqual([]);
    expect(await activities({ AutoScalingGroupName: 'web', Filters: [{ Name: 'Status', Values: ['Failed'] }] })).toEqual([]);
    expect(await activities({ AutoScalingGroupName: 'web', Filters: [{ Name: 'Status', Values: ['Successful'] }] })).toHaveLength(all.length - 1);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(await activities({ Filters: [{ Name: 'StartTimeLowerBound', Values: [future] }] })).toEqual([]);
    expect(await activities({ Filters: [{ Name: 'StartTimeUpperBound', Values: [future] }] })).toHaveLength(all.length);
    await expect(activities({ Filters: [{ Name: 'Color', Values: ['red'] }] })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('pages with MaxRecords and NextToken', async () => {
    const all = await activities();
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await lab.asg.send(new DescribeScalingActivitiesCommand({ MaxRecords: 3, NextToken: token }));
      expect(page.Activities!.length).toBeLessThanOrEqual(3);
      seen.push(...page.Activities!.map((a) => a.ActivityId!));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(all.map((a) => a.ActivityId));
    await expect(activities({ MaxRecords: 101 })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(activities({ NextToken: 'bogus' })).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });

  it('returns a deleted group\'s activities only with IncludeDeletedGroups', async () => {
    const oldArn = await groupArn('batch');
    const [instance] = await instanceIds('batch');
    await lab.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'batch', ForceDelete: true }));
    expect(await activities({ AutoScalingGroupName: 'batch' })).toEqual([]);
    expect((await activities()).some((a) => a.AutoScalingGroupName === 'batch')).toBe(false);
    const deleted = await activities({ AutoScalingGroupName: 'batch', IncludeDeletedGroups: true });
    expect(deleted.map((a) => a.Description)).toEqual([`Terminating EC2 instance: ${instance}`, `Launching a new EC2 instance: ${instance}`]);
    expect(deleted[0]!.Cause).toMatch(
      cause('a user request update of AutoScalingGroup constraints to min: 0, max: 0, desired: 0 changing the desired capacity from 1 to 0.', `${shrink} 1 to 0.`, `instance ${instance} was selected for termination.`),
    );

    // A new group of the same name starts a history of its own.
    await create('batch', { DesiredCapacity: 1 });
    const fresh = await activities({ AutoScalingGroupName: 'batch' });
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.AutoScalingGroupARN).not.toBe(oldArn);
    expect((await activities({ AutoScalingGroupName: 'batch', IncludeDeletedGroups: true })).map((a) => a.AutoScalingGroupARN)).toEqual([fresh[0]!.AutoScalingGroupARN, oldArn, oldArn]);
  });
});

describe('caps', () => {
  it(`keeps the newest ${MAX_ACTIVITIES_PER_GROUP} activities of a group`, async () => {
    await create('churn');
    // Six times 10 up and 10 down: 120 activities.
    for (let cycle = 0; cycle < 6; cycle++) {
      for (const desired of [10, 0]) await lab.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'churn', DesiredCapacity: desired }));
    }
    const page = await lab.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'churn', MaxRecords: 100 }));
    expect(page.Activities).toHaveLength(MAX_ACTIVITIES_PER_GROUP);
    expect(page.NextToken).toBeUndefined();
    // The 20 oldest (the first cycle's) are gone: the oldest kept is a launch of the second cycle.
    expect(page.Activities!.filter((a) => a.Description!.startsWith('Launching'))).toHaveLength(50);
    expect(page.Activities!.at(-1)!.Cause).toMatch(/changing the desired capacity from 0 to 10\./);
  });

  it(`keeps the activities of the ${MAX_DELETED_GROUPS} groups deleted last`, async () => {
    const names = Array.from({ length: MAX_DELETED_GROUPS + 1 }, (_, i) => `short-lived-${String(i).padStart(2, '0')}`);
    for (const name of names) {
      await create(name, { DesiredCapacity: 1 });
      await lab.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true }));
    }
    const kept = new Set((await everyActivity({ IncludeDeletedGroups: true })).map((a) => a.AutoScalingGroupName));
    // The first 'batch' (deleted earlier) and the first short-lived group fell out: the 20 deleted last stay.
    expect(names.filter((n) => kept.has(n))).toEqual(names.slice(1));
    expect(await activities({ AutoScalingGroupName: names[0], IncludeDeletedGroups: true })).toEqual([]);
    expect(await activities({ AutoScalingGroupName: names.at(-1), IncludeDeletedGroups: true })).toHaveLength(2);
    const batch = await activities({ AutoScalingGroupName: 'batch', IncludeDeletedGroups: true });
    expect(batch.map((a) => a.AutoScalingGroupARN)).toEqual([await groupArn('batch')]);
    // Groups that still exist keep theirs.
    expect(await activities({ AutoScalingGroupName: 'churn' })).toHaveLength(MAX_ACTIVITIES_PER_GROUP);
  });
});

describe('persistence', () => {
  /** A sandbox on `dir` with a launch template and two subnets. */
  async function open(dir: string) {
    const box = await startTestSandbox({ dataDir: dir });
    const config = clientConfig(box.url, ACCOUNT);
    const asg = new AutoScalingClient(config);
    const ec2 = new EC2Client(config);
    return {
      box,
      asg,
      ec2,
      async subnets() {
        const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
        return subnets.slice(0, 2).map((s) => s.SubnetId).join(',');
      },
      async close() {
        asg.destroy();
        ec2.destroy();
        await box.close();
      },
    };
  }

  it('keeps activities, of deleted groups too and past the cap, across a restart with the same data dir', async () => {
    const tmp = tempDir();
    try {
      let s = await open(tmp.dir);
      await s.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'hosts', LaunchTemplateData: { ImageId: RECOMMENDED, InstanceType: 't3.micro' } }));
      const group = { LaunchTemplate: { LaunchTemplateName: 'hosts' }, MinSize: 0, MaxSize: 10, DesiredCapacity: 2, VPCZoneIdentifier: await s.subnets() };
      await s.asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'removed', ...group }));
      await s.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'removed', ForceDelete: true }));
      await s.asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'kept', ...group }));
      // Past the cap, so that restoring replays the dropping of the oldest too.
      for (let cycle = 0; cycle < 6; cycle++) {
        for (const desired of [10, 0]) await s.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'kept', DesiredCapacity: desired }));
      }
      const before = await everyActivity({ IncludeDeletedGroups: true }, s.asg);
      expect(before).toHaveLength(MAX_ACTIVITIES_PER_GROUP + 4);
      await s.close();

      s = await open(tmp.dir);
      expect(await everyActivity({ IncludeDeletedGroups: true }, s.asg)).toEqual(before);
      expect(new Set((await everyActivity({}, s.asg)).map((a) => a.AutoScalingGroupName))).toEqual(new Set(['kept']));
      await s.close();
    } finally {
      tmp.remove();
    }
  });

  it('records activities in state saved before the sandbox kept them', async () => {
    const tmp = tempDir();
    try {
      // A snapshot as an older sandbox wrote it: an Auto Scaling state without activities.
      mkdirSync(join(tmp.dir, 'accounts'), { recursive: true });
      const snapshot = { version: 1, state: { regional: { 'us-east-1': { autoscaling: { groups: {} } } }, global: {} } };
      writeFileSync(join(tmp.dir, 'accounts', `${ACCOUNT}.json`), JSON.stringify(snapshot));
      let s = await open(tmp.dir);
      expect(await activities({}, s.asg)).toEqual([]);
      await s.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'hosts', LaunchTemplateData: { ImageId: RECOMMENDED, InstanceType: 't3.micro' } }));
      await s.asg.send(
        new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'late', LaunchTemplate: { LaunchTemplateName: 'hosts' }, MinSize: 1, MaxSize: 1, VPCZoneIdentifier: await s.subnets() }),
      );
      await s.close();

      s = await open(tmp.dir);
      expect((await activities({}, s.asg)).map((a) => a.Description)).toEqual([expect.stringMatching(/^Launching a new EC2 instance: i-/)]);
      await s.close();
    } finally {
      tmp.remove();
    }
  });
});
