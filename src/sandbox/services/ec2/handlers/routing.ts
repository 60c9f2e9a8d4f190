/** EC2 route tables, network ACLs and internet gateways (vpc-resources.ts says which are derived). */
import type { EC2, InternetGateway } from '@aws-sdk/client-ec2';
import type { HandlerMap, RequestContext } from '../../types.js';
import { outputOf } from '../../clone.js';
import { ec2Id } from '../../ids.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, byIds, page } from '../filters.js';
import type { Ec2State } from '../state.js';
import { ec2State, getVpc, setTags, tagsFromSpecs, tagsOf } from '../state.js';
import type { InternetGatewayRecord } from '../vpc-resources.js';
import { attachedInternetGateway, changeInternetGateways, defaultNetworkAcl, gatewayAttachment, internetGateways, mainRouteTable } from '../vpc-resources.js';

/** Tags of a route table, network ACL or gateway: EC2 sends an empty tagSet for these, not none. */
const tagSet = (state: Ec2State, id: string) => tagsOf(state, id) ?? [];

function presentGateway(ctx: RequestContext, state: Ec2State, gateway: InternetGatewayRecord): InternetGateway {
  return { ...outputOf(ctx, gateway), Tags: tagSet(state, gateway.InternetGatewayId!) };
}

/** A gateway to change (Attach/Detach/Delete), or InvalidInternetGatewayID.NotFound. */
function gatewayToChange(state: Ec2State, id: string): InternetGatewayRecord {
  const gateways = changeInternetGateways(state);
  const gateway = Object.hasOwn(gateways, id) ? gateways[id] : undefined;
  if (!gateway) throw Ec2Errors.internetGatewayNotFound(id);
  return gateway;
}

/** Whether anything in a VPC holds a public address (EC2 then refuses to detach its gateway). */
function mapsPublicAddresses(state: Ec2State, vpcId: string): boolean {
  return (
    Object.values(state.networkInterfaces).some((n) => n.VpcId === vpcId && n.Association?.PublicIp !== undefined) ||
    // Instances saved before they had interfaces hold their address on the instance only.
    Object.values(state.instances).some(({ instance }) => instance.VpcId === vpcId && instance.PublicIpAddress && instance.State?.Name !== 'terminated')
  );
}

/** Route table, network ACL and internet gateway operations. */
export const routingHandlers: HandlerMap<EC2> = {
  DescribeRouteTables(input, ctx) {
    const state = ec2State(ctx);
    const all = Object.values(state.vpcs).map((vpc) => mainRouteTable(state, vpc));
    const tables = applyFilters(state, byIds(all, input.RouteTableIds, (t) => t.RouteTableId, Ec2Errors.routeTableNotFound), input.Filters, {
      'route-table-id': (t) => t.RouteTableId,
      'vpc-id': (t) => t.VpcId,
      'owner-id': (t) => t.OwnerId,
      'association.main': (t) => t.Associations?.map((a) => a.Main),
      'association.subnet-id': (t) => t.Associations?.map((a) => a.SubnetId),
      'association.route-table-association-id': (t) => t.Associations?.map((a) => a.RouteTableAssociationId),
      'association.route-table-id': (t) => t.Associations?.map((a) => a.RouteTableId),
      'route.destination-cidr-block': (t) => t.Routes?.map((r) => r.DestinationCidrBlock),
      'route.gateway-id': (t) => t.Routes?.map((r) => r.GatewayId),
      'route.origin': (t) => t.Routes?.map((r) => r.Origin),
      'route.state': (t) => t.Routes?.map((r) => r.State),
    }, (t) => t.RouteTableId!);
    const p = page(tables, input.NextToken, input.MaxResults);
    return { RouteTables: p.items.map((t) => ({ ...t, Tags: tagSet(state, t.RouteTableId!) })), NextToken: p.NextToken };
  },

  DescribeNetworkAcls(input, ctx) {
    const state = ec2State(ctx);
    const all = Object.values(state.vpcs).map((vpc) => defaultNetworkAcl(state, vpc));
    const acls = applyFilters(state, byIds(all, input.NetworkAclIds, (a) => a.NetworkAclId, Ec2Errors.networkAclNotFound), input.Filters, {
      'network-acl-id': (a) => a.NetworkAclId,
      'vpc-id': (a) => a.VpcId,
      'owner-id': (a) => a.OwnerId,
      'default': (a) => a.IsDefault,
      'association.association-id': (a) => a.Associations?.map((x) => x.NetworkAclAssociationId),
      'association.network-acl-id': (a) => a.Associations?.map((x) => x.NetworkAclId),
      'association.subnet-id': (a) => a.Associations?.map((x) => x.SubnetId),
      'entry.cidr': (a) => a.Entries?.map((e) => e.CidrBlock),
      'entry.egress': (a) => a.Entries?.map((e) => e.Egress),
      'entry.protocol': (a) => a.Entries?.map((e) => e.Protocol),
      'entry.rule-action': (a) => a.Entries?.map((e) => e.RuleAction),
      'entry.rule-number': (a) => a.Entries?.map((e) => e.RuleNumber),
    }, (a) => a.NetworkAclId!);
    const p = page(acls, input.NextToken, input.MaxResults);
    return { NetworkAcls: p.items.map((a) => ({ ...a, Tags: tagSet(state, a.NetworkAclId!) })), NextToken: p.NextToken };
  },

  DescribeInternetGateways(input, ctx) {
    const state = ec2State(ctx);
    const all = Object.values(internetGateways(state));
    const gateways = applyFilters(state, byIds(all, input.InternetGatewayIds, (g) => g.InternetGatewayId, Ec2Errors.internetGatewayNotFound), input.Filters, {
      'internet-gateway-id': (g) => g.InternetGatewayId,
      'owner-id': (g) => g.OwnerId,
      'attachment.vpc-id': (g) => g.Attachments?.map((a) => a.VpcId),
      'attachment.state': (g) => g.Attachments?.map((a) => a.State),
    }, (g) => g.InternetGatewayId!);
    const p = page(gateways, input.NextToken, input.MaxResults);
    return { InternetGateways: p.items.map((g) => presentGateway(ctx, state, g)), NextToken: p.NextToken };
  },

  CreateInternetGateway(input, ctx) {
    const state = ec2State(ctx);
    const id = ec2Id('igw');
    // Tags first: a reserved key fails the call before the gateway exists.
    setTags(state, id, tagsFromSpecs(input.TagSpecifications, 'internet-gateway'));
    const gateway: InternetGatewayRecord = { InternetGatewayId: id, OwnerId: ctx.account, Attachments: [] };
    changeInternetGateways(state)[id] = gateway;
    return { InternetGateway: presentGateway(ctx, state, gateway) };
  },

  AttachInternetGateway(input, ctx) {
    const state = ec2State(ctx);
    const gateway = gatewayToChange(state, input.InternetGatewayId!);
    const vpcId = getVpc(state, input.VpcId!).VpcId!;
    const current = gateway.Attachments?.[0]?.VpcId;
    if (current) throw Ec2Errors.internetGatewayAttached(gateway.InternetGatewayId!, current);
    if (attachedInternetGateway(state, vpcId)) throw Ec2Errors.vpcHasInternetGateway(vpcId);
    gateway.Attachments = [gatewayAttachment(vpcId)];
    return {};
  },

  DetachInternetGateway(input, ctx) {
    const state = ec2State(ctx);
    const gateway = gatewayToChange(state, input.InternetGatewayId!);
    const vpcId = getVpc(state, input.VpcId!).VpcId!;
    if (!gateway.Attachments?.some((a) => a.VpcId === vpcId)) throw Ec2Errors.internetGatewayNotAttached(gateway.InternetGatewayId!, vpcId);
    if (mapsPublicAddresses(state, vpcId)) {
      throw Ec2Errors.dependency(`Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`);
    }
    gateway.Attachments = [];
    return {};
  },

  DeleteInternetGateway(input, ctx) {
    const state = ec2State(ctx);
    const gateway = gatewayToChange(state, input.InternetGatewayId!);
    const id = gateway.InternetGatewayId!;
    if (gateway.Attachments?.length) throw Ec2Errors.dependency(`The internetGateway '${id}' has dependencies and cannot be deleted.`);
    delete changeInternetGateways(state)[id];
    delete state.tags[id];
    return {};
  },
};
