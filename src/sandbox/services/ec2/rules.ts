/**
 * Security group rules: expanding request IpPermissions into individual rules (one per CIDR,
 * IPv6 CIDR, prefix list or group pair), matching them for revoke/duplicates, and folding rules
 * back into the IpPermissions shape DescribeSecurityGroups returns.
 */
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { isIpv4CidrSyntax, isIpv6CidrSyntax } from './cidr.js';
import { Ec2Errors } from './errors.js';
import type { Ec2State } from './state.js';
import { getSecurityGroup } from './state.js';

type RuleSpec = Omit<SecurityGroupRule, 'SecurityGroupRuleId' | 'GroupId' | 'GroupOwnerId' | 'IsEgress' | 'Tags' | 'SecurityGroupRuleArn'>;

const PROTOCOLS: Record<string, string> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', icmpv6: 'icmpv6', '58': 'icmpv6', '-1': '-1', all: '-1' };

/** Normalises a protocol name or number as EC2 reports it. */
export function normaliseProtocol(protocol: string | undefined): string {
  const p = PROTOCOLS[(protocol ?? '').toLowerCase()];
  if (p) return p;
  if (/^[0-9]{1,3}$/.test(protocol ?? '') && Number(protocol) <= 255) return protocol!;
  throw Ec2Errors.invalidParameterValue(`Invalid value '${protocol ?? ''}' for IP protocol. Unknown protocol.`);
}

/** Expands request permissions into rule specs, validating ports, CIDR syntax and references. */
export function expandPermissions(ctx: RequestContext, state: Ec2State, permissions: readonly IpPermission[]): RuleSpec[] {
  const specs: RuleSpec[] = [];
  for (const perm of permissions) {
    const protocol = normaliseProtocol(perm.IpProtocol);
    let from = perm.FromPort;
    let to = perm.ToPort;
    if (protocol === '-1') {
      from = -1;
      to = -1;
    } else if (protocol === 'tcp' || protocol === 'udp') {
      if (from === undefined || to === undefined) throw Ec2Errors.invalidParameterValue(`Invalid value for portRange. Must specify both from and to ports with TCP/UDP.`);
      if (from < 0 || to > 65535 || from > to) throw Ec2Errors.invalidParameterValue(`Invalid value for portRange. Must specify both from and to ports with TCP/UDP.`);
    }
    const base = { IpProtocol: protocol, FromPort: from, ToPort: to };
    for (const r of perm.IpRanges ?? []) {
      if (r.CidrIp !== undefined && !isIpv4CidrSyntax(r.CidrIp)) throw Ec2Errors.malformedCidr(r.CidrIp);
      specs.push({ ...base, CidrIpv4: r.CidrIp, Description: r.Description });
    }
    for (const r of perm.Ipv6Ranges ?? []) {
      if (r.CidrIpv6 !== undefined && !isIpv6CidrSyntax(r.CidrIpv6)) throw Ec2Errors.malformedCidr(r.CidrIpv6);
      specs.push({ ...base, CidrIpv6: r.CidrIpv6, Description: r.Description });
    }
    for (const r of perm.PrefixListIds ?? []) specs.push({ ...base, PrefixListId: r.PrefixListId, Description: r.Description });
    for (const pair of perm.UserIdGroupPairs ?? []) {
      let groupId = pair.GroupId;
      if (!groupId && pair.GroupName) {
        groupId = Object.values(state.securityGroups).find((g) => g.GroupName === pair.GroupName)?.GroupId;
        if (!groupId) throw Ec2Errors.groupNameNotFound(pair.GroupName);
      }
      if (!groupId) throw Ec2Errors.invalidParameterValue('A group pair needs a GroupId or GroupName.');
      getSecurityGroup(state, groupId);
      specs.push({ ...base, ReferencedGroupInfo: { GroupId: groupId, UserId: pair.UserId ?? ctx.account }, Description: pair.Description });
    }
    if (specs.length === 0 && !(perm.IpRanges?.length || perm.Ipv6Ranges?.length || perm.PrefixListIds?.length || perm.UserIdGroupPairs?.length)) {
      throw Ec2Errors.missingParameter('IpPermissions.IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs');
    }
  }
  return specs;
}

function key(rule: RuleSpec | Omit<SecurityGroupRule, 'Tags'>): string {
  return [rule.IpProtocol, rule.FromPort, rule.ToPort, rule.CidrIpv4 ?? '', rule.CidrIpv6 ?? '', rule.PrefixListId ?? '', rule.ReferencedGroupInfo?.GroupId ?? ''].join('|');
}

/** The existing rule of a group equal to `spec` (same protocol, ports and target). */
export function findRule(state: Ec2State, groupId: string, isEgress: boolean, spec: RuleSpec): Omit<SecurityGroupRule, 'Tags'> | undefined {
  const wanted = key(spec);
  return Object.values(state.rules).find((r) => r.GroupId === groupId && r.IsEgress === isEgress && key(r) === wanted);
}

/** Folds a group's rules into IpPermissions (grouped by protocol and port range). */
export function permissionsOf(state: Ec2State, groupId: string, isEgress: boolean): IpPermission[] {
  const byRange = new Map<string, IpPermission>();
  for (const rule of Object.values(state.rules)) {
    if (rule.GroupId !== groupId || rule.IsEgress !== isEgress) continue;
    const k = `${rule.IpProtocol}|${rule.FromPort}|${rule.ToPort}`;
    let perm = byRange.get(k);
    if (!perm) {
      perm = { IpProtocol: rule.IpProtocol, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
      if (rule.IpProtocol !== '-1') {
        perm.FromPort = rule.FromPort;
        perm.ToPort = rule.ToPort;
      }
      byRange.set(k, perm);
    }
    if (rule.CidrIpv4) perm.IpRanges!.push({ CidrIp: rule.CidrIpv4, Description: rule.Description });
    if (rule.CidrIpv6) perm.Ipv6Ranges!.push({ CidrIpv6: rule.CidrIpv6, Description: rule.Description });
    if (rule.PrefixListId) perm.PrefixListIds!.push({ PrefixListId: rule.PrefixListId, Description: rule.Description });
    if (rule.ReferencedGroupInfo?.GroupId) {
      perm.UserIdGroupPairs!.push({ GroupId: rule.ReferencedGroupInfo.GroupId, UserId: rule.ReferencedGroupInfo.UserId, Description: rule.Description });
    }
  }
  return [...byRange.values()];
}
