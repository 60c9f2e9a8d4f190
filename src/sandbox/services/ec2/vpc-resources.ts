/**
 * What EC2 creates with every VPC: its main route table (a `local` route for the VPC's CIDR) and
 * its default network ACL (allow all, then deny all, both ways, associated with every subnet of
 * the VPC); and, with a default VPC, an internet gateway attached to it and a 0.0.0.0/0 route to
 * that gateway in the main table.
 *
 * The route table and the ACL are derived from the VPC and its subnets on every read, with ids
 * derived from the VPC's (and association ids from the subnet's): nothing about them can change
 * yet but their tags, which live in the shared tag store under those ids. So they appear, with
 * stable ids, in state saved before the sandbox had them, they follow subnets as they come and
 * go, and they disappear with their VPC. Internet gateways can be created, attached, detached and
 * deleted, so they are stored; state saved before they existed gets its default VPC's gateway on
 * read, and stores it on the first change to a gateway (see {@link changeInternetGateways}).
 */
import type { InternetGateway, InternetGatewayAttachment, NetworkAcl, NetworkAclEntry, Route, RouteTable, Vpc } from '@aws-sdk/client-ec2';
import { stableEc2Id } from '../ids.js';
import type { Ec2State } from './state.js';

/** An internet gateway as stored (tags live in the shared tag store). */
export type InternetGatewayRecord = Omit<InternetGateway, 'Tags'>;

/** The id of the resource of kind `prefix` derived from `of` (a VPC or subnet id): distinct per kind. */
function derivedId(prefix: string, of: string): string {
  return stableEc2Id(prefix, `${of}/${prefix}`);
}

/** The id of a VPC's main route table. */
export function mainRouteTableId(vpcId: string): string {
  return derivedId('rtb', vpcId);
}

/** The id of a VPC's default network ACL. */
export function defaultNetworkAclId(vpcId: string): string {
  return derivedId('acl', vpcId);
}

/** The id of the internet gateway EC2 creates with a default VPC. */
function defaultInternetGatewayId(vpcId: string): string {
  return derivedId('igw', vpcId);
}

/** A gateway's attachment to a VPC: EC2 says `available`, which the SDK's AttachmentStatus lacks. */
export function gatewayAttachment(vpcId: string): InternetGatewayAttachment {
  return { VpcId: vpcId, State: 'available' as InternetGatewayAttachment['State'] };
}

/** The internet gateways EC2 creates with default VPCs, attached to them. */
export function defaultInternetGateways(state: Ec2State): Record<string, InternetGatewayRecord> {
  const gateways = Object.create(null) as Record<string, InternetGatewayRecord>;
  for (const vpc of Object.values(state.vpcs)) {
    if (!vpc.IsDefault) continue;
    const id = defaultInternetGatewayId(vpc.VpcId!);
    gateways[id] = { InternetGatewayId: id, OwnerId: vpc.OwnerId, Attachments: [gatewayAttachment(vpc.VpcId!)] };
  }
  return gateways;
}

/** The internet gateways, to read (state saved before they existed: its default VPC's, not stored). */
export function internetGateways(state: Ec2State): Readonly<Record<string, InternetGatewayRecord>> {
  return state.internetGateways ?? defaultInternetGateways(state);
}

/**
 * The internet gateways, to change: `state` must be a mutating request's tracked state, through
 * which the default VPC's gateway of state saved before gateways existed is stored first.
 */
export function changeInternetGateways(state: Ec2State): Record<string, InternetGatewayRecord> {
  if (!state.internetGateways) state.internetGateways = defaultInternetGateways(state);
  return state.internetGateways;
}

/** The gateway attached to a VPC, if any. */
export function attachedInternetGateway(state: Ec2State, vpcId: string): InternetGatewayRecord | undefined {
  return Object.values(internetGateways(state)).find((g) => g.Attachments?.some((a) => a.VpcId === vpcId));
}

/**
 * A VPC's main route table. A default VPC's routes 0.0.0.0/0 to the gateway created with it:
 * `blackhole` once that gateway is detached or deleted, as EC2 keeps the route.
 */
export function mainRouteTable(state: Ec2State, vpc: Omit<Vpc, 'Tags'>): Omit<RouteTable, 'Tags'> {
  const vpcId = vpc.VpcId!;
  const id = mainRouteTableId(vpcId);
  const routes: Route[] = [{ DestinationCidrBlock: vpc.CidrBlock, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }];
  if (vpc.IsDefault) {
    const gatewayId = defaultInternetGatewayId(vpcId);
    const attached = internetGateways(state)[gatewayId]?.Attachments?.some((a) => a.VpcId === vpcId);
    routes.push({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: gatewayId, Origin: 'CreateRoute', State: attached ? 'active' : 'blackhole' });
  }
  return {
    RouteTableId: id,
    VpcId: vpcId,
    OwnerId: vpc.OwnerId,
    Associations: [{ Main: true, RouteTableAssociationId: derivedId('rtbassoc', vpcId), RouteTableId: id, AssociationState: { State: 'associated' } }],
    PropagatingVgws: [],
    Routes: routes,
  };
}

/** Rule 100 allows all traffic, rule 32767 (the catch-all) denies it; egress first, as EC2 lists them. */
const DEFAULT_ACL_ENTRIES: readonly NetworkAclEntry[] = [true, false].flatMap((egress) => [
  { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow' as const, Egress: egress, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny' as const, Egress: egress, CidrBlock: '0.0.0.0/0' },
]);

/** A VPC's default network ACL, associated with each of the VPC's subnets. */
export function defaultNetworkAcl(state: Ec2State, vpc: Omit<Vpc, 'Tags'>): Omit<NetworkAcl, 'Tags'> {
  const id = defaultNetworkAclId(vpc.VpcId!);
  const subnets = Object.values(state.subnets).filter((s) => s.VpcId === vpc.VpcId);
  return {
    NetworkAclId: id,
    VpcId: vpc.VpcId,
    OwnerId: vpc.OwnerId,
    IsDefault: true,
    Entries: DEFAULT_ACL_ENTRIES.map((e) => ({ ...e })),
    Associations: subnets.map((s) => ({ NetworkAclAssociationId: derivedId('aclassoc', s.SubnetId!), NetworkAclId: id, SubnetId: s.SubnetId })),
  };
}
