/** EC2 security groups and their rules. */
import type { EC2, IpPermission, SecurityGroup, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { outputOf } from '../../clone.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, byIds, page } from '../filters.js';
import { expandPermissions, findRule, permissionsOf } from '../rules.js';
import type { Ec2State, SecurityGroupRecord } from '../state.js';
import { addRule, addSecurityGroup, ec2State, getSecurityGroup, getVpc, setTags, tagsFromSpecs, tagsOf } from '../state.js';

function present(ctx: RequestContext, state: Ec2State, group: SecurityGroupRecord): SecurityGroup {
  return {
    ...outputOf(ctx, group),
    IpPermissions: permissionsOf(state, group.GroupId!, false),
    IpPermissionsEgress: permissionsOf(state, group.GroupId!, true),
    Tags: tagsOf(state, group.GroupId!),
  };
}

/** A rule as EC2 reports it: always with a tag set, empty when untagged (describe-security-group-rules examples). */
function presentRule(ctx: RequestContext, state: Ec2State, rule: Omit<SecurityGroupRule, 'Tags'>): SecurityGroupRule {
  return { ...outputOf(ctx, rule), Tags: tagsOf(state, rule.SecurityGroupRuleId!) ?? [] };
}

function defaultVpcId(state: Ec2State): string | undefined {
  return Object.values(state.vpcs).find((v) => v.IsDefault)?.VpcId;
}

/** Resolves GroupId, or GroupName in the default VPC. */
function resolveGroup(state: Ec2State, groupId: string | undefined, groupName: string | undefined): SecurityGroupRecord {
  if (groupId) return getSecurityGroup(state, groupId);
  if (!groupName) throw Ec2Errors.missingParameter('GroupId');
  const vpc = defaultVpcId(state);
  const group = Object.values(state.securityGroups).find((g) => g.GroupName === groupName && g.VpcId === vpc);
  if (!group) throw Ec2Errors.groupNameNotFound(groupName, vpc);
  return group;
}

interface LegacyPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  SourceSecurityGroupName?: string;
  SourceSecurityGroupOwnerId?: string;
}

/** The request's permissions: IpPermissions, or the legacy top-level fields. */
function requestedPermissions(input: { IpPermissions?: IpPermission[] } & LegacyPermission): IpPermission[] {
  if (input.IpPermissions?.length) return input.IpPermissions;
  if (input.CidrIp || input.SourceSecurityGroupName) {
    return [
      {
        IpProtocol: input.IpProtocol ?? '-1',
        FromPort: input.FromPort,
        ToPort: input.ToPort,
        IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : undefined,
        UserIdGroupPairs: input.SourceSecurityGroupName ? [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }] : undefined,
      },
    ];
  }
  throw Ec2Errors.missingParameter('IpPermissions');
}

function authorize(ctx: RequestContext, group: SecurityGroupRecord, permissions: IpPermission[], isEgress: boolean, tags: { Key?: string; Value?: string }[]) {
  const state = ec2State(ctx);
  const specs = expandPermissions(ctx, state, permissions);
  for (const spec of specs) {
    if (findRule(state, group.GroupId!, isEgress, spec)) {
      const target = spec.CidrIpv4 ?? spec.CidrIpv6 ?? spec.PrefixListId ?? spec.ReferencedGroupInfo?.GroupId;
      throw Ec2Errors.permissionDuplicate(`peer: ${target}, ${spec.IpProtocol}, from port: ${spec.FromPort}, to port: ${spec.ToPort}, ALLOW"`);
    }
  }
  const created = specs.map((spec) => addRule(state, ctx, group.GroupId!, isEgress, spec));
  for (const rule of created) setTags(state, rule.SecurityGroupRuleId!, tags);
  return { Return: true, SecurityGroupRules: created.map((r) => presentRule(ctx, state, r)) };
}

function revoke(ctx: RequestContext, group: SecurityGroupRecord, input: { IpPermissions?: IpPermission[]; SecurityGroupRuleIds?: string[] } & LegacyPermission, isEgress: boolean) {
  const state = ec2State(ctx);
  const doomed: string[] = [];
  if (input.SecurityGroupRuleIds?.length) {
    for (const id of input.SecurityGroupRuleIds) {
      const rule = state.rules[id];
      if (!rule || rule.GroupId !== group.GroupId || rule.IsEgress !== isEgress) throw Ec2Errors.ruleNotFound(id);
      doomed.push(id);
    }
  } else {
    for (const spec of expandPermissions(ctx, state, requestedPermissions(input))) {
      const rule = findRule(state, group.GroupId!, isEgress, spec);
      if (!rule) throw Ec2Errors.permissionNotFound();
      doomed.push(rule.SecurityGroupRuleId!);
    }
  }
  const revoked = doomed.map((id) => ({
    SecurityGroupRuleId: id,
    GroupId: group.GroupId,
    IsEgress: isEgress,
    IpProtocol: state.rules[id]!.IpProtocol,
    FromPort: state.rules[id]!.FromPort,
    ToPort: state.rules[id]!.ToPort,
    CidrIpv4: state.rules[id]!.CidrIpv4,
    CidrIpv6: state.rules[id]!.CidrIpv6,
    PrefixListId: state.rules[id]!.PrefixListId,
    ReferencedGroupId: state.rules[id]!.ReferencedGroupInfo?.GroupId,
    Description: state.rules[id]!.Description,
  }));
  for (const id of doomed) {
    delete state.rules[id];
    delete state.tags[id];
  }
  return { Return: true, RevokedSecurityGroupRules: revoked };
}

/**
 * UpdateSecurityGroupRuleDescriptions{Ingress,Egress}: each permission (one rule per CIDR, prefix
 * list or group pair) must match an existing rule by protocol, ports and source exactly, as
 * RevokeSecurityGroup* matches them, and its description (or none, which clears it) replaces the
 * rule's; or rules are named by id. Nothing changes unless every one matches.
 */
function updateDescriptions(
  ctx: RequestContext,
  input: { GroupId?: string; GroupName?: string; IpPermissions?: IpPermission[]; SecurityGroupRuleDescriptions?: { SecurityGroupRuleId?: string; Description?: string }[] },
  isEgress: boolean,
) {
  const state = ec2State(ctx);
  const group = resolveGroup(state, input.GroupId, input.GroupName);
  const changes: [Omit<SecurityGroupRule, 'Tags'>, string | undefined][] = [];
  if (input.SecurityGroupRuleDescriptions?.length) {
    for (const d of input.SecurityGroupRuleDescriptions) {
      const rule = state.rules[d.SecurityGroupRuleId ?? ''];
      if (!rule || rule.GroupId !== group.GroupId || rule.IsEgress !== isEgress) throw Ec2Errors.ruleNotFound(d.SecurityGroupRuleId ?? '');
      changes.push([rule, d.Description]);
    }
  } else {
    if (!input.IpPermissions?.length) throw Ec2Errors.missingParameter('IpPermissions');
    for (const spec of expandPermissions(ctx, state, input.IpPermissions)) {
      const rule = findRule(state, group.GroupId!, isEgress, spec);
      if (!rule) throw Ec2Errors.permissionNotFound();
      changes.push([rule, spec.Description]);
    }
  }
  for (const [rule, description] of changes) {
    if (description === undefined) delete rule.Description;
    else rule.Description = description;
  }
  return { Return: true };
}

/** Security group operations. */
export const securityGroupHandlers: HandlerMap<EC2> = {
  CreateSecurityGroup(input, ctx) {
    const state = ec2State(ctx);
    const vpcId = input.VpcId ?? defaultVpcId(state);
    if (!vpcId) throw Ec2Errors.invalidParameterValue('No default VPC for this user.');
    getVpc(state, vpcId);
    const name = input.GroupName ?? '';
    if (!name) throw Ec2Errors.missingParameter('GroupName');
    if (name.toLowerCase() === 'default') throw Ec2Errors.groupReserved();
    if (name.startsWith('sg-')) throw Ec2Errors.invalidParameterValue("Group names may not be in the format sg-*.");
    if (Object.values(state.securityGroups).some((g) => g.VpcId === vpcId && g.GroupName === name)) throw Ec2Errors.groupDuplicate(name, vpcId);
    if (!input.Description) throw Ec2Errors.missingParameter('GroupDescription');
    const group = addSecurityGroup(state, ctx, vpcId, name, input.Description);
    addRule(state, ctx, group.GroupId!, true, { IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' });
    const tags = tagsFromSpecs(input.TagSpecifications, 'security-group');
    setTags(state, group.GroupId!, tags);
    return { GroupId: group.GroupId, SecurityGroupArn: group.SecurityGroupArn, Tags: tagsOf(state, group.GroupId!) };
  },

  DeleteSecurityGroup(input, ctx) {
    const state = ec2State(ctx);
    const group = resolveGroup(state, input.GroupId, input.GroupName);
    const id = group.GroupId!;
    if (group.GroupName === 'default') throw Ec2Errors.cannotDeleteDefault();
    const referencing = Object.values(state.rules).find((r) => r.ReferencedGroupInfo?.GroupId === id && r.GroupId !== id);
    if (referencing) throw Ec2Errors.groupInUse(id, '');
    const eni = Object.values(state.networkInterfaces).find((n) => (n.Groups ?? []).some((g) => g.GroupId === id));
    if (eni) throw Ec2Errors.groupInUse(id, '');
    const instance = Object.values(state.instances).find(
      (r) => r.instance.State?.Name !== 'terminated' && (r.instance.SecurityGroups ?? []).some((g) => g.GroupId === id),
    );
    if (instance) throw Ec2Errors.groupInUse(id, '');
    // An interface endpoint without subnets has no interfaces, but holds its groups all the same.
    if (Object.values(state.vpcEndpoints).some((e) => e.Groups?.some((g) => g.GroupId === id))) throw Ec2Errors.groupInUse(id, '');
    for (const [rid, rule] of Object.entries(state.rules)) {
      if (rule.GroupId === id) {
        delete state.rules[rid];
        delete state.tags[rid];
      }
    }
    delete state.securityGroups[id];
    delete state.tags[id];
    return { Return: true, GroupId: id };
  },

  DescribeSecurityGroups(input, ctx) {
    const state = ec2State(ctx);
    let groups = Object.values(state.securityGroups);
    if (input.GroupIds?.length) groups = input.GroupIds.map((id) => getSecurityGroup(state, id));
    if (input.GroupNames?.length) groups = input.GroupNames.map((name) => resolveGroup(state, undefined, name));
    const perms = (g: SecurityGroupRecord, egress: boolean) => permissionsOf(state, g.GroupId!, egress);
    groups = applyFilters(state, groups, input.Filters, {
      'group-id': (g) => g.GroupId,
      'group-name': (g) => g.GroupName,
      'vpc-id': (g) => g.VpcId,
      'description': (g) => g.Description,
      'owner-id': (g) => g.OwnerId,
      'ip-permission.cidr': (g) => perms(g, false).flatMap((p) => p.IpRanges?.map((r) => r.CidrIp) ?? []),
      'ip-permission.ipv6-cidr': (g) => perms(g, false).flatMap((p) => p.Ipv6Ranges?.map((r) => r.CidrIpv6) ?? []),
      'ip-permission.from-port': (g) => perms(g, false).map((p) => p.FromPort),
      'ip-permission.to-port': (g) => perms(g, false).map((p) => p.ToPort),
      'ip-permission.protocol': (g) => perms(g, false).map((p) => p.IpProtocol),
      'ip-permission.group-id': (g) => perms(g, false).flatMap((p) => p.UserIdGroupPairs?.map((u) => u.GroupId) ?? []),
      'egress.ip-permission.cidr': (g) => perms(g, true).flatMap((p) => p.IpRanges?.map((r) => r.CidrIp) ?? []),
      'egress.ip-permission.protocol': (g) => perms(g, true).map((p) => p.IpProtocol),
      'egress.ip-permission.group-id': (g) => perms(g, true).flatMap((p) => p.UserIdGroupPairs?.map((u) => u.GroupId) ?? []),
    }, (g) => g.GroupId!);
    const p = page(groups, input.NextToken, input.MaxResults);
    return { SecurityGroups: p.items.map((g) => present(ctx, state, g)), NextToken: p.NextToken };
  },

  AuthorizeSecurityGroupIngress(input, ctx) {
    const state = ec2State(ctx);
    const group = resolveGroup(state, input.GroupId, input.GroupName);
    return authorize(ctx, group, requestedPermissions(input), false, tagsFromSpecs(input.TagSpecifications, 'security-group-rule'));
  },

  AuthorizeSecurityGroupEgress(input, ctx) {
    const state = ec2State(ctx);
    const group = getSecurityGroup(state, input.GroupId!);
    return authorize(ctx, group, requestedPermissions(input), true, tagsFromSpecs(input.TagSpecifications, 'security-group-rule'));
  },

  RevokeSecurityGroupIngress(input, ctx) {
    const state = ec2State(ctx);
    return revoke(ctx, resolveGroup(state, input.GroupId, input.GroupName), input, false);
  },

  RevokeSecurityGroupEgress(input, ctx) {
    const state = ec2State(ctx);
    return revoke(ctx, getSecurityGroup(state, input.GroupId!), input, true);
  },

  UpdateSecurityGroupRuleDescriptionsIngress(input, ctx) {
    return updateDescriptions(ctx, input, false);
  },

  UpdateSecurityGroupRuleDescriptionsEgress(input, ctx) {
    return updateDescriptions(ctx, input, true);
  },

  DescribeSecurityGroupReferences(input, ctx) {
    const state = ec2State(ctx);
    if (!input.GroupId?.length) throw Ec2Errors.missingParameter('GroupId');
    const groups = byIds(Object.values(state.securityGroups), input.GroupId, (g) => g.GroupId, Ec2Errors.groupNotFound);
    // Groups of other VPCs whose rules name one of these (across a peering, in AWS); rules of the
    // group's own VPC are not references in this sense.
    const references = groups.flatMap((group) => {
      const vpcs = new Set<string>();
      for (const rule of Object.values(state.rules)) {
        const referencing = rule.ReferencedGroupInfo?.GroupId === group.GroupId ? state.securityGroups[rule.GroupId!] : undefined;
        if (referencing?.VpcId && referencing.VpcId !== group.VpcId) vpcs.add(referencing.VpcId);
      }
      return [...vpcs].map((ReferencingVpcId) => ({ GroupId: group.GroupId, ReferencingVpcId }));
    });
    return { SecurityGroupReferenceSet: references };
  },

  DescribeSecurityGroupRules(input, ctx) {
    const state = ec2State(ctx);
    let rules = Object.values(state.rules);
    if (input.SecurityGroupRuleIds?.length) {
      rules = input.SecurityGroupRuleIds.map((id) => {
        const rule = state.rules[id];
        if (!rule) throw Ec2Errors.ruleNotFound(id);
        return rule;
      });
    }
    rules = applyFilters(state, rules, input.Filters, {
      'group-id': (r) => r.GroupId,
      'security-group-rule-id': (r) => r.SecurityGroupRuleId,
    }, (r) => r.SecurityGroupRuleId!);
    const p = page(rules, input.NextToken, input.MaxResults);
    return { SecurityGroupRules: p.items.map((r) => presentRule(ctx, state, r)), NextToken: p.NextToken };
  },
};
