import {
  AuthorizeSecurityGroupIngressCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAccountAttributesCommand,
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeKeyPairsCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupReferencesCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyInstanceMetadataOptionsCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { Instance, InstanceAttributeName, NetworkInterfaceAttribute } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EC2_RULES } from '../../authz-ec2.js';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, ruleChecks, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
const clients: { destroy(): void }[] = [];
let ami: string;

/** An EC2 client of its own account, so that tests do not see each other's instances. */
function ec2Client(account: string): EC2Client {
  const c = new EC2Client(clientConfig(sandbox.url, account));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const images = await ec2Client('000000000050').send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-ecs-hvm-*'] }] }));
  ami = images.Images![0]!.ImageId!;
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await sandbox.close();
});

async function launch(ec2: EC2Client, extra: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}): Promise<Instance> {
  return (await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: ami, InstanceType: 'c5.large', ...extra }))).Instances![0]!;
}

async function describeInstance(ec2: EC2Client, id: string): Promise<Instance> {
  return (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
}

describe('instance metadata options', () => {
  it('come from the launch template, then the request, over IMDSv2-only defaults', async () => {
    const ec2 = ec2Client('000000000051');
    const plain = await launch(ec2);
    expect((await describeInstance(ec2, plain.InstanceId!)).MetadataOptions).toEqual({
      State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled',
    });
    await ec2.send(new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'lab-ecs-hosts',
      LaunchTemplateData: { ImageId: ami, InstanceType: 'c5.large', MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 1, InstanceMetadataTags: 'enabled' } },
    }));
    const fromTemplate = await launch(ec2, { ImageId: undefined, InstanceType: undefined, LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts' } });
    expect(fromTemplate.MetadataOptions).toMatchObject({ HttpTokens: 'optional', HttpPutResponseHopLimit: 1, InstanceMetadataTags: 'enabled', HttpEndpoint: 'enabled' });
    expect((await describeInstance(ec2, fromTemplate.InstanceId!)).MetadataOptions).toMatchObject({ HttpTokens: 'optional', HttpPutResponseHopLimit: 1 });
    const overridden = await launch(ec2, { ImageId: undefined, LaunchTemplate: { LaunchTemplateName: 'lab-ecs-hosts' }, MetadataOptions: { HttpTokens: 'required' } });
    expect(overridden.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1, InstanceMetadataTags: 'enabled' });
  });

  it('are changed by ModifyInstanceMetadataOptions, member by member, and shown by DescribeInstances', async () => {
    const ec2 = ec2Client('000000000052');
    const instance = await launch(ec2, { MetadataOptions: { HttpTokens: 'optional' } });
    const out = await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: instance.InstanceId, HttpTokens: 'required', HttpPutResponseHopLimit: 1 }));
    expect(out.InstanceId).toBe(instance.InstanceId);
    expect(out.InstanceMetadataOptions).toEqual({
      State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled',
    });
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: instance.InstanceId, HttpEndpoint: 'disabled', InstanceMetadataTags: 'enabled' }));
    expect((await describeInstance(ec2, instance.InstanceId!)).MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'disabled', InstanceMetadataTags: 'enabled' });
  });

  it('refuse unknown instances and values EC2 does not accept', async () => {
    const ec2 = ec2Client('000000000053');
    const instance = await launch(ec2);
    await expect(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-0123456789abcdef0', HttpTokens: 'required' }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
    await expect(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: instance.InstanceId, HttpPutResponseHopLimit: 65 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: instance.InstanceId, HttpTokens: 'sometimes' as 'required' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'bad-imds', LaunchTemplateData: { MetadataOptions: { HttpPutResponseHopLimit: 0 } } }))).resolves.toBeDefined();
    await expect(launch(ec2, { LaunchTemplate: { LaunchTemplateName: 'bad-imds' } })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    expect((await describeInstance(ec2, instance.InstanceId!)).MetadataOptions?.HttpTokens).toBe('required');
  });
});

describe('DescribeInstanceStatus', () => {
  it('lists running instances with ok checks, all of them with IncludeAllInstances, filtered by state and zone', async () => {
    const ec2 = ec2Client('000000000054');
    const a = await launch(ec2);
    const b = await launch(ec2);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [b.InstanceId!] }));
    const running = (await ec2.send(new DescribeInstanceStatusCommand({}))).InstanceStatuses!;
    expect(running).toEqual([{
      InstanceId: a.InstanceId,
      AvailabilityZone: a.Placement!.AvailabilityZone,
      InstanceState: { Code: 16, Name: 'running' },
      InstanceStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] },
      SystemStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] },
      AttachedEbsStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] },
    }]);
    // A named instance that is not running has no status either, unless all are asked for.
    expect((await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [b.InstanceId!] }))).InstanceStatuses).toEqual([]);
    const all = (await ec2.send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true }))).InstanceStatuses!;
    expect(all.map((s) => [s.InstanceId, s.InstanceState?.Name, s.InstanceStatus?.Status])).toEqual([
      [a.InstanceId, 'running', 'ok'],
      [b.InstanceId, 'terminated', 'not-applicable'],
    ]);
    const filtered = (filters: { Name: string; Values: string[] }[]) =>
      ec2.send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true, Filters: filters })).then((o) => o.InstanceStatuses!.map((s) => s.InstanceId));
    expect(await filtered([{ Name: 'instance-state-name', Values: ['terminated'] }])).toEqual([b.InstanceId]);
    expect(await filtered([{ Name: 'availability-zone', Values: [a.Placement!.AvailabilityZone!] }, { Name: 'instance-state-name', Values: ['running'] }])).toEqual([a.InstanceId]);
    expect(await filtered([{ Name: 'availability-zone', Values: ['us-east-1z'] }])).toEqual([]);
    await expect(ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ['i-0000000000000000a'] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
    await expect(ec2.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('DescribeInstanceAttribute', () => {
  it('answers each attribute as launched, and refuses an unknown one', async () => {
    const ec2 = ec2Client('000000000055');
    const userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=lab-prod >> /etc/ecs/ecs.config\n').toString('base64');
    const instance = await launch(ec2, { UserData: userData });
    const attribute = (Attribute: string) => ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instance.InstanceId, Attribute: Attribute as InstanceAttributeName }));
    expect(await attribute('instanceType')).toMatchObject({ InstanceId: instance.InstanceId, InstanceType: { Value: 'c5.large' } });
    expect((await attribute('userData')).UserData).toEqual({ Value: userData });
    expect((await attribute('groupSet')).Groups).toEqual(instance.SecurityGroups);
    expect((await attribute('disableApiTermination')).DisableApiTermination).toEqual({ Value: false });
    expect((await attribute('instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior).toEqual({ Value: 'stop' });
    expect((await attribute('sourceDestCheck')).SourceDestCheck).toEqual({ Value: true });
    expect((await attribute('rootDeviceName')).RootDeviceName).toEqual({ Value: '/dev/xvda' });
    const bare = await launch(ec2);
    expect((await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: bare.InstanceId, Attribute: 'userData' }))).UserData?.Value).toBeUndefined();
    await expect(attribute('colour')).rejects.toMatchObject({ name: 'InvalidParameterValue', message: 'Value (colour) for parameter attribute is invalid. Unknown attribute.' });
    await expect(ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: 'i-0000000000000000b', Attribute: 'instanceType' }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
  });
});

describe('network interface attributes', () => {
  it('change an instance\'s primary interface, which the instance reflects', async () => {
    const ec2 = ec2Client('000000000056');
    const instance = await launch(ec2);
    const eniId = instance.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const vpcId = instance.VpcId!;
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }))).GroupId!;
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: [sg] }));
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Description: { Value: 'front door' } }));
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, SourceDestCheck: { Value: false } }));
    const attribute = (Attribute: string) => ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Attribute: Attribute as NetworkInterfaceAttribute }));
    expect((await attribute('groupSet')).Groups).toEqual([{ GroupId: sg, GroupName: 'web' }]);
    expect((await attribute('description')).Description).toEqual({ Value: 'front door' });
    expect((await attribute('sourceDestCheck')).SourceDestCheck).toEqual({ Value: false });
    expect((await attribute('attachment')).Attachment).toMatchObject({ InstanceId: instance.InstanceId, DeviceIndex: 0, Status: 'attached' });
    const after = await describeInstance(ec2, instance.InstanceId!);
    expect(after.SecurityGroups).toEqual([{ GroupId: sg, GroupName: 'web' }]);
    expect(after.SourceDestCheck).toBe(false);
    expect((await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instance.InstanceId, Attribute: 'groupSet' }))).Groups).toEqual([{ GroupId: sg, GroupName: 'web' }]);
    expect((await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces![0]).toMatchObject({ Description: 'front door', SourceDestCheck: false });
  });

  it('refuse unknown interfaces, groups and attributes, two attributes at once, and more than five groups', async () => {
    const ec2 = ec2Client('000000000057');
    const instance = await launch(ec2);
    const eniId = instance.NetworkInterfaces![0]!.NetworkInterfaceId!;
    await expect(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: 'eni-0000000000000000c', Description: { Value: 'x' } }))).rejects.toMatchObject({
      name: 'InvalidNetworkInterfaceID.NotFound',
    });
    await expect(ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Attribute: 'colour' as NetworkInterfaceAttribute }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: ['sg-0000000000000000d'] }))).rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });
    await expect(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Description: { Value: 'x' }, SourceDestCheck: { Value: false } }))).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
    await expect(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId }))).rejects.toMatchObject({ name: 'MissingParameter' });
    const groups: string[] = [];
    for (let i = 0; i < 6; i++) groups.push((await ec2.send(new CreateSecurityGroupCommand({ GroupName: `g${i}`, Description: 'g', VpcId: instance.VpcId }))).GroupId!);
    await expect(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: groups }))).rejects.toMatchObject({
      name: 'SecurityGroupsPerInterfaceLimitExceeded',
      message: 'The maximum number of security groups per interface has been reached.',
    });
    const other = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    const foreign = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'elsewhere', Description: 'x', VpcId: other }))).GroupId!;
    await expect(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: [foreign] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    expect((await describeInstance(ec2, instance.InstanceId!)).SecurityGroups).toEqual(instance.SecurityGroups);
  });

  it('refuse changes to an ECS task\'s interface, whose groups change through the service', async () => {
    const account = '000000000058';
    const ec2 = ec2Client(account);
    const ecs = new ECSClient(clientConfig(sandbox.url, account));
    clients.push(ecs);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    const shared = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lab-shared-sg', Description: 'shared', VpcId: vpcId }))).GroupId!;
    const own = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'auth-service', Description: 'auth', VpcId: vpcId }))).GroupId!;
    await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod' }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'auth-service', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx' }],
    }));
    const awsvpc = (groups: string[]) => ({ awsvpcConfiguration: { subnets: [subnet], securityGroups: groups, assignPublicIp: 'DISABLED' as const } });
    await ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: 'auth-service', taskDefinition: 'auth-service', desiredCount: 1, launchType: 'FARGATE', networkConfiguration: awsvpc([shared]) }));
    const taskEnis = async () => (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'requester-managed', Values: ['true'] }] }))).NetworkInterfaces!;
    const [eni] = await taskEnis();
    expect(eni).toMatchObject({ RequesterManaged: true, Groups: [{ GroupId: shared }] });
    for (const change of [{ Groups: [own] }, { Description: { Value: 'mine' } }, { SourceDestCheck: { Value: false } }]) {
      await expect(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni!.NetworkInterfaceId, ...change }))).rejects.toMatchObject({
        name: 'AuthFailure',
        message: 'You do not have permission to access the specified resource.',
      });
    }
    expect((await ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni!.NetworkInterfaceId, Attribute: 'groupSet' }))).Groups).toEqual([{ GroupId: shared, GroupName: 'lab-shared-sg' }]);
    // The lesson: change the service's groups; its new tasks get interfaces with them.
    await ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'auth-service', networkConfiguration: awsvpc([own]) }));
    expect((await taskEnis()).map((n) => n.Groups?.map((g) => g.GroupId))).toContainEqual([own]);
  });
});

describe('security group references', () => {
  it('lists the other VPCs whose groups reference a group, none for references within its VPC', async () => {
    const ec2 = ec2Client('000000000059');
    const vpcA = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const vpcB = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const target = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'db', Description: 'db', VpcId: vpcA }))).GroupId!;
    const sameVpc = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: vpcA }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sameVpc, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: target }] }] }));
    expect((await ec2.send(new DescribeSecurityGroupReferencesCommand({ GroupId: [target] }))).SecurityGroupReferenceSet).toEqual([]);
    const peer = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'peer', Description: 'peer', VpcId: vpcB }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: peer, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: target }] }] }));
    expect((await ec2.send(new DescribeSecurityGroupReferencesCommand({ GroupId: [target, sameVpc] }))).SecurityGroupReferenceSet).toEqual([{ GroupId: target, ReferencingVpcId: vpcB }]);
    await expect(ec2.send(new DescribeSecurityGroupReferencesCommand({ GroupId: ['sg-0000000000000000e'] }))).rejects.toMatchObject({
      name: 'InvalidGroup.NotFound',
      message: "The security group 'sg-0000000000000000e' does not exist",
    });
  });
});

describe('account attributes, key pairs and addresses', () => {
  it('reports the platform, the default VPC and the quotas, by name too', async () => {
    const ec2 = ec2Client('000000000060');
    const defaultVpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId;
    const all = (await ec2.send(new DescribeAccountAttributesCommand({}))).AccountAttributes!;
    const values = Object.fromEntries(all.map((a) => [a.AttributeName, a.AttributeValues!.map((v) => v.AttributeValue)]));
    expect(values).toEqual({
      'supported-platforms': ['VPC'],
      'default-vpc': [defaultVpc],
      'max-instances': ['20'],
      'vpc-max-security-groups-per-interface': ['5'],
      'max-elastic-ips': ['5'],
      'vpc-max-elastic-ips': ['5'],
    });
    const some = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc'] }));
    expect(some.AccountAttributes).toEqual([{ AttributeName: 'default-vpc', AttributeValues: [{ AttributeValue: defaultVpc }] }]);
    await expect(ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['colour' as 'default-vpc'] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('has no key pairs or Elastic IPs, and names the unknown ones as AWS does', async () => {
    const ec2 = ec2Client('000000000061');
    await launch(ec2);
    expect((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs).toEqual([]);
    expect((await ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: ['lab-*'] }] }))).KeyPairs).toEqual([]);
    await expect(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['lab-key'] }))).rejects.toMatchObject({ name: 'InvalidKeyPair.NotFound', message: "The key pair 'lab-key' does not exist" });
    await expect(ec2.send(new DescribeKeyPairsCommand({ KeyPairIds: ['key-0123456789abcdef0'] }))).rejects.toMatchObject({ name: 'InvalidKeyPair.NotFound' });
    // Auto-assigned public addresses are Amazon's, not Elastic IPs.
    expect((await ec2.send(new DescribeAddressesCommand({}))).Addresses).toEqual([]);
    await expect(ec2.send(new DescribeAddressesCommand({ PublicIps: ['3.1.2.3'] }))).rejects.toMatchObject({ name: 'InvalidAddress.NotFound', message: "Address '3.1.2.3' not found." });
    await expect(ec2.send(new DescribeAddressesCommand({ AllocationIds: ['eipalloc-0123456789abcdef0'] }))).rejects.toMatchObject({ name: 'InvalidAllocationID.NotFound' });
    await expect(ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('IAM authorisation of instance and interface changes', () => {
  const resources = ruleChecks(EC2_RULES, '000000000062');
  const arn = (type: string, id: string) => `arn:aws:ec2:us-east-1:000000000062:${type}/${id}`;

  it('names the instance, and the interface with the groups it is given', () => {
    expect(resources('ModifyInstanceMetadataOptions', { InstanceId: 'i-1', HttpTokens: 'required' })).toEqual([`ec2:ModifyInstanceMetadataOptions ${arn('instance', 'i-1')}`]);
    expect(resources('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-1', Groups: ['sg-1'] })).toEqual([
      `ec2:ModifyNetworkInterfaceAttribute ${arn('network-interface', 'eni-1')}`,
      `ec2:ModifyNetworkInterfaceAttribute ${arn('security-group', 'sg-1')}`,
    ]);
    expect(resources('DescribeInstanceStatus', {})).toEqual(['ec2:DescribeInstanceStatus *']);
  });
});
