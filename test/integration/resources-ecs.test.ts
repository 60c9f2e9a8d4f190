/** Integration tests of the `ecs-cluster`, `ecs-task-definition` and `ecs-service` kinds against moto_server. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ec2SecurityGroup } from '../../src/resources/ec2-security-group.js';
import { ec2Subnet } from '../../src/resources/ec2-subnet.js';
import { ec2Vpc } from '../../src/resources/ec2-vpc.js';
import { ecsCluster } from '../../src/resources/ecs-cluster.js';
import { ecsService } from '../../src/resources/ecs-service.js';
import { ecsTaskDefinition } from '../../src/resources/ecs-task-definition.js';
import type { ResourceContext, ResourceRef } from '../../src/resources/index.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { resourceCtx, writesSince as writesSinceFor } from '../helpers/resources.js';

const SCENARIO = 'patching';
const ACCOUNT = '123456789012';
let moto: Moto;
let ctx: ResourceContext;

function newCtx(scenario: string | null = SCENARIO): ResourceContext {
  return resourceCtx(moto.endpoint, scenario);
}

function writesSince(before: Record<string, number>): string[] {
  return writesSinceFor(ctx, before);
}

/** Records the input of every call of one command made through an SDK client. */
function captureInputs(client: { middlewareStack: { add: (mw: never, opts: { step: 'initialize' }) => void } }, command: string): unknown[] {
  const inputs: unknown[] = [];
  const mw = (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
    if (context.commandName === command) inputs.push(args.input);
    return next(args);
  };
  client.middlewareStack.add(mw as never, { step: 'initialize' });
  return inputs;
}

const keep = (r: ResourceRef) => (ctx.refs.set(`${r.type}/${r.name}`, r), r);
const tagsOf = (list: Array<{ key?: string; value?: string }> | undefined) => Object.fromEntries((list ?? []).map((t) => [t.key, t.value]));

const clusterSpec = { type: 'ecs-cluster' as const, name: 'lab-prod', settings: { containerInsights: 'enabled' as const }, tags: { environment: 'prod' } };
const tdSpec = {
  type: 'ecs-task-definition' as const,
  name: 'storefront',
  containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', portMappings: [{ containerPort: 80 }] }],
  networkMode: 'awsvpc' as const,
  requiresCompatibilities: ['FARGATE' as const],
  cpu: 256,
  memory: '512',
  executionRoleArn: 'lab-task-execution-role',
  taskRoleArn: 'arn:aws:iam::123456789012:role/lab-shared-task-role',
};
/** A task definition someone else registers (EC2, bridge). */
const plainTd = (family: string) => ({ family, containerDefinitions: [{ name: 'app', image: 'busybox', memory: 128 }] });

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  ctx = newCtx();
});

describe('ecs-cluster', () => {
  it('creates the cluster with the lab and spec tags and its settings, then finds it without writing', async () => {
    const created = await ecsCluster.ensure(ctx, clusterSpec);
    expect(created).toMatchObject({ status: 'created', arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/lab-prod` });
    const ecs = await ctx.aws.ecs();
    const c = (await ecs.describeClusters({ clusters: ['lab-prod'], include: ['TAGS', 'SETTINGS'] })).clusters?.[0];
    expect(tagsOf(c?.tags)).toEqual({ 'ecs-lab:managed': 'true', 'ecs-lab:scenario': SCENARIO, environment: 'prod' });
    expect(c?.settings).toEqual([{ name: 'containerInsights', value: 'enabled' }]);

    const before = { ...ctx.aws.stats.byAction };
    expect(await ecsCluster.ensure(ctx, clusterSpec)).toMatchObject({ status: 'found' });
    expect(writesSince(before)).toEqual([]);
  });

  it('refuses a name taken by a cluster that is not the lab\'s, without touching it', async () => {
    const ecs = await ctx.aws.ecs();
    await ecs.createCluster({ clusterName: 'lab-prod' });
    const before = { ...ctx.aws.stats.byAction };
    await expect(ecsCluster.ensure(ctx, clusterSpec)).rejects.toMatchObject({ code: 'NOT_LAB_MANAGED' });
    expect(writesSince(before)).toEqual([]);
  });

  it('removes the lab cluster with the learner\'s services, tasks and container instances in it, and leaves my-cluster alone', async () => {
    const ecs = await ctx.aws.ecs();
    const ec2 = await ctx.aws.ec2();
    await ecsCluster.ensure(ctx, clusterSpec);
    await ecs.createCluster({ clusterName: 'my-cluster' });
    await ecs.registerTaskDefinition(plainTd('my-app'));
    await ecs.createService({ cluster: 'lab-prod', serviceName: 'learner-svc', taskDefinition: 'my-app', desiredCount: 1, launchType: 'EC2' });
    await ecs.createService({ cluster: 'my-cluster', serviceName: 'my-svc', taskDefinition: 'my-app', desiredCount: 1, launchType: 'EC2' });
    const instance = (await ec2.runInstances({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1 })).Instances?.[0]?.InstanceId;
    await ecs.registerContainerInstance({ cluster: 'lab-prod', instanceIdentityDocument: JSON.stringify({ instanceId: instance }) });
    const task = (await ecs.runTask({ cluster: 'lab-prod', taskDefinition: 'my-app', launchType: 'EC2' })).tasks?.[0]?.taskArn;

    const lab = await ecsCluster.findLabTagged(ctx);
    expect(lab.map((c) => c.name)).toEqual(['lab-prod']);
    const removed = await ecsCluster.remove(ctx, lab[0]!);
    expect(removed).toEqual(expect.arrayContaining(['service learner-svc in cluster lab-prod', 'cluster lab-prod']));
    expect(removed.some((r) => r.startsWith('container instance'))).toBe(true);

    expect((await ecs.describeServices({ cluster: 'lab-prod', services: ['learner-svc'] })).services?.[0]?.status).toBe('INACTIVE');
    expect((await ecs.describeTasks({ cluster: 'lab-prod', tasks: [task ?? ''] })).tasks?.[0]?.desiredStatus).toBe('STOPPED');
    expect((await ecs.describeClusters({ clusters: ['lab-prod'] })).clusters?.[0]?.status).toBe('INACTIVE');
    expect((await ecs.describeClusters({ clusters: ['my-cluster'] })).clusters?.[0]?.status).toBe('ACTIVE');
    expect((await ecs.describeServices({ cluster: 'my-cluster', services: ['my-svc'] })).services?.[0]).toMatchObject({ status: 'ACTIVE', desiredCount: 1 });
    expect(await ecsCluster.findLabTagged(ctx)).toEqual([]);
  });

  it('looks a cluster up with its current tags', async () => {
    await ecsCluster.ensure(ctx, clusterSpec);
    expect(await ecsCluster.lookup!(ctx, 'lab-prod')).toMatchObject({ id: 'lab-prod', tags: { environment: 'prod', 'ecs-lab:managed': 'true' } });
    expect(await ecsCluster.lookup!(ctx, 'nope')).toBeNull();
  });
});

describe('ecs-task-definition', () => {
  it('registers one tagged revision with role names turned into ARNs, and never registers again', async () => {
    const created = await ecsTaskDefinition.ensure(ctx, tdSpec);
    expect(created).toMatchObject({ status: 'created', id: 'storefront:1' });
    const ecs = await ctx.aws.ecs();
    const out = await ecs.describeTaskDefinition({ taskDefinition: created.arn, include: ['TAGS'] });
    expect(out.taskDefinition).toMatchObject({
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/lab-task-execution-role`,
      taskRoleArn: 'arn:aws:iam::123456789012:role/lab-shared-task-role',
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
    });
    expect(out.taskDefinition?.containerDefinitions?.[0]?.portMappings?.[0]?.containerPort).toBe(80);
    expect(tagsOf(out.tags)).toEqual({ 'ecs-lab:managed': 'true', 'ecs-lab:scenario': SCENARIO });

    // The learner registers a newer revision: start again changes nothing.
    await ecs.registerTaskDefinition(plainTd('storefront'));
    const before = { ...ctx.aws.stats.byAction };
    expect(await ecsTaskDefinition.ensure(ctx, tdSpec)).toMatchObject({ status: 'found', arn: created.arn });
    expect(writesSince(before)).toEqual([]);
  });

  it('finds families with an ACTIVE lab revision only, one per scenario', async () => {
    const ecs = await ctx.aws.ecs();
    await ecs.registerTaskDefinition(plainTd('my-app'));
    await ecsTaskDefinition.ensure(ctx, tdSpec);
    ctx.scenario = 'secrets';
    ctx.labTags = { 'ecs-lab:managed': 'true', 'ecs-lab:scenario': 'secrets' };
    const other = await ecsTaskDefinition.ensure(ctx, tdSpec);
    expect(other).toMatchObject({ status: 'created', id: 'storefront:2' });
    const gone = await ecsTaskDefinition.ensure(ctx, { ...tdSpec, name: 'retired' });
    await ecs.deregisterTaskDefinition({ taskDefinition: gone.arn });

    const lab = await ecsTaskDefinition.findLabTagged(ctx);
    expect(lab.map((l) => [l.name, l.tags['ecs-lab:scenario']]).sort()).toEqual([
      ['storefront', 'patching'],
      ['storefront', 'secrets'],
    ]);
  });

  it('remove deregisters the learner\'s revisions in a lab family too, keeps another scenario\'s and other families', async () => {
    const ecs = await ctx.aws.ecs();
    await ecs.registerTaskDefinition(plainTd('my-app'));
    await ecsTaskDefinition.ensure(ctx, tdSpec); // storefront:1 (patching)
    await ecs.registerTaskDefinition(plainTd('storefront')); // storefront:2, the learner's
    const secretsCtx = newCtx('secrets');
    await ecsTaskDefinition.ensure(secretsCtx, tdSpec); // storefront:3 (secrets)

    const target = (await ecsTaskDefinition.findLabTagged(ctx)).find((l) => l.tags['ecs-lab:scenario'] === SCENARIO)!;
    const removed = await ecsTaskDefinition.remove(ctx, target);
    expect(removed.sort()).toEqual(['task definition storefront:1 (deregistered)', 'task definition storefront:2 (deregistered)']);
    const active = (await ecs.listTaskDefinitions({ status: 'ACTIVE' })).taskDefinitionArns?.map((a) => a.split('/')[1]);
    expect(active?.sort()).toEqual(['my-app:1', 'storefront:3']);
  });

  it('validates the essentials of container definitions', () => {
    expect(ecsTaskDefinition.schema.safeParse({ ...tdSpec, containerDefinitions: [{ name: 'web' }] }).success).toBe(false);
    expect(ecsTaskDefinition.schema.safeParse({ ...tdSpec, containerDefinitions: [] }).success).toBe(false);
    expect(ecsTaskDefinition.schema.safeParse({ ...tdSpec, famliy: 'x' }).success).toBe(false);
    expect(ecsTaskDefinition.schema.safeParse({ ...tdSpec, family: 'x', name: 'entry' }).success).toBe(true);
    expect(ecsTaskDefinition.schema.safeParse({ ...tdSpec, pidMode: 'host' }).success).toBe(true);
  });
});

describe('ecs-service', () => {
  /** The lab network, cluster and task definition a service needs, as the engine would have made them. */
  async function world(): Promise<void> {
    keep(await ec2Vpc.ensure(ctx, { type: 'ec2-vpc', name: 'lab-vpc', cidr: '10.0.0.0/16' }));
    keep(await ec2Subnet.ensure(ctx, { type: 'ec2-subnet', name: 'lab-private-a', vpc: 'lab-vpc', cidr: '10.0.1.0/24', az: 'a' }));
    keep(await ec2SecurityGroup.ensure(ctx, { type: 'ec2-security-group', name: 'lab-shared-sg', vpc: 'lab-vpc', description: 'shared' }));
    keep(await ecsCluster.ensure(ctx, clusterSpec));
    await ecsTaskDefinition.ensure(ctx, tdSpec); // not kept: the service must find the lab revision itself
  }
  const svcSpec = {
    type: 'ecs-service' as const,
    name: 'storefront',
    cluster: 'lab-prod',
    taskDefinition: 'storefront',
    desiredCount: 1,
    launchType: 'FARGATE' as const,
    platformVersion: '1.3.0',
    network: { subnets: ['lab-private-a'], securityGroups: ['lab-shared-sg'], assignPublicIp: 'DISABLED' as const },
    deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 },
    propagateTags: 'SERVICE' as const,
    tags: { environment: 'prod' },
  };

  it('creates the service on the lab revision of the family with its network and tags, then finds it without writing', async () => {
    await world();
    const ecs = await ctx.aws.ecs();
    await ecs.registerTaskDefinition(plainTd('storefront')); // newer, not the lab's
    const sent = captureInputs(ecs, 'CreateServiceCommand');
    const created = await ecsService.ensure(ctx, svcSpec);
    expect(created).toMatchObject({ status: 'created', id: 'lab-prod/storefront' });
    const s = (await ecs.describeServices({ cluster: 'lab-prod', services: ['storefront'], include: ['TAGS'] })).services?.[0];
    expect(s?.taskDefinition).toBe(`arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/storefront:1`);
    expect(s).toMatchObject({ desiredCount: 1, launchType: 'FARGATE', platformVersion: '1.3.0', propagateTags: 'SERVICE' });
    // Checked on the request: moto 5.2.1 drops deploymentConfiguration at CreateService (see the skipped test).
    expect(sent[0]).toMatchObject({ deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 } });
    expect(s?.networkConfiguration?.awsvpcConfiguration).toEqual({
      subnets: [ctx.refs.get('ec2-subnet/lab-private-a')?.id],
      securityGroups: [ctx.refs.get('ec2-security-group/lab-shared-sg')?.id],
      assignPublicIp: 'DISABLED',
    });
    expect(tagsOf(s?.tags)).toEqual({ 'ecs-lab:managed': 'true', 'ecs-lab:scenario': SCENARIO, environment: 'prod' });

    const before = { ...ctx.aws.stats.byAction };
    expect(await ecsService.ensure(ctx, svcSpec)).toMatchObject({ status: 'found', arn: created.arn });
    expect(writesSince(before)).toEqual([]);
  });

  it('keeps same-named services on two clusters apart, and finds only lab-tagged services in every cluster', async () => {
    await world();
    keep(await ecsCluster.ensure(ctx, { type: 'ecs-cluster', name: 'lab-dev', tags: { environment: 'dev' } }));
    const ecs = await ctx.aws.ecs();
    await ecsService.ensure(ctx, svcSpec);
    await ecsService.ensure(ctx, { ...svcSpec, name: 'storefront-dev', serviceName: 'storefront', cluster: 'lab-dev' });
    await ecs.registerTaskDefinition(plainTd('my-app'));
    await ecs.createService({ cluster: 'lab-prod', serviceName: 'learner-svc', taskDefinition: 'my-app', desiredCount: 1, launchType: 'EC2' });

    const lab = await ecsService.findLabTagged(ctx);
    expect(lab.map((s) => s.name).sort()).toEqual(['lab-dev/storefront', 'lab-prod/storefront']);
    expect(await ecsService.lookup!(ctx, 'lab-dev/storefront')).toMatchObject({ id: 'lab-dev/storefront', tags: { 'ecs-lab:managed': 'true' } });
    await expect(ecsService.lookup!(ctx, 'storefront')).rejects.toThrow(/several clusters/);
  });

  it('remove scales the service to zero and deletes it, leaving the learner\'s service in the same cluster', async () => {
    await world();
    await ecsService.ensure(ctx, svcSpec);
    const ecs = await ctx.aws.ecs();
    await ecs.registerTaskDefinition(plainTd('my-app'));
    await ecs.createService({ cluster: 'lab-prod', serviceName: 'learner-svc', taskDefinition: 'my-app', desiredCount: 1, launchType: 'EC2' });

    const target = (await ecsService.findLabTagged(ctx))[0]!;
    const before = { ...ctx.aws.stats.byAction };
    expect(await ecsService.remove(ctx, target)).toEqual(['service storefront in cluster lab-prod']);
    expect(writesSince(before).sort()).toEqual(['ecs:DeleteService', 'ecs:UpdateService']);
    const services = (await ecs.describeServices({ cluster: 'lab-prod', services: ['storefront', 'learner-svc'] })).services ?? [];
    expect(services.map((s) => [s.serviceName, s.status, s.desiredCount])).toEqual([
      ['storefront', 'INACTIVE', 0],
      ['learner-svc', 'ACTIVE', 1],
    ]);
    expect(await ecsService.findLabTagged(ctx)).toEqual([]);
  });

  it('fails clearly when the family has no lab revision', async () => {
    await world();
    await expect(ecsService.ensure(ctx, { ...svcSpec, taskDefinition: 'nope' })).rejects.toMatchObject({ code: 'MISSING_DEPENDENCY' });
  });

  it.skip('reads back deploymentConfiguration after CreateService (moto 5.2.1 keeps it only from UpdateService)', () => {});

  it.skip('creates an awsvpc service without securityGroups (moto 5.2.1 answers HTTP 500 KeyError; aws-wire-protocols.md §15)', () => {});
});
