import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, rawRequest, startTestSandbox } from '../../test-helpers.js';

let sandbox: RunningSandbox;
let iam: IAMClient;
let sts: STSClient;
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '000000000000' } } }],
});
const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

beforeAll(async () => {
  sandbox = await startTestSandbox();
  // IAM is signed with the client's Region against custom endpoints; state must still be global.
  iam = new IAMClient(clientConfig(sandbox.url, 'test', 'eu-west-1'));
  sts = new STSClient(clientConfig(sandbox.url));
});
afterAll(async () => {
  iam.destroy();
  sts.destroy();
  await sandbox.close();
});

describe('IAM roles', () => {
  it('creates a role and returns its trust policy URL-encoded, as AWS does', async () => {
    const out = await iam.send(new CreateRoleCommand({ RoleName: 'lab-shared-task-role', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'ecs-lab:managed', Value: 'true' }] }));
    expect(out.Role?.Arn).toBe('arn:aws:iam::000000000000:role/lab-shared-task-role');
    expect(out.Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(out.Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(trust));
    const east = new IAMClient(clientConfig(sandbox.url, 'test', 'us-east-1'));
    const got = await east.send(new GetRoleCommand({ RoleName: 'lab-shared-task-role' }));
    expect(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(trust));
    east.destroy();
  });

  it('returns IAM errors with their query codes', async () => {
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'lab-shared-task-role', AssumeRolePolicyDocument: trust }))).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      $metadata: { httpStatusCode: 409 },
    });
    await expect(iam.send(new GetRoleCommand({ RoleName: 'ghost' }))).rejects.toMatchObject({ name: 'NoSuchEntityException', Code: 'NoSuchEntity' });
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{not json' }))).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'no doc' } as never))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('manages inline policies, tags and the trust policy', async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyName: 'everything', PolicyDocument: allowAll }));
    const listed = await iam.send(new ListRolePoliciesCommand({ RoleName: 'lab-shared-task-role' }));
    expect(listed.PolicyNames).toEqual(['everything']);
    const doc = await iam.send(new GetRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyName: 'everything' }));
    expect(decodeURIComponent(doc.PolicyDocument!)).toBe(allowAll);
    await iam.send(new TagRoleCommand({ RoleName: 'lab-shared-task-role', Tags: [{ Key: 'ecs-lab:scenario', Value: 'task-roles' }] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'lab-shared-task-role' }))).Tags).toHaveLength(2);
    // Paged as IAM pages: MaxItems, then Marker.
    const first = await iam.send(new ListRoleTagsCommand({ RoleName: 'lab-shared-task-role', MaxItems: 1 }));
    expect(first).toMatchObject({ Tags: [expect.any(Object)], IsTruncated: true });
    const rest = await iam.send(new ListRoleTagsCommand({ RoleName: 'lab-shared-task-role', Marker: first.Marker }));
    expect(rest.IsTruncated).toBe(false);
    expect([...first.Tags!, ...rest.Tags!].map((t) => t.Key)).toContain('ecs-lab:scenario');
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyDocument: trust }));
    await expect(iam.send(new GetRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyName: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('manages customer policies with versions and attachments', async () => {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'auth-read', PolicyDocument: allowAll }));
    const arn = created.Policy!.Arn!;
    const v2Doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:*:*:parameter/lab/auth/*' }] });
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v2Doc, SetAsDefault: true }));
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([['v2', true], ['v1', false]]);
    const v2 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    expect(decodeURIComponent(v2.PolicyVersion!.Document!)).toBe(v2Doc);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyArn: arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'lab-shared-task-role' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['auth-read', 'AmazonECSTaskExecutionRolePolicy']);
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyArn: 'arn:aws:iam::aws:policy/Nope' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('refuses to delete a role with policies, then deletes it', async () => {
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'lab-shared-task-role' }))).rejects.toMatchObject({ name: 'DeleteConflictException' });
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'lab-shared-task-role' }));
    for (const p of attached.AttachedPolicies!) await iam.send(new DetachRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyArn: p.PolicyArn }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'lab-shared-task-role', PolicyName: 'everything' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'lab-shared-task-role' }));
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
  });

  it('manages instance profiles', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'ecsInstanceRole', AssumeRolePolicyDocument: trust }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole', RoleName: 'ecsInstanceRole' }));
    const out = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'ecsInstanceRole' }));
    expect(out.InstanceProfile?.Roles?.[0]?.RoleName).toBe('ecsInstanceRole');
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'ecsInstanceRole' }))).rejects.toMatchObject({ name: 'DeleteConflictException' });
  });

  it('answers an unknown IAM action with InvalidAction in the query error shape', async () => {
    const res = await rawRequest(sandbox.url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=BecomeRoot&Version=2010-05-08' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>InvalidAction</Code>');
  });
});

describe('STS', () => {
  it('identifies the caller as the account root', async () => {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
  });

  it('assumes an existing role and acts as the assumed-role session', async () => {
    // The account root may assume a role only when its trust policy lets it (see sandbox/authz.test.ts).
    const trustAccount = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'lab-developer', AssumeRolePolicyDocument: trustAccount }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'lab-developer', PolicyName: 'describe', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] }) }));
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/lab-developer', RoleSessionName: 'alice' }));
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::000000000000:assumed-role/lab-developer/alice');
    const creds = out.Credentials!;
    const asDev = new STSClient({ ...clientConfig(sandbox.url), credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken } });
    const who = await asDev.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::000000000000:assumed-role/lab-developer/alice');
    const ecs = new ECSClient({ ...clientConfig(sandbox.url), credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken } });
    await expect(ecs.send(new DescribeClustersCommand({}))).resolves.toBeDefined();
    ecs.destroy();
    // Session keys are verified in every auth mode: a forged secret fails.
    const forged = new ECSClient({ ...clientConfig(sandbox.url), credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: 'x', sessionToken: creds.SessionToken } });
    await expect(forged.send(new DescribeClustersCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    forged.destroy();
    asDev.destroy();
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ghost', RoleSessionName: 'alice' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
