import { AutoScalingClient, DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../../../test/helpers/check-context.js';
import templateAmi from './autoscaling-launch-template-ami.js';
import { parameterForArchitecture } from './groups.js';

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
afterEach(() => {
  asg.reset();
  ec2.reset();
  ssm.reset();
});

const RECOMMENDED = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended';
const NEW = 'ami-00000000000000bee';
const OLD = 'ami-0000000000000a0d1';

function group(over: Partial<AutoScalingGroup> = {}) {
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'lab-ecs-hosts',
        AutoScalingGroupARN: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/lab-ecs-hosts',
        LaunchTemplate: { LaunchTemplateId: 'lt-1', LaunchTemplateName: 'lab-ecs-hosts', Version: '$Default' },
        ...over,
      } as AutoScalingGroup,
    ],
  });
}

function template(imageId: string, versionNumber = 2) {
  ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
    LaunchTemplateVersions: [{ LaunchTemplateId: 'lt-1', LaunchTemplateName: 'lab-ecs-hosts', VersionNumber: versionNumber, LaunchTemplateData: { ImageId: imageId } }],
  });
}

function recommended() {
  ssm.on(GetParameterCommand, { Name: RECOMMENDED }).resolves({
    Parameter: { Value: JSON.stringify({ image_id: NEW, image_name: 'al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-x86_64' }) },
  });
}

const run = (params: Record<string, unknown> = {}) => templateAmi.run(testContext(), templateAmi.params.parse({ autoScalingGroup: 'lab-ecs-hosts', ...params }));

describe('autoscaling-launch-template-ami', () => {
  it('passes when the version the group uses has the recommended image id', async () => {
    group();
    template(NEW);
    recommended();
    const out = await run();
    expect(out.status).toBe('pass');
    expect(out.message).toBe(
      `Auto Scaling group lab-ecs-hosts launches from launch template lab-ecs-hosts version 2 ($Default), which launches ${NEW} (al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-x86_64), the AMI ${RECOMMENDED} recommends.`,
    );
    expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand)[0]!.args[0].input).toMatchObject({ LaunchTemplateId: 'lt-1', Versions: ['$Default'] });
  });
  it('fails when it launches an older image', async () => {
    group();
    template(OLD, 1);
    recommended();
    const out = await run();
    expect(out.status).toBe('fail');
    expect(out.message).toBe(
      `Auto Scaling group lab-ecs-hosts launches from launch template lab-ecs-hosts version 1 ($Default), which launches ${OLD}, but ${RECOMMENDED} recommends ${NEW} (al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-x86_64).`,
    );
  });
  it('passes for resolve:ssm: of the parameter, with or without /image_id', async () => {
    group();
    recommended();
    template(`resolve:ssm:${RECOMMENDED}/image_id`);
    expect((await run()).status).toBe('pass');
    template(`resolve:ssm:${RECOMMENDED}`);
    expect((await run()).status).toBe('pass');
  });
  it('fails for resolve:ssm: of another parameter', async () => {
    group();
    recommended();
    template('resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id');
    expect((await run()).message).toContain('whose image resolves SSM parameter /aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id, not');
  });
  it('judges a pinned resolve:ssm: version by the image it names', async () => {
    group();
    recommended();
    ssm.on(GetParameterCommand, { Name: `${RECOMMENDED}/image_id:3` }).resolves({ Parameter: { Value: OLD } });
    template(`resolve:ssm:${RECOMMENDED}/image_id:3`);
    expect((await run()).message).toContain(`is pinned to ${RECOMMENDED}/image_id:3 = ${OLD}`);
  });
  it('resolves a numeric version and a mixed instances policy', async () => {
    group({ LaunchTemplate: undefined, MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateName: 'lab-ecs-hosts', Version: '2' } } } });
    template(NEW);
    recommended();
    const out = await run();
    expect(out.message).toContain('launch template lab-ecs-hosts version 2, which launches');
    expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand)[0]!.args[0].input).toMatchObject({ LaunchTemplateName: 'lab-ecs-hosts', Versions: ['2'] });
  });
  it('fails when the group or the template version is missing, or it uses a launch configuration', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    expect(await run()).toMatchObject({ status: 'fail', message: 'Auto Scaling group lab-ecs-hosts does not exist.' });
    group();
    ec2.on(DescribeLaunchTemplateVersionsCommand).rejects(Object.assign(new Error('gone'), { name: 'InvalidLaunchTemplateId.NotFound', code: 'InvalidLaunchTemplateId.NotFound' }));
    expect(await run()).toMatchObject({ status: 'fail', message: 'Auto Scaling group lab-ecs-hosts uses launch template lab-ecs-hosts version $Default, which does not exist.' });
    group({ LaunchTemplate: undefined, LaunchConfigurationName: 'old-lc' });
    expect((await run()).message).toContain('launches from launch configuration old-lc');
  });
  it('reports error when the recommended parameter cannot be found, and rejects on a failed read', async () => {
    group();
    template(NEW);
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('missing'), { name: 'ParameterNotFound', code: 'ParameterNotFound' }));
    expect(await run()).toMatchObject({ status: 'error' });
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', code: 'AccessDeniedException' }));
    await expect(run()).rejects.toThrow('denied');
  });
  it('reads the group, the version and the parameter once per run', async () => {
    group();
    template(NEW);
    recommended();
    const ctx = testContext();
    const p = templateAmi.params.parse({ autoScalingGroup: 'lab-ecs-hosts' });
    await templateAmi.run(ctx, p);
    await templateAmi.run(ctx, p);
    expect(asg.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });
});

describe('parameterForArchitecture', () => {
  it('maps recommended to its arm64 variant for arm64 hosts only', () => {
    expect(parameterForArchitecture(RECOMMENDED, 'arm64')).toBe('/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended');
    expect(parameterForArchitecture(RECOMMENDED, 'x86_64')).toBe(RECOMMENDED);
    expect(parameterForArchitecture(`${RECOMMENDED}/image_id`, 'arm64')).toBe(`${RECOMMENDED}/image_id`);
  });
});
