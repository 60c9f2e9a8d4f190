/**
 * ECS.19: the capacity provider through which a cluster uses an Auto Scaling group replaces hosts
 * safely: managed scaling ENABLED (ECS sizes the group to the tasks it places), managed
 * termination protection ENABLED (instances running tasks are not terminated on scale-in; it
 * requires managed scaling) and managed draining ENABLED (ECS moves tasks off an instance before
 * Auto Scaling terminates it, as an instance refresh does).
 */
import type { AutoScalingGroupProvider, CapacityProvider } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { describeGroup } from '../autoscaling/groups.js';
import { defineCheck, fail, pass } from '../define-check.js';
import type { CheckContext } from '../types.js';

/** A cluster's capacity providers, described together (one call per cluster in a run). */
async function clusterProviders(ctx: CheckContext, cluster: string): Promise<CapacityProvider[] | undefined> {
  return ctx.memo(`ecs:ClusterCapacityProviders:${cluster}`, async () => {
    const ecs = await ctx.aws.ecs();
    const out = await ecs.describeClusters({ clusters: [cluster] });
    const c = out.clusters?.find((x) => x.status === 'ACTIVE');
    if (!c) return undefined;
    const names = c.capacityProviders ?? [];
    if (names.length === 0) return [];
    const providers: CapacityProvider[] = [];
    for (let i = 0; i < names.length; i += 100) {
      const page = await ecs.describeCapacityProviders({ capacityProviders: names.slice(i, i + 100) });
      providers.push(...(page.capacityProviders ?? []));
    }
    return providers;
  });
}

/**
 * Whether a provider's autoScalingGroupArn (an ARN, or a name) names the group. An ARN carries
 * the group's id: one for a deleted group of the same name (a provider left from an earlier
 * start) names another group, so ARNs must match whole when the group's own ARN is known.
 */
function managesGroup(p: CapacityProvider, name: string, arn: string | undefined): boolean {
  const ref = p.autoScalingGroupProvider?.autoScalingGroupArn ?? '';
  if (ref === name) return true;
  return arn !== undefined ? ref === arn : ref.endsWith(`:autoScalingGroupName/${name}`);
}

export default defineCheck({
  id: 'ecs-capacity-provider-managed',
  title: 'The capacity provider of an Auto Scaling group replaces hosts safely',
  severity: 'medium',
  service: 'ecs',
  controls: ['ECS.19'],
  docs: [
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-19',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-termination-protection.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-draining.html',
  ],
  remediation:
    "aws ecs update-capacity-provider --name PROVIDER --auto-scaling-group-provider 'managedScaling={status=ENABLED},managedTerminationProtection=ENABLED,managedDraining=ENABLED'",
  params: z
    .object({
      cluster: z.string().min(1).describe('the cluster the provider must be attached to'),
      autoScalingGroup: z.string().min(1).describe('the Auto Scaling group the provider manages, by name'),
    })
    .strict(),
  async run(ctx, p) {
    const providers = await clusterProviders(ctx, p.cluster);
    if (!providers) return fail(`Cluster ${p.cluster} does not exist.`);
    const group = await describeGroup(ctx, p.autoScalingGroup);
    const provider = providers.find((c) => c.status === 'ACTIVE' && managesGroup(c, p.autoScalingGroup, group?.AutoScalingGroupARN));
    if (!provider) {
      const names = providers.map((c) => c.name).join(', ') || 'none';
      return fail(`Cluster ${p.cluster} has no capacity provider for Auto Scaling group ${p.autoScalingGroup} (its providers: ${names}), so ECS neither scales nor drains those hosts.`);
    }
    const label = `Capacity provider ${provider.name} of cluster ${p.cluster} (Auto Scaling group ${p.autoScalingGroup})`;
    const settings: Partial<AutoScalingGroupProvider> = provider.autoScalingGroupProvider ?? {};
    const observed = {
      'managed scaling': settings.managedScaling?.status ?? 'DISABLED',
      'managed termination protection': settings.managedTerminationProtection ?? 'DISABLED',
      'managed draining': settings.managedDraining ?? 'not reported',
    };
    const off = Object.entries(observed).filter(([, v]) => v !== 'ENABLED');
    const resources = [provider.capacityProviderArn ?? ''];
    if (off.length) return fail(`${label} has ${off.map(([k, v]) => `${k} ${v}`).join(', ')}; all three must be ENABLED.`, resources);
    return pass(`${label} has managed scaling, managed termination protection and managed draining ENABLED.`, resources);
  },
});
