/**
 * `autoscaling-group`: an EC2 Auto Scaling group launching from a lab launch template into lab
 * subnets. Its tags propagate at launch, so its instances carry the lab tags too. Removing it
 * force-deletes it, which terminates its instances (and so deregisters their ECS container
 * instances): they cannot outlive the group.
 */
import type { AutoScaling, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { z } from 'zod';
import { subnetIdByName } from './ec2-subnet.js';
import { ResourceError, allPages, assertLabOwned, retryOnCodes } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { MANAGED_TAG, defineResourceKind, isLabTagged, tagMap, tagsFor } from './types.js';

const schema = z
  .strictObject({
    type: z.literal('autoscaling-group'),
    name: z.string().regex(/^[^\u0000-\u001f:]{1,255}$/, 'an Auto Scaling group name (no colons)').describe('Group name, e.g. lab-ecs-hosts.'),
    launchTemplate: z.string().min(1).describe('Name of the launch template (an ec2-launch-template kind) the group launches from.'),
    version: z
      .string()
      .regex(/^(\$Default|\$Latest|[1-9]\d*)$/, '$Default, $Latest or a version number')
      .default('$Default')
      .describe('Launch template version the group uses: $Default (the default), $Latest or a number.'),
    minSize: z.number().int().min(0).describe('Minimum number of instances.'),
    maxSize: z.number().int().min(0).describe('Maximum number of instances.'),
    desiredCapacity: z.number().int().min(0).describe('Number of instances to run.'),
    subnets: z.array(z.string().min(1)).min(1).describe('Lab subnet names (or subnet ids) to launch into.'),
    newInstancesProtectedFromScaleIn: z.boolean().optional().describe('Whether new instances are protected from scale-in (default false).'),
    tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags (all propagate to instances).'),
  })
  .superRefine((g, issues) => {
    if (g.minSize > g.maxSize) issues.addIssue({ code: 'custom', message: 'minSize must not exceed maxSize', path: ['minSize'] });
    if (g.desiredCapacity < g.minSize || g.desiredCapacity > g.maxSize) {
      issues.addIssue({ code: 'custom', message: 'desiredCapacity must be between minSize and maxSize', path: ['desiredCapacity'] });
    }
  });

/** How long `remove` waits for AWS to finish deleting a group (it terminates the instances first). */
const GONE_ATTEMPTS = 60;
const GONE_DELAY_MS = 5_000;

/** A group by name (whoever made it), or null. */
export async function groupByName(asg: AutoScaling, name: string): Promise<AutoScalingGroup | null> {
  const out = await asg.describeAutoScalingGroups({ AutoScalingGroupNames: [name] });
  return out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name) ?? null;
}

/** A lab group's ARN by name, from this run's refs or by lookup. */
export async function groupArnByName(ctx: ResourceContext, name: string): Promise<string> {
  const known = ctx.refs.get(`autoscaling-group/${name}`);
  if (known?.arn) return known.arn;
  const group = await groupByName(await ctx.aws.autoScaling(), name);
  if (!group?.AutoScalingGroupARN) throw new ResourceError('MISSING_DEPENDENCY', `Auto Scaling group ${name} does not exist; it must be declared before what uses it.`);
  return group.AutoScalingGroupARN;
}

function labResource(g: AutoScalingGroup): LabResource {
  const name = g.AutoScalingGroupName ?? '';
  return { type: 'autoscaling-group', name, id: name, arn: g.AutoScalingGroupARN ?? name, tags: tagMap(g.Tags) };
}

export const autoscalingGroup = defineResourceKind({
  type: 'autoscaling-group',
  description: 'An EC2 Auto Scaling group launching from a lab launch template into lab subnets.',
  schema,
  order: 52,
  async ensure(ctx, spec) {
    const asg = await ctx.aws.autoScaling();
    const existing = await groupByName(asg, spec.name);
    if (existing) {
      assertLabOwned(`Auto Scaling group ${spec.name}`, tagMap(existing.Tags));
      return { type: spec.type, name: spec.name, id: spec.name, arn: existing.AutoScalingGroupARN ?? '', status: 'found' };
    }
    const subnets = await Promise.all(spec.subnets.map((s) => subnetIdByName(ctx, s)));
    await asg.createAutoScalingGroup({
      AutoScalingGroupName: spec.name,
      LaunchTemplate: { LaunchTemplateName: spec.launchTemplate, Version: spec.version },
      MinSize: spec.minSize,
      MaxSize: spec.maxSize,
      DesiredCapacity: spec.desiredCapacity,
      VPCZoneIdentifier: subnets.join(','),
      NewInstancesProtectedFromScaleIn: spec.newInstancesProtectedFromScaleIn,
      Tags: Object.entries(tagsFor(ctx, spec)).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true, ResourceId: spec.name, ResourceType: 'auto-scaling-group' })),
    });
    const created = await groupByName(asg, spec.name);
    return { type: spec.type, name: spec.name, id: spec.name, arn: created?.AutoScalingGroupARN ?? '', status: 'created' };
  },
  async findLabTagged(ctx) {
    const asg = await ctx.aws.autoScaling();
    const groups = await allPages(
      (NextToken) => asg.describeAutoScalingGroups({ Filters: [{ Name: `tag:${MANAGED_TAG}`, Values: ['true'] }], NextToken }),
      (p) => p.AutoScalingGroups,
      (p) => p.NextToken,
    );
    return groups.filter((g) => isLabTagged(tagMap(g.Tags))).map(labResource);
  },
  async remove(ctx, resource) {
    const asg = await ctx.aws.autoScaling();
    const group = await groupByName(asg, resource.name);
    if (!group) return [];
    const removed: string[] = [];
    const instances = (group.Instances ?? []).map((i) => i.InstanceId).filter(Boolean);
    // A scaling activity or an instance refresh in progress makes AWS refuse for a while.
    await retryOnCodes(['ScalingActivityInProgress', 'ResourceInUse'], () => asg.deleteAutoScalingGroup({ AutoScalingGroupName: resource.name, ForceDelete: true }));
    if (instances.length) removed.push(`instances ${instances.join(', ')} of Auto Scaling group ${resource.name} (terminated)`);
    // AWS deletes the group only once its instances are gone; wait so that reset's final look-up does not see it.
    for (let attempt = 1; attempt < GONE_ATTEMPTS && (await groupByName(asg, resource.name)); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, GONE_DELAY_MS));
    }
    removed.push(`Auto Scaling group ${resource.name}`);
    return removed;
  },
  async lookup(ctx, name) {
    const group = await groupByName(await ctx.aws.autoScaling(), name);
    return group ? { id: name, arn: group.AutoScalingGroupARN ?? name, tags: tagMap(group.Tags) } : null;
  },
});
