/**
 * Account-level EC2 reads: DescribeAccountAttributes, and the key pairs and Elastic IP addresses
 * the sandbox has none of (instances get their public addresses from Amazon's pool, which
 * DescribeAddresses does not list), so that scripts and learners get AWS's answers for them.
 */
import type { AccountAttribute, Address, EC2, KeyPairInfo } from '@aws-sdk/client-ec2';
import type { HandlerMap } from '../../types.js';
import { Ec2Errors } from '../errors.js';
import { applyFilters, byIds } from '../filters.js';
import { ec2State } from '../state.js';
import { GROUPS_PER_INTERFACE } from './network-interfaces.js';

/** The account's quotas as EC2 reports them (AWS's defaults for a new account). */
const QUOTAS: Readonly<Record<string, string>> = {
  'max-instances': '20',
  'vpc-max-security-groups-per-interface': String(GROUPS_PER_INTERFACE),
  'max-elastic-ips': '5',
  'vpc-max-elastic-ips': '5',
};

/** Account attribute, key pair and address operations. */
export const accountHandlers: HandlerMap<EC2> = {
  DescribeAccountAttributes(input, ctx) {
    const state = ec2State(ctx);
    const defaultVpc = Object.values(state.vpcs).find((v) => v.IsDefault)?.VpcId ?? 'none';
    const values: Record<string, string[]> = { 'supported-platforms': ['VPC'], 'default-vpc': [defaultVpc] };
    for (const [name, value] of Object.entries(QUOTAS)) values[name] = [value];
    const all = Object.entries(values).map(([AttributeName, list]): AccountAttribute => ({
      AttributeName,
      AttributeValues: list.map((AttributeValue) => ({ AttributeValue })),
    }));
    const names = (input.AttributeNames ?? []) as string[];
    // The SDK's enum names two attributes; EC2 accepts the quota names too. Unknown names: not verified.
    return { AccountAttributes: byIds(all, names, (a) => a.AttributeName, (name) => Ec2Errors.invalidParameterValue(`Value (${name}) for parameter attributeName is invalid.`)) };
  },

  DescribeKeyPairs(input, ctx) {
    const state = ec2State(ctx);
    const none: KeyPairInfo[] = [];
    byIds(none, input.KeyNames, (k) => k.KeyName, Ec2Errors.keyPairNotFound);
    byIds(none, input.KeyPairIds, (k) => k.KeyPairId, Ec2Errors.keyPairIdNotFound);
    const pairs = applyFilters(state, none, input.Filters, {
      'key-name': (k) => k.KeyName,
      'key-pair-id': (k) => k.KeyPairId,
      'fingerprint': (k) => k.KeyFingerprint,
      'key-type': (k) => k.KeyType,
    }, (k) => k.KeyPairId!);
    return { KeyPairs: pairs };
  },

  DescribeAddresses(input, ctx) {
    const state = ec2State(ctx);
    const none: Address[] = [];
    byIds(none, input.PublicIps, (a) => a.PublicIp, Ec2Errors.addressNotFound);
    byIds(none, input.AllocationIds, (a) => a.AllocationId, Ec2Errors.allocationNotFound);
    const addresses = applyFilters(state, none, input.Filters, {
      'allocation-id': (a) => a.AllocationId,
      'association-id': (a) => a.AssociationId,
      'domain': (a) => a.Domain,
      'instance-id': (a) => a.InstanceId,
      'network-interface-id': (a) => a.NetworkInterfaceId,
      'network-interface-owner-id': (a) => a.NetworkInterfaceOwnerId,
      'network-border-group': (a) => a.NetworkBorderGroup,
      'private-ip-address': (a) => a.PrivateIpAddress,
      'public-ip': (a) => a.PublicIp,
    }, (a) => a.AllocationId!);
    return { Addresses: addresses };
  },
};
