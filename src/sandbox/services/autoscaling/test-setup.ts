/**
 * Shared setup for the Auto Scaling tests: a sandbox, clients for one account, an ECS cluster and
 * a launch template whose user data joins it, using an outdated ECS-optimized AMI (as the
 * patching scenario starts).
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Instance } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, DescribeContainerInstancesCommand, ECSClient, ListContainerInstancesCommand } from '@aws-sdk/client-ecs';
import type { ContainerInstance } from '@aws-sdk/client-ecs';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

/** Everything an Auto Scaling test needs. */
export interface AsgLab {
  sandbox: RunningSandbox;
  asg: AutoScalingClient;
  ec2: EC2Client;
  ecs: ECSClient;
  oldAmi: string;
  /** Subnets in two Availability Zones, comma-separated. */
  subnets: string;
  close(): Promise<void>;
}

/** User data that makes the ECS agent join `cluster`. */
export function joinCluster(cluster: string): string {
  return Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config\n`).toString('base64');
}

/** Starts a sandbox with cluster `lab-prod` and launch template `lab-ecs-hosts` (old AMI). */
export async function startAsgLab(account: string): Promise<AsgLab> {
  const sandbox = await startTestSandbox();
  const config = clientConfig(sandbox.url, account);
  const asg = new AutoScalingClient(config);
  const ec2 = new EC2Client(config);
  const ecs = new ECSClient(config);
  await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod' }));
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-ecs-hvm-*-x86_64'] }] }));
  const oldAmi = [...images.Images!].sort((a, b) => a.CreationDate!.localeCompare(b.CreationDate!))[0]!.ImageId!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
  const twoZones = [...subnets].sort((a, b) => a.AvailabilityZone!.localeCompare(b.AvailabilityZone!)).slice(0, 2);
  await ec2.send(
    new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lab-ecs-hosts', LaunchTemplateData: { ImageId: oldAmi, InstanceType: 'c5.large', UserData: joinCluster('lab-prod') } }),
  );
  return {
    sandbox,
    asg,
    ec2,
    ecs,
    oldAmi,
    subnets: twoZones.map((s) => s.SubnetId).join(','),
    async close() {
      asg.destroy();
      ec2.destroy();
      ecs.destroy();
      await sandbox.close();
    },
  };
}

/** Running EC2 instances launched by a group (by its `aws:autoscaling:groupName` tag). */
export async function groupEc2Instances(lab: AsgLab, group: string): Promise<Instance[]> {
  const out = await lab.ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: [group] }, { Name: 'instance-state-name', Values: ['running'] }] }),
  );
  return out.Reservations!.flatMap((r) => r.Instances ?? []);
}

/** The ACTIVE container instances of `lab-prod`. */
export async function containerInstances(lab: AsgLab): Promise<ContainerInstance[]> {
  const arns = (await lab.ecs.send(new ListContainerInstancesCommand({ cluster: 'lab-prod', status: 'ACTIVE' }))).containerInstanceArns ?? [];
  return describeHosts(lab, arns);
}

/** Container instances of `lab-prod` by ARN (deregistered ones read INACTIVE). */
export async function describeHosts(lab: AsgLab, arns: readonly string[]): Promise<ContainerInstance[]> {
  if (arns.length === 0) return [];
  return (await lab.ecs.send(new DescribeContainerInstancesCommand({ cluster: 'lab-prod', containerInstances: [...arns] }))).containerInstances ?? [];
}

/** A container instance's `ecs.ami-id` attribute. */
export function amiOf(ci: ContainerInstance): string | undefined {
  return ci.attributes?.find((a) => a.name === 'ecs.ami-id')?.value;
}
