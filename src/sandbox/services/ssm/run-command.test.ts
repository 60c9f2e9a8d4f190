import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  DescribeInstancePatchStatesCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
  StartSessionCommand,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000033';
let sandbox: RunningSandbox;
let ssm: SSMClient;
let instanceId: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ssm = new SSMClient(clientConfig(sandbox.url, ACCOUNT));
  const ec2 = new EC2Client(clientConfig(sandbox.url, ACCOUNT));
  try {
    const out = await ec2.send(new RunInstancesCommand({ ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    instanceId = out.Instances![0]!.InstanceId!;
  } finally {
    ec2.destroy();
  }
});
afterAll(async () => {
  ssm.destroy();
  await sandbox.close();
});

describe('SSM Run Command and Session Manager without agents', () => {
  it('lists no managed nodes', async () => {
    const out = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }));
    expect(out.InstanceInformationList).toEqual([]);
    expect((await ssm.send(new DescribeInstanceInformationCommand({}))).InstanceInformationList).toEqual([]);
  });

  it('refuses commands to instances that are not managed nodes', async () => {
    await expect(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunPatchBaseline', InstanceIds: [instanceId], Parameters: { Operation: ['Install'] } }))).rejects.toMatchObject({
      name: 'InvalidInstanceId',
      message: `Instances [[${instanceId}]] not in a valid state for account ${ACCOUNT}`,
    });
    await expect(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', Targets: [{ Key: 'InstanceIds', Values: [instanceId] }], Parameters: { commands: ['yum update -y'] } }))).rejects.toMatchObject({ name: 'InvalidInstanceId' });
    await expect(ssm.send(new SendCommandCommand({ DocumentName: 'My-Unknown-Doc', InstanceIds: [instanceId] }))).rejects.toMatchObject({ name: 'InvalidDocument' });
    expect((await ssm.send(new ListCommandsCommand({}))).Commands).toEqual([]);
  });

  it('creates a command with no targets when targets match no managed node', async () => {
    const out = await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunPatchBaseline', Targets: [{ Key: 'tag:PatchGroup', Values: ['ecs-hosts'] }], Parameters: { Operation: ['Scan'] } }));
    const command = out.Command!;
    expect(command).toMatchObject({ DocumentName: 'AWS-RunPatchBaseline', TargetCount: 0, CompletedCount: 0, Status: 'Success', InstanceIds: [], Targets: [{ Key: 'tag:PatchGroup', Values: ['ecs-hosts'] }] });
    expect(command.CommandId).toMatch(/^[0-9a-f-]{36}$/);
    const listed = (await ssm.send(new ListCommandsCommand({ CommandId: command.CommandId }))).Commands!;
    expect(listed.map((c) => c.CommandId)).toEqual([command.CommandId]);
    expect((await ssm.send(new ListCommandInvocationsCommand({ CommandId: command.CommandId }))).CommandInvocations).toEqual([]);
    await expect(ssm.send(new GetCommandInvocationCommand({ CommandId: command.CommandId, InstanceId: instanceId }))).rejects.toMatchObject({ name: 'InvocationDoesNotExist' });
    await expect(ssm.send(new ListCommandsCommand({ CommandId: '00000000-0000-0000-0000-000000000000' }))).rejects.toMatchObject({ name: 'InvalidCommandId' });
  });

  it('refuses sessions: the target is not connected', async () => {
    await expect(ssm.send(new StartSessionCommand({ Target: instanceId }))).rejects.toMatchObject({ name: 'TargetNotConnected', message: `${instanceId} is not connected.` });
  });

  it('reports no patch states', async () => {
    expect((await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: [instanceId] }))).InstancePatchStates).toEqual([]);
  });

  it('authorises SendCommand on the document and the instances for an assumed role', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ssm:SendCommand', Resource: ['arn:aws:ssm:us-east-1::document/AWS-RunShellScript', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`] }],
    });
    const creds = await roleSession(sandbox.url, ACCOUNT, 'runner', policy);
    const role = new SSMClient({ ...clientConfig(sandbox.url, ACCOUNT), credentials: creds });
    try {
      await expect(role.send(new SendCommandCommand({ DocumentName: 'AWS-RunPatchBaseline', InstanceIds: [instanceId] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
      // Allowed on the document and the instance: the service's own answer.
      await expect(role.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [instanceId], Parameters: { commands: ['uptime'] } }))).rejects.toMatchObject({ name: 'InvalidInstanceId' });
      // Targets by tag name no instance up front: the instances are `*`, which the policy does not allow.
      await expect(role.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', Targets: [{ Key: 'tag:PatchGroup', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      role.destroy();
    }
  });

  it('keeps sent commands across a restart', async () => {
    const data = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: data.dir });
      let client = new SSMClient(clientConfig(box.url, ACCOUNT));
      const id = (await client.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', Targets: [{ Key: 'tag:Role', Values: ['web'] }], Parameters: { commands: ['uptime'] } }))).Command!.CommandId!;
      client.destroy();
      await box.close();
      box = await startTestSandbox({ dataDir: data.dir });
      client = new SSMClient(clientConfig(box.url, ACCOUNT));
      try {
        const [command] = (await client.send(new ListCommandsCommand({ CommandId: id }))).Commands!;
        expect(command).toMatchObject({ CommandId: id, Parameters: { commands: ['uptime'] }, RequestedDateTime: expect.any(Date) });
      } finally {
        client.destroy();
        await box.close();
      }
    } finally {
      data.remove();
    }
  });
});
