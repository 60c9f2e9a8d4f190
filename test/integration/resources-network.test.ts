/** Integration tests of the `ec2-subnet` and `ec2-security-group` kinds against moto_server. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ec2SecurityGroup } from '../../src/resources/ec2-security-group.js';
import { ec2Subnet } from '../../src/resources/ec2-subnet.js';
import { ec2Vpc } from '../../src/resources/ec2-vpc.js';
import type { ResourceContext } from '../../src/resources/index.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { resourceCtx, writesSince as writesSinceFor } from '../helpers/resources.js';

const SCENARIO = 'network-isolation';
let moto: Moto;
let ctx: ResourceContext;

function newCtx(scenario: string | null = SCENARIO): ResourceContext {
  return resourceCtx(moto.endpoint, scenario);
}

function writesSince(before: Record<string, number>): string[] {
  return writesSinceFor(ctx, before);
}

async function labVpc(): Promise<string> {
  const vpc = await ec2Vpc.ensure(ctx, { type: 'ec2-vpc', name: 'lab-vpc', cidr: '10.0.0.0/16' });
  ctx.refs.set('ec2-vpc/lab-vpc', vpc);
  return vpc.id;
}

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  ctx = newCtx();
});

describe('ec2-subnet', () => {
  const spec = { type: 'ec2-subnet' as const, name: 'lab-private-a', vpc: 'lab-vpc', cidr: '10.0.1.0/24', az: 'a' };

  it('creates the subnet in the named VPC and zone with the lab tags, then finds it without writing', async () => {
    const vpcId = await labVpc();
    const created = await ec2Subnet.ensure(ctx, spec);
    expect(created.status).toBe('created');
    const ec2 = await ctx.aws.ec2();
    const subnet = (await ec2.describeSubnets({ SubnetIds: [created.id] })).Subnets?.[0];
    expect(subnet?.VpcId).toBe(vpcId);
    expect(subnet?.AvailabilityZone).toBe('us-east-1a');
    expect(subnet?.CidrBlock).toBe('10.0.1.0/24');
    expect(subnet?.Tags).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'lab-private-a' }, { Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: SCENARIO }]));

    const before = { ...ctx.aws.stats.byAction };
    const again = await ec2Subnet.ensure(ctx, spec);
    expect(again).toMatchObject({ status: 'found', id: created.id });
    expect(writesSince(before)).toEqual([]);
  });

  it('ignores an untagged subnet with the same Name, and removes only the lab one', async () => {
    const vpcId = await labVpc();
    const ec2 = await ctx.aws.ec2();
    const mine = await ec2.createSubnet({ VpcId: vpcId, CidrBlock: '10.0.9.0/24', TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: 'Name', Value: 'lab-private-a' }] }] });
    const created = await ec2Subnet.ensure(ctx, spec);
    expect(created.status).toBe('created');
    expect(created.id).not.toBe(mine.Subnet?.SubnetId);

    const lab = await ec2Subnet.findLabTagged(ctx);
    expect(lab.map((s) => s.id)).toEqual([created.id]);
    expect(lab[0]).toMatchObject({ name: 'lab-private-a', tags: { 'ecs-lab:scenario': SCENARIO } });

    await ec2Subnet.remove(ctx, lab[0]!);
    const left = (await ec2.describeSubnets({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })).Subnets ?? [];
    expect(left.map((s) => s.SubnetId)).toEqual([mine.Subnet?.SubnetId]);
    expect(await ec2Subnet.findLabTagged(ctx)).toEqual([]);
  });

  it('accepts a full zone name and looks a subnet up by name', async () => {
    await labVpc();
    const created = await ec2Subnet.ensure(ctx, { ...spec, name: 'lab-private-b', az: 'us-east-1b', cidr: '10.0.2.0/24' });
    const found = await ec2Subnet.lookup!(ctx, 'lab-private-b');
    expect(found).toMatchObject({ id: created.id, tags: { Name: 'lab-private-b', 'ecs-lab:managed': 'true' } });
    expect(await ec2Subnet.lookup!(ctx, 'nope')).toBeNull();
  });

  it('rejects a zone that is neither a letter nor a zone name', () => {
    expect(ec2Subnet.schema.safeParse({ ...spec, az: 'zone-one' }).success).toBe(false);
    expect(ec2Subnet.schema.safeParse({ ...spec, extra: 1 }).success).toBe(false);
  });
});

describe('ec2-security-group', () => {
  const alb = { type: 'ec2-security-group' as const, name: 'lab-alb-sg', vpc: 'lab-vpc', description: 'load balancer', ingress: [{ protocol: 'tcp' as const, fromPort: 443, toPort: 443, cidr: '0.0.0.0/0' }] };
  const shared = {
    type: 'ec2-security-group' as const,
    name: 'lab-shared-sg',
    vpc: 'lab-vpc',
    description: 'shared by both services',
    ingress: [
      { protocol: 'tcp' as const, fromPort: 0, toPort: 65535, cidr: '0.0.0.0/0' },
      { protocol: 'tcp' as const, fromPort: 8443, toPort: 8443, sourceGroup: 'lab-alb-sg' },
    ],
  };

  async function ensureGroup(spec: typeof alb | typeof shared) {
    const r = await ec2SecurityGroup.ensure(ctx, spec);
    ctx.refs.set(`ec2-security-group/${spec.name}`, r);
    return r;
  }

  it('creates the group with its CIDR and group-reference rules and the lab tags, then finds it without writing', async () => {
    const vpcId = await labVpc();
    const albRef = await ensureGroup(alb);
    const created = await ensureGroup(shared);
    expect(created.status).toBe('created');
    const ec2 = await ctx.aws.ec2();
    const g = (await ec2.describeSecurityGroups({ GroupIds: [created.id] })).SecurityGroups?.[0];
    expect(g).toMatchObject({ GroupName: 'lab-shared-sg', VpcId: vpcId, Description: 'shared by both services' });
    expect(g?.Tags).toEqual(expect.arrayContaining([{ Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: SCENARIO }]));
    const open = g?.IpPermissions?.find((p) => p.FromPort === 0);
    expect(open).toMatchObject({ IpProtocol: 'tcp', ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    const fromAlb = g?.IpPermissions?.find((p) => p.FromPort === 8443);
    expect(fromAlb?.UserIdGroupPairs?.map((p) => p.GroupId)).toEqual([albRef.id]);

    const before = { ...ctx.aws.stats.byAction };
    expect(await ec2SecurityGroup.ensure(ctx, shared)).toMatchObject({ status: 'found', id: created.id });
    expect(writesSince(before)).toEqual([]);
  });

  it('fails on an unknown source group before creating anything', async () => {
    await labVpc();
    const before = { ...ctx.aws.stats.byAction };
    await expect(ec2SecurityGroup.ensure(ctx, shared)).rejects.toMatchObject({ code: 'MISSING_DEPENDENCY' });
    expect(writesSince(before)).toEqual([]);
  });

  it('finds only lab-tagged groups', async () => {
    const vpcId = await labVpc();
    const ec2 = await ctx.aws.ec2();
    await ec2.createSecurityGroup({ GroupName: 'my-sg', Description: 'learner', VpcId: vpcId });
    const albRef = await ensureGroup(alb);
    const lab = await ec2SecurityGroup.findLabTagged(ctx);
    expect(lab.map((g) => [g.name, g.id])).toEqual([['lab-alb-sg', albRef.id]]);
  });

  it('removing a group revokes rules that reference it in other groups, the learner\'s too, and keeps their other rules', async () => {
    const vpcId = await labVpc();
    const albRef = await ensureGroup(alb);
    const sharedRef = await ensureGroup(shared);
    const ec2 = await ctx.aws.ec2();
    const mine = await ec2.createSecurityGroup({ GroupName: 'my-sg', Description: 'learner', VpcId: vpcId });
    await ec2.authorizeSecurityGroupIngress({
      GroupId: mine.GroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: albRef.id }] },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ],
    });

    const target = (await ec2SecurityGroup.findLabTagged(ctx)).find((g) => g.name === 'lab-alb-sg')!;
    const removed = await ec2SecurityGroup.remove(ctx, target);
    expect(removed).toContain(`security group lab-alb-sg (${albRef.id})`);

    const left = (await ec2.describeSecurityGroups({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })).SecurityGroups ?? [];
    expect(left.map((g) => g.GroupName).sort()).toEqual(['default', 'lab-shared-sg', 'my-sg']);
    const mineAfter = left.find((g) => g.GroupName === 'my-sg');
    expect(mineAfter?.IpPermissions?.map((p) => p.FromPort)).toEqual([22]);
    const sharedAfter = left.find((g) => g.GroupId === sharedRef.id);
    expect(sharedAfter?.IpPermissions?.map((p) => p.FromPort)).toEqual([0]);
  });

  it('validates rules: exactly one source, ports unless all protocols', () => {
    const rule = (r: object) => ec2SecurityGroup.schema.safeParse({ ...alb, ingress: [r] }).success;
    expect(rule({ protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0', sourceGroup: 'x' })).toBe(false);
    expect(rule({ protocol: 'tcp', fromPort: 80, toPort: 80 })).toBe(false);
    expect(rule({ protocol: 'tcp', cidr: '0.0.0.0/0' })).toBe(false);
    expect(rule({ protocol: '-1', cidr: '0.0.0.0/0' })).toBe(true);
    expect(rule({ protocol: 'icmp', cidr: '0.0.0.0/0' })).toBe(false);
  });
});
