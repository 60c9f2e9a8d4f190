/** Shared reads for network checks: a service's awsvpc groups and their rules. */
import type { SecurityGroup } from '@aws-sdk/client-ec2';
import type { Service } from '@aws-sdk/client-ecs';
import type { CheckContext } from '../types.js';
import { describeService } from './task-definitions.js';

/** The security group ids a service's tasks use; undefined when it has no awsvpc configuration. */
export function serviceGroups(svc: Service): string[] | undefined {
  return svc.networkConfiguration?.awsvpcConfiguration?.securityGroups;
}

/** Security groups by id (one DescribeSecurityGroups per distinct set in a run). */
export async function describeGroups(ctx: CheckContext, ids: readonly string[]): Promise<Map<string, SecurityGroup>> {
  const wanted = [...new Set(ids)].sort();
  if (wanted.length === 0) return new Map();
  const res = await ctx.memo(`ec2:DescribeSecurityGroups:${wanted.join(',')}`, async () => {
    const ec2 = await ctx.aws.ec2();
    return ec2.describeSecurityGroups({ Filters: [{ Name: 'group-id', Values: wanted }] });
  });
  return new Map((res.SecurityGroups ?? []).filter((g) => g.GroupId).map((g) => [g.GroupId!, g]));
}

/** A lab security group's id by its name (the newest lab VPC's group of that name). */
export async function groupIdByName(ctx: CheckContext, name: string): Promise<string | undefined> {
  const res = await ctx.memo(`ec2:sg-by-name:${name}`, async () => {
    const ec2 = await ctx.aws.ec2();
    return ec2.describeSecurityGroups({ Filters: [{ Name: 'group-name', Values: [name] }] });
  });
  return res.SecurityGroups?.[0]?.GroupId;
}

/** A service and its groups, or a sentence saying why there are none. */
export async function serviceWithGroups(ctx: CheckContext, cluster: string, service: string): Promise<{ svc: Service; groups: string[] } | string> {
  const svc = await describeService(ctx, cluster, service);
  if (!svc) return `Service ${cluster}/${service} does not exist.`;
  const groups = serviceGroups(svc);
  if (!groups) return `Service ${cluster}/${service} has no awsvpc network configuration, so its tasks use the instance's security groups.`;
  return { svc, groups };
}
