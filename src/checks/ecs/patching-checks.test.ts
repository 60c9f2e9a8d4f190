import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplateVersionsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  type ContainerInstance,
  type Service,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../../../test/helpers/check-context.js';
import type { CheckDefinition } from '../types.js';
import capacityProvider from './ecs-capacity-provider-managed.js';
import containerInstancesAmi from './ecs-container-instances-ami.js';
import platformCurrent from './ecs-fargate-platform-current.js';
import zeroDowntime from './ecs-service-zero-downtime.js';

const ecs = mockClient(ECSClient);
const ec2 = mockClient(EC2Client);
const asg = mockClient(AutoScalingClient);
const ssm = mockClient(SSMClient);
afterEach(() => {
  ecs.reset();
  ec2.reset();
  asg.reset();
  ssm.reset();
});

const SVC_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/lab-prod/storefront';
const OLD = 'ami-0000000000000a0d1';
const NEW = 'ami-00000000000000bee';
const RECOMMENDED = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended';
const GROUP_ARN = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1111:autoScalingGroupName/lab-ecs-hosts';

async function run(check: CheckDefinition, params: Record<string, unknown>) {
  return check.run(testContext(), check.params.parse(params));
}

function storefront(over: Partial<Service> = {}) {
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: 'storefront',
        serviceArn: SVC_ARN,
        status: 'ACTIVE',
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        platformFamily: 'Linux',
        desiredCount: 2,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'] } },
        deployments: [{ status: 'PRIMARY', platformVersion: '1.4.0', desiredCount: 2, runningCount: 2 }],
        ...over,
      },
    ],
  });
}

function zones(map: Record<string, string>) {
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: Object.entries(map).map(([SubnetId, AvailabilityZone]) => ({ SubnetId, AvailabilityZone })) });
}

function recommended(imageId = NEW) {
  ssm.on(GetParameterCommand, { Name: RECOMMENDED }).resolves({
    Parameter: { Name: RECOMMENDED, Value: JSON.stringify({ image_id: imageId, image_name: 'al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-x86_64', schema_version: 1 }) },
  });
}

describe('ecs-fargate-platform-current', () => {
  const params = { cluster: 'lab-prod', service: 'storefront' };
  it('passes when the service asks for LATEST and its PRIMARY deployment runs it', async () => {
    storefront({ platformVersion: 'LATEST', deployments: [{ status: 'PRIMARY', platformVersion: 'LATEST', desiredCount: 2, runningCount: 2 }] });
    const out = await run(platformCurrent, params);
    expect(out).toMatchObject({ status: 'pass', resources: [SVC_ARN] });
    expect(out.message).toBe('Service lab-prod/storefront asks for platform version LATEST, and its PRIMARY deployment runs LATEST on all 2 task(s).');
  });
  it('passes when pinned to the version LATEST stands for (1.4.0)', async () => {
    storefront();
    expect((await run(platformCurrent, params)).status).toBe('pass');
  });
  it('fails when pinned to 1.3.0', async () => {
    storefront({ platformVersion: '1.3.0', deployments: [{ status: 'PRIMARY', platformVersion: '1.3.0', desiredCount: 1, runningCount: 1 }] });
    expect((await run(platformCurrent, params)).message).toBe('Service lab-prod/storefront is pinned to platform version 1.3.0; the current Linux version is 1.4.0 (LATEST).');
  });
  it('fails when the setting changed but the PRIMARY deployment still runs the old version', async () => {
    storefront({ platformVersion: 'LATEST', deployments: [{ status: 'PRIMARY', platformVersion: '1.3.0', desiredCount: 2, runningCount: 2 }] });
    expect((await run(platformCurrent, params)).message).toContain('its PRIMARY deployment still runs 1.3.0: start a new deployment');
  });
  it('fails while an older deployment still runs', async () => {
    storefront({ deployments: [{ status: 'PRIMARY', platformVersion: '1.4.0', desiredCount: 2, runningCount: 1 }, { status: 'ACTIVE', platformVersion: '1.3.0' }] });
    expect((await run(platformCurrent, params)).message).toContain('is still rolling out platform version 1.4.0 (1/2 tasks, 1 older deployment(s) still running)');
  });
  it('uses the Windows version for a Windows service', async () => {
    storefront({ platformFamily: 'WINDOWS_SERVER_2022_CORE', platformVersion: '1.4.0' });
    expect((await run(platformCurrent, params)).message).toContain('the current Windows version is 1.0.0');
  });
  it('fails when the service does not run on Fargate, and when it is missing', async () => {
    storefront({ launchType: 'EC2', platformVersion: undefined });
    expect((await run(platformCurrent, params)).message).toContain('does not run on Fargate (launch type EC2)');
    ecs.on(DescribeServicesCommand).resolves({ services: [] });
    expect(await run(platformCurrent, params)).toMatchObject({ status: 'fail', message: 'Service lab-prod/storefront does not exist.' });
  });
  it('a failed read rejects (the engine reports it as error, never fail)', async () => {
    ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(run(platformCurrent, params)).rejects.toThrow();
  });
});

describe('ecs-service-zero-downtime', () => {
  const params = { cluster: 'lab-prod', service: 'storefront' };
  it('passes with two tasks, min 100, max 200 over two zones', async () => {
    storefront();
    zones({ 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' });
    const out = await run(zeroDowntime, params);
    expect(out.status).toBe('pass');
    expect(out.message).toBe('Service lab-prod/storefront runs 2 tasks with minimumHealthyPercent 100 and maximumPercent 200 across us-east-1a, us-east-1b, so a replacement starts before a task stops.');
  });
  it('passes with maximumPercent 150 for two tasks (floor(3) = 3) and with the defaults unset', async () => {
    storefront({ deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 150 } });
    zones({ 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' });
    expect((await run(zeroDowntime, params)).status).toBe('pass');
    storefront({ deploymentConfiguration: undefined });
    expect((await run(zeroDowntime, params)).status).toBe('pass');
  });
  it('fails on the starting state, naming every shortfall', async () => {
    storefront({ desiredCount: 1, deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 }, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } } });
    zones({ 'subnet-a': 'us-east-1a' });
    const out = await run(zeroDowntime, params);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('desiredCount is 1; with fewer than 2 tasks');
    expect(out.message).toContain('minimumHealthyPercent 0 lets ECS go down to 0 of 1 running task(s)');
    expect(out.message).toContain('maximumPercent 100 allows at most 1 task(s) at once');
    expect(out.message).toContain('its subnets (subnet-a) span 1 Availability Zone(s) (us-east-1a), fewer than 2');
  });
  it('fails when maximumPercent leaves no room for one more task (3 tasks at 130%)', async () => {
    storefront({ desiredCount: 3, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 130 } });
    zones({ 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' });
    expect((await run(zeroDowntime, params)).message).toBe(
      'Service lab-prod/storefront: maximumPercent 130 allows at most 3 task(s) at once, so ECS must stop a task before its replacement starts (floor(3 x 130 / 100) = 3, needs at least 4).',
    );
  });
  it('fails when two subnets share one zone', async () => {
    storefront();
    zones({ 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1a' });
    expect((await run(zeroDowntime, params)).message).toContain('span 1 Availability Zone(s) (us-east-1a)');
  });
  it('fails when minimumHealthyPercent lets a task go (2 tasks at 50%)', async () => {
    storefront({ deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200 } });
    zones({ 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' });
    expect((await run(zeroDowntime, params)).message).toContain('minimumHealthyPercent 50 lets ECS go down to 1 of 2');
  });
  it('reads the subnets once per run', async () => {
    storefront();
    zones({ 'subnet-a': 'us-east-1a', 'subnet-b': 'us-east-1b' });
    const ctx = testContext();
    await zeroDowntime.run(ctx, zeroDowntime.params.parse(params));
    await zeroDowntime.run(ctx, zeroDowntime.params.parse(params));
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(1);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });
});

describe('ecs-container-instances-ami', () => {
  const host = (id: string, ami: string, arch = 'x86_64'): ContainerInstance => ({
    containerInstanceArn: `arn:aws:ecs:us-east-1:123456789012:container-instance/lab-prod/${id}`,
    ec2InstanceId: `i-${id}`,
    status: 'ACTIVE',
    attributes: [
      { name: 'ecs.ami-id', value: ami },
      { name: 'ecs.cpu-architecture', value: arch },
    ],
  });
  function hosts(list: ContainerInstance[]) {
    ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: list.map((h) => h.containerInstanceArn!) });
    ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: list });
  }
  function group(version = '$Default', created = new Date('2026-01-01T00:00:00Z'), image = NEW) {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [{ AutoScalingGroupName: 'lab-ecs-hosts', AutoScalingGroupARN: GROUP_ARN, LaunchTemplate: { LaunchTemplateId: 'lt-1', LaunchTemplateName: 'lab-ecs-hosts', Version: version } } as AutoScalingGroup],
    });
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [{ LaunchTemplateId: 'lt-1', LaunchTemplateName: 'lab-ecs-hosts', VersionNumber: 2, CreateTime: created, LaunchTemplateData: { ImageId: image } }],
    });
  }
  const params = { cluster: 'lab-prod', autoScalingGroup: 'lab-ecs-hosts' };

  it('passes when every ACTIVE container instance reports the recommended AMI', async () => {
    recommended();
    hosts([host('a', NEW), host('b', NEW)]);
    const out = await run(containerInstancesAmi, params);
    expect(out.status).toBe('pass');
    expect(out.message).toBe('All 2 ACTIVE container instance(s) of cluster lab-prod (i-a, i-b) report the recommended AMI ami-00000000000000bee (al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-x86_64).');
    expect(asg.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(0);
  });
  it('fails naming the instances still on an older AMI', async () => {
    recommended();
    hosts([host('a', OLD), host('b', NEW)]);
    group();
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    const out = await run(containerInstancesAmi, params);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('Cluster lab-prod still has 1 of 2 container instance(s) on an older AMI: i-a (ami-0000000000000a0d1)');
    expect(out.message).toContain('No instance refresh of Auto Scaling group lab-ecs-hosts has succeeded since launch template lab-ecs-hosts version 2 ($Default) was created at 2026-01-01T00:00:00.000Z.');
  });
  it('passes when an instance refresh succeeded after the template version was created', async () => {
    recommended();
    hosts([host('a', OLD)]);
    group();
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [{ InstanceRefreshId: 'r-1', Status: 'Successful', StartTime: new Date('2026-01-02T00:00:00Z'), EndTime: new Date('2026-01-02T00:10:00Z') }],
    });
    const out = await run(containerInstancesAmi, params);
    expect(out.status).toBe('pass');
    expect(out.message).toContain('Instance refresh r-1 of Auto Scaling group lab-ecs-hosts succeeded at 2026-01-02T00:10:00.000Z');
  });
  it('fails when the only successful refresh predates the template version', async () => {
    recommended();
    hosts([host('a', OLD)]);
    group();
    asg.on(DescribeInstanceRefreshesCommand).resolves({
      InstanceRefreshes: [{ InstanceRefreshId: 'r-0', Status: 'Successful', StartTime: new Date('2025-12-31T00:00:00Z') }, { InstanceRefreshId: 'r-1', Status: 'Cancelled', StartTime: new Date('2026-01-02T00:00:00Z') }],
    });
    const out = await run(containerInstancesAmi, params);
    expect(out.status).toBe('fail');
    expect(out.message).toContain('(the latest one, r-1, started 2026-01-02T00:00:00.000Z, is Cancelled)');
  });
  it('fails when a refresh succeeded but the template still launches an old AMI', async () => {
    recommended();
    hosts([host('a', OLD)]);
    group('$Default', new Date('2026-01-01T00:00:00Z'), OLD);
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [{ InstanceRefreshId: 'r-1', Status: 'Successful', StartTime: new Date('2026-01-02T00:00:00Z') }] });
    expect((await run(containerInstancesAmi, params)).message).toContain('An instance refresh would not help yet');
  });
  it('fails when the cluster has no ACTIVE container instances', async () => {
    recommended();
    hosts([]);
    expect((await run(containerInstancesAmi, { cluster: 'lab-prod' })).message).toBe(
      'Cluster lab-prod has no ACTIVE container instances, so no host is known to run the recommended AMI ami-00000000000000bee (al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-x86_64).',
    );
  });
  it('compares arm64 hosts with the arm64 recommended parameter', async () => {
    recommended();
    ssm.on(GetParameterCommand, { Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended' }).resolves({ Parameter: { Value: JSON.stringify({ image_id: 'ami-0000000000000abc' }) } });
    hosts([host('a', NEW), host('g', 'ami-0000000000000abc', 'arm64')]);
    expect((await run(containerInstancesAmi, { cluster: 'lab-prod' })).status).toBe('pass');
  });
  it('reports error, not fail, when the target lacks the public parameter', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('nope'), { name: 'ParameterNotFound', code: 'ParameterNotFound' }));
    hosts([host('a', OLD)]);
    expect(await run(containerInstancesAmi, { cluster: 'lab-prod' })).toMatchObject({ status: 'error' });
  });
});

describe('ecs-capacity-provider-managed', () => {
  const params = { cluster: 'lab-prod', autoScalingGroup: 'lab-ecs-hosts' };
  function provider(settings: { scaling?: 'ENABLED' | 'DISABLED'; protection?: 'ENABLED' | 'DISABLED'; draining?: 'ENABLED' | 'DISABLED' }, groupRef = GROUP_ARN) {
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'lab-prod', status: 'ACTIVE', capacityProviders: ['lab-ecs-hosts'] }] });
    ecs.on(DescribeCapacityProvidersCommand).resolves({
      capacityProviders: [
        {
          name: 'lab-ecs-hosts',
          status: 'ACTIVE',
          capacityProviderArn: 'arn:aws:ecs:us-east-1:123456789012:capacity-provider/lab-ecs-hosts',
          autoScalingGroupProvider: {
            autoScalingGroupArn: groupRef,
            managedScaling: { status: settings.scaling },
            managedTerminationProtection: settings.protection,
            managedDraining: settings.draining,
          },
        },
      ],
    });
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'lab-ecs-hosts', AutoScalingGroupARN: GROUP_ARN } as AutoScalingGroup] });
  }
  it('passes when managed scaling, termination protection and draining are ENABLED', async () => {
    provider({ scaling: 'ENABLED', protection: 'ENABLED', draining: 'ENABLED' });
    expect(await run(capacityProvider, params)).toMatchObject({
      status: 'pass',
      message: 'Capacity provider lab-ecs-hosts of cluster lab-prod (Auto Scaling group lab-ecs-hosts) has managed scaling, managed termination protection and managed draining ENABLED.',
    });
  });
  it('fails naming each setting that is off', async () => {
    provider({ scaling: 'DISABLED', protection: 'DISABLED', draining: 'DISABLED' });
    expect((await run(capacityProvider, params)).message).toBe(
      'Capacity provider lab-ecs-hosts of cluster lab-prod (Auto Scaling group lab-ecs-hosts) has managed scaling DISABLED, managed termination protection DISABLED, managed draining DISABLED; all three must be ENABLED.',
    );
  });
  it('fails when only draining is missing', async () => {
    provider({ scaling: 'ENABLED', protection: 'ENABLED', draining: 'DISABLED' });
    expect((await run(capacityProvider, params)).message).toContain('has managed draining DISABLED;');
  });
  it('finds a provider that names its group by name instead of ARN', async () => {
    provider({ scaling: 'ENABLED', protection: 'ENABLED', draining: 'ENABLED' }, 'lab-ecs-hosts');
    expect((await run(capacityProvider, params)).status).toBe('pass');
  });
  it('ignores a provider left over from an earlier group of the same name (another ARN), ahead of the live one', async () => {
    provider({ scaling: 'DISABLED', protection: 'DISABLED', draining: 'DISABLED' });
    const live = (await new ECSClient({}).send(new DescribeCapacityProvidersCommand({}))).capacityProviders![0]!;
    const stale = { ...live, name: 'lab-ecs-hosts-v2', capacityProviderArn: `${live.capacityProviderArn}-v2`, autoScalingGroupProvider: { autoScalingGroupArn: GROUP_ARN.replace(':1111:', ':0000:'), managedScaling: { status: 'ENABLED' as const }, managedTerminationProtection: 'ENABLED' as const, managedDraining: 'ENABLED' as const } };
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'lab-prod', status: 'ACTIVE', capacityProviders: ['lab-ecs-hosts-v2', 'lab-ecs-hosts'] }] });
    ecs.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: [stale, live] });
    expect(await run(capacityProvider, params)).toMatchObject({ status: 'fail', message: expect.stringMatching(/^Capacity provider lab-ecs-hosts of cluster lab-prod .* managed draining DISABLED;/) });
  });
  it('fails when no provider of the cluster manages the group', async () => {
    provider({ scaling: 'ENABLED', protection: 'ENABLED', draining: 'ENABLED' }, 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:2:autoScalingGroupName/other');
    expect((await run(capacityProvider, params)).message).toBe(
      'Cluster lab-prod has no capacity provider for Auto Scaling group lab-ecs-hosts (its providers: lab-ecs-hosts), so ECS neither scales nor drains those hosts.',
    );
  });
});
