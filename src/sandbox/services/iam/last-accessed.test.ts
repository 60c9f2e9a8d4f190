import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
} from '@aws-sdk/client-iam';
import { DescribeClustersCommand, ECSClient, ListClustersCommand, CreateClusterCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import type { SessionCredentials as Creds } from '../../test-helpers.js';
import { awsCli, clientConfig, hasAwsCli, roleSession, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '444455556666';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

let sandbox: RunningSandbox;
let iam: IAMClient;
let taskRole: Creds;

function as<C>(Client: new (config: object) => C, credentials?: Creds): C {
  return new Client({ ...clientConfig(sandbox.url, ACCOUNT), ...(credentials ? { credentials } : {}) });
}

async function report(arn: string, granularity?: 'SERVICE_LEVEL' | 'ACTION_LEVEL') {
  const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: granularity }));
  return { JobId: JobId!, ...(await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }))) };
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  iam = as(IAMClient);
  // An over-broad task role: ECS, SSM reads and all of Secrets Manager; it only ever uses ECS.
  taskRole = await roleSession(sandbox.url, ACCOUNT, 'lab-task-role', doc(
    { Effect: 'Allow', Action: ['ecs:ListClusters', 'ecs:DescribeClusters', 'ecs:CreateCluster'], Resource: '*' },
    { Effect: 'Allow', Action: ['ssm:GetParameter*'], Resource: '*' },
    { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
  ));
  const ecs = as(ECSClient, taskRole);
  await ecs.send(new ListClustersCommand({}));
  await ecs.send(new CreateClusterCommand({ clusterName: 'lab-last-accessed' }));
  await ecs.send(new DescribeClustersCommand({ clusters: ['lab-last-accessed'] }));
  ecs.destroy();
});
afterAll(async () => {
  iam.destroy();
  await sandbox.close();
});

describe('iam:GenerateServiceLastAccessedDetails / GetServiceLastAccessedDetails', () => {
  it('lists every service the role\'s policies allow; only the used one has LastAuthenticated', async () => {
    const before = Date.now();
    const r = await report(roleArn('lab-task-role'));
    expect(r.JobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.JobStatus).toBe('COMPLETED');
    expect(r.JobType).toBe('SERVICE_LEVEL');
    expect(r.JobCompletionDate).toEqual(r.JobCreationDate);
    expect(r.IsTruncated).toBe(false);
    expect(r.ServicesLastAccessed!.map((s) => s.ServiceNamespace)).toEqual(['ecs', 'secretsmanager', 'ssm']);
    const [ecs, secrets, ssm] = r.ServicesLastAccessed!;
    expect(ecs).toEqual({
      ServiceName: 'Amazon Elastic Container Service',
      ServiceNamespace: 'ecs',
      TotalAuthenticatedEntities: 1,
      LastAuthenticated: expect.any(Date),
      LastAuthenticatedEntity: roleArn('lab-task-role'),
      LastAuthenticatedRegion: 'us-east-1',
    });
    expect(ecs!.LastAuthenticated!.getTime()).toBeLessThanOrEqual(before + 1000);
    // Allowed but never used: listed without the last-access members (the point of right-sizing).
    expect(secrets).toEqual({ ServiceName: 'AWS Secrets Manager', ServiceNamespace: 'secretsmanager', TotalAuthenticatedEntities: 0 });
    expect(ssm).toEqual({ ServiceName: 'AWS Systems Manager', ServiceNamespace: 'ssm', TotalAuthenticatedEntities: 0 });
    // No TrackedActionsLastAccessed in a service-level report.
    expect(ecs!.TrackedActionsLastAccessed).toBeUndefined();
  });

  it('counts a denied attempt as an access, as AWS does', async () => {
    await roleSession(sandbox.url, ACCOUNT, 'lab-denied-role', doc({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:us-east-1:444455556666:parameter/allowed' }));
    const creds = await (await import('../../test-helpers.js')).assumeRole(sandbox.url, ACCOUNT, 'lab-denied-role');
    const ssm = as(SSMClient, creds);
    await expect(ssm.send(new GetParameterCommand({ Name: '/other' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    ssm.destroy();
    const r = await report(roleArn('lab-denied-role'));
    expect(r.ServicesLastAccessed).toEqual([expect.objectContaining({ ServiceNamespace: 'ssm', TotalAuthenticatedEntities: 1, LastAuthenticatedEntity: roleArn('lab-denied-role') })]);
  });

  it('expands Action "*" over the sandbox\'s services', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'lab-admin-role', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'lab-admin-role', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const r = await report(roleArn('lab-admin-role'));
    const namespaces = r.ServicesLastAccessed!.map((s) => s.ServiceNamespace);
    expect(namespaces).toEqual(expect.arrayContaining(['autoscaling', 'cloudtrail', 'ec2', 'ecs', 'iam', 'logs', 's3', 'secretsmanager', 'ssm', 'sts']));
    expect(r.ServicesLastAccessed!.every((s) => s.LastAuthenticated === undefined && s.TotalAuthenticatedEntities === 0)).toBe(true);
  });

  it('ACTION_LEVEL adds the tracked (management) actions the policies allow, used ones with their access', async () => {
    const r = await report(roleArn('lab-task-role'), 'ACTION_LEVEL');
    expect(r.JobType).toBe('ACTION_LEVEL');
    const ecs = r.ServicesLastAccessed!.find((s) => s.ServiceNamespace === 'ecs')!;
    // ListClusters/DescribeClusters are reads: not tracked.
    expect(ecs.TrackedActionsLastAccessed).toEqual([
      { ActionName: 'CreateCluster', LastAccessedEntity: roleArn('lab-task-role'), LastAccessedTime: expect.any(Date), LastAccessedRegion: 'us-east-1' },
    ]);
    const secrets = r.ServicesLastAccessed!.find((s) => s.ServiceNamespace === 'secretsmanager')!;
    expect(secrets.TrackedActionsLastAccessed!.map((a) => a.ActionName)).toEqual(expect.arrayContaining(['CreateSecret', 'DeleteSecret', 'PutSecretValue']));
    expect(secrets.TrackedActionsLastAccessed!.every((a) => a.LastAccessedTime === undefined)).toBe(true);
    // ssm:GetParameter* allows only reads: nothing tracked.
    expect(r.ServicesLastAccessed!.find((s) => s.ServiceNamespace === 'ssm')!.TrackedActionsLastAccessed).toEqual([]);
  });

  it('reports on a managed policy through the roles it is attached to', async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'lab-ecs-read', PolicyDocument: doc({ Effect: 'Allow', Action: ['ecs:List*', 'logs:GetLogEvents'], Resource: '*' }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'lab-task-role', PolicyArn: Policy!.Arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'lab-admin-role', PolicyArn: Policy!.Arn }));
    const r = await report(Policy!.Arn!);
    expect(r.ServicesLastAccessed).toEqual([
      expect.objectContaining({ ServiceNamespace: 'ecs', TotalAuthenticatedEntities: 1, LastAuthenticatedEntity: roleArn('lab-task-role') }),
      { ServiceName: 'Amazon CloudWatch Logs', ServiceNamespace: 'logs', TotalAuthenticatedEntities: 0 },
    ]);
    const withEntities = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: r.JobId, ServiceNamespace: 'ecs' }));
    expect(withEntities.JobStatus).toBe('COMPLETED');
    expect(withEntities.IsTruncated).toBe(false);
    // The role that used ECS first, then the one that never did.
    expect(withEntities.EntityDetailsList).toEqual([
      { EntityInfo: expect.objectContaining({ Arn: roleArn('lab-task-role'), Name: 'lab-task-role', Type: 'ROLE', Path: '/', Id: expect.stringMatching(/^AROA/) }), LastAuthenticated: expect.any(Date) },
      { EntityInfo: expect.objectContaining({ Arn: roleArn('lab-admin-role'), Type: 'ROLE' }) },
    ]);
    const paged = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: r.JobId, ServiceNamespace: 'ecs', MaxItems: 1 }));
    expect(paged).toMatchObject({ IsTruncated: true, EntityDetailsList: [{ EntityInfo: { Name: 'lab-task-role' } }] });
  });

  it('pages ServicesLastAccessed with MaxItems and Marker', async () => {
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn('lab-admin-role') }));
    const all = (await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }))).ServicesLastAccessed!.map((s) => s.ServiceNamespace);
    const seen: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: 4, Marker }));
      expect(page.ServicesLastAccessed!.length).toBeLessThanOrEqual(4);
      seen.push(...page.ServicesLastAccessed!.map((s) => s.ServiceNamespace!));
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThan(4);
  });

  it('answers NoSuchEntity for an unknown job, role, user or policy, and InvalidInput for a bad ARN', async () => {
    await expect(iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: '00000000-0000-0000-0000-000000000000' }))).rejects.toMatchObject({ name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
    await expect(iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: '00000000-0000-0000-0000-000000000000', ServiceNamespace: 'ecs' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    for (const Arn of [roleArn('nope'), `arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:policy/nope`]) {
      await expect(iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    }
    await expect(iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: 'arn:aws:s3:::bucket' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('denies a session whose policy does not allow iam:GenerateServiceLastAccessedDetails on the role', async () => {
    const creds = await roleSession(sandbox.url, ACCOUNT, 'lab-auditor', doc({ Effect: 'Allow', Action: 'iam:GenerateServiceLastAccessedDetails', Resource: roleArn('lab-task-role') }));
    const auditor = as(IAMClient, creds);
    await expect(auditor.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn('lab-admin-role') }))).rejects.toMatchObject({ name: 'AccessDenied' });
    const { JobId } = await auditor.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn('lab-task-role') }));
    expect(JobId).toBeDefined();
    // Reading the report needs iam:GetServiceLastAccessedDetails, which this session lacks.
    await expect(auditor.send(new GetServiceLastAccessedDetailsCommand({ JobId }))).rejects.toMatchObject({ name: 'AccessDenied' });
    auditor.destroy();
  });
});

describe('iam:ListOpenIDConnectProviders / ListSAMLProviders', () => {
  it('lists no providers', async () => {
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([]);
    expect((await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList).toEqual([]);
  });
});

describe('last accessed jobs across a restart', () => {
  it('keeps a generated report', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      const creds = await roleSession(box.url, ACCOUNT, 'lab-persist-role', doc({ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }));
      const ecs = new ECSClient({ ...clientConfig(box.url, ACCOUNT), credentials: creds });
      await ecs.send(new ListClustersCommand({}));
      ecs.destroy();
      let client = new IAMClient(clientConfig(box.url, ACCOUNT));
      const { JobId } = await client.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn('lab-persist-role') }));
      const before = await client.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      client.destroy();
      await box.close();
      // The job is in the account's state files (snapshot or journal, not the event log; not merely in this process).
      const accounts = join(tmp.dir, 'accounts');
      const stateFiles = readdirSync(accounts).filter((f) => f === `${ACCOUNT}.json` || f === `${ACCOUNT}.journal.jsonl`);
      const written = stateFiles.map((f) => readFileSync(join(accounts, f), 'utf8')).join('');
      expect(written).toContain(JobId);

      box = await startTestSandbox({ dataDir: tmp.dir });
      client = new IAMClient(clientConfig(box.url, ACCOUNT));
      const after = await client.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      expect(after.ServicesLastAccessed).toEqual(before.ServicesLastAccessed);
      expect(after.ServicesLastAccessed![0]!.LastAuthenticated).toBeInstanceOf(Date);
      expect(after.JobCreationDate).toEqual(before.JobCreationDate);
      // A new job reads the event history back from disk: the role session's call is still found.
      const { JobId: again } = await client.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn('lab-persist-role') }));
      const fresh = await client.send(new GetServiceLastAccessedDetailsCommand({ JobId: again }));
      expect(fresh.ServicesLastAccessed).toEqual(before.ServicesLastAccessed);
      client.destroy();
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('with the AWS CLI', async () => {
  const cli = awsCli(() => sandbox.url, ACCOUNT);
  it.skipIf(!(await hasAwsCli()))('generates and reads a report, lists providers', async () => {
    const gen = await cli('iam', 'generate-service-last-accessed-details', '--arn', roleArn('lab-task-role'), '--granularity', 'ACTION_LEVEL');
    expect(gen.code).toBe(0);
    const jobId = (JSON.parse(gen.stdout) as { JobId: string }).JobId;
    const get = await cli('iam', 'get-service-last-accessed-details', '--job-id', jobId);
    expect(get.code).toBe(0);
    const out = JSON.parse(get.stdout) as { JobStatus: string; JobType: string; ServicesLastAccessed: { ServiceNamespace: string; LastAuthenticated?: string }[] };
    expect(out.JobStatus).toBe('COMPLETED');
    expect(out.JobType).toBe('ACTION_LEVEL');
    expect(out.ServicesLastAccessed.find((s) => s.ServiceNamespace === 'ecs')?.LastAuthenticated).toBeDefined();
    const entities = await cli('iam', 'get-service-last-accessed-details-with-entities', '--job-id', jobId, '--service-namespace', 'ecs');
    expect(JSON.parse(entities.stdout)).toMatchObject({ JobStatus: 'COMPLETED', EntityDetailsList: [{ EntityInfo: { Name: 'lab-task-role', Type: 'ROLE' } }] });
    expect(JSON.parse((await cli('iam', 'list-open-id-connect-providers')).stdout)).toEqual({ OpenIDConnectProviderList: [] });
    expect(JSON.parse((await cli('iam', 'list-saml-providers')).stdout)).toEqual({ SAMLProviderList: [] });
    const missing = await cli('iam', 'get-service-last-accessed-details', '--job-id', '00000000-0000-0000-0000-000000000000');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('NoSuchEntity');
  });
});
