import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListGroupsCommand,
  ListInstanceProfileTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagInstanceProfileCommand,
  UntagInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import type { GetAccountAuthorizationDetailsCommandOutput } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { assumeRole, clientConfig, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '222233334444';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const trust = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const trustRoot = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
const inline = doc({ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:*:*:parameter/lab/*' });

let sandbox: RunningSandbox;
let iam: IAMClient;
let boundary: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  iam = new IAMClient(clientConfig(sandbox.url, ACCOUNT));
  boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: doc({ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }) }))).Policy!.Arn!;
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: boundary, PolicyDocument: doc({ Effect: 'Allow', Action: 'ssm:Get*', Resource: '*' }), SetAsDefault: true }));
  await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: trust, PermissionsBoundary: boundary, Tags: [{ Key: 'team', Value: 'a' }] }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'params', PolicyDocument: inline }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app-profile' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app-profile', RoleName: 'app' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: trustRoot }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'other', PolicyName: 'iam-read', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }));
});
afterAll(async () => {
  iam.destroy();
  await sandbox.close();
});

describe('account reads', () => {
  it("ListAccessKeys lists the root caller's own key, active, and no secret", async () => {
    const out = await iam.send(new ListAccessKeysCommand({}));
    expect(out.AccessKeyMetadata).toEqual([{ AccessKeyId: ACCOUNT, Status: 'Active', CreateDate: expect.any(Date) }]);
    expect(out.IsTruncated).toBe(false);
    expect(JSON.stringify(out)).not.toContain('SecretAccessKey');
    await expect(iam.send(new ListAccessKeysCommand({ UserName: 'bob' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The user with name bob cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('ListAccessKeys for a role session is the non-user ValidationError', async () => {
    const session = new IAMClient({ ...clientConfig(sandbox.url, ACCOUNT), credentials: await assumeRole(sandbox.url, ACCOUNT, 'other', 'reader') });
    await expect(session.send(new ListAccessKeysCommand({}))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Must specify userName when calling with non-User credentials',
    });
    // Account reads are authorised like any IAM call: allowed by iam:*.
    expect((await session.send(new GetAccountSummaryCommand({}))).SummaryMap?.Roles).toBe(2);
    session.destroy();
  });

  it('ListAccountAliases and ListGroups are empty', async () => {
    expect(await iam.send(new ListAccountAliasesCommand({}))).toMatchObject({ AccountAliases: [], IsTruncated: false });
    expect(await iam.send(new ListGroupsCommand({}))).toMatchObject({ Groups: [], IsTruncated: false });
  });

  it("GetAccountSummary counts the account's roles, policies and instance profiles", async () => {
    const map = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(map).toMatchObject({
      Roles: 2,
      Policies: 1,
      InstanceProfiles: 1,
      Users: 0,
      Groups: 0,
      PolicyVersionsInUse: 1,
      RolesQuota: 1000,
      PoliciesQuota: 1500,
      InstanceProfilesQuota: 1000,
      VersionsPerPolicyQuota: 5,
      AttachedPoliciesPerRoleQuota: 20,
      AccountAccessKeysPresent: 1,
      AccountMFAEnabled: 0,
    });
    const other = new IAMClient(clientConfig(sandbox.url, '999900001111'));
    expect((await other.send(new GetAccountSummaryCommand({}))).SummaryMap).toMatchObject({ Roles: 0, Policies: 0, InstanceProfiles: 0 });
    other.destroy();
  });
});

describe('GetAccountAuthorizationDetails', () => {
  it('lists roles with inline and attached policies, boundary and instance profiles, and policies with every version, documents URL-encoded', async () => {
    const out = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    expect(out.UserDetailList).toEqual([]);
    expect(out.GroupDetailList).toEqual([]);
    expect(out.IsTruncated).toBe(false);
    expect(out.RoleDetailList!.map((r) => r.RoleName)).toEqual(['app', 'other']);
    const app = out.RoleDetailList![0]!;
    expect(app).toMatchObject({
      Arn: `arn:aws:iam::${ACCOUNT}:role/app`,
      Path: '/',
      // Encoded as GetRolePolicy encodes it.
      RolePolicyList: [{ PolicyName: 'params', PolicyDocument: (await iam.send(new GetRolePolicyCommand({ RoleName: 'app', PolicyName: 'params' }))).PolicyDocument }],
      AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary },
      Tags: [{ Key: 'team', Value: 'a' }],
    });
    expect(decodeURIComponent(app.RolePolicyList![0]!.PolicyDocument!)).toBe(inline);
    expect(decodeURIComponent(app.AssumeRolePolicyDocument!)).toBe(trust);
    expect(app.AssumeRolePolicyDocument).not.toContain('{');
    expect(app.InstanceProfileList!.map((p) => [p.InstanceProfileName, p.Roles!.map((r) => r.RoleName)])).toEqual([['app-profile', ['app']]]);

    // The customer managed policy, and the AWS managed policy in use (not every AWS managed one).
    expect(out.Policies!.map((p) => p.Arn)).toEqual([boundary, 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const policy = out.Policies![0]!;
    expect(policy).toMatchObject({ PolicyName: 'boundary', DefaultVersionId: 'v2', AttachmentCount: 0, PermissionsBoundaryUsageCount: 1, IsAttachable: true });
    expect(policy.PolicyVersionList!.map((v) => [v.VersionId, v.IsDefaultVersion, JSON.parse(decodeURIComponent(v.Document!)).Statement[0].Action])).toEqual([
      ['v1', false, 'ssm:*'],
      ['v2', true, 'ssm:Get*'],
    ]);
  });

  it('filters by entity type', async () => {
    const roles = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(roles.RoleDetailList).toHaveLength(2);
    expect(roles.Policies).toEqual([]);
    const local = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }));
    expect(local.RoleDetailList).toEqual([]);
    expect(local.Policies!.map((p) => p.PolicyName)).toEqual(['boundary']);
    const aws = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy', 'User'] }));
    expect(aws.Policies!.map((p) => p.PolicyName)).toEqual(['ReadOnlyAccess']);
    await expect(iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Robot' as 'Role'] }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("Value '[Robot]' at 'filter' failed to satisfy constraint"),
    });
  });

  it('pages every list with one Marker and MaxItems', async () => {
    const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 3, Marker: marker }));
      pages.push(page);
      marker = page.Marker;
      expect(page.IsTruncated).toBe(marker !== undefined);
    } while (marker);
    expect(pages.map((p) => [p.RoleDetailList!.length, p.Policies!.length])).toEqual([
      [2, 1],
      [0, 1],
    ]);
    expect(pages.flatMap((p) => p.Policies!.map((x) => x.PolicyName))).toEqual(['boundary', 'ReadOnlyAccess']);
    await expect(iam.send(new GetAccountAuthorizationDetailsCommand({ Marker: 'not-a-marker' }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('instance profile tags', () => {
  it('tags, lists and untags an instance profile', async () => {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'tagged', Tags: [{ Key: 'a', Value: '1' }] }));
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tagged', Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '3' }] }));
    expect((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tagged' }))).Tags).toEqual([
      { Key: 'a', Value: '3' },
      { Key: 'b', Value: '2' },
    ]);
    const first = await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tagged', MaxItems: 1 }));
    expect(first).toMatchObject({ Tags: [{ Key: 'a', Value: '3' }], IsTruncated: true });
    expect((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tagged', Marker: first.Marker }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'tagged', TagKeys: ['a', 'zzz'] }));
    expect((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'tagged' }))).InstanceProfile!.Tags).toEqual([{ Key: 'b', Value: '2' }]);
  });

  it("answers IAM's errors", async () => {
    for (const command of [
      new TagInstanceProfileCommand({ InstanceProfileName: 'nope', Tags: [{ Key: 'a', Value: '1' }] }),
      new UntagInstanceProfileCommand({ InstanceProfileName: 'nope', TagKeys: ['a'] }),
      new ListInstanceProfileTagsCommand({ InstanceProfileName: 'nope' }),
    ]) {
      await expect(iam.send(command as ListInstanceProfileTagsCommand)).rejects.toMatchObject({ name: 'NoSuchEntityException', message: 'Instance Profile nope cannot be found.' });
    }
    await expect(iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tagged', Tags: [{ Key: 'aws:x', Value: '1' }] }))).rejects.toMatchObject({ name: 'InvalidInputException' });
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tagged', Tags: many }))).rejects.toMatchObject({ name: 'LimitExceededException' });
  });
});

describe('persistence', () => {
  it('keeps boundaries and instance profile tags across a restart', async () => {
    const tmp = tempDir();
    try {
      let running = await startTestSandbox({ dataDir: tmp.dir });
      let client = new IAMClient(clientConfig(running.url, ACCOUNT));
      const arn = (await client.send(new CreatePolicyCommand({ PolicyName: 'b', PolicyDocument: doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }) }))).Policy!.Arn!;
      await client.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: trust }));
      await client.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'kept', PermissionsBoundary: arn }));
      await client.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'kept' }));
      await client.send(new TagInstanceProfileCommand({ InstanceProfileName: 'kept', Tags: [{ Key: 'env', Value: 'dev' }] }));
      client.destroy();
      await running.close();

      running = await startTestSandbox({ dataDir: tmp.dir });
      client = new IAMClient(clientConfig(running.url, ACCOUNT));
      expect((await client.send(new GetRoleCommand({ RoleName: 'kept' }))).Role!.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn });
      expect((await client.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'kept' }))).Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
      expect((await client.send(new GetAccountSummaryCommand({}))).SummaryMap).toMatchObject({ Roles: 1, Policies: 1, InstanceProfiles: 1 });
      client.destroy();
      await running.close();
    } finally {
      tmp.remove();
    }
  });
});
