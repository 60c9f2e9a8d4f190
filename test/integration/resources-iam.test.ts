/** Integration tests of the `iam-role` and `iam-policy` kinds against moto_server. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { iamPolicy, parsePolicyDocument } from '../../src/resources/iam-policy.js';
import { iamRole } from '../../src/resources/iam-role.js';
import type { ResourceContext } from '../../src/resources/index.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { resourceCtx, writesSince as writesSinceFor } from '../helpers/resources.js';

const SCENARIO = 'task-roles';
const ACCOUNT = '123456789012';
let moto: Moto;
let ctx: ResourceContext;

function newCtx(scenario: string | null = SCENARIO): ResourceContext {
  return resourceCtx(moto.endpoint, scenario);
}

function writesSince(before: Record<string, number>): string[] {
  return writesSinceFor(ctx, before);
}

const allowAll = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] };
const readParams = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:*:*:parameter/lab/auth/*' }] };
const policySpec = { type: 'iam-policy' as const, name: 'lab-auth-read', document: readParams, description: 'auth reads its parameters' };
const roleSpec = {
  type: 'iam-role' as const,
  name: 'lab-shared-task-role',
  trust: { service: 'ecs-tasks.amazonaws.com' },
  description: 'shared by both services',
  inlinePolicies: { 'allow-everything': allowAll },
  managedPolicies: ['lab-auth-read'],
};

async function untaggedPolicy(name: string): Promise<string> {
  const iam = await ctx.aws.iam();
  const out = await iam.createPolicy({ PolicyName: name, PolicyDocument: JSON.stringify(readParams) });
  return out.Policy?.Arn ?? '';
}

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

describe('iam-policy', () => {
  it('creates a tagged customer-managed policy, then finds it without writing', async () => {
    const created = await iamPolicy.ensure(ctx, policySpec);
    expect(created).toMatchObject({ status: 'created', arn: `arn:aws:iam::${ACCOUNT}:policy/lab-auth-read` });
    const iam = await ctx.aws.iam();
    const p = await iam.getPolicy({ PolicyArn: created.arn });
    expect(p.Policy?.Description).toBe('auth reads its parameters');
    const version = await iam.getPolicyVersion({ PolicyArn: created.arn, VersionId: p.Policy?.DefaultVersionId });
    expect(parsePolicyDocument(version.PolicyVersion?.Document)).toEqual(readParams);
    expect((await iam.listPolicyTags({ PolicyArn: created.arn })).Tags).toEqual(
      expect.arrayContaining([{ Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: SCENARIO }]),
    );

    const before = { ...ctx.aws.stats.byAction };
    expect(await iamPolicy.ensure(ctx, policySpec)).toMatchObject({ status: 'found', arn: created.arn });
    expect(writesSince(before)).toEqual([]);
  });

  it('refuses a name taken by an untagged policy', async () => {
    await untaggedPolicy('lab-auth-read');
    await expect(iamPolicy.ensure(ctx, policySpec)).rejects.toMatchObject({ code: 'NOT_LAB_MANAGED' });
  });

  it('remove detaches it from every role, user and group, drops old versions and deletes it; untagged policies stay', async () => {
    const iam = await ctx.aws.iam();
    const mine = await untaggedPolicy('my-policy');
    const lab = await iamPolicy.ensure(ctx, policySpec);
    await iam.createPolicyVersion({ PolicyArn: lab.arn, PolicyDocument: JSON.stringify(allowAll), SetAsDefault: true });
    await iam.createRole({ RoleName: 'my-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
    await iam.attachRolePolicy({ RoleName: 'my-role', PolicyArn: lab.arn });
    await iam.attachRolePolicy({ RoleName: 'my-role', PolicyArn: mine });
    await iam.createUser({ UserName: 'dev' });
    await iam.attachUserPolicy({ UserName: 'dev', PolicyArn: lab.arn });
    await iam.createGroup({ GroupName: 'devs' });
    await iam.attachGroupPolicy({ GroupName: 'devs', PolicyArn: lab.arn });

    const found = await iamPolicy.findLabTagged(ctx);
    expect(found.map((p) => p.arn)).toEqual([lab.arn]);
    const removed = await iamPolicy.remove(ctx, found[0]!);
    expect(removed).toEqual(expect.arrayContaining([expect.stringContaining('detached from role my-role'), expect.stringContaining('detached from user dev'), expect.stringContaining('detached from group devs')]));
    await expect(iam.getPolicy({ PolicyArn: lab.arn })).rejects.toMatchObject({ code: 'NoSuchEntity' });
    expect((await iam.listAttachedRolePolicies({ RoleName: 'my-role' })).AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([mine]);
    expect((await iam.getPolicy({ PolicyArn: mine })).Policy?.PolicyName).toBe('my-policy');
    expect(await iamPolicy.findLabTagged(ctx)).toEqual([]);
  });
});

describe('iam-role', () => {
  it('creates the role with its trust, inline and managed policies and the lab tags, then finds it without writing', async () => {
    ctx.refs.set('iam-policy/lab-auth-read', await iamPolicy.ensure(ctx, policySpec));
    const mine = await untaggedPolicy('my-policy');
    const spec = { ...roleSpec, managedPolicies: ['lab-auth-read', mine] };
    const created = await iamRole.ensure(ctx, spec);
    expect(created).toMatchObject({ status: 'created', arn: `arn:aws:iam::${ACCOUNT}:role/lab-shared-task-role` });

    const iam = await ctx.aws.iam();
    const role = (await iam.getRole({ RoleName: 'lab-shared-task-role' })).Role;
    expect(parsePolicyDocument(role?.AssumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(role?.Description).toBe('shared by both services');
    const inline = await iam.getRolePolicy({ RoleName: 'lab-shared-task-role', PolicyName: 'allow-everything' });
    expect(parsePolicyDocument(inline.PolicyDocument)).toEqual(allowAll);
    const attached = (await iam.listAttachedRolePolicies({ RoleName: 'lab-shared-task-role' })).AttachedPolicies?.map((p) => p.PolicyName);
    expect(attached?.sort()).toEqual(['lab-auth-read', 'my-policy']);
    expect((await iam.listRoleTags({ RoleName: 'lab-shared-task-role' })).Tags).toEqual(
      expect.arrayContaining([{ Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: SCENARIO }]),
    );

    const before = { ...ctx.aws.stats.byAction };
    expect(await iamRole.ensure(ctx, spec)).toMatchObject({ status: 'found', arn: created.arn });
    expect(writesSince(before)).toEqual([]);
  });

  it('accepts a full trust document', async () => {
    const trust = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
    await iamRole.ensure(ctx, { type: 'iam-role', name: 'lab-developer', trust });
    const iam = await ctx.aws.iam();
    expect(parsePolicyDocument((await iam.getRole({ RoleName: 'lab-developer' })).Role?.AssumeRolePolicyDocument)).toEqual(trust);
  });

  it('undoes a half-made role when a policy cannot be attached, keeping the lab policy this run made', async () => {
    ctx.refs.set('iam-policy/lab-auth-read', await iamPolicy.ensure(ctx, policySpec));
    await expect(iamRole.ensure(ctx, { ...roleSpec, managedPolicies: ['lab-auth-read', 'does-not-exist'] })).rejects.toMatchObject({ code: 'NoSuchEntity' });
    expect(await iamRole.lookup!(ctx, 'lab-shared-task-role')).toBeNull();
    expect(await iamPolicy.lookup!(ctx, 'lab-auth-read')).toMatchObject({ tags: { 'ecs-lab:managed': 'true' } });
  });

  it('refuses a name taken by an untagged role, and finds only lab-tagged roles', async () => {
    const iam = await ctx.aws.iam();
    await iam.createRole({ RoleName: 'my-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
    await expect(iamRole.ensure(ctx, { ...roleSpec, name: 'my-role' })).rejects.toMatchObject({ code: 'NOT_LAB_MANAGED' });
    ctx.refs.set('iam-policy/lab-auth-read', await iamPolicy.ensure(ctx, policySpec));
    await iamRole.ensure(ctx, roleSpec);
    expect((await iamRole.findLabTagged(ctx)).map((r) => r.name)).toEqual(['lab-shared-task-role']);
    expect(await iamRole.lookup!(ctx, 'my-role')).toMatchObject({ tags: {} });
  });

  it('remove empties and deletes the role: learner inline policies, instance profiles, lab policies; untagged policies only detached', async () => {
    const iam = await ctx.aws.iam();
    ctx.refs.set('iam-policy/lab-auth-read', await iamPolicy.ensure(ctx, policySpec));
    const sharedCtx = newCtx(null);
    const shared = await iamPolicy.ensure(sharedCtx, { ...policySpec, name: 'lab-shared-policy' });
    const mine = await untaggedPolicy('my-policy');
    await iamRole.ensure(ctx, { ...roleSpec, managedPolicies: ['lab-auth-read', mine, shared.arn] });
    await iam.putRolePolicy({ RoleName: 'lab-shared-task-role', PolicyName: 'learner-fix', PolicyDocument: JSON.stringify(readParams) });
    await iam.createInstanceProfile({ InstanceProfileName: 'lab-profile' });
    await iam.addRoleToInstanceProfile({ InstanceProfileName: 'lab-profile', RoleName: 'lab-shared-task-role' });
    await iam.createRole({ RoleName: 'my-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
    await iam.attachRolePolicy({ RoleName: 'my-role', PolicyArn: mine });

    const target = (await iamRole.findLabTagged(ctx))[0]!;
    const removed = await iamRole.remove(ctx, target);
    expect(removed).toEqual(
      expect.arrayContaining([
        'inline policy learner-fix of role lab-shared-task-role',
        'inline policy allow-everything of role lab-shared-task-role',
        'role lab-shared-task-role removed from instance profile lab-profile',
        `managed policy arn:aws:iam::${ACCOUNT}:policy/lab-auth-read`,
        'role lab-shared-task-role',
      ]),
    );
    await expect(iam.getRole({ RoleName: 'lab-shared-task-role' })).rejects.toMatchObject({ code: 'NoSuchEntity' });
    await expect(iam.getPolicy({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/lab-auth-read` })).rejects.toMatchObject({ code: 'NoSuchEntity' });
    // The untagged policy and the shared lab policy (not this scenario's) are detached, not deleted.
    expect((await iam.getPolicy({ PolicyArn: mine })).Policy?.AttachmentCount).toBe(1);
    expect((await iam.getPolicy({ PolicyArn: shared.arn })).Policy?.AttachmentCount).toBe(0);
    expect((await iam.listAttachedRolePolicies({ RoleName: 'my-role' })).AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([mine]);
    expect((await iam.getInstanceProfile({ InstanceProfileName: 'lab-profile' })).InstanceProfile?.Roles).toEqual([]);
  });
});
