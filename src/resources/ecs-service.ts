/**
 * `ecs-service`: a service in a cluster. It exists when ACTIVE in that cluster. Lab resources of
 * this kind are named `<cluster>/<service>` (the id too), since the same service name may run on
 * several clusters (`catalog` on lab-prod and lab-dev).
 */
import type { CreateServiceCommandInput, ECS, Service } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { securityGroupIdByName } from './ec2-security-group.js';
import { subnetIdByName } from './ec2-subnet.js';
import { latestLabRevision } from './ecs-task-definition.js';
import { ResourceError, allPages, assertLabOwned, assertScenarioOwned, chunk, ignoreNotFound } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { defineResourceKind, errorCode, isLabTagged, lowerTags, tagMap, tagsFor } from './types.js';

const schema = z.strictObject({
  type: z.literal('ecs-service'),
  name: z.string().min(1).describe('Name of this entry; also the service name unless serviceName is given.'),
  serviceName: z.string().min(1).optional().describe('The ECS service name, when two entries create same-named services on different clusters.'),
  cluster: z.string().min(1).describe('Cluster name.'),
  taskDefinition: z.string().min(1).describe('family:revision, or a family alone for its newest ACTIVE lab revision.'),
  desiredCount: z.number().int().min(0).describe('Number of tasks to keep running.'),
  launchType: z.enum(['FARGATE', 'EC2']).describe('Where tasks run.'),
  platformVersion: z.string().min(1).optional().describe('Fargate platform version, e.g. 1.3.0 or LATEST.'),
  network: z
    .strictObject({
      subnets: z.array(z.string().min(1)).min(1).describe('Lab subnet names (or subnet ids).'),
      securityGroups: z.array(z.string().min(1)).optional().describe('Lab security group names (or sg- ids).'),
      assignPublicIp: z.enum(['ENABLED', 'DISABLED']).optional().describe('Whether tasks get public IPs.'),
    })
    .optional()
    .describe('awsvpc network configuration (needed for awsvpc task definitions).'),
  deploymentConfiguration: z
    .strictObject({
      minimumHealthyPercent: z.number().int().min(0).describe('Lower bound of running tasks during a deployment, in % of desiredCount.'),
      maximumPercent: z.number().int().min(0).describe('Upper bound of tasks during a deployment, in % of desiredCount.'),
    })
    .optional(),
  propagateTags: z.enum(['TASK_DEFINITION', 'SERVICE', 'NONE']).optional().describe('Where tasks take their tags from.'),
  enableECSManagedTags: z.boolean().optional().describe('Whether ECS adds aws:ecs:* tags to tasks.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

const clusterName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** A service by name in a cluster, or null when the cluster or an ACTIVE/DRAINING service is absent. */
async function describeService(ecs: ECS, cluster: string, service: string): Promise<Service | null> {
  try {
    const out = await ecs.describeServices({ cluster, services: [service], include: ['TAGS'] });
    const s = out.services?.[0];
    return s && s.status !== 'INACTIVE' ? s : null;
  } catch (err) {
    if (errorCode(err) === 'ClusterNotFoundException') return null;
    throw err;
  }
}

/** Every cluster ARN in the region (whatever its status; some targets list INACTIVE ones too). */
export async function allClusterArns(ecs: ECS): Promise<string[]> {
  return allPages((nextToken) => ecs.listClusters({ nextToken }), (p) => p.clusterArns, (p) => p.nextToken);
}

/** The ACTIVE services of a cluster, with their tags (DescribeServices takes 10 at a time). */
export async function activeServices(ecs: ECS, cluster: string): Promise<Service[]> {
  const arns = await allPages((nextToken) => ecs.listServices({ cluster, nextToken }), (p) => p.serviceArns, (p) => p.nextToken);
  const out: Service[] = [];
  for (const batch of chunk(arns, 10)) {
    const page = await ecs.describeServices({ cluster, services: batch, include: ['TAGS'] });
    out.push(...(page.services ?? []).filter((s) => s.status === 'ACTIVE'));
  }
  return out;
}

/**
 * Scales a service to zero, then deletes it with force. Scaling first lets ECS stop the tasks
 * through a normal deployment; force still deletes services that refuse the update (DAEMON).
 */
export async function deleteServiceForce(ecs: ECS, cluster: string, service: string): Promise<void> {
  try {
    await ecs.updateService({ cluster, service, desiredCount: 0 });
  } catch (err) {
    if (!['InvalidParameterException', 'ServiceNotActiveException', 'ServiceNotFoundException', 'ClusterNotFoundException'].includes(errorCode(err))) throw err;
  }
  try {
    await ecs.deleteService({ cluster, service, force: true });
  } catch (err) {
    if (!['ServiceNotActiveException', 'ServiceNotFoundException', 'ClusterNotFoundException'].includes(errorCode(err))) throw err;
  }
}

async function taskDefinitionFor(ctx: ResourceContext, value: string): Promise<string> {
  if (value.includes(':')) return value;
  const known = ctx.refs.get(`ecs-task-definition/${value}`);
  if (known) return known.arn;
  const latest = await latestLabRevision(ctx, value);
  if (!latest) throw new ResourceError('MISSING_DEPENDENCY', `Task definition family ${value} has no ACTIVE lab revision; declare it before the service.`);
  return latest.arn;
}

function labResource(s: Service): LabResource {
  const name = `${clusterName(s.clusterArn ?? '')}/${s.serviceName ?? ''}`;
  return { type: 'ecs-service', name, id: name, arn: s.serviceArn ?? '', tags: tagMap(s.tags) };
}

/**
 * The VPC's default security group: what AWS uses when a service names none. Passing it
 * explicitly gives the same state and works on emulators that require the field (moto 5.2).
 */
async function defaultGroupOf(ctx: ResourceContext, subnetId: string): Promise<string> {
  const ec2 = await ctx.aws.ec2();
  const subnet = (await ec2.describeSubnets({ SubnetIds: [subnetId] })).Subnets?.[0];
  const groups = await ec2.describeSecurityGroups({
    Filters: [
      { Name: 'vpc-id', Values: [subnet?.VpcId ?? ''] },
      { Name: 'group-name', Values: ['default'] },
    ],
  });
  const id = groups.SecurityGroups?.[0]?.GroupId;
  if (!id) throw new ResourceError('MISSING_DEPENDENCY', `The VPC of subnet ${subnetId} has no default security group.`);
  return id;
}

export const ecsService = defineResourceKind({
  type: 'ecs-service',
  description: 'An ECS service in a cluster.',
  schema,
  order: 70,
  async ensure(ctx, spec) {
    const ecs = await ctx.aws.ecs();
    const serviceName = spec.serviceName ?? spec.name;
    const id = `${spec.cluster}/${serviceName}`;
    const existing = await describeService(ecs, spec.cluster, serviceName);
    if (existing?.status === 'DRAINING') {
      throw new Error(`ECS service ${id} is still being deleted (DRAINING); start again once it is gone.`);
    }
    if (existing) {
      assertLabOwned(`ECS service ${id}`, tagMap(existing.tags));
      assertScenarioOwned(`ECS service ${id}`, tagMap(existing.tags), ctx.scenario);
      return { type: spec.type, name: spec.name, id, arn: existing.serviceArn ?? '', status: 'found' };
    }
    let network: CreateServiceCommandInput['networkConfiguration'];
    if (spec.network) {
      const subnets = await Promise.all(spec.network.subnets.map((s) => subnetIdByName(ctx, s)));
      const securityGroups = spec.network.securityGroups
        ? await Promise.all(spec.network.securityGroups.map((g) => securityGroupIdByName(ctx, g)))
        : [await defaultGroupOf(ctx, subnets[0]!)];
      network = { awsvpcConfiguration: { subnets, securityGroups, assignPublicIp: spec.network.assignPublicIp } };
    }
    const input: CreateServiceCommandInput = {
      cluster: spec.cluster,
      serviceName,
      taskDefinition: await taskDefinitionFor(ctx, spec.taskDefinition),
      desiredCount: spec.desiredCount,
      launchType: spec.launchType,
      platformVersion: spec.platformVersion,
      networkConfiguration: network,
      deploymentConfiguration: spec.deploymentConfiguration,
      propagateTags: spec.propagateTags,
      enableECSManagedTags: spec.enableECSManagedTags,
      tags: lowerTags(tagsFor(ctx, spec)),
    };
    const out = await ecs.createService(input);
    return { type: spec.type, name: spec.name, id, arn: out.service?.serviceArn ?? '', status: 'created' };
  },
  /** Lab-tagged ACTIVE services in every cluster of the region. */
  async findLabTagged(ctx) {
    const ecs = await ctx.aws.ecs();
    const found: LabResource[] = [];
    for (const cluster of await allClusterArns(ecs)) {
      for (const s of await activeServices(ecs, cluster)) if (isLabTagged(tagMap(s.tags))) found.push(labResource(s));
    }
    return found;
  },
  async remove(ctx, resource) {
    const ecs = await ctx.aws.ecs();
    const [cluster = '', service = ''] = resource.id.split('/');
    const existing = await ignoreNotFound(() => describeService(ecs, cluster, service));
    if (!existing || existing.status !== 'ACTIVE') return [];
    await deleteServiceForce(ecs, cluster, service);
    return [`service ${service} in cluster ${cluster}`];
  },
  /** `cluster/service`, or a service name that is unique among the region's clusters. */
  async lookup(ctx, name) {
    const ecs = await ctx.aws.ecs();
    const id = name.includes('/') ? name : ctx.refs.get(`ecs-service/${name}`)?.id;
    if (id) {
      const [cluster = '', service = ''] = id.split('/');
      const s = await describeService(ecs, cluster, service);
      return s ? { arn: s.serviceArn ?? '', id, tags: tagMap(s.tags) } : null;
    }
    const matches: Service[] = [];
    for (const cluster of await allClusterArns(ecs)) matches.push(...(await activeServices(ecs, cluster)).filter((s) => s.serviceName === name));
    if (matches.length > 1) throw new Error(`ECS service ${name} exists on several clusters; look it up as <cluster>/${name}.`);
    const s = matches[0];
    return s ? { arn: s.serviceArn ?? '', id: labResource(s).id, tags: tagMap(s.tags) } : null;
  },
});
