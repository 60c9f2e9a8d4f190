import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  EC2Client,
  ModifyLaunchTemplateCommand,
  ModifyVpcAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { Instance } from '@aws-sdk/client-ec2';
import { CreateInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import type { InstanceProfile } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ec2: EC2Client;
let iam: IAMClient;
let oldAmi: string;
let newAmi: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ec2 = new EC2Client(clientConfig(sandbox.url));
  iam = new IAMClient(clientConfig(sandbox.url));
});
afterAll(async () => {
  ec2.destroy();
  iam.destroy();
  await sandbox.close();
});

async function describeInstance(id: string): Promise<Instance> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations![0]!.Instances![0]!;
}

describe('EC2 images and instance types', () => {
  it('seeds ECS-optimized AMIs', async () => {
    const out = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-ecs-hvm-*'] }] }));
    expect(out.Images!.length).toBeGreaterThanOrEqual(2);
    const sorted = [...out.Images!].sort((a, b) => a.CreationDate!.localeCompare(b.CreationDate!));
    oldAmi = sorted[0]!.ImageId!;
    newAmi = sorted.at(-1)!.ImageId!;
    await expect(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-00000000'] }))).rejects.toMatchObject({ name: 'InvalidAMIID.NotFound' });
    await expect(ec2.send(new DescribeImagesCommand({ ImageIds: ['bogus'] }))).rejects.toMatchObject({ name: 'InvalidAMIID.Malformed' });
  });

  it('reports ENI limits per instance type', async () => {
    const out = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['c5.large', 'c5.xlarge'] }));
    const enis = Object.fromEntries(out.InstanceTypes!.map((t) => [t.InstanceType, t.NetworkInfo?.MaximumNetworkInterfaces]));
    expect(enis).toEqual({ 'c5.large': 3, 'c5.xlarge': 4 });
    await expect(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['z9.huge' as never] }))).rejects.toMatchObject({ name: 'InvalidInstanceType' });
  });
});

describe('EC2 launch templates', () => {
  it('creates a template and a new default version', async () => {
    const lt = await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lab-ecs-hosts', LaunchTemplateData: { ImageId: oldAmi, InstanceType: 'c5.large' }, TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }] }),
    );
    expect(lt.LaunchTemplate).toMatchObject({ LaunchTemplateName: 'lab-ecs-hosts', DefaultVersionNumber: 1, LatestVersionNumber: 1 });
    const v2 = await ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateName: 'lab-ecs-hosts',
        SourceVersion: '1',
        LaunchTemplateData: { ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' },
      }),
    );
    expect(v2.LaunchTemplateVersion?.VersionNumber).toBe(2);
    expect(v2.LaunchTemplateVersion?.LaunchTemplateData?.InstanceType).toBe('c5.large');
    await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: 'lab-ecs-hosts', DefaultVersion: '2' }));
    const resolved = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'lab-ecs-hosts', Versions: ['$Default'], ResolveAlias: true }));
    expect(resolved.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId).toBe(newAmi);
    const list = await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:ecs-lab:managed', Values: ['true'] }] }));
    expect(list.LaunchTemplates?.[0]?.DefaultVersionNumber).toBe(2);
  });

  it('rejects duplicates and unknown templates', async () => {
    await expect(ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lab-ecs-hosts', LaunchTemplateData: { InstanceType: 'c5.large' } }))).rejects.toMatchObject({
      name: 'InvalidLaunchTemplateName.AlreadyExistsException',
    });
    await expect(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['ghost'] }))).rejects.toMatchObject({ name: 'InvalidLaunchTemplateName.NotFoundException' });
    await expect(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'lab-ecs-hosts', Versions: ['9'] }))).rejects.toMatchObject({
      name: 'InvalidLaunchTemplateId.VersionNotFound',
    });
  });
});

describe('EC2 instances', () => {
  it('runs from a launch template, describes with filters and terminates', async () => {
    const run = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '$Latest' }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'host' }] }] }));
    const id = run.Instances![0]!.InstanceId!;
    expect(run.Instances![0]!.ImageId).toBe(newAmi);
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['host'] }, { Name: 'instance-state-name', Values: ['running'] }] }));
    expect(out.Reservations?.[0]?.Instances?.[0]?.InstanceId).toBe(id);
    const term = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(term.TerminatingInstances?.[0]?.CurrentState?.Name).toBe('terminated');
    await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-00000000000000000'] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
    await expect(ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: 'ami-00000000', InstanceType: 'c5.large' }))).rejects.toMatchObject({
      name: 'InvalidAMIID.NotFound',
    });
  });

  it('gives each instance a primary network interface, and a public address in a default subnet', async () => {
    const run = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: newAmi, InstanceType: 'c5.large' }));
    const launched = run.Instances![0]!;
    expect(launched.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const instance = await describeInstance(launched.InstanceId!);
    expect(instance.PublicIpAddress).toBe(launched.PublicIpAddress);
    expect(instance.NetworkInterfaces).toEqual([
      expect.objectContaining({
        NetworkInterfaceId: expect.stringMatching(/^eni-[0-9a-f]{17}$/),
        SubnetId: instance.SubnetId,
        VpcId: instance.VpcId,
        PrivateIpAddress: instance.PrivateIpAddress,
        Groups: instance.SecurityGroups,
        Attachment: expect.objectContaining({ AttachmentId: expect.stringMatching(/^eni-attach-/), DeviceIndex: 0, Status: 'attached', DeleteOnTermination: true, AttachTime: expect.any(Date) }),
        Association: { IpOwnerId: 'amazon', PublicIp: instance.PublicIpAddress, PublicDnsName: instance.PublicDnsName },
        Status: 'in-use',
        MacAddress: expect.stringMatching(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/),
        OwnerId: '000000000000',
        InterfaceType: 'interface',
      }),
    ]);
    const eniId = instance.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }));
    expect(enis.NetworkInterfaces![0]).toMatchObject({
      Attachment: { InstanceId: instance.InstanceId, InstanceOwnerId: '000000000000', DeviceIndex: 0, Status: 'attached', DeleteOnTermination: true },
      Association: { IpOwnerId: 'amazon', PublicIp: instance.PublicIpAddress },
      PrivateIpAddress: instance.PrivateIpAddress,
      Status: 'in-use',
    });
    const byPublicIp = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'ip-address', Values: [instance.PublicIpAddress!] }] }));
    expect(byPublicIp.Reservations?.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([instance.InstanceId]);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] }));
    await expect(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).rejects.toMatchObject({ name: 'InvalidNetworkInterfaceID.NotFound' });
    const terminated = await describeInstance(instance.InstanceId!);
    expect(terminated.NetworkInterfaces).toEqual([]);
    expect(terminated.PublicIpAddress).toBeUndefined();
  });

  it('names addresses as EC2 does: private ip-names always, public names only in VPCs with DNS hostnames on', async () => {
    // The default VPC has DNS hostnames on (us-east-1 spellings).
    const inDefault = (await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: newAmi, InstanceType: 'c5.large' }))).Instances![0]!;
    expect(inDefault.PrivateDnsName).toBe(`ip-${inDefault.PrivateIpAddress!.replaceAll('.', '-')}.ec2.internal`);
    expect(inDefault.PublicDnsName).toBe(`ec2-${inDefault.PublicIpAddress!.replaceAll('.', '-')}.compute-1.amazonaws.com`);
    const byName = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'dns-name', Values: [inDefault.PublicDnsName!] }] }));
    expect(byName.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([inDefault.InstanceId]);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [inDefault.InstanceId!] }));

    // A new VPC elsewhere starts with DNS hostnames off.
    const west = new EC2Client(clientConfig(sandbox.url, '000000000000', 'eu-west-1'));
    const vpc = (await west.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await west.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.8.1.0/24', AvailabilityZone: 'eu-west-1a' }))).Subnet!.SubnetId!;
    expect((await west.send(new DescribeVpcAttributeCommand({ VpcId: vpc, Attribute: 'enableDnsHostnames' }))).EnableDnsHostnames).toEqual({ Value: false });
    expect((await west.send(new DescribeVpcAttributeCommand({ VpcId: vpc, Attribute: 'enableDnsSupport' }))).EnableDnsSupport).toEqual({ Value: true });
    const westAmi = (await west.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
    const launched = (
      await west.send(
        new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: westAmi, InstanceType: 'c5.large', NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet, AssociatePublicIpAddress: true }] }),
      )
    ).Instances![0]!;
    expect(launched.PrivateDnsName).toBe(`ip-${launched.PrivateIpAddress!.replaceAll('.', '-')}.eu-west-1.compute.internal`);
    expect(launched.PublicIpAddress).toBeDefined();
    expect(launched.PublicDnsName).toBe('');

    // Turning hostnames on names the running instance and its interface.
    await west.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true } }));
    const expected = `ec2-${launched.PublicIpAddress!.replaceAll('.', '-')}.eu-west-1.compute.amazonaws.com`;
    const described = (await west.send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(described.PublicDnsName).toBe(expected);
    expect(described.NetworkInterfaces![0]!.Association).toEqual({ IpOwnerId: 'amazon', PublicIp: launched.PublicIpAddress, PublicDnsName: expected });
    expect((await west.send(new DescribeVpcAttributeCommand({ VpcId: vpc, Attribute: 'enableDnsHostnames' }))).EnableDnsHostnames).toEqual({ Value: true });

    await expect(west.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: false }, EnableDnsSupport: { Value: true } }))).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
      message: 'Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames',
    });
    await expect(west.send(new DescribeVpcAttributeCommand({ VpcId: vpc, Attribute: 'enableEverything' as never }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(west.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-0000000000000000a', Attribute: 'enableDnsSupport' }))).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
    west.destroy();
  });

  it('describes and terminates an instance saved before instances had network interfaces', async () => {
    // An account snapshot as the sandbox wrote it before: the instance record names no interfaces.
    const tmp = tempDir();
    const account = '000000000051';
    const id = 'i-0123456789abcdef0';
    const instance = { InstanceId: id, ImageId: newAmi, InstanceType: 'c5.large', State: { Code: 16, Name: 'running' }, SubnetId: 'subnet-0123456789abcdef0', LaunchTime: { $date: 1_700_000_000_000 }, NetworkInterfaces: [] };
    const saved = { vpcs: {}, subnets: {}, securityGroups: {}, rules: {}, flowLogs: {}, launchTemplates: {}, images: {}, instances: { [id]: { instance, reservationId: 'r-0123456789abcdef0' } }, networkInterfaces: {}, tags: {} };
    let old: RunningSandbox | undefined;
    let client: EC2Client | undefined;
    try {
      mkdirSync(join(tmp.dir, 'accounts'));
      writeFileSync(join(tmp.dir, 'accounts', `${account}.json`), JSON.stringify({ version: 1, state: { regional: { 'us-east-1': { ec2: saved } }, global: {} } }));
      old = await startTestSandbox({ dataDir: tmp.dir });
      client = new EC2Client(clientConfig(old.url, account));
      const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      expect(out.Reservations![0]!.Instances![0]).toMatchObject({ InstanceId: id, State: { Name: 'running' }, NetworkInterfaces: [] });
      const enis = await client.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }));
      expect(enis.NetworkInterfaces).toEqual([]);
      const term = await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      expect(term.TerminatingInstances?.[0]?.CurrentState?.Name).toBe('terminated');
    } finally {
      client?.destroy();
      await old?.close();
      tmp.remove();
    }
  });

  it('answers DryRun with DryRunOperation', async () => {
    await expect(ec2.send(new DescribeInstancesCommand({ DryRun: true }))).rejects.toMatchObject({ name: 'DryRunOperation' });
  });

  it('deletes a launch template', async () => {
    const out = await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'lab-ecs-hosts' }));
    expect(out.LaunchTemplate?.LaunchTemplateName).toBe('lab-ecs-hosts');
  });
});

describe('EC2 instance profiles', () => {
  let profile: InstanceProfile;

  it('shows the IAM instance profile named by Name or Arn', async () => {
    profile = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ip3', Path: '/lab/' }))).InstanceProfile!;
    const expected = { Arn: 'arn:aws:iam::000000000000:instance-profile/lab/ip3', Id: profile.InstanceProfileId };
    expect(profile.InstanceProfileId).toMatch(/^AIPA/);
    const byName = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: newAmi, InstanceType: 'c5.large', IamInstanceProfile: { Name: 'ip3' } }));
    expect(byName.Instances![0]!.IamInstanceProfile).toEqual(expected);
    const byArn = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: newAmi, InstanceType: 'c5.large', IamInstanceProfile: { Arn: profile.Arn } }));
    expect((await describeInstance(byArn.Instances![0]!.InstanceId!)).IamInstanceProfile).toEqual(expected);
    const filtered = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'iam-instance-profile.arn', Values: [profile.Arn!] }] }));
    expect(filtered.Reservations?.flatMap((r) => r.Instances!.map((i) => i.InstanceId)).sort()).toEqual([byName.Instances![0]!.InstanceId, byArn.Instances![0]!.InstanceId].sort());
  });

  it('launches with the instance profile of a launch template, by Name or Arn', async () => {
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lab-profile-by-name', LaunchTemplateData: { ImageId: newAmi, InstanceType: 'c5.large', IamInstanceProfile: { Name: 'ip3' } } }));
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lab-profile-by-arn', LaunchTemplateData: { ImageId: newAmi, InstanceType: 'c5.large', IamInstanceProfile: { Arn: profile.Arn } } }));
    for (const name of ['lab-profile-by-name', 'lab-profile-by-arn']) {
      const run = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: name } }));
      expect((await describeInstance(run.Instances![0]!.InstanceId!)).IamInstanceProfile).toEqual({ Arn: profile.Arn, Id: profile.InstanceProfileId });
    }
  });

  it('rejects a missing instance profile, named directly or by a launch template', async () => {
    const launch = { MinCount: 1, MaxCount: 1, ImageId: newAmi, InstanceType: 'c5.large' as const };
    await expect(ec2.send(new RunInstancesCommand({ ...launch, IamInstanceProfile: { Name: 'nope' } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    });
    const missingArn = 'arn:aws:iam::000000000000:instance-profile/nope';
    await expect(ec2.send(new RunInstancesCommand({ ...launch, IamInstanceProfile: { Arn: missingArn } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: `Value (${missingArn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
    });
    // The profile exists, but not under this path.
    await expect(ec2.send(new RunInstancesCommand({ ...launch, IamInstanceProfile: { Arn: 'arn:aws:iam::000000000000:instance-profile/ip3' } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lab-missing-profile', LaunchTemplateData: { ImageId: newAmi, InstanceType: 'c5.large', IamInstanceProfile: { Name: 'nope' } } }));
    await expect(ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'lab-missing-profile' } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    });
  });

  it('launches Auto Scaling instances with the template\'s profile, and refuses a group whose template names a missing one', async () => {
    const asg = new AutoScalingClient(clientConfig(sandbox.url));
    try {
      const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));
      const group = { MinSize: 0, MaxSize: 1, DesiredCapacity: 1, VPCZoneIdentifier: subnets.Subnets![0]!.SubnetId };
      await expect(asg.send(new CreateAutoScalingGroupCommand({ ...group, AutoScalingGroupName: 'lab-missing-profile', LaunchTemplate: { LaunchTemplateName: 'lab-missing-profile' } }))).rejects.toMatchObject({
        name: 'ValidationError',
        message: 'You must use a valid fully-formed launch template. Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
      });
      await asg.send(new CreateAutoScalingGroupCommand({ ...group, AutoScalingGroupName: 'lab-profile', LaunchTemplate: { LaunchTemplateName: 'lab-profile-by-arn' } }));
      const described = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['lab-profile'] }));
      const instance = await describeInstance(described.AutoScalingGroups![0]!.Instances![0]!.InstanceId!);
      expect(instance.IamInstanceProfile).toEqual({ Arn: profile.Arn, Id: profile.InstanceProfileId });
      expect(instance.NetworkInterfaces).toHaveLength(1);

      // A refresh to a template naming a missing profile is refused before any instance goes.
      await expect(
        asg.send(
          new StartInstanceRefreshCommand({
            AutoScalingGroupName: 'lab-profile',
            DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'lab-missing-profile', Version: '$Latest' } },
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('Invalid IAM Instance Profile name') });
      const after = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['lab-profile'] }))).AutoScalingGroups![0]!;
      expect(after.Instances!.map((i) => i.InstanceId)).toEqual([instance.InstanceId]);
      expect(after.LaunchTemplate?.LaunchTemplateName).toBe('lab-profile-by-arn');
    } finally {
      asg.destroy();
    }
  });
});
