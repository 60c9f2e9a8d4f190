import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { DescribeInstanceTypeOfferingsCommandInput, Filter, InstanceTypeOffering, RouteTable } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EC2_RULES } from '../../authz-ec2.js';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, forgetStateKeys, ruleChecks, startTestSandbox, tempDir } from '../../test-helpers.js';

let sandbox: RunningSandbox;
const clients: EC2Client[] = [];

/** An EC2 client of its own account (and Region), so that tests do not see each other's changes. */
function client(account: string, region = 'us-east-1', url = sandbox.url): EC2Client {
  const c = new EC2Client(clientConfig(url, account, region));
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

const byVpc = (vpcId: string): Filter[] => [{ Name: 'vpc-id', Values: [vpcId] }];

async function defaultVpcId(ec2: EC2Client): Promise<string> {
  return (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
}

async function routeTables(ec2: EC2Client, ...filters: Filter[]): Promise<string[]> {
  return (await ec2.send(new DescribeRouteTablesCommand({ Filters: filters }))).RouteTables!.map((t) => t.RouteTableId!).sort();
}

async function networkAcls(ec2: EC2Client, ...filters: Filter[]): Promise<string[]> {
  return (await ec2.send(new DescribeNetworkAclsCommand({ Filters: filters }))).NetworkAcls!.map((a) => a.NetworkAclId!).sort();
}

async function gateways(ec2: EC2Client, ...filters: Filter[]): Promise<string[]> {
  return (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: filters }))).InternetGateways!.map((g) => g.InternetGatewayId!).sort();
}

const ALL_TRAFFIC = [
  { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
];

describe('what EC2 creates with a VPC', () => {
  const ACCOUNT = '000000000031';

  it('gives a new VPC a main route table with a local route and a default network ACL, and no gateway', async () => {
    const ec2 = client(ACCOUNT);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc(vpcId) }))).RouteTables!;
    expect(tables).toHaveLength(1);
    const table = tables[0]!;
    expect(table.RouteTableId).toMatch(/^rtb-[0-9a-f]{17}$/);
    expect(table).toMatchObject({
      VpcId: vpcId,
      OwnerId: ACCOUNT,
      Associations: [{ Main: true, RouteTableId: table.RouteTableId, AssociationState: { State: 'associated' } }],
      Routes: [{ DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }],
    });
    expect(table.Associations![0]!.RouteTableAssociationId).toMatch(/^rtbassoc-[0-9a-f]{17}$/);

    const acls = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: byVpc(vpcId) }))).NetworkAcls!;
    expect(acls).toHaveLength(1);
    expect(acls[0]!.NetworkAclId).toMatch(/^acl-[0-9a-f]{17}$/);
    expect(acls[0]).toMatchObject({ VpcId: vpcId, OwnerId: ACCOUNT, IsDefault: true, Associations: [] });
    expect(acls[0]!.Entries).toEqual(ALL_TRAFFIC);

    expect(await gateways(ec2, { Name: 'attachment.vpc-id', Values: [vpcId] })).toEqual([]);
  });

  it('gives the default VPC an attached internet gateway, a 0.0.0.0/0 route to it and a default ACL on every default subnet', async () => {
    const ec2 = client(ACCOUNT);
    const vpcId = await defaultVpcId(ec2);
    const igws = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }))).InternetGateways!;
    expect(igws).toHaveLength(1);
    const igw = igws[0]!;
    expect(igw.InternetGatewayId).toMatch(/^igw-[0-9a-f]{17}$/);
    expect(igw).toMatchObject({ OwnerId: ACCOUNT, Attachments: [{ VpcId: vpcId, State: 'available' }] });

    const table = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [...byVpc(vpcId), { Name: 'association.main', Values: ['true'] }] }))).RouteTables!;
    expect(table).toHaveLength(1);
    expect(table[0]!.Routes).toEqual([
      { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw.InternetGatewayId, Origin: 'CreateRoute', State: 'active' },
    ]);

    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: byVpc(vpcId) }))).Subnets!.map((s) => s.SubnetId!).sort();
    expect(subnets).toHaveLength(6);
    const acl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: byVpc(vpcId) }))).NetworkAcls![0]!;
    expect(acl.Associations!.map((a) => a.SubnetId).sort()).toEqual(subnets);
    for (const association of acl.Associations!) {
      expect(association.NetworkAclId).toBe(acl.NetworkAclId);
      expect(association.NetworkAclAssociationId).toMatch(/^aclassoc-[0-9a-f]{17}$/);
    }

    // Derived from the same VPC, yet as unrelated as EC2's own ids.
    const ids = [igw.InternetGatewayId!, table[0]!.RouteTableId!, table[0]!.Associations![0]!.RouteTableAssociationId!, acl.NetworkAclId!, ...acl.Associations!.map((a) => a.NetworkAclAssociationId!)];
    expect(new Set(ids.map((id) => id.split('-')[1])).size).toBe(ids.length);
  });

  it('associates a subnet created later with the default ACL and drops the association when the subnet goes', async () => {
    const ec2 = client(ACCOUNT);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.1.0/24' }))).Subnet!.SubnetId!;
    const acl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: byVpc(vpcId) }))).NetworkAcls![0]!;
    expect(acl.Associations).toEqual([{ NetworkAclAssociationId: expect.stringMatching(/^aclassoc-/), NetworkAclId: acl.NetworkAclId, SubnetId: subnetId }]);
    expect(await networkAcls(ec2, { Name: 'association.subnet-id', Values: [subnetId] })).toEqual([acl.NetworkAclId]);
    expect(await networkAcls(ec2, { Name: 'association.association-id', Values: [acl.Associations![0]!.NetworkAclAssociationId!] })).toEqual([acl.NetworkAclId]);

    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    expect((await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl.NetworkAclId!] }))).NetworkAcls![0]!.Associations).toEqual([]);
    expect(await networkAcls(ec2, { Name: 'association.subnet-id', Values: [subnetId] })).toEqual([]);
  });

  it('deletes the main route table and the default ACL (and their tags) with the VPC', async () => {
    const ec2 = client(ACCOUNT);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc!.VpcId!;
    const [tableId] = await routeTables(ec2, ...byVpc(vpcId));
    const [aclId] = await networkAcls(ec2, ...byVpc(vpcId));
    await ec2.send(new CreateTagsCommand({ Resources: [tableId!, aclId!], Tags: [{ Key: 'Name', Value: 'doomed' }] }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    await expect(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [tableId!] }))).rejects.toMatchObject({ name: 'InvalidRouteTableID.NotFound' });
    await expect(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId!] }))).rejects.toMatchObject({ name: 'InvalidNetworkAclID.NotFound' });
    expect((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [tableId!, aclId!] }] }))).Tags).toEqual([]);
  });
});

describe('DescribeRouteTables, DescribeNetworkAcls and DescribeInternetGateways', () => {
  const ACCOUNT = '000000000032';

  it('filter route tables by id, association, route and owner', async () => {
    const ec2 = client(ACCOUNT);
    const defaultVpc = await defaultVpcId(ec2);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.4.0.0/16' }))).Vpc!.VpcId!;
    const [mine] = await routeTables(ec2, ...byVpc(vpcId));
    const [main] = await routeTables(ec2, ...byVpc(defaultVpc));
    const table = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [mine!] }))).RouteTables![0]!;
    const igw = (await gateways(ec2))[0]!;

    expect(await routeTables(ec2)).toEqual([main, mine].sort());
    expect(await routeTables(ec2, { Name: 'route-table-id', Values: [mine!] })).toEqual([mine]);
    expect(await routeTables(ec2, { Name: 'association.route-table-association-id', Values: [table.Associations![0]!.RouteTableAssociationId!] })).toEqual([mine]);
    expect(await routeTables(ec2, { Name: 'association.main', Values: ['true'] })).toEqual([main, mine].sort());
    expect(await routeTables(ec2, { Name: 'association.main', Values: ['false'] })).toEqual([]);
    expect(await routeTables(ec2, { Name: 'route.destination-cidr-block', Values: ['10.4.0.0/16'] })).toEqual([mine]);
    expect(await routeTables(ec2, { Name: 'route.destination-cidr-block', Values: ['0.0.0.0/0'] })).toEqual([main]);
    expect(await routeTables(ec2, { Name: 'route.gateway-id', Values: [igw] })).toEqual([main]);
    expect(await routeTables(ec2, { Name: 'route.gateway-id', Values: ['local'] })).toEqual([main, mine].sort());
    expect(await routeTables(ec2, { Name: 'owner-id', Values: [ACCOUNT] }, ...byVpc(vpcId))).toEqual([mine]);
    expect(await routeTables(ec2, { Name: 'owner-id', Values: ['999999999999'] })).toEqual([]);
    // A subnet on the main table is associated implicitly, which association.subnet-id does not match (as in EC2).
    const subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: byVpc(defaultVpc) }))).Subnets![0]!.SubnetId!;
    expect(await routeTables(ec2, { Name: 'association.subnet-id', Values: [subnet] })).toEqual([]);
    await expect(ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.bogus', Values: ['x'] }] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "The filter 'route.bogus' is invalid",
    });
  });

  it('filter network ACLs and internet gateways', async () => {
    const ec2 = client(ACCOUNT);
    const defaultVpc = await defaultVpcId(ec2);
    const all = await networkAcls(ec2);
    expect(all).toHaveLength(2);
    const [mine] = await networkAcls(ec2, { Name: 'vpc-id', Values: ['vpc-*'] }, { Name: 'association.subnet-id', Values: ['*'] });
    expect(await networkAcls(ec2, ...byVpc(defaultVpc))).toEqual([mine]);
    expect(await networkAcls(ec2, { Name: 'network-acl-id', Values: [mine!] })).toEqual([mine]);
    expect(await networkAcls(ec2, { Name: 'default', Values: ['true'] })).toEqual(all);
    expect(await networkAcls(ec2, { Name: 'default', Values: ['false'] })).toEqual([]);
    expect(await networkAcls(ec2, { Name: 'owner-id', Values: [ACCOUNT] })).toEqual(all);

    const [igw] = await gateways(ec2);
    expect(await gateways(ec2, { Name: 'internet-gateway-id', Values: [igw!] })).toEqual([igw]);
    expect(await gateways(ec2, { Name: 'attachment.state', Values: ['available'] })).toEqual([igw]);
    expect(await gateways(ec2, { Name: 'owner-id', Values: [ACCOUNT] })).toEqual([igw]);
    const detached = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!;
    expect(detached).toMatchObject({ OwnerId: ACCOUNT, Attachments: [] });
    expect(await gateways(ec2, { Name: 'attachment.state', Values: ['available'] })).toEqual([igw]);
    expect(await gateways(ec2, { Name: 'attachment.vpc-id', Values: [defaultVpc] })).toEqual([igw]);
    expect(await gateways(ec2)).toEqual([igw, detached.InternetGatewayId].sort());
  });

  it('page with MaxResults and NextToken', async () => {
    const ec2 = client(ACCOUNT);
    const first = await ec2.send(new DescribeRouteTablesCommand({ MaxResults: 1 }));
    expect(first.RouteTables).toHaveLength(1);
    const second = await ec2.send(new DescribeRouteTablesCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect(second.RouteTables!.map((t) => t.RouteTableId)).not.toEqual(first.RouteTables!.map((t) => t.RouteTableId));
    await expect(ec2.send(new DescribeNetworkAclsCommand({ NextToken: 'bogus' }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });

  it('answer an unknown id with the resource\'s NotFound error', async () => {
    const ec2 = client(ACCOUNT);
    await expect(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-00000000000000000'] }))).rejects.toMatchObject({
      name: 'InvalidRouteTableID.NotFound',
      message: "The routeTable ID 'rtb-00000000000000000' does not exist",
    });
    await expect(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-00000000000000000'] }))).rejects.toMatchObject({
      name: 'InvalidNetworkAclID.NotFound',
      message: "The networkAcl ID 'acl-00000000000000000' does not exist",
    });
    await expect(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: ['igw-00000000000000000'] }))).rejects.toMatchObject({
      name: 'InvalidInternetGatewayID.NotFound',
      message: "The internetGateway ID 'igw-00000000000000000' does not exist",
    });
    for (const command of [
      new AttachInternetGatewayCommand({ InternetGatewayId: 'igw-00000000000000000', VpcId: await defaultVpcId(ec2) }),
      new DetachInternetGatewayCommand({ InternetGatewayId: 'igw-00000000000000000', VpcId: await defaultVpcId(ec2) }),
      new DeleteInternetGatewayCommand({ InternetGatewayId: 'igw-00000000000000000' }),
    ]) {
      await expect(ec2.send(command as never)).rejects.toMatchObject({ name: 'InvalidInternetGatewayID.NotFound' });
    }
    const [igw] = await gateways(ec2, { Name: 'attachment.state', Values: ['available'] });
    await expect(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: 'vpc-00000000000000000' }))).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
  });
});

describe('internet gateways', () => {
  const ACCOUNT = '000000000033';

  it('are created with tags, attached, detached and deleted with the errors EC2 gives', async () => {
    const ec2 = client(ACCOUNT);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }))).Vpc!.VpcId!;
    const created = await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: 'Name', Value: 'lab-igw' }] }] }));
    const igw = created.InternetGateway!.InternetGatewayId!;
    expect(igw).toMatch(/^igw-[0-9a-f]{17}$/);
    expect(created.InternetGateway).toEqual({ InternetGatewayId: igw, OwnerId: ACCOUNT, Attachments: [], Tags: [{ Key: 'Name', Value: 'lab-igw' }] });

    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect((await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).InternetGateways![0]!.Attachments).toEqual([{ VpcId: vpcId, State: 'available' }]);
    // EC2 adds no route on attach.
    expect((await ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc(vpcId) }))).RouteTables![0]!.Routes).toHaveLength(1);

    await expect(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }))).rejects.toMatchObject({
      name: 'Resource.AlreadyAssociated',
      message: `resource ${igw} is already attached to network ${vpcId}`,
    });
    const second = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await expect(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: second, VpcId: vpcId }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: `Network ${vpcId} already has an internet gateway attached`,
    });
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({
      name: 'DependencyViolation',
      message: `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
    });
    await expect(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }))).rejects.toMatchObject({
      name: 'DependencyViolation',
      message: `The internetGateway '${igw}' has dependencies and cannot be deleted.`,
    });
    const defaultVpc = await defaultVpcId(ec2);
    await expect(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: defaultVpc }))).rejects.toMatchObject({
      name: 'Gateway.NotAttached',
      message: `resource ${igw} is not attached to network ${defaultVpc}`,
    });

    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect((await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).InternetGateways![0]!.Attachments).toEqual([]);
    await expect(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }))).rejects.toMatchObject({ name: 'Gateway.NotAttached' });
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
    await expect(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).rejects.toMatchObject({ name: 'InvalidInternetGatewayID.NotFound' });
    expect((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [igw] }] }))).Tags).toEqual([]);
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });

  it('keep the default route as a blackhole while the default VPC\'s gateway is detached, which mapped public addresses prevent', async () => {
    const ec2 = client(ACCOUNT);
    const vpcId = await defaultVpcId(ec2);
    const [igw] = await gateways(ec2, { Name: 'attachment.vpc-id', Values: [vpcId] });
    const subnetId = (await ec2.send(new DescribeSubnetsCommand({ Filters: byVpc(vpcId) }))).Subnets![0]!.SubnetId!;
    const run = await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', InstanceType: 't3.micro', SubnetId: subnetId }));
    const instance = run.Instances![0]!;
    expect(instance.PublicIpAddress).toBeDefined();
    await expect(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }))).rejects.toMatchObject({
      name: 'DependencyViolation',
      message: `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
    });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] }));

    const defaultRoute = async () => (await ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc(vpcId) }))).RouteTables![0]!.Routes![1];
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect(await defaultRoute()).toEqual({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw, Origin: 'CreateRoute', State: 'blackhole' });
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect(await defaultRoute()).toMatchObject({ GatewayId: igw, State: 'active' });
  });
});

describe('tags on route tables, network ACLs and internet gateways', () => {
  it('are set, described, filtered on and deleted through the shared tag machinery', async () => {
    const ec2 = client('000000000034');
    const vpcId = await defaultVpcId(ec2);
    const [table] = await routeTables(ec2, ...byVpc(vpcId));
    const [acl] = await networkAcls(ec2, ...byVpc(vpcId));
    const [igw] = await gateways(ec2);
    await ec2.send(new CreateTagsCommand({ Resources: [table!, acl!, igw!], Tags: [{ Key: 'Name', Value: 'main' }, { Key: 'ecs-lab:managed', Value: 'true' }] }));

    expect((await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [table!] }))).RouteTables![0]!.Tags).toEqual([{ Key: 'Name', Value: 'main' }, { Key: 'ecs-lab:managed', Value: 'true' }]);
    expect((await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl!] }))).NetworkAcls![0]!.Tags).toContainEqual({ Key: 'Name', Value: 'main' });
    expect((await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw!] }))).InternetGateways![0]!.Tags).toContainEqual({ Key: 'Name', Value: 'main' });
    expect(await routeTables(ec2, { Name: 'tag:Name', Values: ['ma*'] })).toEqual([table]);
    expect(await networkAcls(ec2, { Name: 'tag-key', Values: ['ecs-lab:managed'] })).toEqual([acl]);
    expect(await gateways(ec2, { Name: 'tag:Name', Values: ['main'] })).toEqual([igw]);
    const described = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['Name'] }] }));
    expect(described.Tags!.map((t) => [t.ResourceType, t.ResourceId]).sort()).toEqual(
      [['internet-gateway', igw], ['network-acl', acl], ['route-table', table]].sort(),
    );
    expect((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['route-table'] }] }))).Tags).toHaveLength(2);

    await ec2.send(new DeleteTagsCommand({ Resources: [table!, acl!, igw!], Tags: [{ Key: 'Name' }] }));
    expect(await routeTables(ec2, { Name: 'tag-key', Values: ['Name'] })).toEqual([]);
    expect((await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [table!] }))).RouteTables![0]!.Tags).toEqual([{ Key: 'ecs-lab:managed', Value: 'true' }]);
    await expect(ec2.send(new CreateTagsCommand({ Resources: ['rtb-00000000000000000'], Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({ name: 'InvalidID' });
    await expect(ec2.send(new CreateTagsCommand({ Resources: ['igw-00000000000000000'], Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({ name: 'InvalidID' });
  });
});

describe('DescribeRegions', () => {
  it('lists the default Regions with their endpoints, filtered and by name', async () => {
    const ec2 = client('000000000035');
    const regions = (await ec2.send(new DescribeRegionsCommand({}))).Regions!;
    expect(regions).toHaveLength(17);
    expect(regions).toContainEqual({ RegionName: 'us-east-1', Endpoint: 'ec2.us-east-1.amazonaws.com', OptInStatus: 'opt-in-not-required' });
    expect(regions.every((r) => r.OptInStatus === 'opt-in-not-required' && r.Endpoint === `ec2.${r.RegionName}.amazonaws.com`)).toBe(true);
    expect((await ec2.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions).toEqual(regions);

    const named = await ec2.send(new DescribeRegionsCommand({ RegionNames: ['eu-west-1', 'us-west-2'] }));
    expect(named.Regions!.map((r) => r.RegionName).sort()).toEqual(['eu-west-1', 'us-west-2']);
    const names = async (...filters: Filter[]) => (await ec2.send(new DescribeRegionsCommand({ Filters: filters }))).Regions!.map((r) => r.RegionName).sort();
    expect(await names({ Name: 'region-name', Values: ['us-*'] })).toEqual(['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2']);
    expect(await names({ Name: 'endpoint', Values: ['ec2.eu-central-1.amazonaws.com'] })).toEqual(['eu-central-1']);
    expect(await names({ Name: 'opt-in-status', Values: ['not-opted-in'] })).toEqual([]);

    await expect(ec2.send(new DescribeRegionsCommand({ RegionNames: ['us-east-1', 'xx-fake-1'] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Invalid region: [xx-fake-1]',
    });
  });

  it('adds the Region of the request when it is not a default one', async () => {
    const ec2 = client('000000000035', 'ap-east-1');
    const regions = (await ec2.send(new DescribeRegionsCommand({ RegionNames: ['ap-east-1'] }))).Regions!;
    expect(regions).toEqual([{ RegionName: 'ap-east-1', Endpoint: 'ec2.ap-east-1.amazonaws.com', OptInStatus: 'opted-in' }]);
  });
});

describe('DescribeInstanceTypeOfferings', () => {
  const ec2 = () => client('000000000036');
  const offerings = async (input: DescribeInstanceTypeOfferingsCommandInput) =>
    (await ec2().send(new DescribeInstanceTypeOfferingsCommand(input))).InstanceTypeOfferings!;

  it('offers every catalogued type in the Region, or in each zone by name or id', async () => {
    const region = await offerings({});
    expect(region).toHaveLength(12);
    expect(region).toContainEqual({ InstanceType: 't3.micro', LocationType: 'region', Location: 'us-east-1' });
    expect(region.every((o) => o.LocationType === 'region' && o.Location === 'us-east-1')).toBe(true);
    const zones = await offerings({ LocationType: 'availability-zone' });
    expect(zones).toHaveLength(12 * 6);
    expect(new Set(zones.map((o) => o.Location))).toEqual(new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `us-east-1${l}`)));
    const ids = await offerings({ LocationType: 'availability-zone-id' });
    expect(ids).toContainEqual({ InstanceType: 'c5.large', LocationType: 'availability-zone-id', Location: 'use1-az1' });
  });

  it('filters by location and instance type and pages', async () => {
    const filtered = await offerings({ LocationType: 'availability-zone', Filters: [{ Name: 'location', Values: ['us-east-1b'] }, { Name: 'instance-type', Values: ['t3.*'] }] });
    expect(filtered.map((o) => o.InstanceType).sort()).toEqual(['t3.large', 't3.medium', 't3.micro', 't3.small']);
    expect(filtered.every((o) => o.Location === 'us-east-1b')).toBe(true);

    const seen: InstanceTypeOffering[] = [];
    let token: string | undefined;
    do {
      const out = await ec2().send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', MaxResults: 25, NextToken: token }));
      expect(out.InstanceTypeOfferings!.length).toBeLessThanOrEqual(25);
      seen.push(...out.InstanceTypeOfferings!);
      token = out.NextToken;
    } while (token);
    expect(new Set(seen.map((o) => `${o.Location}/${o.InstanceType}`)).size).toBe(72);
    await expect(offerings({ Filters: [{ Name: 'vcpu', Values: ['2'] }] })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('IAM authorisation of internet gateway calls', () => {
  const resources = ruleChecks(EC2_RULES, '000000000037');

  it('names the gateway and the VPC in their ARNs', () => {
    const arn = (type: string, id: string) => `arn:aws:ec2:us-east-1:000000000037:${type}/${id}`;
    expect(resources('AttachInternetGateway', { InternetGatewayId: 'igw-1', VpcId: 'vpc-2' })).toEqual([
      `ec2:AttachInternetGateway ${arn('internet-gateway', 'igw-1')}`,
      `ec2:AttachInternetGateway ${arn('vpc', 'vpc-2')}`,
    ]);
    expect(resources('DetachInternetGateway', { InternetGatewayId: 'igw-1', VpcId: 'vpc-2' })).toHaveLength(2);
    expect(resources('DeleteInternetGateway', { InternetGatewayId: 'igw-1' })).toEqual([`ec2:DeleteInternetGateway ${arn('internet-gateway', 'igw-1')}`]);
    expect(resources('CreateInternetGateway', { TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: 'a', Value: 'b' }] }] })).toEqual([
      `ec2:CreateInternetGateway ${arn('internet-gateway', '*')}`,
      `ec2:CreateTags ${arn('internet-gateway', '*')}`,
    ]);
    expect(resources('DescribeRouteTables', {})).toEqual(['ec2:DescribeRouteTables *']);
  });
});

describe('persistence', () => {
  it('keeps gateways, their attachments and the derived ids and tags across a restart', async () => {
    const tmp = tempDir();
    try {
      let running = await startTestSandbox({ dataDir: tmp.dir });
      let ec2 = client('000000000038', 'us-east-1', running.url);
      const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.6.0.0/16' }))).Vpc!.VpcId!;
      const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.1.0/24' }))).Subnet!.SubnetId!;
      const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
      await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
      const before = {
        tables: (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables,
        acls: (await ec2.send(new DescribeNetworkAclsCommand({}))).NetworkAcls,
      };
      const [table] = await routeTables(ec2, ...byVpc(vpcId));
      await ec2.send(new CreateTagsCommand({ Resources: [table!], Tags: [{ Key: 'Name', Value: 'kept' }] }));
      const defaultIgw = (await gateways(ec2, { Name: 'attachment.vpc-id', Values: [await defaultVpcId(ec2)] }))[0]!;
      await running.close();

      running = await startTestSandbox({ dataDir: tmp.dir });
      ec2 = client('000000000038', 'us-east-1', running.url);
      expect((await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).InternetGateways![0]!.Attachments).toEqual([{ VpcId: vpcId, State: 'available' }]);
      expect(await gateways(ec2)).toEqual([defaultIgw, igw].sort());
      expect((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'tag:Name', Values: ['kept'] }] }))).RouteTables!.map((t) => t.RouteTableId)).toEqual([table]);
      const after = (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables!;
      const untagged = (tables: RouteTable[]) => tables.map(({ Tags: _, ...t }) => t);
      expect(untagged(after)).toEqual(untagged(before.tables!));
      expect((await ec2.send(new DescribeNetworkAclsCommand({}))).NetworkAcls).toEqual(before.acls);
      expect(await networkAcls(ec2, { Name: 'association.subnet-id', Values: [subnetId] })).toHaveLength(1);
      await running.close();
    } finally {
      tmp.remove();
    }
  });


  it('gives state saved before gateways existed its default VPC\'s gateway, stable across restarts and stored on change', async () => {
    const tmp = tempDir();
    try {
      let running = await startTestSandbox({ dataDir: tmp.dir });
      let ec2 = client('000000000039', 'us-east-1', running.url);
      const vpcId = await defaultVpcId(ec2);
      await running.close();
      forgetStateKeys(tmp.dir, ['internetGateways']);
      const journal = join(tmp.dir, 'accounts', '000000000039.journal.jsonl');
      expect(readFileSync(journal, 'utf8')).not.toContain('internetGateways');

      running = await startTestSandbox({ dataDir: tmp.dir });
      ec2 = client('000000000039', 'us-east-1', running.url);
      const [igw] = await gateways(ec2, { Name: 'attachment.vpc-id', Values: [vpcId] });
      expect(igw).toMatch(/^igw-[0-9a-f]{17}$/);
      const [table] = await routeTables(ec2, { Name: 'route.gateway-id', Values: [igw!] });
      expect(table).toBeDefined();
      // Reads store nothing.
      expect(readFileSync(journal, 'utf8')).not.toContain('internetGateways');
      await running.close();

      running = await startTestSandbox({ dataDir: tmp.dir });
      ec2 = client('000000000039', 'us-east-1', running.url);
      expect(await gateways(ec2)).toEqual([igw]);
      await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
      expect(readFileSync(journal, 'utf8')).toContain('internetGateways');
      await running.close();

      running = await startTestSandbox({ dataDir: tmp.dir });
      ec2 = client('000000000039', 'us-east-1', running.url);
      expect((await ec2.send(new DescribeInternetGatewaysCommand({}))).InternetGateways).toEqual([{ InternetGatewayId: igw, OwnerId: '000000000039', Attachments: [], Tags: [] }]);
      expect((await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [table!] }))).RouteTables![0]!.Routes![1]).toMatchObject({ GatewayId: igw, State: 'blackhole' });
      await running.close();
    } finally {
      tmp.remove();
    }
  });
});
