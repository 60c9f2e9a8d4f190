import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Event, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { CreateClusterCommand, DescribeClustersCommand, DescribeServicesCommand, ECSClient, ListClustersCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000032';
const SECRETS = ['hunter2-db-password', 'sm-secret-string-value', 'ssm-secure-string-value'];
let sandbox: RunningSandbox;
let trails: CloudTrailClient;
let sessionKey: string;
let sessionSecret: string;
let roleId: string;
let createClusterRequestId: string;
let data: { dir: string; remove(): void } | undefined;

type TrailEvent = Record<string, unknown> & { userIdentity: Record<string, unknown> };

function parsed(event: Event): TrailEvent {
  return JSON.parse(event.CloudTrailEvent!) as TrailEvent;
}

async function lookup(input: LookupEventsCommandInput, client = trails): Promise<Event[]> {
  const out: Event[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new LookupEventsCommand({ ...input, NextToken: token }));
    out.push(...(page.Events ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

function byName(name: string): LookupEventsCommandInput {
  return { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] };
}

describe.each([
  ['in memory', false],
  ['persisted under --data', true],
])('CloudTrail event history %s', (_mode, persisted) => {
  beforeAll(async () => {
    if (persisted) data = tempDir();
    sandbox = await startTestSandbox({ dataDir: data?.dir });
    const root = clientConfig(sandbox.url, ACCOUNT);
    trails = new CloudTrailClient(root);
    const iam = new IAMClient(clientConfig(sandbox.url, ACCOUNT, 'eu-west-1'));
    const sts = new STSClient(root);
    const ecs = new ECSClient(root);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
    roleId = (await iam.send(new CreateRoleCommand({ RoleName: 'lab-auditor', Path: '/lab/', AssumeRolePolicyDocument: trust }))).Role!.RoleId!;
    await iam.send(new GetRoleCommand({ RoleName: 'lab-auditor' }));
    const listOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }] });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'lab-auditor', PolicyName: 'list-clusters', PolicyDocument: listOnly }));
    createClusterRequestId = (await ecs.send(new CreateClusterCommand({ clusterName: 'lab-prod' }))).$metadata.requestId!;
    await ecs.send(new DescribeClustersCommand({ clusters: ['lab-prod'] }));
    await expect(ecs.send(new DescribeServicesCommand({ cluster: 'ghost', services: ['x'] }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'orders', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 64, environment: [{ name: 'DB_PASSWORD', value: SECRETS[0] }] }] }),
    );
    const sm = new SecretsManagerClient(root);
    const ssm = new SSMClient(root);
    await sm.send(new CreateSecretCommand({ Name: 'lab/orders/db', SecretString: SECRETS[1] })).catch(() => undefined);
    await ssm.send(new PutParameterCommand({ Name: '/lab/auth/token', Type: 'SecureString', Value: SECRETS[2] })).catch(() => undefined);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/lab/lab-auditor`, RoleSessionName: 'auditor-session' }));
    sessionKey = assumed.Credentials!.AccessKeyId!;
    sessionSecret = assumed.Credentials!.SecretAccessKey!;
    const asRole = new ECSClient({
      ...root,
      credentials: { accessKeyId: sessionKey, secretAccessKey: sessionSecret, sessionToken: assumed.Credentials!.SessionToken! },
    });
    await asRole.send(new ListClustersCommand({}));
    // Sessions are held to their role's policies; a denied call is recorded too.
    await expect(asRole.send(new ListTaskDefinitionsCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    for (const c of [iam, sts, ecs, sm, ssm, asRole]) c.destroy();
  });
  afterAll(async () => {
    trails.destroy();
    await sandbox.close();
    data?.remove();
    data = undefined;
  });

  describe('LookupEvents with the account key', () => {
    it('finds a write by EventName with the CloudTrail fields', async () => {
      const [event, ...rest] = await lookup(byName('CreateCluster'));
      expect(rest).toEqual([]);
      expect(event).toMatchObject({ EventName: 'CreateCluster', EventSource: 'ecs.amazonaws.com', ReadOnly: 'false', AccessKeyId: ACCOUNT, Username: 'root' });
      expect(event!.EventTime).toBeInstanceOf(Date);
      expect(event!.Resources).toContainEqual({ ResourceType: 'AWS::ECS::Cluster', ResourceName: 'lab-prod' });
      const detail = parsed(event!);
      expect(detail).toMatchObject({
        eventVersion: expect.stringMatching(/^1\.\d+$/),
        userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: ACCOUNT },
        eventSource: 'ecs.amazonaws.com',
        eventName: 'CreateCluster',
        awsRegion: 'us-east-1',
        sourceIPAddress: '127.0.0.1',
        userAgent: expect.stringContaining('aws-sdk-js'),
        requestParameters: { clusterName: 'lab-prod' },
        requestID: createClusterRequestId,
        eventID: event!.EventId,
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: ACCOUNT,
      });
      expect(detail.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect((detail.responseElements as { cluster: { clusterArn: string } }).cluster.clusterArn).toBe(`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/lab-prod`);
    });

    it('records reads with null responseElements and failures with their error', async () => {
      const [read] = await lookup(byName('DescribeClusters'));
      expect(read?.ReadOnly).toBe('true');
      expect(parsed(read!)).toMatchObject({ readOnly: true, responseElements: null, requestParameters: { clusters: ['lab-prod'] } });
      const [failed] = await lookup(byName('DescribeServices'));
      expect(parsed(failed!)).toMatchObject({ errorCode: 'ClusterNotFoundException', errorMessage: 'Cluster not found.', responseElements: null });
    });

    it('records IAM calls as global events in us-east-1', async () => {
      const [event] = await lookup(byName('GetRole'));
      expect(parsed(event!)).toMatchObject({ eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1', requestParameters: { roleName: 'lab-auditor' } });
      expect(event!.Resources).toContainEqual({ ResourceType: 'AWS::IAM::Role', ResourceName: 'lab-auditor' });
      const west = new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT, 'eu-west-1'));
      expect(await lookup({}, west)).toEqual([]);
      west.destroy();
    });
  });

  describe('LookupEvents with an assumed-role session', () => {
    it('finds the session calls by Username (the session name) with the session issuer', async () => {
      const events = await lookup({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'auditor-session' }] });
      expect(events.map((e) => e.EventName)).toEqual(['ListTaskDefinitions', 'ListClusters']);
      expect(parsed(events[0]!)).toMatchObject({ errorCode: 'AccessDeniedException', errorMessage: expect.stringContaining('ecs:ListTaskDefinitions') });
      expect(events[1]).toMatchObject({ AccessKeyId: sessionKey, Username: 'auditor-session', EventSource: 'ecs.amazonaws.com' });
      expect(parsed(events[1]!).userIdentity).toEqual({
        type: 'AssumedRole',
        principalId: `${roleId}:auditor-session`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/lab-auditor/auditor-session`,
        accountId: ACCOUNT,
        accessKeyId: sessionKey,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${ACCOUNT}:role/lab/lab-auditor`, accountId: ACCOUNT, userName: 'lab-auditor' },
          attributes: { mfaAuthenticated: 'false' },
        },
      });
      const byKey = await lookup({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: sessionKey }] });
      expect(byKey.map((e) => e.EventId)).toEqual(events.map((e) => e.EventId));
    });

    it('records AssumeRole itself without the secret access key', async () => {
      const [event] = await lookup(byName('AssumeRole'));
      const detail = parsed(event!);
      expect(detail).toMatchObject({ eventSource: 'sts.amazonaws.com', awsRegion: 'us-east-1', userIdentity: { type: 'Root' } });
      expect((detail.responseElements as { credentials: Record<string, string> }).credentials.secretAccessKey).toBe('HIDDEN_DUE_TO_SECURITY_REASONS');
    });
  });

  describe('LookupEvents filters and paging', () => {
    it('filters by EventSource, ReadOnly, EventId and ResourceName', async () => {
      const iamEvents = await lookup({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' }] });
      expect(iamEvents.map((e) => e.EventName).sort()).toEqual(['CreateRole', 'GetRole', 'PutRolePolicy']);
      const writes = await lookup({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] });
      expect(writes.every((e) => e.ReadOnly === 'false')).toBe(true);
      expect(writes.map((e) => e.EventName)).toContain('RegisterTaskDefinition');
      const [one] = await lookup(byName('CreateCluster'));
      expect((await lookup({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: one!.EventId! }] })).map((e) => e.EventName)).toEqual(['CreateCluster']);
      const cluster = await lookup({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'lab-prod' }] });
      expect(cluster.map((e) => e.EventName).sort()).toEqual(['CreateCluster', 'DescribeClusters']);
    });

    it('pages newest first with MaxResults and NextToken', async () => {
      // LookupEvents calls are recorded too: compare a view they do not change.
      const ecsOnly = { LookupAttributes: [{ AttributeKey: 'EventSource' as const, AttributeValue: 'ecs.amazonaws.com' }] };
      const all = await lookup(ecsOnly);
      const paged = await lookup({ ...ecsOnly, MaxResults: 2 });
      expect(paged.length).toBeGreaterThanOrEqual(5);
      expect(paged.map((e) => e.EventId)).toEqual(all.map((e) => e.EventId));
      expect(new Set(paged.map((e) => e.EventId)).size).toBe(paged.length);
      const times = paged.map((e) => e.EventTime!.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const first = await trails.send(new LookupEventsCommand({ MaxResults: 2 }));
      expect(first.Events).toHaveLength(2);
      expect(first.NextToken).toBeTruthy();
    });

    it('honours the time range', async () => {
      const future = new Date(Date.now() + 3600_000);
      expect(await lookup({ StartTime: future, EndTime: new Date(future.getTime() + 1000) })).toEqual([]);
      expect((await lookup({ StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 1000) })).length).toBeGreaterThan(5);
    });

    it('rejects bad parameters with CloudTrail errors', async () => {
      await expect(trails.send(new LookupEventsCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 60_000) }))).rejects.toMatchObject({ name: 'InvalidTimeRangeException' });
      await expect(trails.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({ name: 'InvalidMaxResultsException' });
      await expect(trails.send(new LookupEventsCommand({ NextToken: 'not-a-token' }))).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
      await expect(
        trails.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'Username', AttributeValue: 'b' }] })),
      ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
      for (const key of ['Colour', 'constructor']) {
        await expect(trails.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key as never, AttributeValue: 'red' }] }))).rejects.toMatchObject({
          name: 'InvalidLookupAttributesException',
        });
      }
    });

    it('keeps accounts apart', async () => {
      const other = new CloudTrailClient(clientConfig(sandbox.url, '000000000033'));
      expect(await lookup({}, other)).toEqual([]);
      other.destroy();
    });
  });

  describe('secrets in CloudTrail events', () => {
    it('never stores a secret value passed to or returned by a call', async () => {
      const all = [...(await lookup({})), ...(await lookup({}, new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT, 'eu-west-1'))))];
      expect(all.map((e) => e.EventName)).toEqual(expect.arrayContaining(['RegisterTaskDefinition', 'CreateSecret', 'PutParameter', 'AssumeRole']));
      for (const event of all) {
        for (const secret of [...SECRETS, sessionSecret]) expect(event.CloudTrailEvent).not.toContain(secret);
      }
      const [registered] = await lookup(byName('RegisterTaskDefinition'));
      const params = parsed(registered!).requestParameters as { containerDefinitions: { environment: unknown }[] };
      expect(params.containerDefinitions[0]!.environment).toBe('HIDDEN_DUE_TO_SECURITY_REASONS');
      const [secret] = await lookup(byName('CreateSecret'));
      expect(parsed(secret!).requestParameters).toMatchObject({ name: 'lab/orders/db', secretString: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
      const [parameter] = await lookup(byName('PutParameter'));
      expect(parsed(parameter!).requestParameters).toMatchObject({ name: '/lab/auth/token', type: 'SecureString', value: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    });
  });

  // Only a persisted history has a restart to survive (and is read back from its file).
  if (persisted) it('gives the same events, CloudTrailEvent JSON included, after a restart', async () => {
    const regions = ['us-east-1', 'eu-west-1'];
    const before = await Promise.all(regions.map((region) => lookup({}, new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT, region)))));
    expect(before.flat().length).toBeGreaterThan(10);
    trails.destroy();
    await sandbox.close();
    sandbox = await startTestSandbox({ dataDir: data!.dir });
    trails = new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT));
    const after = await Promise.all(regions.map((region) => lookup({}, new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT, region)))));
    for (const [i, events] of before.entries()) {
      const ids = new Set(events.map((e) => e.EventId));
      expect(after[i]!.filter((e) => ids.has(e.EventId))).toEqual(events);
    }
  });
});
