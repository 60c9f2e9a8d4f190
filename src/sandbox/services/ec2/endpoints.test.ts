import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
} from '@aws-sdk/client-ec2';
import type { Filter, NetworkInterface } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EC2_RULES } from '../../authz-ec2.js';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, forgetStateKeys, ruleChecks, startTestSandbox, tempDir } from '../../test-helpers.js';

let sandbox: RunningSandbox;
const clients: EC2Client[] = [];

/** An EC2 client of its own account, so that tests do not see each other's endpoints. */
function client(account: string, url = sandbox.url): EC2Client {
  const c = new EC2Client(clientConfig(url, account));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await sandbox.close();
});

const SM = 'com.amazonaws.us-east-1.secretsmanager';
const FULL_ACCESS = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

/** A lab-like VPC (DNS hostnames off, as CreateVpc leaves them) with two private subnets in two zones. */
async function labVpc(ec2: EC2Client, dnsHostnames = true): Promise<{ vpcId: string; subnets: string[]; defaultGroup: string }> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  if (dnsHostnames) await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const subnets: string[] = [];
  for (const [i, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i + 1}.0/24`, AvailabilityZone: zone }))).Subnet!.SubnetId!);
  }
  const defaultGroup = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0]!.GroupId!;
  return { vpcId, subnets, defaultGroup };
}

async function endpointEnis(ec2: EC2Client, ...filters: Filter[]): Promise<NetworkInterface[]> {
  return (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'interface-type', Values: ['vpc_endpoint'] }, ...filters] }))).NetworkInterfaces!;
}

describe('interface endpoints', () => {
  it('are created available, with one requester-managed interface per subnet carrying the endpoint\'s groups', async () => {
    const ec2 = client('000000000070');
    const { vpcId, subnets } = await labVpc(ec2);
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'endpoints', Description: 'HTTPS from tasks', VpcId: vpcId }))).GroupId!;
    const created = (await ec2.send(new CreateVpcEndpointCommand({
      VpcId: vpcId,
      ServiceName: SM,
      VpcEndpointType: 'Interface',
      SubnetIds: subnets,
      SecurityGroupIds: [sg],
      TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'Name', Value: 'secrets' }] }],
    }))).VpcEndpoint!;
    expect(created).toMatchObject({
      VpcEndpointId: expect.stringMatching(/^vpce-[0-9a-f]{17}$/),
      VpcEndpointType: 'Interface',
      VpcId: vpcId,
      ServiceName: SM,
      State: 'available',
      PolicyDocument: FULL_ACCESS,
      SubnetIds: subnets,
      Groups: [{ GroupId: sg, GroupName: 'endpoints' }],
      PrivateDnsEnabled: true,
      RequesterManaged: false,
      OwnerId: '000000000070',
      Tags: [{ Key: 'Name', Value: 'secrets' }],
    });
    expect(created.DnsEntries!.map((d) => d.DnsName)).toContain('secretsmanager.us-east-1.amazonaws.com');
    expect(created.DnsEntries![0]!.DnsName).toMatch(new RegExp(`^${created.VpcEndpointId}-[0-9a-f]{8}\\.secretsmanager\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    const enis = await endpointEnis(ec2, { Name: 'vpc-id', Values: [vpcId] });
    expect(enis.map((n) => n.NetworkInterfaceId).sort()).toEqual([...created.NetworkInterfaceIds!].sort());
    expect(enis.map((n) => n.SubnetId).sort()).toEqual([...subnets].sort());
    for (const eni of enis) {
      expect(eni).toMatchObject({
        InterfaceType: 'vpc_endpoint',
        RequesterManaged: true,
        Status: 'in-use',
        Groups: [{ GroupId: sg, GroupName: 'endpoints' }],
        Description: `VPC Endpoint Interface ${created.VpcEndpointId}`,
      });
      expect(eni.PrivateIpAddress).toMatch(/^10\.0\.[12]\.4$/);
      expect(eni.Attachment).toBeUndefined();
    }
    // Like a task's, an endpoint's interface is changed through its endpoint.
    await expect(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: enis[0]!.NetworkInterfaceId, Groups: [sg] }))).rejects.toMatchObject({ name: 'AuthFailure' });
  });

  it('take the VPC\'s default group when given none, and need the VPC\'s DNS attributes for private DNS', async () => {
    const ec2 = client('000000000071');
    const { vpcId, subnets, defaultGroup } = await labVpc(ec2, false);
    await expect(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: SM, VpcEndpointType: 'Interface', SubnetIds: [subnets[0]!] }))).rejects.toMatchObject({
      name: 'InvalidParameter',
      message: `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpcId}`,
    });
    // Nothing was left behind by the refusal.
    expect(await endpointEnis(ec2)).toEqual([]);
    const withoutDns = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: SM, VpcEndpointType: 'Interface', SubnetIds: [subnets[0]!], PrivateDnsEnabled: false }))).VpcEndpoint!;
    expect(withoutDns).toMatchObject({ PrivateDnsEnabled: false, Groups: [{ GroupId: defaultGroup, GroupName: 'default' }] });
    expect(withoutDns.DnsEntries!.map((d) => d.DnsName)).not.toContain('secretsmanager.us-east-1.amazonaws.com');
    await expect(ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: withoutDns.VpcEndpointId, PrivateDnsEnabled: true }))).rejects.toMatchObject({ name: 'InvalidParameter' });
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: withoutDns.VpcEndpointId, PrivateDnsEnabled: true }));
    expect((await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [withoutDns.VpcEndpointId!] }))).VpcEndpoints![0]!.PrivateDnsEnabled).toBe(true);
  });

  it('refuse unknown services, a wrong type, two subnets in one zone, foreign or unknown resources and bad policies', async () => {
    const ec2 = client('000000000072');
    const { vpcId, subnets } = await labVpc(ec2);
    const create = (extra: Record<string, unknown>) => ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: SM, VpcEndpointType: 'Interface', ...extra }));
    await expect(create({ ServiceName: 'com.amazonaws.us-east-1.nosuchservice' })).rejects.toMatchObject({
      name: 'InvalidServiceName',
      message: "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nosuchservice' does not exist",
    });
    await expect(create({ ServiceName: 'com.amazonaws.eu-west-1.secretsmanager' })).rejects.toMatchObject({ name: 'InvalidServiceName' });
    // The API's default type is Gateway, which Secrets Manager does not offer.
    await expect(create({ VpcEndpointType: undefined })).rejects.toMatchObject({ name: 'InvalidParameter' });
    const third = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.3.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    await expect(create({ SubnetIds: [subnets[0]!, third] })).rejects.toMatchObject({ name: 'DuplicateSubnetsInSameZone', message: expect.stringContaining(subnets[0]!) });
    await expect(create({ SubnetIds: ['subnet-0000000000000000a'] })).rejects.toMatchObject({ name: 'InvalidSubnetID.NotFound' });
    await expect(create({ SecurityGroupIds: ['sg-0000000000000000a'] })).rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });
    await expect(create({ VpcId: 'vpc-0000000000000000a' })).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
    await expect(create({ PolicyDocument: '{not json' })).rejects.toMatchObject({ name: 'InvalidPolicyDocument' });
    const groups: string[] = [];
    for (let i = 0; i < 6; i++) groups.push((await ec2.send(new CreateSecurityGroupCommand({ GroupName: `e${i}`, Description: 'e', VpcId: vpcId }))).GroupId!);
    await expect(create({ SecurityGroupIds: groups })).rejects.toMatchObject({ name: 'SecurityGroupsPerInterfaceLimitExceeded' });
    const otherVpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const otherSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: otherVpc, CidrBlock: '10.1.1.0/24' }))).Subnet!.SubnetId!;
    await expect(create({ SubnetIds: [otherSubnet] })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(create({ TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'aws:x', Value: 'y' }] }] })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
    expect(await endpointEnis(ec2)).toEqual([]);
  });

  it('are modified: subnets (and their interfaces), groups, policy and private DNS', async () => {
    const ec2 = client('000000000073');
    const { vpcId, subnets, defaultGroup } = await labVpc(ec2);
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'endpoints', Description: 'e', VpcId: vpcId }))).GroupId!;
    const id = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.ssm', VpcEndpointType: 'Interface', SubnetIds: [subnets[0]!] }))).VpcEndpoint!.VpcEndpointId!;
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ssm:GetParameters', Resource: '*' }] });
    expect((await ec2.send(new ModifyVpcEndpointCommand({
      VpcEndpointId: id, AddSubnetIds: [subnets[1]!], RemoveSubnetIds: [subnets[0]!], AddSecurityGroupIds: [sg], RemoveSecurityGroupIds: [defaultGroup], PolicyDocument: policy,
    }))).Return).toBe(true);
    const endpoint = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!;
    expect(endpoint).toMatchObject({ SubnetIds: [subnets[1]], Groups: [{ GroupId: sg, GroupName: 'endpoints' }], PolicyDocument: policy });
    const enis = await endpointEnis(ec2);
    expect(enis.map((n) => [n.SubnetId, n.Groups?.map((g) => g.GroupId)])).toEqual([[subnets[1], [sg]]]);
    expect(endpoint.NetworkInterfaceIds).toEqual([enis[0]!.NetworkInterfaceId]);
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, ResetPolicy: true, AddSubnetIds: [subnets[0]!] }));
    const reset = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!;
    expect(reset.PolicyDocument).toBe(FULL_ACCESS);
    expect(reset.SubnetIds!.sort()).toEqual([...subnets].sort());
    expect((await endpointEnis(ec2)).map((n) => n.Groups?.map((g) => g.GroupId))).toEqual([[sg], [sg]]);
    await expect(ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: 'vpce-0000000000000000a', ResetPolicy: true }))).rejects.toMatchObject({ name: 'InvalidVpcEndpointId.NotFound' });
    await expect(ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, AddRouteTableIds: ['rtb-0000000000000000a'] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('gateway endpoints', () => {
  it('associate route tables of the VPC and have no interfaces', async () => {
    const ec2 = client('000000000074');
    const { vpcId } = await labVpc(ec2);
    const table = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0]!.RouteTableId!;
    const s3 = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [table] }))).VpcEndpoint!;
    expect(s3).toMatchObject({ VpcEndpointType: 'Gateway', RouteTableIds: [table], SubnetIds: [], Groups: [], NetworkInterfaceIds: [], PrivateDnsEnabled: false, DnsEntries: [] });
    expect(await endpointEnis(ec2)).toEqual([]);
    await expect(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: ['rtb-0000000000000000a'] }))).rejects.toMatchObject({
      name: 'InvalidRouteTableID.NotFound',
    });
    await expect(ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: s3.VpcEndpointId, AddSubnetIds: ['subnet-0000000000000000a'] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: s3.VpcEndpointId, RemoveRouteTableIds: [table] }));
    expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints![0]!.RouteTableIds).toEqual([]);
  });
});

describe('DescribeVpcEndpoints', () => {
  it('filters by VPC, service, id, state, type and tags, pages, and names an unknown id', async () => {
    const ec2 = client('000000000075');
    const { vpcId, subnets } = await labVpc(ec2);
    const other = await labVpc(ec2);
    const make = async (vpc: string, service: string, type: 'Interface' | 'Gateway', subnetIds: string[] = []) =>
      (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: `com.amazonaws.us-east-1.${service}`, VpcEndpointType: type, SubnetIds: subnetIds }))).VpcEndpoint!.VpcEndpointId!;
    const sm = await make(vpcId, 'secretsmanager', 'Interface', [subnets[0]!]);
    const ecr = await make(vpcId, 'ecr.dkr', 'Interface', [subnets[1]!]);
    const s3 = await make(other.vpcId, 's3', 'Gateway');
    await ec2.send(new CreateTagsCommand({ Resources: [ecr], Tags: [{ Key: 'scenario', Value: 'secrets' }] }));
    const ids = async (...filters: Filter[]) => (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: filters }))).VpcEndpoints!.map((e) => e.VpcEndpointId).sort();
    expect(await ids()).toEqual([sm, ecr, s3].sort());
    expect(await ids({ Name: 'vpc-id', Values: [vpcId] })).toEqual([sm, ecr].sort());
    expect(await ids({ Name: 'service-name', Values: ['com.amazonaws.us-east-1.ecr.*'] })).toEqual([ecr]);
    expect(await ids({ Name: 'vpc-endpoint-id', Values: [sm] })).toEqual([sm]);
    expect(await ids({ Name: 'vpc-endpoint-state', Values: ['available'] })).toHaveLength(3);
    expect(await ids({ Name: 'vpc-endpoint-type', Values: ['Gateway'] })).toEqual([s3]);
    expect(await ids({ Name: 'tag:scenario', Values: ['secrets'] })).toEqual([ecr]);
    expect(await ids({ Name: 'tag-key', Values: ['scenario'] })).toEqual([ecr]);
    const first = await ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 2 }));
    expect(first.VpcEndpoints).toHaveLength(2);
    const second = await ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.VpcEndpoints).toHaveLength(1);
    expect((await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ecr] }))).VpcEndpoints![0]!.DnsEntries!.map((d) => d.DnsName)).toContain('*.dkr.ecr.us-east-1.amazonaws.com');
    await expect(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0123456789abcdef0'] }))).rejects.toMatchObject({
      name: 'InvalidVpcEndpointId.NotFound',
      message: "The Vpc Endpoint Id 'vpce-0123456789abcdef0' does not exist",
    });
    await expect(ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('DescribeVpcEndpointServices', () => {
  it('lists the services the sandbox knows, with their types, by name and filter', async () => {
    const ec2 = client('000000000076');
    const all = await ec2.send(new DescribeVpcEndpointServicesCommand({}));
    expect(all.ServiceNames).toEqual(expect.arrayContaining([SM, 'com.amazonaws.us-east-1.ssm', 'com.amazonaws.us-east-1.ecr.api', 'com.amazonaws.us-east-1.ecr.dkr', 'com.amazonaws.us-east-1.logs', 'com.amazonaws.us-east-1.s3']));
    const sm = all.ServiceDetails!.find((s) => s.ServiceName === SM)!;
    expect(sm).toMatchObject({ ServiceType: [{ ServiceType: 'Interface' }], Owner: 'amazon', PrivateDnsName: 'secretsmanager.us-east-1.amazonaws.com', BaseEndpointDnsNames: ['secretsmanager.us-east-1.vpce.amazonaws.com'] });
    const gateways = await ec2.send(new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: 'service-type', Values: ['Gateway'] }] }));
    expect(gateways.ServiceNames).toEqual(['com.amazonaws.us-east-1.s3', 'com.amazonaws.us-east-1.dynamodb']);
    expect((await ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [SM] }))).ServiceNames).toEqual([SM]);
    await expect(ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ['com.amazonaws.us-east-1.nope'] }))).rejects.toMatchObject({ name: 'InvalidServiceName' });
  });
});

describe('deletion', () => {
  it('deletes endpoints with their interfaces, and lists unknown ids as unsuccessful', async () => {
    const ec2 = client('000000000077');
    const { vpcId, subnets } = await labVpc(ec2);
    const id = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: SM, VpcEndpointType: 'Interface', SubnetIds: subnets, TagSpecifications: [{ Tags: [{ Key: 'a', Value: 'b' }] }] }))).VpcEndpoint!.VpcEndpointId!;
    const out = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id, 'vpce-0000000000000000a'] }));
    expect(out.Unsuccessful).toEqual([{ ResourceId: 'vpce-0000000000000000a', Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: "The Vpc Endpoint Id 'vpce-0000000000000000a' does not exist" } }]);
    expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
    expect(await endpointEnis(ec2)).toEqual([]);
    expect((await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id] }))).Unsuccessful).toHaveLength(1);
  });

  it('refuses to delete the VPC, a subnet or a group an endpoint uses, until the endpoint is gone', async () => {
    const ec2 = client('000000000078');
    const { vpcId, subnets } = await labVpc(ec2);
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'endpoints', Description: 'e', VpcId: vpcId }))).GroupId!;
    const iface = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: SM, VpcEndpointType: 'Interface', SubnetIds: [subnets[0]!], SecurityGroupIds: [sg] }))).VpcEndpoint!.VpcEndpointId!;
    await expect(ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[0] }))).rejects.toMatchObject({ name: 'DependencyViolation' });
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg }))).rejects.toMatchObject({ name: 'DependencyViolation' });
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [iface] }));
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[0] }));
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[1] }));
    // A subnet-less interface endpoint holds its groups; a gateway endpoint holds its VPC.
    const bare = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: SM, VpcEndpointType: 'Interface', SecurityGroupIds: [sg] }))).VpcEndpoint!.VpcEndpointId!;
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg }))).rejects.toMatchObject({ name: 'DependencyViolation' });
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [bare] }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg }));
    const gateway = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.dynamodb' }))).VpcEndpoint!.VpcEndpointId!;
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: 'DependencyViolation', message: `The vpc '${vpcId}' has dependencies and cannot be deleted.` });
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [gateway] }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });
});

describe('IAM authorisation of endpoint calls', () => {
  const resources = ruleChecks(EC2_RULES, '000000000079');
  const arn = (type: string, id: string) => `arn:aws:ec2:us-east-1:000000000079:${type}/${id}`;

  it('names the endpoint and the VPC, subnets and groups it uses', () => {
    expect(resources('CreateVpcEndpoint', { VpcId: 'vpc-1', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'], TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'a', Value: 'b' }] }] })).toEqual([
      `ec2:CreateVpcEndpoint ${arn('vpc-endpoint', '*')}`,
      `ec2:CreateVpcEndpoint ${arn('vpc', 'vpc-1')}`,
      `ec2:CreateVpcEndpoint ${arn('subnet', 'subnet-1')}`,
      `ec2:CreateVpcEndpoint ${arn('security-group', 'sg-1')}`,
      `ec2:CreateTags ${arn('vpc-endpoint', '*')}`,
    ]);
    expect(resources('ModifyVpcEndpoint', { VpcEndpointId: 'vpce-1', AddSecurityGroupIds: ['sg-2'] })).toEqual([
      `ec2:ModifyVpcEndpoint ${arn('vpc-endpoint', 'vpce-1')}`,
      `ec2:ModifyVpcEndpoint ${arn('security-group', 'sg-2')}`,
    ]);
    expect(resources('DeleteVpcEndpoints', { VpcEndpointIds: ['vpce-1', 'vpce-2'] })).toEqual([
      `ec2:DeleteVpcEndpoints ${arn('vpc-endpoint', 'vpce-1')}`,
      `ec2:DeleteVpcEndpoints ${arn('vpc-endpoint', 'vpce-2')}`,
    ]);
    expect(resources('DescribeVpcEndpoints', {})).toEqual(['ec2:DescribeVpcEndpoints *']);
  });
});

describe('persistence', () => {
  it('keeps endpoints, their interfaces and tags across a restart, and gives older state its endpoints once it makes one', async () => {
    const tmp = tempDir();
    try {
      let running = await startTestSandbox({ dataDir: tmp.dir });
      let ec2 = client('000000000080', running.url);
      const { vpcId, subnets } = await labVpc(ec2);
      await running.close();
      forgetStateKeys(tmp.dir, ['vpcEndpoints']);
      const journal = join(tmp.dir, 'accounts', '000000000080.journal.jsonl');
      expect(readFileSync(journal, 'utf8')).not.toContain('vpcEndpoints');

      running = await startTestSandbox({ dataDir: tmp.dir });
      ec2 = client('000000000080', running.url);
      expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
      // Reads store nothing.
      expect(readFileSync(journal, 'utf8')).not.toContain('vpcEndpoints');
      const created = (await ec2.send(new CreateVpcEndpointCommand({
        VpcId: vpcId, ServiceName: SM, VpcEndpointType: 'Interface', SubnetIds: subnets, TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'Name', Value: 'kept' }] }],
      }))).VpcEndpoint!;
      expect(readFileSync(journal, 'utf8')).toContain('vpcEndpoints');
      const before = await endpointEnis(ec2);
      await running.close();

      running = await startTestSandbox({ dataDir: tmp.dir });
      ec2 = client('000000000080', running.url);
      const after = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:Name', Values: ['kept'] }] }))).VpcEndpoints!;
      expect(after).toEqual([{ ...created, CreationTimestamp: created.CreationTimestamp }]);
      expect(await endpointEnis(ec2)).toEqual(before);
      await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [created.VpcEndpointId!] }));
      await running.close();

      running = await startTestSandbox({ dataDir: tmp.dir });
      ec2 = client('000000000080', running.url);
      expect((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).toEqual([]);
      expect(await endpointEnis(ec2)).toEqual([]);
      await running.close();
    } finally {
      tmp.remove();
    }
  });
});
