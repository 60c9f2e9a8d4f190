/**
 * Trust policies and Principal/NotPrincipal matching.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT, ROLE, SESSION, USER, decide, policy } from '../../test/iam/helpers.js';
import { evaluateTrust } from './trust.js';

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lab-task-role`;
const trust = (principal: unknown, extra: Record<string, unknown> = {}): object => policy({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });

describe('evaluateTrust: who may assume the role', () => {
  const ecsTasks = trust({ Service: 'ecs-tasks.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } });

  it('lets ECS tasks of this account assume a scoped task role', () => {
    const r = evaluateTrust(ecsTasks, { principal: 'ecs-tasks.amazonaws.com', context: { 'aws:SourceAccount': ACCOUNT }, roleArn: ROLE_ARN });
    expect(r.decision).toBe('allowed');
    expect(r.requiresIdentityAllow).toBe(false);
    expect(r.reason).toBe(`Allowed by statement 1 of the trust policy trust-policy: aws:SourceAccount is '${ACCOUNT}', which StringEquals '${ACCOUNT}'.`);
  });
  it('refuses ECS tasks acting for another account (confused deputy)', () => {
    const r = evaluateTrust(ecsTasks, { principal: 'ecs-tasks.amazonaws.com', context: { 'aws:SourceAccount': OTHER_ACCOUNT } });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toContain(`aws:SourceAccount is '${OTHER_ACCOUNT}', which does not satisfy StringEquals '${ACCOUNT}'`);
  });
  it('refuses another service', () => {
    expect(evaluateTrust(ecsTasks, { principal: 'ec2.amazonaws.com', context: { 'aws:SourceAccount': ACCOUNT } }).decision).toBe('implicitDeny');
  });
  it('takes the principal type from the caller when not given', () => {
    expect(evaluateTrust(ecsTasks, { principal: 'ecs-tasks.amazonaws.com', principalType: 'Service', context: { 'aws:SourceAccount': ACCOUNT } }).decision).toBe('allowed');
  });
  it('an account principal (id or root ARN) needs the caller identity policy as well', () => {
    for (const principal of [ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`]) {
      const r = evaluateTrust(trust({ AWS: principal }), { principal: USER, roleArn: ROLE_ARN });
      expect(r.decision).toBe('allowed');
      expect(r.requiresIdentityAllow).toBe(true);
      expect(r.statements[0]?.principal?.level).toBe('account');
    }
  });
  it('a role ARN matches the sessions of that role', () => {
    const r = evaluateTrust(trust({ AWS: ROLE }), { principal: SESSION, roleArn: ROLE_ARN });
    expect(r.decision).toBe('allowed');
    expect(r.requiresIdentityAllow).toBe(false);
    expect(r.statements[0]?.principal?.level).toBe('session-role');
  });
  it('a role ARN with a path matches its sessions by role name', () => {
    expect(evaluateTrust(trust({ AWS: `arn:aws:iam::${ACCOUNT}:role/team/lab-developer` }), { principal: SESSION }).decision).toBe('allowed');
  });
  it('a caller from another account always needs its own identity allow', () => {
    const other = `arn:aws:iam::${OTHER_ACCOUNT}:user/bob`;
    const r = evaluateTrust(trust({ AWS: other }), { principal: other, roleArn: ROLE_ARN });
    expect(r).toMatchObject({ decision: 'allowed', requiresIdentityAllow: true });
    expect(r.reason).toContain(`the caller is in account ${OTHER_ACCOUNT}, not the role's account ${ACCOUNT}`);
  });
  it("'*' and {AWS: '*'} trust everyone", () => {
    expect(evaluateTrust(trust('*'), { principal: USER }).decision).toBe('allowed');
    expect(evaluateTrust(trust({ AWS: '*' }), { principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/x` }).decision).toBe('allowed');
  });
  it('a web identity provider is a Federated principal', () => {
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const doc = policy({ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:lab/*' } } });
    expect(evaluateTrust(doc, { principal: provider, action: 'sts:AssumeRoleWithWebIdentity', context: { 'token.actions.githubusercontent.com:sub': 'repo:lab/app:ref:refs/heads/main' } }).decision).toBe('allowed');
    expect(evaluateTrust(doc, { principal: provider, action: 'sts:AssumeRoleWithWebIdentity', context: { 'token.actions.githubusercontent.com:sub': 'repo:evil/app' } }).decision).toBe('implicitDeny');
    expect(evaluateTrust(doc, { principal: 'accounts.google.com', action: 'sts:AssumeRoleWithWebIdentity' }).decision).toBe('implicitDeny');
  });
  // Intentional difference from the oracle, which reads the provider ARN's account as the caller's.
  it('an AWS account principal does not name a web identity caller', () => {
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const doc = policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRoleWithWebIdentity' });
    const r = evaluateTrust(doc, { principal: provider, action: 'sts:AssumeRoleWithWebIdentity' });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toContain(`Principal ('AWS ${ACCOUNT}') does not name ${provider}`);
  });
  it('an action the statement does not list is not trusted', () => {
    expect(evaluateTrust(trust({ AWS: USER }), { principal: USER, action: 'sts:TagSession' }).decision).toBe('implicitDeny');
  });
  it('rejects a trust policy with a Resource element', () => {
    expect(() => evaluateTrust(policy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }), { principal: USER })).toThrow(/must not have/);
  });
  it('rejects a trust policy statement without a principal', () => {
    expect(() => evaluateTrust(policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }), { principal: USER })).toThrow(/neither Principal nor NotPrincipal/);
  });
});

describe('NotPrincipal (reference_policies_elements_notprincipal.html)', () => {
  const bob = `arn:aws:iam::${OTHER_ACCOUNT}:user/Bob`;
  const denyAllBut = (...listed: string[]): object =>
    policy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }, { Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: 'sts:AssumeRole' });

  it('spares Bob when both Bob and his account are listed (documented example)', () => {
    expect(evaluateTrust(denyAllBut(bob, `arn:aws:iam::${OTHER_ACCOUNT}:root`), { principal: bob }).decision).toBe('allowed');
  });
  it('denies everyone else', () => {
    expect(evaluateTrust(denyAllBut(bob, `arn:aws:iam::${OTHER_ACCOUNT}:root`), { principal: USER }).decision).toBe('explicitDeny');
  });
  // Intentional difference from the oracle: AWS may check the account first, so listing only Bob denies him.
  it('denies Bob when only his user ARN is listed', () => {
    const r = evaluateTrust(denyAllBut(bob), { principal: bob });
    expect(r.decision).toBe('explicitDeny');
    expect(r.statements[1]?.principal?.text).toContain(`arn:aws:iam::${OTHER_ACCOUNT}:root is missing`);
  });
  it('spares a role session only with session, role and account listed (documented example)', () => {
    const session = `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/cross-account-read-only-role/cross-account-audit-app`;
    const roleArn = `arn:aws:iam::${OTHER_ACCOUNT}:role/cross-account-read-only-role`;
    expect(evaluateTrust(denyAllBut(session, roleArn, `arn:aws:iam::${OTHER_ACCOUNT}:root`), { principal: session }).decision).toBe('allowed');
    expect(evaluateTrust(denyAllBut(session, `arn:aws:iam::${OTHER_ACCOUNT}:root`), { principal: session }).decision).toBe('explicitDeny');
  });
  it('with a permissions boundary, Deny + NotPrincipal in a resource policy always applies (access_policies_boundaries.html)', () => {
    const bucketPolicy = policy({ Effect: 'Deny', NotPrincipal: { AWS: [USER, `arn:aws:iam::${ACCOUNT}:root`] }, Action: 's3:*', Resource: '*' });
    const identity = [policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' })];
    expect(decide(identity, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourcePolicy: bucketPolicy })).toBe('allowed');
    expect(decide(identity, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourcePolicy: bucketPolicy, boundary: identity[0] })).toBe('explicitDeny');
  });
});
