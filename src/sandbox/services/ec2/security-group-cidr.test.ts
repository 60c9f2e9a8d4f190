/**
 * Security group rules refuse CIDR blocks that do not parse, with EC2's InvalidParameterValue
 * "CIDR block … is malformed" (aws/aws-cli#2428, kubernetes/kops#13848), in every way a rule can
 * be given: the legacy CidrIp (`--cidr`) field and IpPermissions IpRanges/Ipv6Ranges, for
 * ingress, egress and revokes. Nothing is stored when one block of a request is malformed.
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import type { IpPermission } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let ec2: EC2Client;
let groupId: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ec2 = new EC2Client(clientConfig(sandbox.url));
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'cidr-sg', Description: 'cidr checks', VpcId: vpc.Vpc!.VpcId }));
  groupId = group.GroupId!;
});

afterAll(async () => {
  ec2.destroy();
  await sandbox.close();
});

async function ruleCount(): Promise<number> {
  const out = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
  return out.SecurityGroupRules?.length ?? 0;
}

const malformed = (cidr: string) => ({ name: 'InvalidParameterValue', message: `CIDR block ${cidr} is malformed` });

describe('EC2 security group rule CIDRs', () => {
  it.each(['banana', '10.0.0.0/33', '10.0.0.256/24', '10.0.0.0', '::/0', '10.0.0.0/8 '])('refuses IpRanges CidrIp %j', async (cidr) => {
    const before = await ruleCount();
    const perm: IpPermission = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.1.0.0/16' }, { CidrIp: cidr }] };
    await expect(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [perm] }))).rejects.toMatchObject(malformed(cidr));
    await expect(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [perm] }))).rejects.toMatchObject(malformed(cidr));
    expect(await ruleCount()).toBe(before);
  });

  it.each(['banana', '::/129', '10.0.0.0/8', 'fe80::1%eth0/64', '1::2::3/64', '::'])('refuses Ipv6Ranges CidrIpv6 %j', async (cidr) => {
    const perm: IpPermission = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: cidr }] };
    await expect(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [perm] }))).rejects.toMatchObject(malformed(cidr));
    await expect(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [perm] }))).rejects.toMatchObject(malformed(cidr));
  });

  it('refuses the legacy CidrIp (--cidr) field, and in revokes', async () => {
    await expect(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/33' })),
    ).rejects.toMatchObject(malformed('10.0.0.0/33'));
    await expect(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '::/0' })),
    ).rejects.toMatchObject(malformed('::/0'));
  });

  it('still accepts well-formed blocks, host bits and IPv6 included', async () => {
    const before = await ruleCount();
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 8080,
            ToPort: 8080,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '100.68.0.18/18' }, { CidrIp: '192.168.1.1/32' }],
            Ipv6Ranges: [{ CidrIpv6: '::/0' }, { CidrIpv6: '2001:db8::/32' }, { CidrIpv6: '::ffff:10.0.0.0/104' }],
          },
        ],
      }),
    );
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' }));
    expect(await ruleCount()).toBe(before + 7);
  });
});
