/**
 * Bad input and fuzzing. Whatever arrives — malformed JSON or form bodies, wrong content types,
 * unknown targets and actions, missing or wrongly typed members, huge numbers, deep nesting,
 * invalid UTF-8, truncated or oversized bodies, bytes that are not HTTP — the sandbox answers with
 * a well-formed AWS error of the request's protocol carrying an x-amzn-RequestId, never a 500, a
 * crash or a hang, and keeps serving. The fuzz test then sends 10,000 seeded mutations of valid
 * requests of every service and checks that each answer is a parsable AWS success or error, that
 * no answer is an internal failure, and that state made before the fuzzing is untouched.
 */
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeFlowLogsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListAccountSettingsCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  PutAccountSettingCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetBucketPolicyCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from './index.js';
import { SERVICES } from './services/index.js';
import type { AwsAnswer } from './test-fixtures/aws-wire.js';
import { MalformedAnswer, classifyAnswer } from './test-fixtures/aws-wire.js';
import type { MutationKind, RawRequest } from './test-fixtures/fuzz-mutations.js';
import { Mutator, mulberry32 } from './test-fixtures/fuzz-mutations.js';
import { clientConfig, fakeAuth, startTestSandbox } from './test-helpers.js';

let sandbox: RunningSandbox;
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

/** Sends a raw request and classifies the answer (throws MalformedAnswer when it is not AWS-shaped). */
async function send(req: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }, timeoutMs = 10_000): Promise<AwsAnswer & { body: string }> {
  const res = await fetch(`${sandbox.url}${req.path ?? '/'}`, {
    method: req.method ?? 'POST',
    headers: req.headers,
    body: req.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.text();
  return { ...classifyAnswer(res.status, res.headers, body), body };
}

const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113';
const json = (op: string, service = 'ecs', prefix = ECS_TARGET) => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `${prefix}.${op}`,
  authorization: fakeAuth(service, '000000000077'),
});
const form = (service: string) => ({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: fakeAuth(service, '000000000077') });

async function stillServes(): Promise<void> {
  const ok = await send({ headers: json('ListClusters'), body: '{}' });
  expect(ok).toMatchObject({ status: 200, code: undefined });
  const xml = await send({ headers: form('ec2'), body: 'Action=DescribeVpcs&Version=2016-11-15' });
  expect(xml).toMatchObject({ status: 200, protocol: 'ec2', code: undefined });
}

describe('bad input gets a well-formed AWS error of its protocol', () => {
  it.each([
    ['malformed JSON', '{"clusters": ["a"', 'DescribeClusters'],
    ['a JSON array', '[1, 2]', 'ListClusters'],
    ['a JSON string', '"lab"', 'ListClusters'],
    ['JSON null', 'null', 'ListClusters'],
    ['a list member sent as a string', '{"clusters":"lab"}', 'DescribeClusters'],
    ['a number sent as a string', '{"maxResults":"10"}', 'ListClusters'],
    ['a string list with a number', '{"include":[1]}', 'DescribeClusters'],
    ['a structure sent as a list', '{"networkConfiguration":[]}', 'RunTask'],
    ['a number too large for a double', '{"maxResults": 1e400}', 'ListClusters'],

    ['deep nesting inside a member', `{"clusters": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`, 'DescribeClusters'],
  ])('awsJson: %s -> SerializationException', async (_label, body, op) => {
    const res = await send({ headers: json(op), body });
    expect(res).toMatchObject({ protocol: 'json', status: 400, code: 'SerializationException' });
  });

  it('awsJson: timestamps that are no dates -> SerializationException', async () => {
    for (const start of ['"someday"', '1e400', '"9999999999999999999"', 'true']) {
      const res = await send({ headers: json('LookupEvents', 'cloudtrail', 'CloudTrail_20131101'), body: `{"StartTime": ${start}}` });
      expect(res).toMatchObject({ protocol: 'json', status: 400, code: 'SerializationException' });
    }
  });

  it('awsJson: unknown and malformed targets -> UnknownOperationException', async () => {
    for (const target of [`${ECS_TARGET}.StealEverything`, `${ECS_TARGET}.`, 'NoSuchService_2020.Op', `${ECS_TARGET}.__proto__`, `${ECS_TARGET}.constructor`, 'x'.repeat(4000)]) {
      const res = await send({ headers: { ...json('x'), 'x-amz-target': target }, body: '{}' });
      expect(res).toMatchObject({ protocol: 'json', status: 400, code: 'UnknownOperationException' });
    }
    const missing = await send({ headers: { 'content-type': 'application/x-amz-json-1.1', authorization: fakeAuth('ecs') }, body: '{}' });
    expect(missing).toMatchObject({ protocol: 'json', code: 'UnknownOperationException' });
  });

  it('awsJson: missing required members -> the service\'s validation error', async () => {
    expect(await send({ headers: json('DescribeServices'), body: '{}' })).toMatchObject({ status: 400, code: 'InvalidParameterException' });
    expect(await send({ headers: json('GetSecretValue', 'secretsmanager', 'secretsmanager'), body: '{}' })).toMatchObject({ protocol: 'json', status: 400 });
    expect(await send({ headers: json('GetParameter', 'ssm', 'AmazonSSM'), body: '{}' })).toMatchObject({ protocol: 'json', status: 400 });
  });

  it('awsJson: wrong content type, invalid UTF-8 and garbage bytes', async () => {
    const plain = await send({ headers: { ...json('ListClusters'), 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(200);
    const utf8 = await send({ headers: json('DescribeClusters'), body: Buffer.concat([Buffer.from('{"clusters":["'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"]}')]) });
    expect(utf8.protocol).toBe('json');
    const garbage = await send({ headers: json('ListClusters'), body: Buffer.from([0x00, 0xff, 0x7b, 0x80, 0x22]) });
    expect(garbage).toMatchObject({ protocol: 'json', status: 400, code: 'SerializationException' });
    const formToJson = await send({ headers: { ...form('ecs') }, body: 'Action=ListClusters' });
    expect(formToJson).toMatchObject({ protocol: 'json', status: 400 });
    await stillServes();
  });

  it('awsQuery: unknown action, missing action, missing and mistyped parameters', async () => {
    expect(await send({ headers: form('iam'), body: 'Action=LaunchMissiles&Version=2010-05-08' })).toMatchObject({ protocol: 'query', status: 400, code: 'InvalidAction' });
    expect(await send({ headers: form('iam'), body: 'Action=constructor&Version=2010-05-08' })).toMatchObject({ protocol: 'query', status: 400, code: 'InvalidAction' });
    expect(await send({ headers: form('iam'), body: 'Version=2010-05-08' })).toMatchObject({ protocol: 'query', status: 400, code: 'MissingAction' });
    expect(await send({ headers: form('iam'), body: 'Action=GetRole&Version=2010-05-08' })).toMatchObject({ protocol: 'query', status: 400, code: 'ValidationError' });
    expect(await send({ headers: form('iam'), body: 'Action=ListRoles&Version=2010-05-08&MaxItems=lots' })).toMatchObject({ protocol: 'query', status: 400, code: 'ValidationError' });
    expect(await send({ headers: form('iam'), body: 'Action=ListRoles&Version=2010-05-08&MaxItems=1e400' })).toMatchObject({ protocol: 'query', status: 400, code: 'ValidationError' });
    expect(await send({ headers: form('sts'), body: 'Action=AssumeRole&Version=2011-06-15' })).toMatchObject({ protocol: 'query', status: 400, code: 'ValidationError' });
    expect(await send({ headers: form('autoscaling'), body: 'Action=CreateAutoScalingGroup&Version=2011-01-01' })).toMatchObject({ protocol: 'query', status: 400 });
  });

  it('awsQuery and ec2Query: malformed form bodies, truncated, with invalid UTF-8, deeply nested keys', async () => {
    for (const body of ['%%%&&&==', 'Action=DescribeVp', 'Action=%FF%FE&Version=2016-11-15', `Action=DescribeVpcs&Version=2016-11-15&${'Filter.'.repeat(5000)}1=x`, '&&&&&&&&']) {
      const res = await send({ headers: form('ec2'), body });
      expect(res.protocol).toBe('ec2');
      if (res.status !== 200) expect(res.code).toMatch(/^(InvalidAction|MissingAction|InvalidParameterValue)$/);
    }
    const iam = await send({ headers: form('iam'), body: `Action=CreateRole&Version=2010-05-08&RoleName=x&AssumeRolePolicyDocument=%7B&${'Tags.member.1.'.repeat(3000)}Key=k` });
    expect(iam).toMatchObject({ protocol: 'query', status: 400 });
    await stillServes();
  });

  it('ec2Query: unknown action, missing required parameter, mistyped values, DryRun', async () => {
    expect(await send({ headers: form('ec2'), body: 'Action=LaunchMissiles&Version=2016-11-15' })).toMatchObject({ protocol: 'ec2', status: 400, code: 'InvalidAction' });
    expect(await send({ headers: form('ec2'), body: 'Action=DeleteVpc&Version=2016-11-15' })).toMatchObject({ protocol: 'ec2', status: 400, code: 'MissingParameter' });
    expect(await send({ headers: form('ec2'), body: 'Action=DescribeVpcs&Version=2016-11-15&MaxResults=lots' })).toMatchObject({ protocol: 'ec2', status: 400, code: 'InvalidParameterValue' });
    expect(await send({ headers: form('ec2'), body: 'Action=DescribeVpcs&Version=2016-11-15&DryRun=maybe' })).toMatchObject({ protocol: 'ec2', status: 400, code: 'InvalidParameterValue' });
    expect(await send({ headers: form('ec2'), body: 'Action=DescribeVpcs&Version=2016-11-15&DryRun=true' })).toMatchObject({ protocol: 'ec2', code: 'DryRunOperation' });
  });

  it('answers names that are Object.prototype members as plain names', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await send({ headers: json('DescribeClusters'), body: JSON.stringify({ clusters: [name] }) })).toMatchObject({ status: 200 });
      expect(await send({ headers: json('DescribeTaskDefinition'), body: JSON.stringify({ taskDefinition: name }) })).toMatchObject({ status: 400, code: 'ClientException' });
      expect(await send({ headers: json('PutAccountSetting'), body: JSON.stringify({ name, value: 'enabled' }) })).toMatchObject({ status: 400, code: 'InvalidParameterException' });
      expect(await send({ headers: json('PutAccountSetting'), body: JSON.stringify({ name: 'containerInsights', value: 'enabled', principalArn: name }) })).toMatchObject({ status: 200 });
      expect(await send({ headers: form('iam'), body: `Action=GetRole&Version=2010-05-08&RoleName=${name}` })).toMatchObject({ status: 404, code: 'NoSuchEntity' });
      expect(await send({ headers: form('ec2'), body: `Action=CreateSubnet&Version=2016-11-15&VpcId=${name}&CidrBlock=10.0.0.0/24` })).toMatchObject({ status: 400, code: 'InvalidVpcID.NotFound' });
      expect(await send({ headers: form('sts'), body: `Action=AssumeRole&Version=2011-06-15&RoleSessionName=sess&RoleArn=arn:aws:iam::000000000077:role/${name}` })).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(await send({ headers: json('GetParameter', 'ssm', 'AmazonSSM'), body: JSON.stringify({ Name: name }) })).toMatchObject({ status: 400, code: 'ParameterNotFound' });
      expect(await send({ headers: json('GetSecretValue', 'secretsmanager', 'secretsmanager'), body: JSON.stringify({ SecretId: name }) })).toMatchObject({ status: 400, code: 'ResourceNotFoundException' });
      expect(await send({ headers: json('PutRetentionPolicy', 'logs', 'Logs_20140328'), body: JSON.stringify({ logGroupName: name, retentionInDays: 7 }) })).toMatchObject({ status: 400, code: 'ResourceNotFoundException' });
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });

  it('matches pathological EC2 filter patterns in linear time', async () => {
    const started = Date.now();
    const description = 'a'.repeat(255);
    await send({ headers: form('ec2'), body: `Action=CreateSecurityGroup&Version=2016-11-15&GroupName=long&GroupDescription=${description}` });
    const pattern = `${'*a'.repeat(40)}*b`;
    const res = await send({ headers: form('ec2'), body: `Action=DescribeSecurityGroups&Version=2016-11-15&Filter.1.Name=description&Filter.1.Value.1=${encodeURIComponent(pattern)}` }, 5_000);
    expect(res).toMatchObject({ status: 200, protocol: 'ec2' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers an oversized body with 413 in the request\'s protocol and keeps the connection usable', async () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
    expect(await send({ headers: json('ListClusters'), body: big }, 30_000)).toMatchObject({ protocol: 'json', status: 413, code: 'RequestEntityTooLarge' });
    expect(await send({ headers: form('ec2'), body: big }, 30_000)).toMatchObject({ protocol: 'ec2', status: 413, code: 'RequestEntityTooLarge' });
    expect(await send({ headers: form('iam'), body: big }, 30_000)).toMatchObject({ protocol: 'query', status: 413, code: 'RequestEntityTooLarge' });
    await stillServes();
  });

  it('refuses unattributable requests and bytes that are not HTTP, with a request id', async () => {
    // Unsigned and matching no other protocol, a request is S3's (anonymous): refused, with a request id.
    const anonymous = await send({ method: 'GET', path: '/' });
    expect(anonymous.status).toBe(403);
    expect(anonymous.requestId).toMatch(/.+/);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(sandbox.port, '127.0.0.1', () => socket.end('GARBAGE / NOT-HTTP\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.setTimeout(5_000, () => reject(new Error('no answer to garbage')));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw.toLowerCase()).toContain('x-amzn-requestid:');
    // A body cut short by a client that hangs up: the server notices and goes on.
    await new Promise<void>((resolve) => {
      const socket = connect(sandbox.port, '127.0.0.1', () => {
        socket.end(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: ${ECS_TARGET}.ListClusters\r\nContent-Length: 100\r\n\r\n{"maxRes`);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    await stillServes();
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzzing

const FUZZ_ACCOUNT = '222222222222';
const PROTECTED_ACCOUNT = '111111111111';
const FUZZ_REQUESTS = 10_000;
const CONCURRENCY = 8;
const SEED = 0x5eed_2026;

interface Clients {
  ecs: ECSClient;
  ec2: EC2Client;
  iam: IAMClient;
  sts: STSClient;
  trail: CloudTrailClient;
  secrets: SecretsManagerClient;
  ssm: SSMClient;
  logs: CloudWatchLogsClient;
  s3: S3Client;
  asg: AutoScalingClient;
}

function clients(account: string, capture?: RawRequest[]): Clients {
  const cfg = clientConfig(sandbox.url, account);
  const all: Clients = {
    ecs: new ECSClient(cfg),
    ec2: new EC2Client(cfg),
    iam: new IAMClient(cfg),
    sts: new STSClient(cfg),
    trail: new CloudTrailClient(cfg),
    secrets: new SecretsManagerClient(cfg),
    ssm: new SSMClient(cfg),
    logs: new CloudWatchLogsClient(cfg),
    s3: new S3Client({ ...cfg, forcePathStyle: true }),
    asg: new AutoScalingClient(cfg),
  };
  if (capture) {
    for (const client of Object.values(all) as { middlewareStack: ECSClient['middlewareStack'] }[]) {
      client.middlewareStack.add(
        (next) => async (args) => {
          const req = args.request as { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown };
          const query = new URLSearchParams();
          for (const [k, v] of Object.entries(req.query ?? {})) for (const item of Array.isArray(v) ? v : [v]) query.append(k, item ?? '');
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'transfer-encoding', 'expect'].includes(k.toLowerCase())));
          const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body instanceof Uint8Array ? Buffer.from(req.body) : Buffer.alloc(0);
          capture.push({ method: req.method, path: `${req.path}${query.size > 0 ? `?${query}` : ''}`, headers, body });
          return next(args);
        },
        { step: 'deserialize', name: 'captureRawRequest' },
      );
    }
  }
  return all;
}

function destroy(c: Clients): void {
  for (const client of Object.values(c) as { destroy(): void }[]) client.destroy();
}

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const TRUST_ACCOUNT = (account: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] });
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] });

/**
 * A started scenario's worth of state (network, cluster, task definition, service, roles, secret,
 * parameter, log group, bucket, trail, Auto Scaling group) — and, with `capture`, the raw requests
 * of a broad set of valid calls of every service, as fuzz templates. Failures are tolerated: a
 * template is a template whatever the answer.
 */
async function provision(c: Clients, account: string, name: string): Promise<void> {
  const attempt = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch {
      return undefined;
    }
  };
  const vpc = await c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }] }));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnetA = await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24', AvailabilityZone: 'us-east-1a' }));
  const subnetB = await c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.2.0/24', AvailabilityZone: 'us-east-1b' }));
  const subnets = [subnetA.Subnet!.SubnetId!, subnetB.Subnet!.SubnetId!];
  const sg = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-web`, Description: 'web', VpcId: vpcId }));
  await c.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
  );
  await attempt(() => c.ec2.send(new CreateTagsCommand({ Resources: [sg.GroupId!], Tags: [{ Key: 'team', Value: 'blue' }] })));
  await attempt(() => c.ec2.send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogGroupName: `${name}-flows`, DeliverLogsPermissionArn: `arn:aws:iam::${account}:role/flows` })));
  await attempt(() => c.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `${name}-hosts`, LaunchTemplateData: { InstanceType: 't3.micro', ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' } })));
  await c.iam.send(new CreateRoleCommand({ RoleName: `${name}-task`, AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }));
  await c.iam.send(new CreateRoleCommand({ RoleName: `${name}-admin`, AssumeRolePolicyDocument: TRUST_ACCOUNT(account) }));
  await c.iam.send(new PutRolePolicyCommand({ RoleName: `${name}-task`, PolicyName: 'read', PolicyDocument: POLICY }));
  const policy = await c.iam.send(new CreatePolicyCommand({ PolicyName: `${name}-read`, PolicyDocument: POLICY }));
  await c.iam.send(new AttachRolePolicyCommand({ RoleName: `${name}-task`, PolicyArn: policy.Policy!.Arn }));
  await attempt(() => c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `${name}-hosts` })));
  await attempt(() => c.iam.send(new TagRoleCommand({ RoleName: `${name}-task`, Tags: [{ Key: 'team', Value: 'blue' }] })));
  await c.ecs.send(new CreateClusterCommand({ clusterName: `${name}-prod`, tags: [{ key: 'ecs-lab:managed', value: 'true' }] }));
  const td = await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${name}-web`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      taskRoleArn: `arn:aws:iam::${account}:role/${name}-task`,
      executionRoleArn: `arn:aws:iam::${account}:role/${name}-task`,
      containerDefinitions: [
        {
          name: 'app',
          image: 'nginx',
          portMappings: [{ containerPort: 80 }],
          secrets: [{ name: 'DB', valueFrom: `arn:aws:secretsmanager:us-east-1:${account}:secret:${name}-db` }],
          environment: [{ name: 'MODE', value: 'lab' }],
        },
      ],
    }),
  );
  const network = { awsvpcConfiguration: { subnets, securityGroups: [sg.GroupId!] } };
  await c.ecs.send(new CreateServiceCommand({ cluster: `${name}-prod`, serviceName: 'web', taskDefinition: td.taskDefinition!.taskDefinitionArn, desiredCount: 2, launchType: 'FARGATE', networkConfiguration: network }));
  await attempt(() => c.secrets.send(new CreateSecretCommand({ Name: `${name}-db`, SecretString: 'hunter2', Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] })));
  await attempt(() => c.ssm.send(new PutParameterCommand({ Name: `/${name}/api-key`, Value: 'k', Type: 'SecureString' })));
  await attempt(() => c.logs.send(new CreateLogGroupCommand({ logGroupName: `/ecs/${name}` })));
  await attempt(() => c.logs.send(new PutRetentionPolicyCommand({ logGroupName: `/ecs/${name}`, retentionInDays: 7 })));
  await attempt(() => c.s3.send(new CreateBucketCommand({ Bucket: `${name}-trail-${account}` })));
  await attempt(() => c.s3.send(new PutObjectCommand({ Bucket: `${name}-trail-${account}`, Key: 'a/b.txt', Body: 'hello' })));
  await attempt(() =>
    c.s3.send(
      new PutBucketPolicyCommand({
        Bucket: `${name}-trail-${account}`,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${name}-trail-${account}` },
            { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${name}-trail-${account}/*` },
          ],
        }),
      }),
    ),
  );
  await attempt(() => c.trail.send(new CreateTrailCommand({ Name: `${name}-trail`, S3BucketName: `${name}-trail-${account}` })));
  await attempt(() =>
    c.asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: `${name}-hosts`, MinSize: 0, MaxSize: 2, DesiredCapacity: 1, LaunchTemplate: { LaunchTemplateName: `${name}-hosts` }, VPCZoneIdentifier: subnets.join(',') })),
  );
}

/** More valid calls, recorded only as fuzz templates (reads, updates, tags, tasks). */
async function moreTemplates(c: Clients, account: string, name: string): Promise<void> {
  const calls: (() => Promise<unknown>)[] = [
    () => c.ecs.send(new ListClustersCommand({})),
    () => c.ecs.send(new DescribeClustersCommand({ clusters: [`${name}-prod`], include: ['TAGS', 'SETTINGS'] })),
    () => c.ecs.send(new DescribeServicesCommand({ cluster: `${name}-prod`, services: ['web'], include: ['TAGS'] })),
    () => c.ecs.send(new ListServicesCommand({ cluster: `${name}-prod` })),
    () => c.ecs.send(new UpdateServiceCommand({ cluster: `${name}-prod`, service: 'web', desiredCount: 3, forceNewDeployment: true })),
    () => c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${name}-web`, include: ['TAGS'] })),
    () => c.ecs.send(new ListTasksCommand({ cluster: `${name}-prod`, desiredStatus: 'RUNNING' })),
    () => c.ecs.send(new TagResourceCommand({ resourceArn: `arn:aws:ecs:us-east-1:${account}:cluster/${name}-prod`, tags: [{ key: 'team', value: 'red' }] })),
    () => c.ecs.send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:ecs:us-east-1:${account}:cluster/${name}-prod` })),
    () => c.ecs.send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'enabled' })),
    () => c.ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true })),
    () => c.ecs.send(new CreateCapacityProviderCommand({ name: `${name}-cp`, autoScalingGroupProvider: { autoScalingGroupArn: `arn:aws:autoscaling:us-east-1:${account}:autoScalingGroup:1:autoScalingGroupName/x` } })),
    () =>
      c.ecs.send(
        new RunTaskCommand({ cluster: `${name}-prod`, taskDefinition: `${name}-web`, launchType: 'FARGATE', count: 1, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-00000000000000000'] } } }),
      ),
    () => c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:ecs-lab:managed', Values: ['true'] }] })),
    () => c.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-0'] }, { Name: 'default-for-az', Values: ['true', 'false'] }] })),
    () => c.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [`${name}-*`] }] })),
    () => c.ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 50 })),
    () => c.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupName: 'default', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })),
    () => c.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }] })),
    () => c.ec2.send(new DescribeFlowLogsCommand({})),
    () => c.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: `${name}-hosts`, Versions: ['$Latest'], ResolveAlias: true })),
    () => c.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro'] })),
    () => c.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-ecs-*'] }] })),
    () => c.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: `${name}-hosts` } })),
    () => c.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] })),
    () => c.iam.send(new GetRoleCommand({ RoleName: `${name}-task` })),
    () => c.iam.send(new ListRolesCommand({ MaxItems: 2 })),
    () => c.iam.send(new GetRolePolicyCommand({ RoleName: `${name}-task`, PolicyName: 'read' })),
    () => c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: `${name}-task` })),
    () => c.sts.send(new GetCallerIdentityCommand({})),
    () => c.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${name}-admin`, RoleSessionName: 'fuzz' })),
    () => c.secrets.send(new GetSecretValueCommand({ SecretId: `${name}-db` })),
    () => c.secrets.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [name] }] })),
    () => c.ssm.send(new GetParameterCommand({ Name: `/${name}/api-key`, WithDecryption: true })),
    () => c.ssm.send(new GetParametersByPathCommand({ Path: `/${name}`, Recursive: true })),
    () => c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' })),
    () => c.s3.send(new ListObjectsV2Command({ Bucket: `${name}-trail-${account}`, Prefix: 'a/' })),
    () => c.s3.send(new GetBucketPolicyCommand({ Bucket: `${name}-trail-${account}` })),
    () => c.trail.send(new DescribeTrailsCommand({})),
    () => c.trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateCluster' }], MaxResults: 5 })),
    () => c.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`${name}-hosts`] })),
  ];
  for (const call of calls) await call().catch(() => undefined);
}

/** What the protected account looks like, read through the API (request metadata stripped). */
async function snapshot(c: Clients, account: string, name: string): Promise<unknown> {
  const strip = (value: unknown) => JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === '$metadata' ? undefined : v))) as unknown;
  const read = async (call: () => Promise<unknown>) => strip(await call().catch((e: Error) => `error ${e.name}`));
  const vpcs = (await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:ecs-lab:managed', Values: ['true'] }] }))).Vpcs ?? [];
  const vpcId = vpcs[0]?.VpcId ?? 'none';
  return {
    vpcs: strip(vpcs),
    subnets: await read(() => c.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))),
    groups: await read(() => c.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))),
    rules: await read(() => c.ec2.send(new DescribeSecurityGroupRulesCommand({}))),
    flowLogs: await read(() => c.ec2.send(new DescribeFlowLogsCommand({}))),
    clusters: await read(() => c.ecs.send(new DescribeClustersCommand({ clusters: [`${name}-prod`], include: ['TAGS', 'SETTINGS'] }))),
    services: await read(() => c.ecs.send(new DescribeServicesCommand({ cluster: `${name}-prod`, services: ['web'], include: ['TAGS'] }))),
    tasks: await read(() => c.ecs.send(new ListTasksCommand({ cluster: `${name}-prod` }))),
    taskDefinition: await read(() => c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${name}-web`, include: ['TAGS'] }))),
    role: await read(() => c.iam.send(new GetRoleCommand({ RoleName: `${name}-task` }))),
    inline: await read(() => c.iam.send(new GetRolePolicyCommand({ RoleName: `${name}-task`, PolicyName: 'read' }))),
    attached: await read(() => c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: `${name}-task` }))),
    secret: await read(() => c.secrets.send(new DescribeSecretCommand({ SecretId: `${name}-db` }))),
    parameter: await read(() => c.ssm.send(new GetParameterCommand({ Name: `/${name}/api-key`, WithDecryption: true }))),
    logGroups: await read(() => c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' }))),
    objects: await read(() => c.s3.send(new ListObjectsV2Command({ Bucket: `${name}-trail-${account}` }))),
    bucketPolicy: await read(() => c.s3.send(new GetBucketPolicyCommand({ Bucket: `${name}-trail-${account}` }))),
    trails: await read(() => c.trail.send(new DescribeTrailsCommand({}))),
    groupsAsg: await read(() => c.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`${name}-hosts`] }))),
  };
}

function headAnswer(res: { status: number; headers: Headers }): AwsAnswer {
  const requestId = res.headers.get('x-amzn-requestid');
  if (!requestId || res.status < 200 || res.status > 599) throw new MalformedAnswer(`HEAD answer ${res.status} without a request id`);
  return { protocol: 'xml', code: res.status >= 300 ? `HTTP ${res.status}` : undefined, status: res.status, requestId };
}

/** A raw exchange over a keep-alive agent (lighter than fetch: client and server share the CPU here). */
function exchange(agent: Agent, port: number, req: RawRequest, timeoutMs: number): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers, 'content-length': req.body.length };
    // The request line must stay HTTP (not-HTTP bytes have their own test): escape what it cannot carry.
    const path = (req.path.startsWith('/') ? req.path : `/${req.path}`).replace(/[^\x21-\x7e]/gu, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
    const call = httpRequest({ host: '127.0.0.1', port, method: req.method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    call.setTimeout(timeoutMs, () => call.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
    call.on('error', reject);
    call.end(req.body);
  });
}

/** Fuzz outcome counters. */
interface Tally {
  sent: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  codes: Record<string, number>;
  malformed: string[];
  internal: string[];
  hung: string[];
  /** The slowest requests, for the summary. */
  slowest: { ms: number; label: string }[];
}

describe('fuzzing with mutated requests of every service', () => {
  it(`answers ${FUZZ_REQUESTS} seeded mutations with well-formed AWS answers, no 500s, and leaves other state intact`, async () => {
    const fuzzStarted = performance.now();
    // State that no fuzz request is signed for.
    const guarded = clients(PROTECTED_ACCOUNT);
    await provision(guarded, PROTECTED_ACCOUNT, 'kept');
    const before = await snapshot(guarded, PROTECTED_ACCOUNT, 'kept');

    // Templates: every valid request made while building the same state in the fuzz account.
    const templates: RawRequest[] = [];
    const fuzzed = clients(FUZZ_ACCOUNT, templates);
    await provision(fuzzed, FUZZ_ACCOUNT, 'fuzz');
    await moreTemplates(fuzzed, FUZZ_ACCOUNT, 'fuzz');
    const targets = new Set(templates.map((t) => t.headers['x-amz-target'] ?? new URLSearchParams(t.body.toString()).get('Action') ?? `${t.method} s3`));
    expect(templates.length).toBeGreaterThan(60);
    expect(targets.size).toBeGreaterThan(50);

    const provisionedMs = performance.now() - fuzzStarted;
    const operations = [...new Set(SERVICES.flatMap((s) => Object.keys(s.handlers)))];
    const random = mulberry32(SEED);
    const mutator = new Mutator(random, operations);
    const plan = Array.from({ length: FUZZ_REQUESTS }, () => mutator.mutate(templates[Math.floor(random() * templates.length)]!));

    const tally: Tally = { sent: 0, byStatus: {}, byKind: {}, codes: {}, malformed: [], internal: [], hung: [], slowest: [] };
    const deadline = Date.now() + 150_000;
    let next = 0;
    const label = (kind: MutationKind, r: RawRequest) => `${kind} ${r.method} ${r.path.slice(0, 80)} ${r.headers['x-amz-target'] ?? ''} ${r.body.toString('utf8').slice(0, 160)}`;
    const worker = async () => {
      while (next < plan.length && Date.now() < deadline) {
        const { kind, request } = plan[next++]!;
        tally.sent++;
        tally.byKind[kind] = (tally.byKind[kind] ?? 0) + 1;
        const started = performance.now();
        try {
          const res = await exchange(agent, sandbox.port, request, 15_000);
          const text = res.text;
          tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
          // A HEAD answer has no body: its status and request id are all there is to check.
          const answer = request.method === 'HEAD' ? headAnswer(res) : classifyAnswer(res.status, res.headers, text);
          if (answer.code) tally.codes[answer.code] = (tally.codes[answer.code] ?? 0) + 1;
          if (res.status === 500 || answer.code === 'InternalFailure') tally.internal.push(`${label(kind, request)} -> ${text.slice(0, 200)}`);
        } catch (error) {
          if (error instanceof MalformedAnswer) tally.malformed.push(`${label(kind, request)} -> ${error.message}`);
          else if ((error as Error).name === 'TimeoutError') tally.hung.push(label(kind, request));
          else tally.malformed.push(`${label(kind, request)} -> client error ${(error as Error).message}`);
        }
        const ms = performance.now() - started;
        if (tally.slowest.length < 5 || ms > tally.slowest[4]!.ms) {
          tally.slowest = [...tally.slowest, { ms: Math.round(ms), label: label(kind, request).slice(0, 160) }].sort((a, b) => b.ms - a.ms).slice(0, 5);
        }
      }
    };
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const sendStarted = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const sendMs = performance.now() - sendStarted;
    agent.destroy();

    console.log(
      `fuzz: ${tally.sent} requests from ${templates.length} templates (${targets.size} operations) in ${Math.round(sendMs / 1000)} s ` +
        `(set-up ${Math.round(provisionedMs / 1000)} s); statuses ${JSON.stringify(tally.byStatus)}; ` +
        `mutations ${JSON.stringify(tally.byKind)}; most frequent codes ${JSON.stringify(Object.entries(tally.codes).sort((a, b) => b[1] - a[1]).slice(0, 12))}; ` +
        `slowest ${JSON.stringify(tally.slowest)}`,
    );
    expect(tally.hung).toEqual([]);
    expect(tally.internal.slice(0, 20)).toEqual([]);
    expect(tally.malformed.slice(0, 10)).toEqual([]);
    expect(tally.sent).toBe(FUZZ_REQUESTS);
    // No request may reach Object.prototype (a `__proto__` key in a state map would).
    const polluted = Object.getOwnPropertyNames(Object.prototype).filter((k) => !prototypeKeys.includes(k));
    for (const key of polluted) delete (Object.prototype as Record<string, unknown>)[key];
    expect(polluted).toEqual([]);

    // The server still serves, the fuzzed account is still readable, the guarded one unchanged.
    await stillServes();
    const after = await snapshot(guarded, PROTECTED_ACCOUNT, 'kept');
    expect(after).toEqual(before);
    const reader = clients(FUZZ_ACCOUNT);
    const fuzzedNow = (await snapshot(reader, FUZZ_ACCOUNT, 'fuzz')) as Record<string, unknown>;
    expect(Object.keys(fuzzedNow)).toEqual(Object.keys(before as object));
    destroy(reader);
    destroy(guarded);
    destroy(fuzzed);
  }, 180_000);
});
