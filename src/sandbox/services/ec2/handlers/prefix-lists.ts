/**
 * Network describes a learner runs that have little to show in the sandbox: the AWS-managed
 * prefix lists of S3 and DynamoDB (the targets of gateway endpoint routes and of security group
 * rules allowing them), and the empty lists of NAT gateways and Spot prices.
 *
 * AWS gives the managed lists ids that differ per Region (`pl-63a5400a` is S3's in us-east-1 in
 * public examples) and CIDRs that change over time (published in ip-ranges.json): the sandbox
 * derives 8-digit ids from the Region and the list name, and its CIDRs are a few of the services'
 * published ranges, not the real lists (not verified per Region).
 */
import type { EC2, ManagedPrefixList, PrefixList } from '@aws-sdk/client-ec2';
import type { HandlerMap } from '../../types.js';
import { AwsError } from '../../../errors.js';
import { stableEc2Id } from '../../ids.js';
import { applyFilters, byIds, page } from '../filters.js';
import { ec2State } from '../state.js';

/** A few CIDRs of each service (Amazon's published ranges; illustrative, the same in every Region). */
const MANAGED_CIDRS: Readonly<Record<string, readonly string[]>> = {
  s3: ['3.5.0.0/19', '16.182.0.0/16', '18.34.0.0/19', '52.216.0.0/15', '54.231.0.0/16'],
  dynamodb: ['3.218.176.0/20', '35.71.64.0/22', '52.94.0.0/22', '52.119.224.0/20'],
};

interface ManagedList {
  id: string;
  name: string;
  cidrs: readonly string[];
}

/** The AWS-managed prefix lists of a Region. */
function managedLists(region: string): ManagedList[] {
  return Object.entries(MANAGED_CIDRS).map(([service, cidrs]) => {
    const name = `com.amazonaws.${region}.${service}`;
    // `pl-` and 8 hex digits, as AWS-managed lists have.
    return { id: `pl-${stableEc2Id('pl', name).slice(4, 12)}`, name, cidrs };
  });
}

/** Code from the EC2 error code list; message not verified. */
const prefixListNotFound = (id: string) => new AwsError('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`);

function managed(region: string, list: ManagedList): ManagedPrefixList {
  return {
    PrefixListId: list.id,
    AddressFamily: 'IPv4',
    State: 'create-complete',
    PrefixListArn: `arn:aws:ec2:${region}:aws:prefix-list/${list.id}`,
    PrefixListName: list.name,
    Tags: [],
    OwnerId: 'AWS',
  };
}

/** Prefix list, NAT gateway and Spot price describes. */
export const prefixListHandlers: HandlerMap<EC2> = {
  DescribePrefixLists(input, ctx) {
    const state = ec2State(ctx);
    let lists = byIds(managedLists(ctx.region), input.PrefixListIds, (l) => l.id, prefixListNotFound);
    lists = applyFilters(state, lists, input.Filters, {
      'prefix-list-id': (l) => l.id,
      'prefix-list-name': (l) => l.name,
    }, (l) => l.id);
    const p = page(lists, input.NextToken, input.MaxResults);
    return { PrefixLists: p.items.map((l): PrefixList => ({ PrefixListId: l.id, PrefixListName: l.name, Cidrs: [...l.cidrs] })), NextToken: p.NextToken };
  },

  DescribeManagedPrefixLists(input, ctx) {
    const state = ec2State(ctx);
    let lists = byIds(managedLists(ctx.region), input.PrefixListIds, (l) => l.id, prefixListNotFound);
    lists = applyFilters(state, lists, input.Filters, {
      'prefix-list-id': (l) => l.id,
      'prefix-list-name': (l) => l.name,
      'owner-id': () => 'AWS',
    }, (l) => l.id);
    const p = page(lists, input.NextToken, input.MaxResults);
    return { PrefixLists: p.items.map((l) => managed(ctx.region, l)), NextToken: p.NextToken };
  },

  GetManagedPrefixListEntries(input, ctx) {
    const id = input.PrefixListId ?? '';
    if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter PrefixListId');
    const list = managedLists(ctx.region).find((l) => l.id === id);
    if (!list) throw prefixListNotFound(id);
    const p = page(list.cidrs.map((Cidr) => ({ Cidr })), input.NextToken, input.MaxResults);
    return { Entries: p.items, NextToken: p.NextToken };
  },

  /** The sandbox has no NAT gateways (nothing creates one). */
  DescribeNatGateways(input, ctx) {
    const state = ec2State(ctx);
    // Code from the EC2 error code list; message not verified.
    for (const id of input.NatGatewayIds ?? []) throw new AwsError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`);
    applyFilters(state, [], input.Filter, {
      'nat-gateway-id': () => undefined,
      'state': () => undefined,
      'subnet-id': () => undefined,
      'vpc-id': () => undefined,
    }, () => '');
    return { NatGateways: [] };
  },

  /** No Spot market in the sandbox: no price history. */
  DescribeSpotPriceHistory() {
    return { SpotPriceHistory: [], NextToken: '' };
  },
};
