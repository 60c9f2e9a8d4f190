import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListAttributesCommand,
  ListClustersCommand,
  PutAttributesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreatePolicyCommand, CreateRoleCommand, CreateServiceLinkedRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSandbox } from './index.js';
import { issueKey, startSandbox } from './index.js';
import { clientConfig, startTestSandbox } from './test-helpers.js';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const trustRoot = doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' });
const serviceArn = (name: string): string => `arn:aws:ecs:us-east-1:${ACCOUNT}:service/lab/${name}`;

let sandbox: RunningSandbox;
let iam: IAMClient;
let sts: STSClient;
let ecs: ECSClient;

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

async function assume(role: string, session = 'alice', extra: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}, client = sts): Promise<Creds> {
  const out = await client.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`, RoleSessionName: session, ...extra }));
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
}

function as<T>(Client: new (config: object) => T, creds: Creds): T {
  return new Client({ ...clientConfig(sandbox.url, ACCOUNT), credentials: creds });
}

async function role(name: string, policy: string, extra: { trust?: string; boundary?: string; maxSessionDuration?: number } = {}): Promise<void> {
  await iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: extra.trust ?? trustRoot, PermissionsBoundary: extra.boundary, MaxSessionDuration: extra.maxSessionDuration }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'main', PolicyDocument: policy }));
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  iam = new IAMClient(clientConfig(sandbox.url, ACCOUNT));
  sts = new STSClient(clientConfig(sandbox.url, ACCOUNT));
  ecs = new ECSClient(clientConfig(sandbox.url, ACCOUNT));
  await ecs.send(new CreateClusterCommand({ clusterName: 'lab' }));
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'privileged',
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/lab-task-admin`,
      containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }],
    }),
  );
  for (const env of ['dev', 'prod']) {
    await ecs.send(new CreateServiceCommand({ cluster: 'lab', serviceName: `web-${env}`, taskDefinition: 'web', desiredCount: 0, tags: [{ key: 'environment', value: env }] }));
  }
  // ecs:* only on resources tagged environment=dev, and never re-tag the environment.
  await role(
    'dev-deployer',
    doc(
      { Sid: 'DevOnly', Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'dev' } } },
      { Sid: 'NoRetag', Effect: 'Deny', Action: ['ecs:TagResource', 'ecs:UntagResource'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } } },
    ),
  );
});
afterAll(async () => {
  for (const c of [iam, sts, ecs]) c.destroy();
  await sandbox.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sts:AssumeRole', () => {
  it('lets a caller the trust policy names assume the role, as assumed-role/<role>/<session>', async () => {
    const creds = await assume('dev-deployer');
    expect(creds.accessKeyId).toMatch(new RegExp(`^ASIA${ACCOUNT}[A-Z0-9]{4}$`));
    const who = await as(STSClient, creds).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev-deployer/alice`, UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:alice$/) });
  });

  it('refuses a caller the trust policy does not name, in STS words', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task-only', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));
    await expect(assume('task-only')).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${ROOT} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/task-only`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('evaluates trust policy conditions (sts:ExternalId)', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'lab-7f3a' } } });
    await role('vendor', doc({ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' }), { trust });
    await expect(assume('vendor')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assume('vendor', 'vv', { ExternalId: 'wrong' })).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assume('vendor', 'vv', { ExternalId: 'lab-7f3a' })).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
  });

  it('bounds DurationSeconds by 900..43200 and the role MaxSessionDuration', async () => {
    await expect(assume('dev-deployer', 'aa', { DurationSeconds: 899 })).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('greater than or equal to 900') });
    await expect(assume('dev-deployer', 'aa', { DurationSeconds: 43201 })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(assume('dev-deployer', 'aa', { DurationSeconds: 7200 })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    await role('long', doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }), { maxSessionDuration: 14400 });
    const longSession = await assume('long', 'aa', { DurationSeconds: 7200 });
    // Role chaining caps a session at one hour.
    await expect(assume('dev-deployer', 'bb', { DurationSeconds: 7200 }, as(STSClient, longSession))).rejects.toMatchObject({ message: expect.stringContaining('role chaining') });
    await expect(assume('dev-deployer', 'bb', {}, as(STSClient, longSession))).resolves.toBeDefined();
  });

  it('expires sessions: ExpiredTokenException (JSON) / ExpiredToken (query)', async () => {
    const creds = await assume('dev-deployer', 'short', { DurationSeconds: 900 });
    await expect(as(ECSClient, creds).send(new DescribeServicesCommand({ cluster: 'lab', services: ['web-dev'] }))).resolves.toBeDefined();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 16 * 60_000);
    await expect(as(ECSClient, creds).send(new DescribeServicesCommand({ cluster: 'lab', services: ['web-dev'] }))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(as(STSClient, creds).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken', $metadata: { httpStatusCode: 403 } });
  });

  it('rejects a session key used with another secret or without its token', async () => {
    const creds = await assume('dev-deployer');
    await expect(as(STSClient, { ...creds, secretAccessKey: 'forged' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await expect(as(STSClient, { ...creds, sessionToken: 'other' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('caps a session with its session policy', async () => {
    const creds = await assume('dev-deployer', 'capped', { Policy: doc({ Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: '*' }) });
    const client = as(ECSClient, creds);
    await expect(client.send(new DescribeServicesCommand({ cluster: 'lab', services: ['web-dev'] }))).resolves.toBeDefined();
    await expect(client.send(new UpdateServiceCommand({ cluster: 'lab', service: 'web-dev', desiredCount: 1 }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('because no session policy allows the ecs:UpdateService action'),
    });
    await expect(assume('dev-deployer', 'bad', { Policy: '{"Statement":' })).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException', Code: 'MalformedPolicyDocument' });
  });
});

describe('IAM enforcement for assumed-role sessions', () => {
  it('allows ecs:* on a dev-tagged service and denies the prod-tagged one with AWS\'s message', async () => {
    const client = as(ECSClient, await assume('dev-deployer'));
    await expect(client.send(new UpdateServiceCommand({ cluster: 'lab', service: 'web-dev', desiredCount: 2 }))).resolves.toMatchObject({ service: { desiredCount: 2 } });
    await expect(client.send(new UpdateServiceCommand({ cluster: 'lab', service: 'web-prod', desiredCount: 2 }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message:
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/dev-deployer/alice is not authorized to perform: ecs:UpdateService on resource: ${serviceArn('web-prod')} ` +
        'because no identity-based policy allows the ecs:UpdateService action',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('authorises ecs:PutAttributes on the container instance it targets, and ListAttributes on the cluster', async () => {
    const host = async (instanceId: string) =>
      (await ecs.send(new RegisterContainerInstanceCommand({ cluster: 'lab', instanceIdentityDocument: JSON.stringify({ instanceId, imageId: 'ami-0abc' }) })))
        .containerInstance!.containerInstanceArn!;
    const [allowed, other] = [await host('i-0aaaaaaaaaaaaaaaa'), await host('i-0bbbbbbbbbbbbbbbb')];
    await role('host-labeller', doc({ Effect: 'Allow', Action: 'ecs:PutAttributes', Resource: allowed }));
    const client = as(ECSClient, await assume('host-labeller'));
    await expect(client.send(new PutAttributesCommand({ cluster: 'lab', attributes: [{ name: 'stack', value: 'prod', targetId: allowed }] }))).resolves.toBeDefined();
    await expect(client.send(new PutAttributesCommand({ cluster: 'lab', attributes: [{ name: 'stack', value: 'prod', targetId: other }] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`ecs:PutAttributes on resource: ${other}`),
    });
    await expect(client.send(new ListAttributesCommand({ cluster: 'lab', targetType: 'container-instance' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`ecs:ListAttributes on resource: arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/lab`),
    });
  });

  it('reads aws:ResourceTag from the resource\'s current tags', async () => {
    const client = as(ECSClient, await assume('dev-deployer'));
    // The root re-tags prod as dev: the same session is now allowed.
    await ecs.send(new TagResourceCommand({ resourceArn: serviceArn('web-prod'), tags: [{ key: 'environment', value: 'dev' }] }));
    await expect(client.send(new UpdateServiceCommand({ cluster: 'lab', service: 'web-prod', desiredCount: 1 }))).resolves.toBeDefined();
    await ecs.send(new TagResourceCommand({ resourceArn: serviceArn('web-prod'), tags: [{ key: 'environment', value: 'prod' }] }));
    await expect(client.send(new UpdateServiceCommand({ cluster: 'lab', service: 'web-prod', desiredCount: 1 }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('reads ecs:ResourceTag, ECS\'s own name for the resource\'s tags, as aws:ResourceTag', async () => {
    await role('ecs-key-deployer', doc({ Effect: 'Allow', Action: 'ecs:UpdateService', Resource: '*', Condition: { StringEquals: { 'ecs:ResourceTag/environment': 'dev' } } }));
    const client = as(ECSClient, await assume('ecs-key-deployer'));
    await expect(client.send(new UpdateServiceCommand({ cluster: 'lab', service: 'web-dev', desiredCount: 0 }))).resolves.toBeDefined();
    await expect(client.send(new UpdateServiceCommand({ cluster: 'lab', service: 'web-prod', desiredCount: 0 }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('denies re-tagging the environment by a Deny on aws:TagKeys, and allows other tags', async () => {
    const client = as(ECSClient, await assume('dev-deployer'));
    await expect(client.send(new TagResourceCommand({ resourceArn: serviceArn('web-dev'), tags: [{ key: 'environment', value: 'prod' }] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/dev-deployer/alice is not authorized to perform: ecs:TagResource on resource: ${serviceArn('web-dev')} with an explicit deny in an identity-based policy`,
    });
    await expect(client.send(new TagResourceCommand({ resourceArn: serviceArn('web-dev'), tags: [{ key: 'team', value: 'payments' }] }))).resolves.toBeDefined();
  });

  it('needs ecs:TagResource (with ecs:CreateAction) to create a service with tags', async () => {
    await role('creator', doc({ Effect: 'Allow', Action: ['ecs:CreateService'], Resource: '*' }));
    const client = as(ECSClient, await assume('creator', 'c1'));
    const create = (name: string, tags = [{ key: 'environment', value: 'dev' }]) =>
      client.send(new CreateServiceCommand({ cluster: 'lab', serviceName: name, taskDefinition: 'web', desiredCount: 0, tags }));
    await expect(create('tagged')).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/creator/c1 is not authorized to perform: ecs:TagResource on resource: ${serviceArn('tagged')} because no identity-based policy allows the ecs:TagResource action`,
    });
    await expect(create('untagged', [])).resolves.toBeDefined();
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'creator',
        PolicyName: 'tag-on-create',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*', Condition: { StringEquals: { 'ecs:CreateAction': 'CreateService' } } }),
      }),
    );
    // The role's current policies apply to existing sessions at once.
    await expect(create('tagged')).resolves.toMatchObject({ service: { serviceName: 'tagged' } });
    // ecs:CreateAction is set only while creating: a later TagResource is not covered.
    await expect(client.send(new TagResourceCommand({ resourceArn: serviceArn('tagged'), tags: [{ key: 'team', value: 'x' }] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('needs iam:PassRole to launch a task with a task role', async () => {
    await role('runner', doc({ Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' }));
    const client = as(ECSClient, await assume('runner'));
    await expect(client.send(new RunTaskCommand({ cluster: 'lab', taskDefinition: 'privileged' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`iam:PassRole on resource: arn:aws:iam::${ACCOUNT}:role/lab-task-admin`),
    });
  });

  it('answers EC2 denials with UnauthorizedOperation and IAM denials with AccessDenied', async () => {
    const creds = await assume('dev-deployer');
    await expect(as(EC2Client, creds).send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      name: 'UnauthorizedOperation',
      message: expect.stringMatching(
        new RegExp(
          `^You are not authorized to perform this operation\\. User: arn:aws:sts::${ACCOUNT}:assumed-role/dev-deployer/alice is not authorized to perform: ec2:DescribeVpcs because no identity-based policy allows the ec2:DescribeVpcs action\\. Encoded authorization failure message: [A-Za-z0-9+/]{256}$`,
        ),
      ),
      $metadata: { httpStatusCode: 403 },
    });
    await expect(as(IAMClient, creds).send(new ListRolesCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/dev-deployer/alice is not authorized to perform: iam:ListRoles on resource: * because no identity-based policy allows the iam:ListRoles action`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('reads ec2:ResourceTag, EC2\'s own name for the resource\'s tags, as aws:ResourceTag', async () => {
    const ec2 = new EC2Client(clientConfig(sandbox.url, ACCOUNT));
    const group = async (env: string) =>
      (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `tagged-${env}`, Description: env, TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'environment', Value: env }] }] }))).GroupId!;
    const [dev, prod] = [await group('dev'), await group('prod')];
    ec2.destroy();
    await role('ec2-key-editor', doc({ Effect: 'Allow', Action: 'ec2:AuthorizeSecurityGroupIngress', Resource: '*', Condition: { StringEquals: { 'ec2:ResourceTag/environment': 'dev' } } }));
    const client = as(EC2Client, await assume('ec2-key-editor'));
    const open = (GroupId: string) => client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] }));
    await expect(open(dev)).resolves.toMatchObject({ Return: true });
    await expect(open(prod)).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  });

  it('decodes an EC2 denial for a caller allowed sts:DecodeAuthorizationMessage, in the denied account only', async () => {
    await role(
      'ec2-dev',
      doc(
        { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
        { Sid: 'NoProdVpcs', Effect: 'Deny', Action: 'ec2:DescribeVpcs', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
      ),
    );
    const denied = await as(EC2Client, await assume('ec2-dev', 'bob'))
      .send(new DescribeVpcsCommand({}))
      .catch((e: Error) => e);
    const token = /Encoded authorization failure message: (\S+)$/.exec((denied as Error).message)?.[1];
    expect(token).toBeDefined();
    // The caller's own role may not decode it: that needs sts:DecodeAuthorizationMessage.
    await expect(as(STSClient, await assume('ec2-dev', 'bob')).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: token }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('sts:DecodeAuthorizationMessage'),
    });
    await role('decoder', doc({ Effect: 'Allow', Action: 'sts:DecodeAuthorizationMessage', Resource: '*' }));
    const decoded = JSON.parse((await as(STSClient, await assume('decoder')).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: token }))).DecodedMessage!) as { context: { conditions: { items: unknown[] } } };
    expect(decoded).toMatchObject({
      allowed: false,
      explicitDeny: true,
      matchedStatements: { items: [{ statementId: 'NoProdVpcs', effect: 'DENY', actions: { items: [{ value: 'ec2:DescribeVpcs' }] }, conditions: { items: [{ key: 'StringEquals:aws:RequestedRegion', values: { items: [{ value: 'us-east-1' }] } }] } }] },
      context: { principal: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ec2-dev/bob` }, action: 'ec2:DescribeVpcs', resource: '*' },
    });
    expect(decoded.context.conditions.items).toEqual(expect.arrayContaining([{ key: 'aws:RequestedRegion', values: { items: [{ value: 'us-east-1' }] } }]));
    // Another account's root cannot read it, and a made-up token is refused.
    const other = new STSClient(clientConfig(sandbox.url, '444455556666'));
    await expect(other.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: token }))).rejects.toMatchObject({ name: 'InvalidAuthorizationMessageException', $metadata: { httpStatusCode: 400 } });
    await expect(sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'not-a-token' }))).rejects.toMatchObject({ name: 'InvalidAuthorizationMessageException' });
    other.destroy();
  });

  it('caps a role with its permissions boundary', async () => {
    const boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'describe-only', PolicyDocument: doc({ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }) }))).Policy!.Arn!;
    await role('bounded', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), { boundary });
    const client = as(ECSClient, await assume('bounded'));
    await expect(client.send(new DescribeClustersCommand({ clusters: ['lab'] }))).resolves.toBeDefined();
    await expect(client.send(new ListClustersCommand({}))).rejects.toMatchObject({ message: expect.stringContaining('because no permissions boundary allows the ecs:ListClusters action') });
  });

  it('authorises iam:CreateServiceLinkedRole on the role it creates, with iam:AWSServiceName', async () => {
    const onlyScaling = doc({
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/*`,
      Condition: { StringEquals: { 'iam:AWSServiceName': 'ecs.application-autoscaling.amazonaws.com' } },
    });
    await role('slr-maker', onlyScaling);
    const client = as(IAMClient, await assume('slr-maker'));
    await expect(client.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'denied' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(`iam:CreateServiceLinkedRole on resource: arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_denied`),
    });
    const made = await client.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.application-autoscaling.amazonaws.com' }));
    expect(made.Role!.RoleName).toBe('AWSServiceRoleForApplicationAutoScaling_ECSService');
  });

  it('denies everything once the role is gone', async () => {
    await role('temporary', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }));
    const client = as(ECSClient, await assume('temporary'));
    await expect(client.send(new ListClustersCommand({}))).resolves.toBeDefined();
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'temporary', PolicyName: 'main' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'temporary' }));
    await expect(client.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('lets a session assume a role only as its identity policy and the trust policy allow', async () => {
    // dev-deployer has no sts:AssumeRole, and `vendor` trusts the account only.
    const devSts = as(STSClient, await assume('dev-deployer'));
    await expect(devSts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/long`, RoleSessionName: 'xx' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('is not authorized to perform: sts:AssumeRole on resource'),
    });
    // A trust policy naming the session's role lets it in without an identity allow.
    const trust = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/dev-deployer` }, Action: 'sts:AssumeRole' });
    await role('named-trust', doc({ Effect: 'Allow', Action: 'ecs:List*', Resource: '*' }), { trust });
    await expect(devSts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/named-trust`, RoleSessionName: 'xx' }))).resolves.toBeDefined();
  });
});

describe('sessions under --auth sigv4', () => {
  it('assumes a role with an issued key and signs as the session', async () => {
    const strict = await startSandbox({ port: 0, auth: 'sigv4' });
    try {
      const key = issueKey(strict);
      const config = { endpoint: strict.url, region: 'us-east-1', maxAttempts: 1 };
      const rootIam = new IAMClient({ ...config, credentials: key });
      await rootIam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: key.account }, Action: 'sts:AssumeRole' }) }));
      await rootIam.send(new PutRolePolicyCommand({ RoleName: 'ops', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }) }));
      const out = await new STSClient({ ...config, credentials: key }).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${key.account}:role/ops`, RoleSessionName: 'bot' }));
      const c = out.Credentials!;
      const who = await new STSClient({ ...config, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe(`arn:aws:sts::${key.account}:assumed-role/ops/bot`);
      rootIam.destroy();
    } finally {
      await strict.close();
    }
  });
});
