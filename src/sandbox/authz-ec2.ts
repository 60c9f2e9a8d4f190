// EC2 authorisation table. EC2 Describe* calls have no resource-level permissions (`*`); calls on
// one resource name its ARN; create calls name `<type>/*` (plus the VPC they go into) and, when
// they carry TagSpecifications, also need ec2:CreateTags with ec2:CreateAction.
//
// | operation                                          | resource                                  |
// |----------------------------------------------------|-------------------------------------------|
// | CreateVpc / CreateSubnet / CreateSecurityGroup     | `vpc/*` / `subnet/*` + VPC / `security-group/*` + VPC |
// | DeleteVpc, ModifyVpcAttribute, DeleteSubnet, ModifySubnetAttribute | the VPC / subnet          |
// | DeleteSecurityGroup, Authorize*/Revoke*, UpdateSecurityGroupRuleDescriptions* | the security group (by id or name) |
// | RunInstances                                       | `instance/*` (+ launch template); iam:PassRole for the instance profile's role |
// | TerminateInstances, Stop/Start/RebootInstances     | the instances                             |
// | GetConsoleOutput                                   | the instance                              |
// | CreateLaunchTemplate / *LaunchTemplate*            | `launch-template/*` / the template        |
// | CreateFlowLogs / DeleteFlowLogs                    | `vpc-flow-log/*` + the watched resources / the flow logs |
// | CreateInternetGateway / DeleteInternetGateway      | `internet-gateway/*` / the gateway        |
// | AttachInternetGateway, DetachInternetGateway       | the gateway + the VPC                     |
// | ModifyInstanceMetadataOptions                      | the instance                              |
// | ModifyNetworkInterfaceAttribute                    | the interface (+ the groups it is given)  |
// | CreateVpcEndpoint / ModifyVpcEndpoint              | `vpc-endpoint/*` + VPC, subnets, groups, route tables / the endpoint + those added or removed |
// | DeleteVpcEndpoints                                 | the endpoints                             |
// | CreateTags, DeleteTags                             | each resource                             |
// | Describe*, everything else                         | `*`                                       |

import type { AuthzCheck, AuthzEnv, Input, OperationRule, ServiceRules } from './authz-table.js';
import { lookup, records, str, strings, tagList } from './authz-table.js';
import type { Ec2State } from './services/ec2/state.js';
import { resourceTypeOf } from './services/ec2/state.js';
import type { IamState } from './services/iam/state.js';

/** The ARN of an EC2 resource id (AMIs are not owned by an account in their ARN). */
function arnOf(env: AuthzEnv, id: string): string {
  const type = resourceTypeOf(id) ?? 'resource';
  return `arn:aws:ec2:${env.region}:${type === 'image' ? '' : env.account}:${type}/${id}`;
}

function wildcard(env: AuthzEnv, type: string): string {
  return `arn:aws:ec2:${env.region}:${env.account}:${type}/*`;
}

/** Tags of TagSpecifications for one resource type (a spec without a type applies to all). */
function specTags(type: string): (input: Input) => Record<string, string> | undefined {
  return (input) => {
    const specs = records(input.TagSpecifications).filter((s) => s.ResourceType === undefined || s.ResourceType === type);
    const tags = specs.flatMap((s) => records(s.Tags));
    return tags.length ? tagList(tags) : undefined;
  };
}

function securityGroupId(input: Input, env: AuthzEnv): string {
  const id = str(input.GroupId);
  if (id) return id;
  const name = str(input.GroupName) ?? '';
  const groups = env.state<Ec2State>('ec2')?.securityGroups;
  return Object.values(groups ?? {}).find((g) => g.GroupName === name)?.GroupId ?? name;
}

function launchTemplateId(input: Input, env: AuthzEnv): string {
  const spec = (input.LaunchTemplate ?? input) as Record<string, unknown>;
  const id = str(spec.LaunchTemplateId);
  if (id) return id;
  const name = str(spec.LaunchTemplateName) ?? '';
  const templates = env.state<Ec2State>('ec2')?.launchTemplates;
  return Object.values(templates ?? {}).find((t) => t.template.LaunchTemplateName === name)?.template.LaunchTemplateId ?? name;
}

/** iam:PassRole for the role of the instance profile an instance is launched with. */
function passInstanceRole(input: Input, env: AuthzEnv): AuthzCheck[] {
  const profile = (input.IamInstanceProfile ?? {}) as Record<string, unknown>;
  const name = str(profile.Name) ?? str(profile.Arn)?.split('/').pop();
  if (!name) return [];
  const iam = env.state<IamState>('iam', true);
  const roles = lookup(iam?.instanceProfiles, name)?.roles ?? [];
  return roles.map((role) => ({
    action: 'iam:PassRole',
    resource: lookup(iam?.roles, role)?.arn ?? `arn:aws:iam::${env.account}:role/${role}`,
    context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
  }));
}

/** The resources named by id members, one each (`AttachInternetGateway`: the gateway and the VPC). */
const one = (...members: string[]): OperationRule => ({ resources: (i, env) => members.map((member) => arnOf(env, str(i[member]) ?? '')) });
const each = (member: string): OperationRule => ({ resources: (i, env) => strings(i[member]).map((id) => arnOf(env, id)) });
/** The resources named by id list members, one each. */
const listed = (i: Input, env: AuthzEnv, members: readonly string[]): string[] => members.flatMap((member) => strings(i[member]).map((id) => arnOf(env, id)));
const onGroup: OperationRule = { resources: (i, env) => [arnOf(env, securityGroupId(i, env))] };
const onTemplate: OperationRule = { resources: (i, env) => [arnOf(env, launchTemplateId(i, env))] };

const operations: Record<string, OperationRule> = {
  CreateVpc: { resources: (_i, env) => [wildcard(env, 'vpc')], requestTags: specTags('vpc'), creates: true },
  DeleteVpc: one('VpcId'),
  ModifyVpcAttribute: one('VpcId'),
  CreateSubnet: {
    resources: (i, env) => [wildcard(env, 'subnet'), arnOf(env, str(i.VpcId) ?? '')],
    createdResources: (_i, env) => [wildcard(env, 'subnet')],
    requestTags: specTags('subnet'),
    creates: true,
  },
  DeleteSubnet: one('SubnetId'),
  ModifySubnetAttribute: one('SubnetId'),
  CreateSecurityGroup: {
    resources: (i, env) => [wildcard(env, 'security-group'), ...(str(i.VpcId) ? [arnOf(env, str(i.VpcId)!)] : [])],
    createdResources: (_i, env) => [wildcard(env, 'security-group')],
    requestTags: specTags('security-group'),
    creates: true,
  },
  DeleteSecurityGroup: onGroup,
  AuthorizeSecurityGroupIngress: { ...onGroup, requestTags: specTags('security-group-rule') },
  AuthorizeSecurityGroupEgress: { ...onGroup, requestTags: specTags('security-group-rule') },
  RevokeSecurityGroupIngress: onGroup,
  RevokeSecurityGroupEgress: onGroup,
  UpdateSecurityGroupRuleDescriptionsIngress: onGroup,
  UpdateSecurityGroupRuleDescriptionsEgress: onGroup,
  RunInstances: {
    resources: (i, env) => [wildcard(env, 'instance'), ...(i.LaunchTemplate ? [arnOf(env, launchTemplateId(i, env))] : [])],
    createdResources: (_i, env) => [wildcard(env, 'instance')],
    requestTags: specTags('instance'),
    creates: true,
    extra: passInstanceRole,
  },
  TerminateInstances: each('InstanceIds'),
  StopInstances: each('InstanceIds'),
  StartInstances: each('InstanceIds'),
  RebootInstances: each('InstanceIds'),
  GetConsoleOutput: one('InstanceId'),
  CreateLaunchTemplate: { resources: (_i, env) => [wildcard(env, 'launch-template')], requestTags: specTags('launch-template'), creates: true },
  CreateLaunchTemplateVersion: onTemplate,
  ModifyLaunchTemplate: onTemplate,
  DeleteLaunchTemplate: onTemplate,
  DeleteLaunchTemplateVersions: onTemplate,
  CreateFlowLogs: {
    resources: (i, env) => [wildcard(env, 'vpc-flow-log'), ...strings(i.ResourceIds).map((id) => arnOf(env, id))],
    createdResources: (_i, env) => [wildcard(env, 'vpc-flow-log')],
    requestTags: specTags('vpc-flow-log'),
    creates: true,
  },
  DeleteFlowLogs: each('FlowLogIds'),
  CreateInternetGateway: { resources: (_i, env) => [wildcard(env, 'internet-gateway')], requestTags: specTags('internet-gateway'), creates: true },
  AttachInternetGateway: one('InternetGatewayId', 'VpcId'),
  DetachInternetGateway: one('InternetGatewayId', 'VpcId'),
  DeleteInternetGateway: one('InternetGatewayId'),
  ModifyInstanceMetadataOptions: one('InstanceId'),
  ModifyNetworkInterfaceAttribute: { resources: (i, env) => [arnOf(env, str(i.NetworkInterfaceId) ?? ''), ...listed(i, env, ['Groups'])] },
  CreateVpcEndpoint: {
    resources: (i, env) => [wildcard(env, 'vpc-endpoint'), arnOf(env, str(i.VpcId) ?? ''), ...listed(i, env, ['SubnetIds', 'SecurityGroupIds', 'RouteTableIds'])],
    createdResources: (_i, env) => [wildcard(env, 'vpc-endpoint')],
    requestTags: specTags('vpc-endpoint'),
    creates: true,
  },
  ModifyVpcEndpoint: {
    resources: (i, env) => [
      arnOf(env, str(i.VpcEndpointId) ?? ''),
      ...listed(i, env, ['AddSubnetIds', 'RemoveSubnetIds', 'AddSecurityGroupIds', 'RemoveSecurityGroupIds', 'AddRouteTableIds', 'RemoveRouteTableIds']),
    ],
  },
  DeleteVpcEndpoints: each('VpcEndpointIds'),
  CreateTags: { ...each('Resources'), requestTags: (i) => tagList(i.Tags) },
  DeleteTags: { ...each('Resources'), removedTagKeys: (i) => records(i.Tags).map((t) => str(t.Key) ?? '') },
};

/** Current tags of an EC2 resource, from the shared tag store. */
function resourceTags(resourceArn: string, env: AuthzEnv): Readonly<Record<string, string>> | undefined {
  const m = /^arn:aws[a-z-]*:ec2:([^:]*):([0-9]*):[a-z-]+\/(.+)$/.exec(resourceArn);
  if (!m || m[1] !== env.region) return undefined;
  return lookup(env.state<Ec2State>('ec2')?.tags, m[3]!);
}

/** The EC2 table. */
export const EC2_RULES: ServiceRules = { prefix: 'ec2', operations, resourceTags, resourceTagAlias: 'ec2:ResourceTag', tagOnCreate: 'ec2:CreateTags', createActionKey: 'ec2:CreateAction' };
