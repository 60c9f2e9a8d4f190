import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeletePolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { clientConfig, startTestSandbox } from '../../test-helpers.js';

const ACCOUNT = '111122223333';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const trustRoot = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

let sandbox: RunningSandbox;
let iam: IAMClient;
let sts: STSClient;
let describeOnly: string;
let readOnly: string;

async function role(name: string, policy: string, boundary?: string): Promise<void> {
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustRoot, PermissionsBoundary: boundary }));
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'main', PolicyDocument: policy }));
}

/** A client of `Client` acting as an assumed-role session of `name`. */
async function as<T>(Client: new (config: object) => T, name: string): Promise<T> {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn(name), RoleSessionName: 'alice' }));
  const c = out.Credentials!;
  return new Client({ ...clientConfig(sandbox.url, ACCOUNT), credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  iam = new IAMClient(clientConfig(sandbox.url, ACCOUNT));
  sts = new STSClient(clientConfig(sandbox.url, ACCOUNT));
  describeOnly = (await iam.send(new CreatePolicyCommand({ PolicyName: 'describe-only', PolicyDocument: doc({ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }) }))).Policy!.Arn!;
  readOnly = (await iam.send(new CreatePolicyCommand({ PolicyName: 'read-only', PolicyDocument: doc({ Effect: 'Allow', Action: ['ecs:List*', 'ecs:Describe*'], Resource: '*' }) }))).Policy!.Arn!;
});
afterAll(async () => {
  iam.destroy();
  sts.destroy();
  await sandbox.close();
});

describe('role permissions boundaries', () => {
  it('sets a boundary at CreateRole and with PutRolePermissionsBoundary; GetRole shows it, ListRoles does not (as IAM documents)', async () => {
    await role('created-bounded', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), describeOnly);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'created-bounded' }))).Role!.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: describeOnly });

    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'created-bounded', PermissionsBoundary: readOnly }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'created-bounded' }))).Role!.PermissionsBoundary?.PermissionsBoundaryArn).toBe(readOnly);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: readOnly }))).Policy!.PermissionsBoundaryUsageCount).toBe(1);
    const listed = (await iam.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === 'created-bounded')!;
    expect(listed.PermissionsBoundary).toBeUndefined();

    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'created-bounded' }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'created-bounded' }))).Role!.PermissionsBoundary).toBeUndefined();
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: readOnly }))).Policy!.PermissionsBoundaryUsageCount).toBe(0);
  });

  it('accepts an AWS managed policy as the boundary', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'aws-bounded', AssumeRolePolicyDocument: trustRoot, PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'aws-bounded' }))).Role!.PermissionsBoundary?.PermissionsBoundaryArn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
  });

  it("answers IAM's errors: a missing policy, an ARN that is not a policy's, a missing role, a service-linked role", async () => {
    const missing = `arn:aws:iam::${ACCOUNT}:policy/nope`;
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'never', AssumeRolePolicyDocument: trustRoot, PermissionsBoundary: missing }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Scope ARN: ${missing} does not exist or is not attachable.`,
      $metadata: { httpStatusCode: 404 },
    });
    await expect(iam.send(new GetRoleCommand({ RoleName: 'never' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    await role('plain', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }));
    await expect(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'plain', PermissionsBoundary: missing }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Scope ARN: ${missing} does not exist or is not attachable.`,
    });
    await expect(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'plain', PermissionsBoundary: roleArn('plain') }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: `ARN ${roleArn('plain')} is not valid.`,
      $metadata: { httpStatusCode: 400 },
    });
    await expect(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'ghost', PermissionsBoundary: readOnly }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name ghost cannot be found.',
    });
    await expect(iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'ghost' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    expect((await iam.send(new GetRoleCommand({ RoleName: 'plain' }))).Role!.PermissionsBoundary).toBeUndefined();

    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }));
    for (const command of [
      new PutRolePermissionsBoundaryCommand({ RoleName: 'AWSServiceRoleForECS', PermissionsBoundary: readOnly }),
      new DeleteRolePermissionsBoundaryCommand({ RoleName: 'AWSServiceRoleForECS' }),
    ]) {
      await expect(iam.send(command as PutRolePermissionsBoundaryCommand)).rejects.toMatchObject({
        name: 'UnmodifiableEntityException',
        message: "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is only modifiable by AWS",
      });
    }
    expect((await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForECS' }))).Role!.PermissionsBoundary).toBeUndefined();
  });

  it('caps an assumed role that its identity policy allows, and removing the boundary restores access', async () => {
    await role('capped', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }));
    const before = await as(ECSClient, 'capped');
    await expect(before.send(new ListClustersCommand({}))).resolves.toBeDefined();

    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'capped', PermissionsBoundary: describeOnly }));
    // The same session: the boundary applies from the next request on.
    await expect(before.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/capped/alice is not authorized to perform: ecs:ListClusters on resource: * because no permissions boundary allows the ecs:ListClusters action`,
    });
    await expect(before.send(new CreateClusterCommand({ clusterName: 'escape' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });

    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'capped' }));
    await expect(before.send(new ListClustersCommand({}))).resolves.toBeDefined();
    before.destroy();
  });

  it('a boundary whose policy was deleted allows nothing (fails closed)', async () => {
    const gone = (await iam.send(new CreatePolicyCommand({ PolicyName: 'gone', PolicyDocument: doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }) }))).Policy!.Arn!;
    await role('orphaned', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), gone);
    const ecs = await as(ECSClient, 'orphaned');
    await expect(ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
    await iam.send(new DeletePolicyCommand({ PolicyArn: gone }));
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('because no permissions boundary allows') });
    ecs.destroy();
  });

  it('SimulatePrincipalPolicy takes the role\'s own boundary into account', async () => {
    await role('simulated', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), describeOnly);
    const out = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn('simulated'), ActionNames: ['ecs:DescribeClusters', 'ecs:ListClusters'] }));
    expect(out.EvaluationResults!.map((r) => [r.EvalActionName, r.EvalDecision, r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary])).toEqual([
      ['ecs:DescribeClusters', 'allowed', true],
      ['ecs:ListClusters', 'implicitDeny', false],
    ]);
  });
});

describe('the iam:PermissionsBoundary condition key', () => {
  // The delegation pattern: developers may create roles and change their boundary or policies
  // only when the role carries the one boundary that keeps them from escaping.
  const delegated = (): string =>
    doc(
      {
        Effect: 'Allow',
        Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'],
        Resource: `arn:aws:iam::${ACCOUNT}:role/dev-*`,
        Condition: { StringEquals: { 'iam:PermissionsBoundary': describeOnly } },
      },
      { Effect: 'Allow', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': describeOnly } } },
    );

  it('allows CreateRole only with the required boundary', async () => {
    await role('delegator', delegated());
    const dev = await as(IAMClient, 'delegator');
    await expect(dev.send(new CreateRoleCommand({ RoleName: 'dev-free', AssumeRolePolicyDocument: trustRoot }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(`is not authorized to perform: iam:CreateRole on resource: ${roleArn('dev-free')}`),
    });
    await expect(dev.send(new CreateRoleCommand({ RoleName: 'dev-other', AssumeRolePolicyDocument: trustRoot, PermissionsBoundary: readOnly }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await dev.send(new CreateRoleCommand({ RoleName: 'dev-bounded', AssumeRolePolicyDocument: trustRoot, PermissionsBoundary: describeOnly }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'dev-bounded' }))).Role!.PermissionsBoundary?.PermissionsBoundaryArn).toBe(describeOnly);
    dev.destroy();
  });

  it('allows PutRolePermissionsBoundary only to the required boundary, and denies removing it', async () => {
    const dev = await as(IAMClient, 'delegator');
    await expect(dev.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'dev-bounded', PermissionsBoundary: readOnly }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(`iam:PutRolePermissionsBoundary on resource: ${roleArn('dev-bounded')}`),
    });
    await dev.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'dev-bounded', PermissionsBoundary: describeOnly }));
    await expect(dev.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'dev-bounded' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('with an explicit deny in an identity-based policy'),
    });
    expect((await iam.send(new GetRoleCommand({ RoleName: 'dev-bounded' }))).Role!.PermissionsBoundary?.PermissionsBoundaryArn).toBe(describeOnly);
    dev.destroy();
  });

  it("reads the role's current boundary for policy changes on an existing role", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'dev-unbounded', AssumeRolePolicyDocument: trustRoot }));
    const dev = await as(IAMClient, 'delegator');
    const admin = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    await expect(dev.send(new AttachRolePolicyCommand({ RoleName: 'dev-unbounded', PolicyArn: admin }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(dev.send(new PutRolePolicyCommand({ RoleName: 'dev-unbounded', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await dev.send(new AttachRolePolicyCommand({ RoleName: 'dev-bounded', PolicyArn: admin }));
    dev.destroy();
  });
});
