import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskSetsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListServicesByNamespaceCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  UpdateServicePrimaryTaskSetCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksFor } from '../../authz.js';
import { ECS_RULES } from '../../authz-ecs.js';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, forgetStateKeys, startTestSandbox, tempDir } from '../../test-helpers.js';
import { MAX_DEPLOYMENTS_PER_SERVICE } from './handlers/service-deployments.js';

const ACCOUNT = '000000000000';
const ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}`;

let sandbox: RunningSandbox;
let ecs: ECSClient;
let subnets: string[];

/** Registers the Fargate family `web` (revision n has image `nginx:<n>`). */
async function registerWeb(n: number): Promise<void> {
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'web', image: `nginx:${n}` },
        { name: 'sidecar', image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.32.0' },
      ],
    }),
  );
}

async function deployments(service: string, cluster = 'lab-prod') {
  return (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: 100 }))).serviceDeployments!;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ecs = new ECSClient(clientConfig(sandbox.url));
  const ec2 = new EC2Client(clientConfig(sandbox.url));
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const a = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }));
  const b = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId, CidrBlock: '10.0.2.0/24', AvailabilityZone: 'us-east-1b' }));
  subnets = [a.Subnet!.SubnetId!, b.Subnet!.SubnetId!];
  ec2.destroy();
  await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
  await registerWeb(1);
  await registerWeb(2);
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'worker', containerDefinitions: [{ name: 'w', image: 'busybox', memory: 64 }] }));
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'lab-prod',
      serviceName: 'storefront',
      taskDefinition: 'web:1',
      desiredCount: 2,
      launchType: 'FARGATE',
      platformVersion: '1.3.0',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnets[0]!] } },
    }),
  );
});
afterAll(async () => {
  ecs.destroy();
  await sandbox.close();
});

describe('service deployments and revisions', () => {
  it('records a SUCCESSFUL deployment and a revision when a service is created', async () => {
    const list = await deployments('storefront');
    expect(list).toHaveLength(1);
    const d = list[0]!;
    expect(d.serviceDeploymentArn).toMatch(new RegExp(`^${ARN}:service-deployment/lab-prod/storefront/[A-Za-z0-9]{21}$`));
    expect(d.targetServiceRevisionArn).toMatch(new RegExp(`^${ARN}:service-revision/lab-prod/storefront/[0-9]{19}$`));
    expect(d).toMatchObject({ serviceArn: `${ARN}:service/lab-prod/storefront`, clusterArn: `${ARN}:cluster/lab-prod`, status: 'SUCCESSFUL' });
    expect(d.finishedAt).toBeInstanceOf(Date);

    // DescribeServices points at the deployment and its revision; the revision id is the ECS deployment's number.
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'lab-prod', services: ['storefront'] }))).services![0]!;
    expect(service.currentServiceDeployment).toBe(d.serviceDeploymentArn);
    expect(service.currentServiceRevisions).toEqual([{ arn: d.targetServiceRevisionArn, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 }]);
    expect(d.targetServiceRevisionArn!.endsWith(service.deployments![0]!.id!.replace('ecs-svc/', ''))).toBe(true);

    const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [d.serviceDeploymentArn!] }));
    expect(described.failures).toEqual([]);
    expect(described.serviceDeployments![0]).toMatchObject({
      serviceDeploymentArn: d.serviceDeploymentArn,
      status: 'SUCCESSFUL',
      sourceServiceRevisions: [],
      targetServiceRevision: { arn: d.targetServiceRevisionArn, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
      deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 },
      alarms: { status: 'DISABLED' },
    });

    const revision = (await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [d.targetServiceRevisionArn!] }))).serviceRevisions![0]!;
    expect(revision).toMatchObject({
      serviceRevisionArn: d.targetServiceRevisionArn,
      serviceArn: `${ARN}:service/lab-prod/storefront`,
      taskDefinition: `${ARN}:task-definition/web:1`,
      launchType: 'FARGATE',
      platformVersion: '1.3.0',
      platformFamily: 'Linux',
      guardDutyEnabled: false,
      serviceConnectConfiguration: { enabled: false },
    });
    expect(revision.networkConfiguration?.awsvpcConfiguration).toMatchObject({ subnets: [subnets[0]], assignPublicIp: 'DISABLED' });
    expect(revision.containerImages).toEqual([
      { containerName: 'web', image: 'nginx:1' },
      { containerName: 'sidecar', image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.32.0' },
    ]);
    expect(revision.capacityProviderStrategy).toBeUndefined();
  });

  it('records one deployment per update that starts a deployment, none for a scaling change', async () => {
    const updates: { input: Partial<ConstructorParameters<typeof UpdateServiceCommand>[0]>; check: (r: Record<string, unknown>) => void }[] = [
      { input: { taskDefinition: 'web:2' }, check: (r) => expect(r.taskDefinition).toBe(`${ARN}:task-definition/web:2`) },
      {
        input: { networkConfiguration: { awsvpcConfiguration: { subnets, assignPublicIp: 'DISABLED' } } },
        check: (r) => expect((r.networkConfiguration as { awsvpcConfiguration: { subnets: string[] } }).awsvpcConfiguration.subnets).toEqual(subnets),
      },
      { input: { platformVersion: 'LATEST' }, check: (r) => expect(r.platformVersion).toBe('1.4.0') },
      { input: { forceNewDeployment: true }, check: (r) => expect(r.taskDefinition).toBe(`${ARN}:task-definition/web:2`) },
      {
        input: { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }] },
        check: (r) => {
          expect(r.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }]);
          expect(r.launchType).toBeUndefined();
        },
      },
    ];
    let previous = (await deployments('storefront'))[0]!;
    for (const { input, check } of updates) {
      await ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'storefront', ...input }));
      const list = await deployments('storefront');
      const latest = list[0]!;
      expect(latest.serviceDeploymentArn).not.toBe(previous.serviceDeploymentArn);
      expect(list[1]).toEqual(previous);
      const [described] = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn!] }))).serviceDeployments!;
      expect(described!.sourceServiceRevisions).toEqual([{ arn: previous.targetServiceRevisionArn, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 }]);
      const [revision] = (await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [latest.targetServiceRevisionArn!] }))).serviceRevisions!;
      check(revision as Record<string, unknown>);
      previous = latest;
    }
    expect(await deployments('storefront')).toHaveLength(updates.length + 1);

    // Scaling is no deployment; the current revision's counts follow it.
    await ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'storefront', desiredCount: 3 }));
    const list = await deployments('storefront');
    expect(list).toHaveLength(updates.length + 1);
    const [current] = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [list[0]!.serviceDeploymentArn!] }))).serviceDeployments!;
    expect(current!.targetServiceRevision).toMatchObject({ requestedTaskCount: 3, runningTaskCount: 3 });
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'lab-prod', services: ['storefront'] }))).services![0]!;
    expect(service.currentServiceRevisions![0]).toMatchObject({ arn: list[0]!.targetServiceRevisionArn, requestedTaskCount: 3, runningTaskCount: 3 });
    // The first revision is still described as it was deployed.
    const first = list[list.length - 1]!;
    const [revision] = (await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [first.targetServiceRevisionArn!] }))).serviceRevisions!;
    expect(revision).toMatchObject({ taskDefinition: `${ARN}:task-definition/web:1`, platformVersion: '1.3.0', launchType: 'FARGATE' });
  });

  it('lists newest first, in pages, filtered by status and creation time', async () => {
    const all = await deployments('storefront');
    expect(all.length).toBeGreaterThan(3);
    const times = all.map((d) => d.createdAt!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'lab-prod', service: `${ARN}:service/lab-prod/storefront`, maxResults: 2, nextToken }));
      expect(page.serviceDeployments!.length).toBeLessThanOrEqual(2);
      seen.push(...page.serviceDeployments!.map((d) => d.serviceDeploymentArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(all.map((d) => d.serviceDeploymentArn));
    await expect(ecs.send(new ListServiceDeploymentsCommand({ cluster: 'lab-prod', service: 'storefront', nextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });

    const list = (input: Partial<ConstructorParameters<typeof ListServiceDeploymentsCommand>[0]>) =>
      ecs.send(new ListServiceDeploymentsCommand({ cluster: 'lab-prod', service: 'storefront', ...input })).then((o) => o.serviceDeployments!);
    expect(await list({ status: ['SUCCESSFUL'] })).toHaveLength(all.length);
    expect(await list({ status: ['STOPPED', 'IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'] })).toEqual([]);
    expect(await list({ createdAt: { after: new Date(Date.now() + 60_000) } })).toEqual([]);
    expect(await list({ createdAt: { before: new Date(Date.now() - 3_600_000) } })).toEqual([]);
    expect(await list({ createdAt: { after: new Date(Date.now() - 3_600_000), before: new Date(Date.now() + 60_000) } })).toHaveLength(all.length);
  });

  it('answers unknown ARNs with MISSING failures and bad requests with AWS error codes', async () => {
    const [known] = await deployments('storefront');
    const unknown = [
      `${ARN}:service-deployment/lab-prod/storefront/AAAAAAAAAAAAAAAAAAAAA`,
      `${ARN}:service-deployment/lab-prod/ghost/AAAAAAAAAAAAAAAAAAAAA`,
      `arn:aws:ecs:us-east-1:123456789012:service-deployment/lab-prod/storefront/${known!.serviceDeploymentArn!.split('/').pop()}`,
      'not-an-arn',
    ];
    const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [known!.serviceDeploymentArn!, ...unknown] }));
    expect(out.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([known!.serviceDeploymentArn]);
    expect(out.failures).toEqual(unknown.map((arn) => ({ arn, reason: 'MISSING' })));
    const revisions = await ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [`${ARN}:service-revision/lab-prod/storefront/1234567890123456789`, known!.serviceDeploymentArn!] }),
    );
    expect(revisions.serviceRevisions).toEqual([]);
    expect(revisions.failures!.map((f) => f.reason)).toEqual(['MISSING', 'MISSING']);

    await expect(ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: Array.from({ length: 21 }, () => unknown[0]!) }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(ecs.send(new ListServiceDeploymentsCommand({ cluster: 'lab-prod', service: 'ghost' }))).rejects.toMatchObject({ name: 'ServiceNotFoundException' });
    await expect(ecs.send(new ListServiceDeploymentsCommand({ cluster: 'ghost', service: 'storefront' }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
  });

  it(`keeps the newest ${MAX_DEPLOYMENTS_PER_SERVICE} deployments of a service`, async () => {
    await ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: 'busy', taskDefinition: 'worker', desiredCount: 0, launchType: 'EC2' }));
    const first = (await deployments('busy'))[0]!;
    for (let i = 0; i < MAX_DEPLOYMENTS_PER_SERVICE; i++) {
      await ecs.send(new UpdateServiceCommand({ cluster: 'lab-prod', service: 'busy', forceNewDeployment: true }));
    }
    // 20 a page unless asked for more.
    expect((await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'lab-prod', service: 'busy' }))).serviceDeployments).toHaveLength(20);
    const list = await deployments('busy');
    expect(list).toHaveLength(MAX_DEPLOYMENTS_PER_SERVICE);
    expect(list.map((d) => d.serviceDeploymentArn)).not.toContain(first.serviceDeploymentArn);
    const gone = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [first.targetServiceRevisionArn!] }));
    expect(gone.failures).toEqual([{ arn: first.targetServiceRevisionArn, reason: 'MISSING' }]);
  });

  it('forgets the history of a deleted service, as AWS deletes its revisions', async () => {
    const [d] = await deployments('busy');
    await ecs.send(new DeleteServiceCommand({ cluster: 'lab-prod', service: 'busy' }));
    expect(await deployments('busy')).toEqual([]);
    const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [d!.serviceDeploymentArn!] }));
    expect(out.failures).toEqual([{ arn: d!.serviceDeploymentArn, reason: 'MISSING' }]);
    // A service created again under the name starts a new history.
    await ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: 'busy', taskDefinition: 'worker', desiredCount: 0, launchType: 'EC2' }));
    const again = await deployments('busy');
    expect(again).toHaveLength(1);
    const [described] = (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [again[0]!.serviceDeploymentArn!] }))).serviceDeployments!;
    expect(described!.sourceServiceRevisions).toEqual([]);
    expect(described!.deploymentCircuitBreaker).toEqual({ status: 'DISABLED' });
  });
});

describe('task sets and Service Connect namespaces', () => {
  it('refuses task set management on a service with the ECS deployment controller', async () => {
    const message = 'Amazon ECS only supports task set management on services configured to use external deployment controllers.';
    await expect(ecs.send(new DescribeTaskSetsCommand({ cluster: 'lab-prod', service: 'storefront' }))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    await expect(
      ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: 'lab-prod', service: 'storefront', primaryTaskSet: 'ecs-svc/1234567890123456789' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    await expect(ecs.send(new DescribeTaskSetsCommand({ cluster: 'lab-prod', service: 'ghost' }))).rejects.toMatchObject({ name: 'ServiceNotFoundException' });
    await expect(ecs.send(new DescribeTaskSetsCommand({ cluster: 'ghost', service: 'storefront' }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
  });

  it('creates no service with a deployment controller that needs task sets', async () => {
    for (const type of ['EXTERNAL', 'CODE_DEPLOY'] as const) {
      await expect(
        ecs.send(new CreateServiceCommand({ cluster: 'lab-prod', serviceName: `ext-${type}`, taskDefinition: 'worker', deploymentController: { type } })),
      ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining(type) });
    }
  });

  it('finds no Service Connect namespace', async () => {
    await expect(ecs.send(new ListServicesByNamespaceCommand({ namespace: 'service-connect' }))).rejects.toMatchObject({
      name: 'NamespaceNotFoundException',
      message: 'Failed to retrieve namespace for service-connect',
    });
  });
});

describe('authorisation of service deployment and task set calls', () => {
  const env = { account: ACCOUNT, region: 'us-east-1', state: () => undefined };
  const checks = (operation: string, input: Record<string, unknown>) =>
    checksFor(ECS_RULES, 'ecs', operation, input, env).map((c) => ({ action: c.action, resource: c.resource, cluster: c.context?.['ecs:cluster'] }));
  const cluster = `${ARN}:cluster/lab-prod`;

  it('authorises each call on the resources it names, with ecs:cluster', () => {
    expect(checks('ListServiceDeployments', { cluster: 'lab-prod', service: 'storefront' })).toEqual([
      { action: 'ecs:ListServiceDeployments', resource: `${ARN}:service/lab-prod/storefront`, cluster },
    ]);
    const deployment = `${ARN}:service-deployment/lab-prod/storefront/ejGvqq2ilnbKT9qj0vLJe`;
    expect(checks('DescribeServiceDeployments', { serviceDeploymentArns: [deployment] })).toEqual([{ action: 'ecs:DescribeServiceDeployments', resource: deployment, cluster }]);
    const revision = `${ARN}:service-revision/lab-prod/storefront/1485800978477494678`;
    expect(checks('DescribeServiceRevisions', { serviceRevisionArns: [revision] })).toEqual([{ action: 'ecs:DescribeServiceRevisions', resource: revision, cluster }]);
    expect(checks('DescribeTaskSets', { cluster: 'lab-prod', service: 'storefront' })).toEqual([
      { action: 'ecs:DescribeTaskSets', resource: `${ARN}:task-set/lab-prod/storefront/*`, cluster },
    ]);
    expect(checks('UpdateServicePrimaryTaskSet', { cluster: 'lab-prod', service: 'storefront', primaryTaskSet: 'ecs-svc/1' })).toEqual([
      { action: 'ecs:UpdateServicePrimaryTaskSet', resource: `${ARN}:service/lab-prod/storefront`, cluster },
    ]);
    expect(checks('ListServicesByNamespace', { namespace: 'x' })).toEqual([{ action: 'ecs:ListServicesByNamespace', resource: '*', cluster: undefined }]);
  });
});

describe('persistence of service deployments', () => {
  it('keeps deployments and revisions across a restart', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new ECSClient(clientConfig(box.url, '000000000051'));
      await client.send(new CreateClusterCommand({ clusterName: 'c' }));
      await client.send(new RegisterTaskDefinitionCommand({ family: 'w', containerDefinitions: [{ name: 'w', image: 'busybox:1', memory: 64 }] }));
      await client.send(new CreateServiceCommand({ cluster: 'c', serviceName: 's', taskDefinition: 'w', desiredCount: 1 }));
      await client.send(new UpdateServiceCommand({ cluster: 'c', service: 's', forceNewDeployment: true }));
      const before = (await client.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 's' }))).serviceDeployments!;
      const describedBefore = await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: before.map((d) => d.serviceDeploymentArn!) }));
      client.destroy();
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new ECSClient(clientConfig(box.url, '000000000051'));
      expect((await client.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 's' }))).serviceDeployments).toEqual(before);
      const describedAfter = await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: before.map((d) => d.serviceDeploymentArn!) }));
      expect(describedAfter.serviceDeployments).toEqual(describedBefore.serviceDeployments);
      const revision = await client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [before[1]!.targetServiceRevisionArn!] }));
      expect(revision.serviceRevisions![0]).toMatchObject({ taskDefinition: 'arn:aws:ecs:us-east-1:000000000051:task-definition/w:1', launchType: 'EC2' });
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });

  it('shows a service saved by an older sandbox as one deployment, kept when it deploys again', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let client = new ECSClient(clientConfig(box.url, '000000000052'));
      await client.send(new CreateClusterCommand({ clusterName: 'c' }));
      await client.send(new RegisterTaskDefinitionCommand({ family: 'w', containerDefinitions: [{ name: 'w', image: 'busybox:1', memory: 64 }] }));
      await client.send(new CreateServiceCommand({ cluster: 'c', serviceName: 's', taskDefinition: 'w', desiredCount: 1 }));
      await client.send(new CreateServiceCommand({ cluster: 'c', serviceName: 'gone', taskDefinition: 'w', desiredCount: 0 }));
      await client.send(new DeleteServiceCommand({ cluster: 'c', service: 'gone' }));
      client.destroy();
      await box.close();
      forgetStateKeys(tmp.dir, ['serviceDeployments', 'taskProtection', 'currentServiceDeployment', 'currentServiceRevisions']);

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new ECSClient(clientConfig(box.url, '000000000052'));
      const service = (await client.send(new DescribeServicesCommand({ cluster: 'c', services: ['s'] }))).services![0]!;
      expect(service.currentServiceDeployment).toBeUndefined();
      const number = service.deployments![0]!.id!.replace('ecs-svc/', '');
      const legacy = (await client.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 's' }))).serviceDeployments!;
      expect(legacy).toEqual([
        expect.objectContaining({
          serviceDeploymentArn: `arn:aws:ecs:us-east-1:000000000052:service-deployment/c/s/${number}`,
          targetServiceRevisionArn: `arn:aws:ecs:us-east-1:000000000052:service-revision/c/s/${number}`,
          status: 'SUCCESSFUL',
        }),
      ]);
      const revision = await client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [legacy[0]!.targetServiceRevisionArn!] }));
      expect(revision.serviceRevisions![0]).toMatchObject({ taskDefinition: 'arn:aws:ecs:us-east-1:000000000052:task-definition/w:1', containerImages: [{ containerName: 'w', image: 'busybox:1' }] });
      expect((await client.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 'gone' }))).serviceDeployments).toEqual([]);

      await client.send(new UpdateServiceCommand({ cluster: 'c', service: 's', forceNewDeployment: true }));
      const after = (await client.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 's' }))).serviceDeployments!;
      expect(after).toHaveLength(2);
      expect(after[1]).toEqual(legacy[0]);
      const [latest] = (await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [after[0]!.serviceDeploymentArn!] }))).serviceDeployments!;
      expect(latest!.sourceServiceRevisions!.map((r) => r.arn)).toEqual([legacy[0]!.targetServiceRevisionArn]);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});
