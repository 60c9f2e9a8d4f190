import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ec2: EC2Client;
let oldAmi: string;
let newAmi: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ec2 = new EC2Client(clientConfig(sandbox.url));
});
afterAll(async () => {
  ec2.destroy();
  await sandbox.close();
});

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

  it('answers DryRun with DryRunOperation', async () => {
    await expect(ec2.send(new DescribeInstancesCommand({ DryRun: true }))).rejects.toMatchObject({ name: 'DryRunOperation' });
  });

  it('deletes a launch template', async () => {
    const out = await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'lab-ecs-hosts' }));
    expect(out.LaunchTemplate?.LaunchTemplateName).toBe('lab-ecs-hosts');
  });
});
