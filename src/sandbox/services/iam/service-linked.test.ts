import { CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateClusterCommand, DeleteClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteRoleCommand,
  DeleteServiceLinkedRoleCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsgLab } from '../autoscaling/test-setup.js';
import { startAsgLab } from '../autoscaling/test-setup.js';
import { clientConfig } from '../../test-helpers.js';

const ACCOUNT = '000000000061';
let lab: AsgLab;
let iam: IAMClient;

/** The error an SDK call failed with, as name and message. */
async function failure(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as Error;
    return { name: err.name, message: err.message };
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  // startAsgLab creates cluster lab-prod: ECS's first cluster in this account.
  lab = await startAsgLab(ACCOUNT);
  iam = new IAMClient(clientConfig(lab.sandbox.url, ACCOUNT));
});
afterAll(async () => {
  iam.destroy();
  await lab.close();
});

describe('service-linked roles created on first use', () => {
  it('gives the account AWSServiceRoleForECS with its first cluster, trusted by ECS and carrying its managed policy', async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }));
    expect(Role).toMatchObject({
      Path: '/aws-service-role/ecs.amazonaws.com/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    });
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toMatchObject({ Statement: [{ Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForECS' }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AmazonECSServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy' }]);
    // A second cluster reuses it; asking IAM for it again is refused as in AWS.
    await lab.ecs.send(new CreateClusterCommand({ clusterName: 'lab-dev' }));
    const linked = (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/' }))).Roles!.map((r) => r.RoleName);
    expect(linked.filter((n) => n === 'AWSServiceRoleForECS')).toHaveLength(1);
    expect(await failure(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' })))).toEqual({
      name: 'InvalidInputException',
      message: 'Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.',
    });
  });

  it('gives the account AWSServiceRoleForAutoScaling with its first group, and checks a named one exists', async () => {
    await expect(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    const base = { LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts', Version: '$Latest' }, MinSize: 0, MaxSize: 1, VPCZoneIdentifier: lab.subnets };
    const missing = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_nope`;
    expect(await failure(lab.asg.send(new CreateAutoScalingGroupCommand({ ...base, AutoScalingGroupName: 'named', ServiceLinkedRoleARN: missing })))).toEqual({
      name: 'ValidationError',
      message: 'ARN specified for Service-Linked Role does not exist.',
    });
    await expect(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });

    await lab.asg.send(new CreateAutoScalingGroupCommand({ ...base, AutoScalingGroupName: 'first' }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling' }));
    const groups = await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['first'] }));
    expect(groups.AutoScalingGroups![0]!.ServiceLinkedRoleARN).toBe(Role!.Arn);

    // A suffixed role of its own (Auto Scaling takes a CustomSuffix) is accepted by name.
    const own = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'lab', Description: 'lab hosts' }));
    expect(own.Role).toMatchObject({ RoleName: 'AWSServiceRoleForAutoScaling_lab', Description: 'lab hosts', Path: '/aws-service-role/autoscaling.amazonaws.com/' });
    await lab.asg.send(new CreateAutoScalingGroupCommand({ ...base, AutoScalingGroupName: 'named', ServiceLinkedRoleARN: own.Role!.Arn }));
    const named = (await lab.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['named'] }))).AutoScalingGroups![0]!;
    // Only the group that uses this role keeps it.
    const inUse = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling_lab' }));
    const status = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: inUse.DeletionTaskId }));
    expect(status.Reason!.RoleUsageList).toEqual([{ Region: 'us-east-1', Resources: [named.AutoScalingGroupARN] }]);
    await lab.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'named', ForceDelete: true }));
    const freed = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForAutoScaling_lab' }));
    expect((await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: freed.DeletionTaskId }))).Status).toBe('SUCCEEDED');
  });
});

describe('CreateServiceLinkedRole', () => {
  it('refuses a suffix where the service takes none, and services it does not know', async () => {
    expect(await failure(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com', CustomSuffix: 'x' })))).toEqual({
      name: 'InvalidInputException',
      message: 'Custom suffix is not allowed for ecs.amazonaws.com',
    });
    const unknown = await failure(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'nonesuch.amazonaws.com' })));
    expect(unknown.name).toBe('InvalidInputException');
    expect(unknown.message).toContain('ecs.amazonaws.com, autoscaling.amazonaws.com, ecs.application-autoscaling.amazonaws.com');
  });

  it('creates Application Auto Scaling’s role for ECS services', async () => {
    const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.application-autoscaling.amazonaws.com' }));
    expect(Role).toMatchObject({ RoleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService', Path: '/aws-service-role/ecs.application-autoscaling.amazonaws.com/' });
  });
});

describe('protection', () => {
  it('lets only AWS change a service-linked role: policies, trust, deletion and session length are refused', async () => {
    const protectedMessage = "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is only modifiable by AWS";
    const refused = { name: 'UnmodifiableEntityException', message: protectedMessage };
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    expect(await failure(iam.send(new PutRolePolicyCommand({ RoleName: 'AWSServiceRoleForECS', PolicyName: 'x', PolicyDocument: doc })))).toEqual(refused);
    expect(await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'AWSServiceRoleForECS', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })))).toEqual(refused);
    expect(await failure(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'AWSServiceRoleForECS', PolicyDocument: doc })))).toEqual(refused);
    expect(await failure(iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForECS' })))).toEqual(refused);
    expect(await failure(iam.send(new UpdateRoleCommand({ RoleName: 'AWSServiceRoleForECS', MaxSessionDuration: 7200 })))).toEqual({
      name: 'UnmodifiableEntityException',
      message: 'AWSServiceRoleForECS is an AWS service linked role, max session duration cannot be changed.',
    });
    // Description and tags remain the customer's.
    await iam.send(new UpdateRoleCommand({ RoleName: 'AWSServiceRoleForECS', Description: 'ours' }));
    await iam.send(new TagRoleCommand({ RoleName: 'AWSServiceRoleForECS', Tags: [{ Key: 'team', Value: 'platform' }] }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }));
    expect(Role).toMatchObject({ Description: 'ours', Tags: [{ Key: 'team', Value: 'platform' }], MaxSessionDuration: 3600 });
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForECS' }))).AttachedPolicies).toHaveLength(1);
  });
});

describe('DeleteServiceLinkedRole', () => {
  it('fails while the service has resources in any Region, naming them, and deletes once they are gone', async () => {
    const west = new ECSClient(clientConfig(lab.sandbox.url, ACCOUNT, 'eu-west-1'));
    await west.send(new CreateClusterCommand({ clusterName: 'far-away' }));
    const first = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForECS' }));
    expect(first.DeletionTaskId).toMatch(/^task\/aws-service-role\/ecs\.amazonaws\.com\/AWSServiceRoleForECS\/[0-9a-f-]{36}$/);
    const failed = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: first.DeletionTaskId }));
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason!.RoleUsageList).toEqual([
      { Region: 'eu-west-1', Resources: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/far-away`] },
      { Region: 'us-east-1', Resources: [`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/lab-dev`, `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/lab-prod`] },
    ]);
    await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }));

    await west.send(new DeleteClusterCommand({ cluster: 'far-away' }));
    for (const cluster of ['lab-dev', 'lab-prod']) await lab.ecs.send(new DeleteClusterCommand({ cluster }));
    west.destroy();
    const second = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForECS' }));
    expect((await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: second.DeletionTaskId }))).Status).toBe('SUCCEEDED');
    await expect(iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    // The next cluster brings it back.
    await lab.ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod' }));
    await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }));
  });

  it('refuses roles that are not service-linked and unknown deletion tasks', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'plain', AssumeRolePolicyDocument: trust }));
    expect((await failure(iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'plain' })))).name).toBe('InvalidInputException');
    await iam.send(new GetRoleCommand({ RoleName: 'plain' }));
    const unknown = 'task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/00000000-0000-0000-0000-000000000000';
    expect((await failure(iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: unknown })))).name).toBe('NoSuchEntityException');
  });
});
