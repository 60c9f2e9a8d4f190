import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteFlowLogsCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { Filter } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ec2: EC2Client;
let vpcId: string;
let albSg: string;
let authSg: string;
const lab = [{ Key: 'ecs-lab:managed', Value: 'true' }];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ec2 = new EC2Client(clientConfig(sandbox.url));
});
afterAll(async () => {
  ec2.destroy();
  await sandbox.close();
});

describe('EC2 VPCs, subnets and zones', () => {
  it('has a default VPC with a default subnet per zone', async () => {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    expect(vpcs.Vpcs).toHaveLength(1);
    const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(zones.AvailabilityZones?.map((z) => z.ZoneName)).toContain('us-east-1a');
    const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));
    expect(subnets.Subnets).toHaveLength(zones.AvailabilityZones!.length);
  });

  it('creates the lab VPC with tags and subnets, filtered by tag', async () => {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'lab-vpc' }, ...lab] }] }));
    vpcId = vpc.Vpc!.VpcId!;
    expect(vpc.Vpc?.Tags).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'lab-vpc' }]));
    await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }));
    await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1b' }));
    const byTag = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['lab-*'] }] }));
    expect(byTag.Vpcs?.map((v) => v.VpcId)).toEqual([vpcId]);
    const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(subnets.Subnets?.map((s) => s.AvailabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1b']);
  });

  it('rejects bad CIDRs, overlaps, unknown ids and filters', async () => {
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/25' }))).rejects.toMatchObject({ name: 'InvalidSubnet.Conflict' });
    await expect(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '192.168.0.0/24' }))).rejects.toMatchObject({ name: 'InvalidSubnet.Range' });
    await expect(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0000'] }))).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
    await expect(ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: 'DependencyViolation' });
  });
});

describe('EC2 security groups', () => {
  it('creates groups with a default egress rule and rejects duplicates', async () => {
    albSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lab-alb-sg', Description: 'alb', VpcId: vpcId }))).GroupId!;
    authSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'auth-sg', Description: 'auth', VpcId: vpcId, TagSpecifications: [{ ResourceType: 'security-group', Tags: lab }] }))).GroupId!;
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [authSg] }));
    expect(out.SecurityGroups?.[0]?.IpPermissionsEgress?.[0]?.IpRanges).toEqual([{ CidrIp: '0.0.0.0/0' }]);
    expect(out.SecurityGroups?.[0]?.Tags).toEqual(lab);
    await expect(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'auth-sg', Description: 'x', VpcId: vpcId }))).rejects.toMatchObject({ name: 'InvalidGroup.Duplicate' });
    await expect(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'default', Description: 'x', VpcId: vpcId }))).rejects.toMatchObject({ name: 'InvalidGroup.Reserved' });
  });

  it('authorizes CIDR and group-pair ingress, and shows it in both describe forms', async () => {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: authSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const pair = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: authSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, UserIdGroupPairs: [{ GroupId: albSg, Description: 'from alb' }] }] }),
    );
    expect(pair.SecurityGroupRules?.[0]?.ReferencedGroupInfo?.GroupId).toBe(albSg);
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [authSg] }));
    expect(out.SecurityGroups?.[0]?.IpPermissions).toEqual(
      expect.arrayContaining([expect.objectContaining({ FromPort: 8443, UserIdGroupPairs: [{ GroupId: albSg, UserId: '000000000000', Description: 'from alb' }] })]),
    );
    const open = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.cidr', Values: ['0.0.0.0/0'] }, { Name: 'vpc-id', Values: [vpcId] }] }));
    expect(open.SecurityGroups?.map((g) => g.GroupId)).toEqual([authSg]);
    const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [authSg] }] }));
    expect(rules.SecurityGroupRules).toHaveLength(3);
    await expect(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: authSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, UserIdGroupPairs: [{ GroupId: albSg }] }] })),
    ).rejects.toMatchObject({ name: 'InvalidPermission.Duplicate' });
  });

  it('revokes ingress by permission and egress by rule id', async () => {
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: authSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await expect(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: authSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })),
    ).rejects.toMatchObject({ name: 'InvalidPermission.NotFound' });
    const egress = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [albSg] }] }));
    const ruleId = egress.SecurityGroupRules!.find((r) => r.IsEgress)!.SecurityGroupRuleId!;
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: albSg, SecurityGroupRuleIds: [ruleId] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: albSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, UserIdGroupPairs: [{ GroupId: authSg }] }] }));
    const after = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [albSg] }));
    expect(after.SecurityGroups?.[0]?.IpPermissionsEgress).toEqual([expect.objectContaining({ FromPort: 8443, IpProtocol: 'tcp' })]);
  });

  it('refuses to delete a referenced or default group, then deletes', async () => {
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: albSg }))).rejects.toMatchObject({ name: 'DependencyViolation' });
    const def = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }));
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: def.SecurityGroups![0]!.GroupId! }))).rejects.toMatchObject({ name: 'CannotDelete' });
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: authSg }))).rejects.toMatchObject({ name: 'DependencyViolation' });
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: albSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, UserIdGroupPairs: [{ GroupId: authSg }] }] }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: authSg }));
    await expect(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [authSg] }))).rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });
  });
});

describe('EC2 flow logs', () => {
  it('creates S3 (with prefix) and CloudWatch Logs flow logs', async () => {
    const s3 = await ec2.send(
      new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::lab-audit-000000000000/flow-logs/' }),
    );
    expect(s3.FlowLogIds).toHaveLength(1);
    expect(s3.Unsuccessful).toEqual([]);
    const cw = await ec2.send(
      new CreateFlowLogsCommand({ ResourceIds: [vpcId, 'vpc-0000'], ResourceType: 'VPC', TrafficType: 'REJECT', LogGroupName: '/lab/flow', DeliverLogsPermissionArn: 'arn:aws:iam::000000000000:role/flow' }),
    );
    expect(cw.FlowLogIds).toHaveLength(1);
    expect(cw.Unsuccessful?.[0]?.Error?.Code).toBe('InvalidVpcID.NotFound');
    const out = await ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpcId] }, { Name: 'traffic-type', Values: ['ALL'] }] }));
    expect(out.FlowLogs).toEqual([
      expect.objectContaining({ FlowLogStatus: 'ACTIVE', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::lab-audit-000000000000/flow-logs/', TrafficType: 'ALL' }),
    ]);
    const dup = await ec2.send(
      new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::lab-audit-000000000000/flow-logs/' }),
    );
    expect(dup.Unsuccessful?.[0]?.Error?.Code).toBe('FlowLogAlreadyExists');
  });

  it('rejects a bad destination and deletes flow logs', async () => {
    await expect(ec2.send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'bucket' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    const all = await ec2.send(new DescribeFlowLogsCommand({}));
    const del = await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [...all.FlowLogs!.map((f) => f.FlowLogId!), 'fl-0000'] }));
    expect(del.Unsuccessful?.map((u) => u.ResourceId)).toEqual(['fl-0000']);
  });
});

describe('EC2 network interfaces', () => {
  const ami = 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';

  async function eniIds(...filters: Filter[]): Promise<string[]> {
    const out = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }));
    return out.NetworkInterfaces!.map((n) => n.NetworkInterfaceId!).sort();
  }

  it('filters instance interfaces by attachment, private and public address', async () => {
    const subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'cidr-block', Values: ['10.0.1.0/24'] }] }))).Subnets![0]!;
    expect(subnet.MapPublicIpOnLaunch).toBe(false);
    const launch = { MinCount: 1, MaxCount: 1, ImageId: ami, InstanceType: 'c5.large' as const };
    const privateOnly = (await ec2.send(new RunInstancesCommand({ ...launch, SubnetId: subnet.SubnetId }))).Instances![0]!;
    expect(privateOnly.PublicIpAddress).toBeUndefined();
    // The interface's AssociatePublicIpAddress overrides the subnet's MapPublicIpOnLaunch.
    const run = await ec2.send(new RunInstancesCommand({ ...launch, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.SubnetId, AssociatePublicIpAddress: true }] }));
    const withPublic = run.Instances![0]!;
    expect(withPublic.PublicIpAddress).toBeDefined();
    const [first, second] = [privateOnly, withPublic].map((i) => i.NetworkInterfaces![0]!);
    expect(first!.Association).toBeUndefined();

    const inVpc = { Name: 'vpc-id', Values: [vpcId] };
    expect(await eniIds(inVpc, { Name: 'attachment.status', Values: ['attached'] })).toEqual([first!.NetworkInterfaceId, second!.NetworkInterfaceId].sort());
    expect(await eniIds({ Name: 'attachment.instance-id', Values: [privateOnly.InstanceId!] })).toEqual([first!.NetworkInterfaceId]);
    expect(await eniIds({ Name: 'attachment.attachment-id', Values: [second!.Attachment!.AttachmentId!] })).toEqual([second!.NetworkInterfaceId]);
    expect(await eniIds({ Name: 'addresses.private-ip-address', Values: [privateOnly.PrivateIpAddress!] }, inVpc)).toEqual([first!.NetworkInterfaceId]);
    expect(await eniIds({ Name: 'private-ip-address', Values: [withPublic.PrivateIpAddress!] }, inVpc)).toEqual([second!.NetworkInterfaceId]);
    expect(await eniIds({ Name: 'association.public-ip', Values: [withPublic.PublicIpAddress!] })).toEqual([second!.NetworkInterfaceId]);
    expect(await eniIds({ Name: 'attachment.instance-id', Values: ['i-00000000000000000'] })).toEqual([]);
    await expect(ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.bogus', Values: ['x'] }] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "The filter 'attachment.bogus' is invalid",
    });

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [privateOnly.InstanceId!, withPublic.InstanceId!] }));
    expect(await eniIds(inVpc)).toEqual([]);
    const terminated = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [withPublic.InstanceId!] }));
    expect(terminated.Reservations![0]!.Instances![0]!.NetworkInterfaces).toEqual([]);
  });
});

describe('EC2 tags', () => {
  it('creates, describes and deletes tags', async () => {
    await ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'ecs-lab:scenario', Value: 'network-isolation' }] }));
    const out = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [vpcId] }, { Name: 'key', Values: ['ecs-lab:*'] }] }));
    expect(out.Tags?.map((t) => t.Key).sort()).toEqual(['ecs-lab:managed', 'ecs-lab:scenario']);
    expect(out.Tags?.[0]?.ResourceType).toBe('vpc');
    await ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'ecs-lab:scenario' }] }));
    const keyed = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag-key', Values: ['ecs-lab:scenario'] }] }));
    expect(keyed.Vpcs).toEqual([]);
    await expect(ec2.send(new CreateTagsCommand({ Resources: ['vpc-0000'], Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({ name: 'InvalidID' });
  });

  it('deletes subnets and the VPC once empty', async () => {
    for (const g of (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).SecurityGroups!) {
      if (g.GroupName !== 'default') await ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId! }));
    }
    for (const s of (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets!) {
      await ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId! }));
    }
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
  });
});
