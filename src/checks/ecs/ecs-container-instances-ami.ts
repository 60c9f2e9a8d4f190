/**
 * The EC2 hosts of a cluster run the recommended ECS-optimized AMI: every ACTIVE container
 * instance reports it in its `ecs.ami-id` attribute (compared per `ecs.cpu-architecture`), or an
 * instance refresh of the cluster's Auto Scaling group succeeded after the launch template version
 * it uses, which launches the recommended AMI, was created. A new AMI in the template changes no
 * running host: only instances launched afterwards get it.
 */
import type { ContainerInstance } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { amiParameterSchema, describeGroup, groupTemplate, imageLabel, instanceRefreshes, parameterForArchitecture, recommendedImage, templateVerdict } from '../autoscaling/groups.js';
import { defineCheck, errorOutcome, fail, pass } from '../define-check.js';
import type { CheckContext } from '../types.js';

/** How many instances a message names before "and N more". */
const NAMED = 10;

const attribute = (ci: ContainerInstance, name: string) => ci.attributes?.find((a) => a.name === name)?.value;
const hostName = (ci: ContainerInstance) => ci.ec2InstanceId ?? ci.containerInstanceArn?.slice(ci.containerInstanceArn.lastIndexOf('/') + 1) ?? '?';

/** The ACTIVE container instances of a cluster (DescribeContainerInstances takes 100 at a time), or undefined when the cluster does not exist. */
export async function activeContainerInstances(ctx: CheckContext, cluster: string): Promise<ContainerInstance[] | undefined> {
  return ctx.memo(`ecs:ContainerInstances:${cluster}:ACTIVE`, async () => {
    const ecs = await ctx.aws.ecs();
    const arns: string[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await ecs.listContainerInstances({ cluster, status: 'ACTIVE', nextToken });
        arns.push(...(page.containerInstanceArns ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (err) {
      if ((err as { code?: string }).code === 'ClusterNotFoundException') return undefined;
      throw err;
    }
    const out: ContainerInstance[] = [];
    for (let i = 0; i < arns.length; i += 100) {
      const page = await ecs.describeContainerInstances({ cluster, containerInstances: arns.slice(i, i + 100) });
      out.push(...(page.containerInstances ?? []).filter((c) => c.status === 'ACTIVE'));
    }
    return out;
  });
}

function listed(items: string[]): string {
  return items.length > NAMED ? `${items.slice(0, NAMED).join(', ')} and ${items.length - NAMED} more` : items.join(', ');
}

/** Whether a successful instance refresh replaced the group's instances since its template version; a sentence either way. */
async function refreshVerdict(ctx: CheckContext, groupName: string, parameter: string): Promise<{ ok: boolean; sentence: string; resources: string[] } | string> {
  const group = await describeGroup(ctx, groupName);
  if (!group) return { ok: false, sentence: `Auto Scaling group ${groupName} does not exist.`, resources: [] };
  const arn = group.AutoScalingGroupARN ?? groupName;
  const t = await groupTemplate(ctx, group);
  if (typeof t === 'string') return { ok: false, sentence: t, resources: [arn] };
  const verdict = await templateVerdict(ctx, t, parameter);
  if (typeof verdict === 'string') return verdict;
  if (!verdict.ok) return { ok: false, sentence: `An instance refresh would not help yet: ${t.label}, which Auto Scaling group ${groupName} launches from, does not launch the recommended AMI.`, resources: [arn] };
  const since = t.version.CreateTime?.getTime() ?? 0;
  const refreshes = await instanceRefreshes(ctx, groupName);
  const done = refreshes.find((r) => r.Status === 'Successful' && (r.StartTime?.getTime() ?? 0) >= since);
  const created = t.version.CreateTime?.toISOString() ?? 'an unknown time';
  if (done) {
    return {
      ok: true,
      sentence: `Instance refresh ${done.InstanceRefreshId} of Auto Scaling group ${groupName} succeeded${done.EndTime ? ` at ${done.EndTime.toISOString()}` : ''}, after ${t.label} (created ${created}) that launches the recommended AMI, so every instance of the group was replaced.`,
      resources: [arn],
    };
  }
  const latest = refreshes[0];
  const note = latest ? ` (the latest one, ${latest.InstanceRefreshId}, started ${latest.StartTime?.toISOString() ?? '?'}, is ${latest.Status})` : '';
  return { ok: false, sentence: `No instance refresh of Auto Scaling group ${groupName} has succeeded since ${t.label} was created at ${created}${note}.`, resources: [arn] };
}

export default defineCheck({
  id: 'ecs-container-instances-ami',
  title: 'Running container instances were replaced with the recommended ECS-optimized AMI',
  severity: 'high',
  service: 'ecs',
  controls: [],
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html',
    'https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html',
  ],
  remediation: 'aws autoscaling start-instance-refresh --auto-scaling-group-name GROUP, then wait until aws autoscaling describe-instance-refreshes shows Successful.',
  params: z
    .object({
      cluster: z.string().min(1).describe('the cluster whose ACTIVE container instances are checked'),
      parameter: amiParameterSchema,
      autoScalingGroup: z.string().min(1).optional().describe('a group whose successful instance refresh, after its launch template version was created, also counts'),
    })
    .strict(),
  async run(ctx, p) {
    const hosts = await activeContainerInstances(ctx, p.cluster);
    if (!hosts) return fail(`Cluster ${p.cluster} does not exist.`);
    const outdated: string[] = [];
    const current = new Set<string>();
    for (const ci of hosts) {
      const recommended = await recommendedImage(ctx, parameterForArchitecture(p.parameter, attribute(ci, 'ecs.cpu-architecture')));
      if (typeof recommended === 'string') return errorOutcome(recommended);
      const ami = attribute(ci, 'ecs.ami-id');
      if (ami === recommended.imageId) current.add(imageLabel(recommended));
      else outdated.push(`${hostName(ci)} (${ami ?? 'no ecs.ami-id'})`);
    }
    const arns = hosts.map((h) => h.containerInstanceArn ?? '');
    if (hosts.length > 0 && outdated.length === 0) {
      return pass(`All ${hosts.length} ACTIVE container instance(s) of cluster ${p.cluster} (${listed(hosts.map(hostName))}) report the recommended AMI ${[...current].join(', ')}.`, arns);
    }
    let refresh: Exclude<Awaited<ReturnType<typeof refreshVerdict>>, string> | undefined;
    if (p.autoScalingGroup) {
      const verdict = await refreshVerdict(ctx, p.autoScalingGroup, p.parameter);
      if (typeof verdict === 'string') return errorOutcome(verdict);
      if (verdict.ok) return pass(verdict.sentence, [...verdict.resources, ...arns]);
      refresh = verdict;
    }
    const recommended = await recommendedImage(ctx, p.parameter);
    const wanted = typeof recommended === 'string' ? p.parameter : imageLabel(recommended);
    const observed =
      hosts.length === 0
        ? `Cluster ${p.cluster} has no ACTIVE container instances, so no host is known to run the recommended AMI ${wanted}.`
        : `Cluster ${p.cluster} still has ${outdated.length} of ${hosts.length} container instance(s) on an older AMI: ${listed(outdated)}; the recommended AMI is ${wanted}.`;
    return fail(refresh ? `${observed} ${refresh.sentence}` : observed, [...(refresh?.resources ?? []), ...arns]);
  },
});
