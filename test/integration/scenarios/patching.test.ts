/**
 * patching on the embedded sandbox, through the SDK: alternative valid fixes pass, partial fixes
 * fail exactly the step they leave unfinished.
 */
import { AutoScaling } from '@aws-sdk/client-auto-scaling';
import { EC2 } from '@aws-sdk/client-ec2';
import { ECS } from '@aws-sdk/client-ecs';
import { SSM } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../helpers/lab.js';

let lab: Lab;
let ecs: ECS;
let ec2: EC2;
let asg: AutoScaling;
let ssm: SSM;
beforeAll(async () => {
  lab = await startLab();
  ecs = new ECS(lab.clientConfig);
  ec2 = new EC2(lab.clientConfig);
  asg = new AutoScaling(lab.clientConfig);
  ssm = new SSM(lab.clientConfig);
});
afterAll(async () => {
  await lab?.close();
});
beforeEach(async () => {
  await lab.cli('reset', '--all');
  expect((await lab.cli('start', 'patching')).code).toBe(0);
});

const RECOMMENDED = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended';
const CHECK_STEPS = ['fargate-platform-current', 'retirement-without-downtime', 'retirement-schedule', 'hosts-launch-recommended-ami', 'hosts-replaced', 'safe-replacement'];

async function subnets(...names: string[]): Promise<string[]> {
  const out = await ec2.describeSubnets({ Filters: [{ Name: 'tag:Name', Values: names }] });
  return out.Subnets!.map((s) => s.SubnetId!);
}

async function storefrontGroups(): Promise<string[]> {
  const out = await ecs.describeServices({ cluster: 'lab-prod', services: ['storefront'] });
  return out.services![0]!.networkConfiguration!.awsvpcConfiguration!.securityGroups!;
}

async function recommendedImage(): Promise<string> {
  return (await ssm.getParameter({ Name: `${RECOMMENDED}/image_id` })).Parameter!.Value!;
}

/** A new version of lab-ecs-hosts with `imageId`; returns its number. */
async function templateVersion(imageId: string): Promise<string> {
  const out = await ec2.createLaunchTemplateVersion({ LaunchTemplateName: 'lab-ecs-hosts', SourceVersion: '1', LaunchTemplateData: { ImageId: imageId } });
  return String(out.LaunchTemplateVersion!.VersionNumber);
}

async function refreshAndWait(): Promise<void> {
  const { InstanceRefreshId } = await asg.startInstanceRefresh({ AutoScalingGroupName: 'lab-ecs-hosts' });
  for (let i = 0; i < 30; i++) {
    const out = await asg.describeInstanceRefreshes({ AutoScalingGroupName: 'lab-ecs-hosts', InstanceRefreshIds: [InstanceRefreshId!] });
    if (out.InstanceRefreshes![0]!.Status === 'Successful') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('instance refresh did not succeed');
}

async function message(step: string): Promise<string> {
  const report = await lab.check('patching');
  return report.steps.find((s) => s.id === step)!.checks.map((c) => c.message).join(' ');
}

describe('patching: valid fixes', () => {
  it('platform 1.4.0, maxPercent 150, a 14-day wait, a resolve:ssm: template on $Latest and a refresh all pass', async () => {
    await ecs.updateService({
      cluster: 'lab-prod',
      service: 'storefront',
      platformVersion: '1.4.0',
      desiredCount: 2,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 150 },
      networkConfiguration: { awsvpcConfiguration: { subnets: await subnets('lab-private-a', 'lab-private-b'), securityGroups: await storefrontGroups(), assignPublicIp: 'DISABLED' } },
    });
    await ecs.putAccountSettingDefault({ name: 'fargateTaskRetirementWaitPeriod', value: '14' });
    await templateVersion(`resolve:ssm:${RECOMMENDED}/image_id`);
    await asg.updateAutoScalingGroup({ AutoScalingGroupName: 'lab-ecs-hosts', LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '$Latest' } });
    await refreshAndWait();
    await ecs.updateCapacityProvider({
      name: 'lab-ecs-hosts',
      autoScalingGroupProvider: { managedScaling: { status: 'ENABLED', targetCapacity: 90 }, managedTerminationProtection: 'ENABLED', managedDraining: 'ENABLED' },
    });
    const s = await lab.statuses('patching');
    for (const step of CHECK_STEPS) expect(s[step], step).toBe('pass');
  });

  it('replacing the hosts by scaling out and back in, instead of an instance refresh, passes', async () => {
    const v = await templateVersion(await recommendedImage());
    await ec2.modifyLaunchTemplate({ LaunchTemplateName: 'lab-ecs-hosts', DefaultVersion: v });
    await asg.updateAutoScalingGroup({ AutoScalingGroupName: 'lab-ecs-hosts', DesiredCapacity: 4 });
    // Scale-in terminates the instances that do not run the current template version first.
    await asg.updateAutoScalingGroup({ AutoScalingGroupName: 'lab-ecs-hosts', DesiredCapacity: 2 });
    const s = await lab.statuses('patching');
    expect(s['hosts-launch-recommended-ami']).toBe('pass');
    expect(s['hosts-replaced']).toBe('pass');
    expect(await message('hosts-replaced')).toMatch(/^All 2 ACTIVE container instance\(s\) of cluster lab-prod/);
    expect((await asg.describeInstanceRefreshes({ AutoScalingGroupName: 'lab-ecs-hosts' })).InstanceRefreshes).toEqual([]);
  });

  it('three tasks at 100/200 across both zones pass the downtime step on their own (the platform step stays failed)', async () => {
    await ecs.updateService({
      cluster: 'lab-prod',
      service: 'storefront',
      desiredCount: 3,
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      networkConfiguration: { awsvpcConfiguration: { subnets: await subnets('lab-private-a', 'lab-private-b'), securityGroups: await storefrontGroups() } },
    });
    const s = await lab.statuses('patching');
    expect(s['retirement-without-downtime']).toBe('pass');
    expect(s['fargate-platform-current']).toBe('fail');
  });
});

describe('patching: partial fixes fail the unfinished step', () => {
  it('a template with the recommended AMI but no instance refresh fails only the hosts-replaced step', async () => {
    const v = await templateVersion(await recommendedImage());
    await ec2.modifyLaunchTemplate({ LaunchTemplateName: 'lab-ecs-hosts', DefaultVersion: v });
    const s = await lab.statuses('patching');
    expect(s['hosts-launch-recommended-ami']).toBe('pass');
    expect(s['hosts-replaced']).toBe('fail');
    const msg = await message('hosts-replaced');
    expect(msg).toMatch(/^Cluster lab-prod still has 2 of 2 container instance\(s\) on an older AMI: i-[0-9a-f]+ \(ami-[0-9a-f]+\), i-[0-9a-f]+ \(ami-[0-9a-f]+\);/);
    expect(msg).toContain('No instance refresh of Auto Scaling group lab-ecs-hosts has succeeded since launch template lab-ecs-hosts version 2 ($Default) was created');
  });

  it('a new template version that is not the default the group uses fails the template step', async () => {
    await templateVersion(await recommendedImage());
    expect((await lab.statuses('patching'))['hosts-launch-recommended-ami']).toBe('fail');
    expect(await message('hosts-launch-recommended-ami')).toContain('launch template lab-ecs-hosts version 1 ($Default), which launches');
  });

  it('an instance refresh before the template change replaces nothing that matters', async () => {
    await refreshAndWait();
    const v = await templateVersion(await recommendedImage());
    await ec2.modifyLaunchTemplate({ LaunchTemplateName: 'lab-ecs-hosts', DefaultVersion: v });
    const s = await lab.statuses('patching');
    expect(s['hosts-launch-recommended-ami']).toBe('pass');
    expect(s['hosts-replaced']).toBe('fail');
  });

  it('two tasks with min 100 but still one subnet fails the downtime step on the zones alone', async () => {
    await ecs.updateService({ cluster: 'lab-prod', service: 'storefront', desiredCount: 2, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 } });
    expect((await lab.statuses('patching'))['retirement-without-downtime']).toBe('fail');
    expect(await message('retirement-without-downtime')).toMatch(/^Service lab-prod\/storefront: its subnets \(subnet-[0-9a-f]+\) span 1 Availability Zone\(s\) \(us-east-1a\), fewer than 2\.$/);
  });

  it('managed scaling and termination protection without managed draining fails the safe-replacement step', async () => {
    await ecs.updateCapacityProvider({ name: 'lab-ecs-hosts', autoScalingGroupProvider: { managedScaling: { status: 'ENABLED' }, managedTerminationProtection: 'ENABLED' } });
    expect((await lab.statuses('patching'))['safe-replacement']).toBe('fail');
    expect(await message('safe-replacement')).toBe(
      'Capacity provider lab-ecs-hosts of cluster lab-prod (Auto Scaling group lab-ecs-hosts) has managed draining DISABLED; all three must be ENABLED.',
    );
  });
});

describe('patching: start and reset', () => {
  it('starts the hosts on the outdated AMI, is idempotent, and reset removes provider, group and template', async () => {
    const hosts = await ecs.listContainerInstances({ cluster: 'lab-prod', status: 'ACTIVE' });
    expect(hosts.containerInstanceArns).toHaveLength(2);
    const described = await ecs.describeContainerInstances({ cluster: 'lab-prod', containerInstances: hosts.containerInstanceArns! });
    const amis = new Set(described.containerInstances!.map((c) => c.attributes!.find((a) => a.name === 'ecs.ami-id')!.value));
    const old = await ssm.getParameter({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/al2023-ami-ecs-hvm-2023.0.20240109-kernel-6.1-x86_64/image_id' });
    expect([...amis]).toEqual([old.Parameter!.Value]);
    expect((await ecs.describeClusters({ clusters: ['lab-prod'] })).clusters![0]!.capacityProviders).toEqual(['lab-ecs-hosts']);

    const again = JSON.parse((await lab.cli('start', 'patching', '--json')).stdout) as { resources: Array<{ status: string }> };
    expect(again.resources.filter((r) => r.status !== 'found')).toEqual([]);

    const reset = await lab.cli('reset', 'patching', '--json');
    expect(reset.code, reset.stderr).toBe(0);
    expect((await asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['lab-ecs-hosts'] })).AutoScalingGroups).toEqual([]);
    expect((await ec2.describeLaunchTemplates({ Filters: [{ Name: 'launch-template-name', Values: ['lab-ecs-hosts'] }] })).LaunchTemplates).toEqual([]);
    expect((await ecs.describeClusters({ clusters: ['lab-prod'] })).clusters![0]).toMatchObject({ status: 'ACTIVE', capacityProviders: [] });
    expect((await ecs.listContainerInstances({ cluster: 'lab-prod', status: 'ACTIVE' })).containerInstanceArns).toEqual([]);
  });

  it('reset detaches the provider, removing the lab-cluster services that place tasks with it, and leaves the learner\'s own hosts alone', async () => {
    // The learner's own capacity, named like the lab's and without the lab tags.
    await ecs.createCluster({ clusterName: 'learner-cluster' });
    const image = await recommendedImage();
    await ec2.createLaunchTemplate({ LaunchTemplateName: 'learner-hosts', LaunchTemplateData: { ImageId: image, InstanceType: 't3.micro' } });
    await asg.createAutoScalingGroup({ AutoScalingGroupName: 'learner-hosts', LaunchTemplate: { LaunchTemplateName: 'learner-hosts' }, MinSize: 0, MaxSize: 1, DesiredCapacity: 1, VPCZoneIdentifier: (await subnets('lab-private-a')).join(',') });
    const arn = (await asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['learner-hosts'] })).AutoScalingGroups![0]!.AutoScalingGroupARN!;
    await ecs.createCapacityProvider({ name: 'learner-hosts', autoScalingGroupProvider: { autoScalingGroupArn: arn } });
    await ecs.putClusterCapacityProviders({ cluster: 'learner-cluster', capacityProviders: ['learner-hosts'], defaultCapacityProviderStrategy: [] });
    // A service in lab-prod that places its tasks with the lab provider.
    const td = await ecs.registerTaskDefinition({ family: 'learner-worker', requiresCompatibilities: ['EC2'], memory: '128', containerDefinitions: [{ name: 'w', image: 'busybox', essential: true }] });
    await ecs.createService({ cluster: 'lab-prod', serviceName: 'worker', taskDefinition: td.taskDefinition!.taskDefinitionArn, desiredCount: 1, capacityProviderStrategy: [{ capacityProvider: 'lab-ecs-hosts', weight: 1 }] });

    const reset = await lab.cli('reset', 'patching', '--json');
    expect(reset.code, reset.stderr).toBe(0);
    const removed = (JSON.parse(reset.stdout) as { removed: string[] }).removed;
    expect(removed).toContain('service worker in cluster lab-prod (placed its tasks with capacity provider lab-ecs-hosts)');
    expect(removed).toContain('capacity provider lab-ecs-hosts detached from cluster lab-prod');
    expect((await ecs.describeCapacityProviders({ capacityProviders: ['learner-hosts'] })).capacityProviders![0]!.status).toBe('ACTIVE');
    expect((await ecs.describeClusters({ clusters: ['learner-cluster'] })).clusters![0]!.capacityProviders).toEqual(['learner-hosts']);
    expect((await asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['learner-hosts'] })).AutoScalingGroups![0]!.Instances).toHaveLength(1);
    expect((await ec2.describeLaunchTemplates({ LaunchTemplateNames: ['learner-hosts'] })).LaunchTemplates).toHaveLength(1);
    // The learner's instance sits in a lab subnet, which the next reset could not delete.
    await ecs.putClusterCapacityProviders({ cluster: 'learner-cluster', capacityProviders: [], defaultCapacityProviderStrategy: [] });
    await ecs.deleteCapacityProvider({ capacityProvider: 'learner-hosts' });
    await asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'learner-hosts', ForceDelete: true });
    await ec2.deleteLaunchTemplate({ LaunchTemplateName: 'learner-hosts' });
  });

  it('a lab provider attached to a cluster the lab does not manage is reported as a leftover, not detached', async () => {
    await ecs.createCluster({ clusterName: 'learner-cluster' });
    await ecs.putClusterCapacityProviders({ cluster: 'learner-cluster', capacityProviders: ['lab-ecs-hosts'], defaultCapacityProviderStrategy: [] });
    const reset = await lab.cli('reset', 'patching', '--json');
    expect(reset.code).toBe(3);
    const leftovers = (JSON.parse(reset.stdout) as { leftovers: Array<{ type: string; why: string }> }).leftovers;
    expect(leftovers).toEqual([expect.objectContaining({ type: 'ecs-capacity-provider', why: expect.stringContaining('attached to cluster learner-cluster, which the lab does not manage') })]);
    expect((await ecs.describeClusters({ clusters: ['learner-cluster'] })).clusters![0]!.capacityProviders).toEqual(['lab-ecs-hosts']);
    await ecs.putClusterCapacityProviders({ cluster: 'learner-cluster', capacityProviders: [], defaultCapacityProviderStrategy: [] });
  });
});
