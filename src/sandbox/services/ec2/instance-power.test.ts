import {
  AuthorizeSecurityGroupIngressCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNatGatewaysCommand,
  DescribePrefixListsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSnapshotsCommand,
  DescribeSpotPriceHistoryCommand,
  DescribeVolumesCommand,
  EC2Client,
  GetConsoleOutputCommand,
  GetManagedPrefixListEntriesCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  UpdateSecurityGroupRuleDescriptionsEgressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from '@aws-sdk/client-ec2';
import type { Instance } from '@aws-sdk/client-ec2';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import { CreateClusterCommand, CreateServiceCommand, DescribeContainerInstancesCommand, DescribeTasksCommand, ECSClient, ListContainerInstancesCommand, ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000031';
let sandbox: RunningSandbox;
let ec2: EC2Client;
let ecs: ECSClient;
let ami: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ec2 = new EC2Client(clientConfig(sandbox.url, ACCOUNT));
  ecs = new ECSClient(clientConfig(sandbox.url, ACCOUNT));
  ami = 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
});
afterAll(async () => {
  ec2.destroy();
  ecs.destroy();
  await sandbox.close();
});

async function describe1(client: EC2Client, id: string): Promise<Instance> {
  return (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
}

async function launch(client: EC2Client, userData?: string): Promise<string> {
  const out = await client.send(new RunInstancesCommand({
    ImageId: ami,
    InstanceType: 't3.micro',
    MinCount: 1,
    MaxCount: 1,
    UserData: userData && Buffer.from(userData).toString('base64'),
  }));
  return out.Instances![0]!.InstanceId!;
}

describe('EC2 StopInstances, StartInstances, RebootInstances', () => {
  it('reports stopping/pending transitions and leaves the instance stopped/running at once', async () => {
    const id = await launch(ec2);
    const before = await describe1(ec2, id);
    expect(before.PublicIpAddress).toMatch(/^3\./);
    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopped.StoppingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } }]);
    const now = await describe1(ec2, id);
    expect(now.State).toEqual({ Code: 80, Name: 'stopped' });
    expect(now.StateReason).toEqual({ Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' });
    expect(now.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    expect(now.PublicIpAddress).toBeUndefined();
    expect(now.NetworkInterfaces![0]!.Association).toBeUndefined();
    expect(now.PrivateIpAddress).toBe(before.PrivateIpAddress);
    // Stopping a stopped instance is no error.
    const again = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(again.StoppingInstances![0]).toMatchObject({ CurrentState: { Name: 'stopped' }, PreviousState: { Name: 'stopped' } });
    await expect(ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }))).rejects.toMatchObject({ name: 'IncorrectInstanceState' });
    const started = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(started.StartingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 0, Name: 'pending' }, PreviousState: { Code: 80, Name: 'stopped' } }]);
    const running = await describe1(ec2, id);
    expect(running.State?.Name).toBe('running');
    expect(running.StateReason).toBeUndefined();
    expect(running.PublicIpAddress).toMatch(/^3\./);
    expect(running.NetworkInterfaces![0]!.Association?.PublicIp).toBe(running.PublicIpAddress);
    const runningAgain = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(runningAgain.StartingInstances![0]).toMatchObject({ CurrentState: { Name: 'running' }, PreviousState: { Name: 'running' } });
    await ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    expect((await describe1(ec2, id)).State?.Name).toBe('running');
  });

  it('refuses terminated instances and unknown ids, changing nothing', async () => {
    const id = await launch(ec2);
    const other = await launch(ec2);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await expect(ec2.send(new StartInstancesCommand({ InstanceIds: [id] }))).rejects.toMatchObject({
      name: 'IncorrectInstanceState',
      message: `The instance '${id}' is not in a state from which it can be started.`,
    });
    await expect(ec2.send(new StopInstancesCommand({ InstanceIds: [other, id] }))).rejects.toMatchObject({ name: 'IncorrectInstanceState' });
    expect((await describe1(ec2, other)).State?.Name).toBe('running');
    await expect(ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
  });

  it('disconnects the ECS agent of a stopped host, stops its tasks and has the service replace them', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'patching' }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'web',
      requiresCompatibilities: ['EC2'],
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'web', image: 'nginx', memory: 128, essential: true }],
    }));
    const hostA = await launch(ec2, '#!/bin/bash\necho ECS_CLUSTER=patching >> /etc/ecs/ecs.config\n');
    const hostB = await launch(ec2, '#!/bin/bash\necho ECS_CLUSTER=patching >> /etc/ecs/ecs.config\n');
    const arns = (await ecs.send(new ListContainerInstancesCommand({ cluster: 'patching' }))).containerInstanceArns!;
    const cis = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'patching', containerInstances: arns }))).containerInstances!;
    const ciA = cis.find((c) => c.ec2InstanceId === hostA)!;
    const ciB = cis.find((c) => c.ec2InstanceId === hostB)!;
    await ecs.send(new CreateServiceCommand({ cluster: 'patching', serviceName: 'web', taskDefinition: 'web', desiredCount: 2, launchType: 'EC2' }));
    const onA = (await ecs.send(new ListTasksCommand({ cluster: 'patching', containerInstance: ciA.containerInstanceArn }))).taskArns!;
    expect(onA.length).toBe(1);

    await ec2.send(new StopInstancesCommand({ InstanceIds: [hostA] }));
    const after = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'patching', containerInstances: [ciA.containerInstanceArn!] }))).containerInstances![0]!;
    expect(after).toMatchObject({ agentConnected: false, status: 'ACTIVE', runningTasksCount: 0 });
    const gone = (await ecs.send(new DescribeTasksCommand({ cluster: 'patching', tasks: onA }))).tasks![0]!;
    expect(gone).toMatchObject({ lastStatus: 'STOPPED', stoppedReason: `Host EC2 (instance ${hostA}) stopped/terminated.` });
    // The replacement runs on the connected host.
    const onB = (await ecs.send(new ListTasksCommand({ cluster: 'patching', containerInstance: ciB.containerInstanceArn }))).taskArns!;
    expect(onB.length).toBe(2);

    await ec2.send(new StartInstancesCommand({ InstanceIds: [hostA] }));
    const back = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'patching', containerInstances: [ciA.containerInstanceArn!] }))).containerInstances![0]!;
    expect(back.agentConnected).toBe(true);

    // A reboot kills the host's containers: its tasks stop and are replaced.
    const beforeReboot = (await ecs.send(new ListTasksCommand({ cluster: 'patching', containerInstance: ciB.containerInstanceArn }))).taskArns!;
    await ec2.send(new RebootInstancesCommand({ InstanceIds: [hostB] }));
    const rebooted = (await ecs.send(new DescribeTasksCommand({ cluster: 'patching', tasks: beforeReboot }))).tasks!;
    expect(rebooted.every((t) => t.lastStatus === 'STOPPED')).toBe(true);
    const running = (await ecs.send(new ListTasksCommand({ cluster: 'patching', serviceName: 'web' }))).taskArns!;
    expect(running.length).toBe(2);
    expect(running.some((arn) => beforeReboot.includes(arn))).toBe(false);
  });

  it('has an Auto Scaling group replace a stopped member, as its EC2 health check does', async () => {
    const asg = new AutoScalingClient(clientConfig(sandbox.url, ACCOUNT));
    try {
      await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'asg-hosts', LaunchTemplateData: { ImageId: ami, InstanceType: 't3.micro' } }));
      await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'hosts', MinSize: 1, MaxSize: 2, DesiredCapacity: 1, AvailabilityZones: ['us-east-1a'], LaunchTemplate: { LaunchTemplateName: 'asg-hosts' } }));
      const group = async () => (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['hosts'] }))).AutoScalingGroups![0]!;
      const member = (await group()).Instances![0]!.InstanceId!;
      const out = await ec2.send(new StopInstancesCommand({ InstanceIds: [member] }));
      expect(out.StoppingInstances![0]).toMatchObject({ CurrentState: { Name: 'stopping' }, PreviousState: { Name: 'running' } });
      expect((await describe1(ec2, member)).State?.Name).toBe('terminated');
      const now = (await group()).Instances!.map((i) => i.InstanceId);
      expect(now.length).toBe(1);
      expect(now).not.toContain(member);
      expect((await describe1(ec2, now[0]!)).State?.Name).toBe('running');
      const activities = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'hosts' }))).Activities!;
      expect(activities.some((a) => a.Description === `Terminating EC2 instance: ${member}` && /EC2 health check indicating it has been terminated or stopped/.test(a.Cause!))).toBe(true);
    } finally {
      asg.destroy();
    }
  });

  it('describes the CPU credit option of burstable instances', async () => {
    const t3 = await launch(ec2);
    const big = (await ec2.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 'c5.large', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    const unlimited = (await ec2.send(new DescribeInstanceCreditSpecificationsCommand({}))).InstanceCreditSpecifications!;
    expect(unlimited).toContainEqual({ InstanceId: t3, CpuCredits: 'unlimited' });
    expect(unlimited.some((c) => c.InstanceId === big)).toBe(false);
    const named = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [t3, big] }));
    expect(named.InstanceCreditSpecifications).toEqual([{ InstanceId: t3, CpuCredits: 'unlimited' }, { InstanceId: big, CpuCredits: 'standard' }]);
  });

  it('returns a base64 boot log from GetConsoleOutput', async () => {
    const id = await launch(ec2);
    const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    expect(out.InstanceId).toBe(id);
    expect(out.Timestamp).toBeInstanceOf(Date);
    expect(Buffer.from(out.Output!, 'base64').toString('utf8')).toMatch(/login: $/);
    await expect(ec2.send(new GetConsoleOutputCommand({ InstanceId: 'i-0123456789abcdef0' }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
  });

  it('authorises StopInstances per instance for an assumed role', async () => {
    const id = await launch(ec2);
    const allowed = await launch(ec2);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ec2:StartInstances', 'ec2:DescribeInstances'], Resource: '*' },
        { Effect: 'Allow', Action: 'ec2:StopInstances', Resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${allowed}` },
      ],
    });
    const creds = await roleSession(sandbox.url, ACCOUNT, 'patcher', policy);
    const role = new EC2Client({ ...clientConfig(sandbox.url, ACCOUNT), credentials: creds });
    try {
      await expect(role.send(new StopInstancesCommand({ InstanceIds: [id] }))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
      expect((await describe1(role, id)).State?.Name).toBe('running');
      await role.send(new StopInstancesCommand({ InstanceIds: [allowed] }));
      expect((await describe1(role, allowed)).State?.Name).toBe('stopped');
    } finally {
      role.destroy();
    }
  });
});

describe('EC2 volumes and snapshots', () => {
  it('derives each instance root volume with a stable id, from the launch template over the image', async () => {
    const lt = await ec2.send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'encrypted-root',
      LaunchTemplateData: { ImageId: ami, InstanceType: 't3.micro', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50, Encrypted: true } }] },
    }));
    const out = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId } }));
    const id = out.Instances![0]!.InstanceId!;
    const plain = await launch(ec2);
    const [volume] = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }))).Volumes!;
    expect(volume).toMatchObject({
      Size: 50,
      VolumeType: 'gp3',
      Iops: 3000,
      Throughput: 125,
      Encrypted: true,
      KmsKeyId: expect.stringMatching(/^arn:aws:kms:us-east-1:000000000031:key\//),
      State: 'in-use',
      Attachments: [{ InstanceId: id, Device: '/dev/xvda', State: 'attached', DeleteOnTermination: true, VolumeId: volume!.VolumeId }],
    });
    expect(volume!.VolumeId).toMatch(/^vol-0[0-9a-f]{16}$/);
    const again = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volume!.VolumeId!] }));
    expect(again.Volumes).toEqual([volume]);
    const unencrypted = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'encrypted', Values: ['false'] }, { Name: 'attachment.instance-id', Values: [plain] }] }))).Volumes!;
    expect(unencrypted).toMatchObject([{ Size: 30, Encrypted: false }]);
    await expect(ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'] }))).rejects.toMatchObject({ name: 'InvalidVolume.NotFound' });
    const paged = await ec2.send(new DescribeVolumesCommand({ MaxResults: 5 }));
    expect(paged.Volumes!.length).toBe(5);
    expect(paged.NextToken).toBeDefined();
    // Terminating the instance deletes its DeleteOnTermination root volume.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect((await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: [volume!.VolumeId!] }] }))).Volumes).toEqual([]);
  });

  it('lists no snapshots of the account', async () => {
    expect((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots).toEqual([]);
    await expect(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-0123456789abcdef0'] }))).rejects.toMatchObject({ name: 'InvalidSnapshot.NotFound' });
  });
});

describe('EC2 prefix lists, NAT gateways, Spot prices and rule descriptions', () => {
  it('lists the AWS-managed S3 and DynamoDB prefix lists with their entries', async () => {
    const lists = (await ec2.send(new DescribeManagedPrefixListsCommand({}))).PrefixLists!;
    expect(lists.map((l) => l.PrefixListName).sort()).toEqual(['com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.s3']);
    const s3 = lists.find((l) => l.PrefixListName!.endsWith('.s3'))!;
    expect(s3).toMatchObject({ OwnerId: 'AWS', AddressFamily: 'IPv4', State: 'create-complete', PrefixListArn: `arn:aws:ec2:us-east-1:aws:prefix-list/${s3.PrefixListId}` });
    expect(s3.PrefixListId).toMatch(/^pl-[0-9a-f]{8}$/);
    const legacy = (await ec2.send(new DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['*.s3'] }] }))).PrefixLists!;
    expect(legacy).toEqual([{ PrefixListId: s3.PrefixListId, PrefixListName: s3.PrefixListName, Cidrs: expect.arrayContaining(['52.216.0.0/15']) }]);
    const entries = (await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: s3.PrefixListId }))).Entries!;
    expect(entries.map((e) => e.Cidr)).toEqual(legacy[0]!.Cidrs);
    await expect(ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: 'pl-00000000' }))).rejects.toMatchObject({ name: 'InvalidPrefixListID.NotFound' });
  });

  it('has no NAT gateways and no Spot price history', async () => {
    expect((await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['available'] }] }))).NatGateways).toEqual([]);
    expect((await ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['t3.micro'] }))).SpotPriceHistory).toEqual([]);
  });

  it('updates the description of the rule matching protocol, ports and source exactly', async () => {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web-desc', Description: 'web' }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'old' }] }] }));
    const rules = async () => (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId!] }] }))).SecurityGroupRules!;
    const out = await ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'HTTPS from the VPC' }] }],
    }));
    expect(out.Return).toBe(true);
    expect((await rules()).find((r) => !r.IsEgress)!.Description).toBe('HTTPS from the VPC');
    await expect(ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'nope' }] }],
    }))).rejects.toMatchObject({ name: 'InvalidPermission.NotFound' });
    const egress = (await rules()).find((r) => r.IsEgress)!;
    await ec2.send(new UpdateSecurityGroupRuleDescriptionsEgressCommand({ GroupId, SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: egress.SecurityGroupRuleId, Description: 'all out' }] }));
    expect((await rules()).find((r) => r.IsEgress)!.Description).toBe('all out');
  });
});

describe('persistence of stopped instances', () => {
  it('keeps a stopped instance stopped, and its disconnected agent, across a restart', async () => {
    const data = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: data.dir });
      let client = new EC2Client(clientConfig(box.url, ACCOUNT));
      let ecsClient = new ECSClient(clientConfig(box.url, ACCOUNT));
      await ecsClient.send(new CreateClusterCommand({ clusterName: 'kept' }));
      const id = await launch(client, 'ECS_CLUSTER=kept');
      await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
      client.destroy();
      ecsClient.destroy();
      await box.close();
      box = await startTestSandbox({ dataDir: data.dir });
      client = new EC2Client(clientConfig(box.url, ACCOUNT));
      ecsClient = new ECSClient(clientConfig(box.url, ACCOUNT));
      try {
        expect((await describe1(client, id)).State?.Name).toBe('stopped');
        const arns = (await ecsClient.send(new ListContainerInstancesCommand({ cluster: 'kept' }))).containerInstanceArns!;
        const [ci] = (await ecsClient.send(new DescribeContainerInstancesCommand({ cluster: 'kept', containerInstances: arns }))).containerInstances!;
        expect(ci!.agentConnected).toBe(false);
        await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
        expect((await describe1(client, id)).PublicIpAddress).toMatch(/^3\./);
      } finally {
        client.destroy();
        ecsClient.destroy();
        await box.close();
      }
    } finally {
      data.remove();
    }
  });
});
