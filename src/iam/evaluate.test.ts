/**
 * Evaluation logic, table-tested on AWS's documented examples and on the lab's three scenarios.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT, ROLE, SESSION, USER, allow, check, decide, deny, policy } from '../../test/iam/helpers.js';
import { InvalidInputError, PolicyError } from './errors.js';
import { evaluate } from './evaluate.js';

describe('documented example: Carlos and the carlossalazar buckets (identity + bucket policy)', () => {
  const carlos = `arn:aws:iam::${ACCOUNT}:user/carlossalazar`;
  const identity = policy(
    { Sid: 'AllowS3ListRead', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'], Resource: 'arn:aws:s3:::*' },
    { Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
    { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
  );
  const bucketPolicy = policy({ Effect: 'Allow', Principal: { AWS: carlos }, Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] });

  it('denies saving to carlossalazar-logs because DenyS3Logs matches', () => {
    const r = check([identity], { principal: carlos, action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar-logs/file.txt' });
    expect(r.decision).toBe('explicitDeny');
    expect(r.matched.map((m) => m.sid)).toEqual(['DenyS3Logs']);
    expect(r.reason).toBe("Denied by statement DenyS3Logs of p0: Action 's3:*' covers s3:PutObject, and Resource 'arn:aws:s3:::*log*' covers arn:aws:s3:::carlossalazar-logs/file.txt.");
  });

  it('allows saving to carlossalazar, where both policies allow', () => {
    const r = check([identity], { principal: carlos, action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/file.txt', resourcePolicy: bucketPolicy, resourceAccount: ACCOUNT });
    expect(r.decision).toBe('allowed');
    expect(r.matched.map((m) => `${m.kind}:${m.sid ?? m.index}`)).toEqual(['identity:AllowS3Self', 'resource:0']);
  });

  it('allows within the account when only the bucket policy allows', () => {
    expect(decide([policy(allow('ec2:*'))], { principal: carlos, action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/file.txt', resourcePolicy: bucketPolicy })).toBe('allowed');
  });
});

describe('documented example: explicit and implicit denies (AllowGetList / DenyReports)', () => {
  const doc = policy({ Sid: 'AllowGetList', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }, { Sid: 'DenyReports', Effect: 'Deny', Action: 'iam:*Report', Resource: '*' });
  it.each([
    ['iam:GetRole', 'allowed'],
    ['iam:ListRoles', 'allowed'],
    ['iam:CreatePolicy', 'implicitDeny'],
    ['iam:GetOrganizationsAccessReport', 'explicitDeny'],
    ['iam:GenerateCredentialReport', 'explicitDeny'],
  ])('%s is %s', (action, expected) => {
    expect(decide([doc, policy(allow('iam:GenerateCredentialReport'))], { action, resource: `arn:aws:iam::${ACCOUNT}:role/x` })).toBe(expected);
  });
});

describe('documented NotAction examples', () => {
  it('Allow NotAction iam:* grants everything except IAM', () => {
    const doc = policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(decide([doc], { action: 'ecs:DeleteCluster' })).toBe('allowed');
    expect(decide([doc], { action: 'iam:CreateUser' })).toBe('implicitDeny');
  });

  it('Deny NotAction with BoolIfExists denies everything but IAM without MFA', () => {
    const doc = policy(allow('*'), { Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } });
    expect(decide([doc], { action: 'ec2:RunInstances', context: { 'aws:MultiFactorAuthPresent': 'false' } })).toBe('explicitDeny');
    expect(decide([doc], { action: 'ec2:RunInstances' })).toBe('explicitDeny');
    expect(decide([doc], { action: 'ec2:RunInstances', context: { 'aws:MultiFactorAuthPresent': true } })).toBe('allowed');
    expect(decide([doc], { action: 'iam:ListUsers', context: { 'aws:MultiFactorAuthPresent': 'false' } })).toBe('allowed');
  });

  it('Allow * with Deny NotAction [ecs:*, ec2:Describe*] denies iam:PassRole', () => {
    const doc = policy(allow('*'), { Effect: 'Deny', NotAction: ['ecs:*', 'ec2:Describe*'], Resource: '*' });
    expect(decide([doc], { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/x` })).toBe('explicitDeny');
    expect(decide([doc], { action: 'ecs:UpdateService' })).toBe('allowed');
  });
});

describe('permissions boundaries (access_policies_boundaries.html)', () => {
  const boundary = policy(allow(['s3:*', 'cloudwatch:*', 'ec2:*']));
  it('an identity allow outside the boundary is implicitly denied, and the reason names the boundary', () => {
    const r = check([policy(allow('iam:CreateUser'))], { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/bob`, boundary });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toContain('but the permissions boundary boundary does not');
  });
  it('an action both allow is allowed', () => {
    expect(decide([policy(allow('ec2:*'))], { action: 'ec2:DescribeInstances', boundary })).toBe('allowed');
  });
  it('the boundary grants nothing by itself', () => {
    expect(decide([policy(allow('s3:GetObject'))], { action: 'ec2:DescribeInstances', boundary })).toBe('implicitDeny');
  });
  it('a Deny in the boundary is an explicit deny', () => {
    expect(decide([policy(allow('*'))], { action: 'ec2:TerminateInstances', boundary: policy(allow('*'), deny('ec2:Terminate*')) })).toBe('explicitDeny');
  });
  it('boundary ecs:Describe* blocks ecs:DeleteCluster', () => {
    expect(decide([policy(allow('ecs:*'))], { action: 'ecs:DeleteCluster', boundary: policy(allow('ecs:Describe*')) })).toBe('implicitDeny');
  });
});

describe('resource-based policies and implicit denies, same account (evaluation-logic table)', () => {
  const secret = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/db-AbCdEf`;
  const grant = (principal: string): object => policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'secretsmanager:GetSecretValue', Resource: '*' });
  const boundary = policy(allow('ecs:*'));
  const session = [policy(allow('ecs:*'))];
  const ask = { action: 'secretsmanager:GetSecretValue', resource: secret };

  it('a grant to the IAM user is not limited by the boundary', () => {
    expect(decide([], { ...ask, principal: USER, resourcePolicy: grant(USER), boundary })).toBe('allowed');
  });
  it('a grant to the role session ARN is limited by neither boundary nor session policy', () => {
    expect(decide([], { ...ask, principal: SESSION, resourcePolicy: grant(SESSION), boundary, session })).toBe('allowed');
  });
  it('a grant to the role ARN is limited by the boundary', () => {
    expect(decide([], { ...ask, principal: SESSION, resourcePolicy: grant(ROLE), boundary })).toBe('implicitDeny');
  });
  it('a grant to the role ARN is limited by the session policy', () => {
    const r = check([], { ...ask, principal: SESSION, resourcePolicy: grant(ROLE), session });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toContain('but the session policies do not');
  });
  it('a grant to the role ARN allows its sessions when nothing caps them', () => {
    expect(decide([], { ...ask, principal: SESSION, resourcePolicy: grant(ROLE) })).toBe('allowed');
  });
  it('a grant to the account delegates to identity policies', () => {
    expect(decide([], { ...ask, resourcePolicy: grant(`arn:aws:iam::${ACCOUNT}:root`) })).toBe('implicitDeny');
    expect(decide([policy(allow('secretsmanager:GetSecretValue'))], { ...ask, resourcePolicy: grant(ACCOUNT) })).toBe('allowed');
  });
  it('a Deny in the resource policy wins over an identity allow', () => {
    const denyAll = policy({ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*' });
    expect(decide([policy(allow('*'))], { ...ask, resourcePolicy: denyAll })).toBe('explicitDeny');
  });
});

describe('cross-account requests need both sides', () => {
  const bucket = `arn:aws:s3:::shared-${OTHER_ACCOUNT}/data.csv`;
  const bucketPolicy = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' });
  it('is allowed when the identity policy and the resource policy allow', () => {
    expect(decide([policy(allow('s3:GetObject'))], { action: 's3:GetObject', resource: bucket, resourceAccount: OTHER_ACCOUNT, resourcePolicy: bucketPolicy })).toBe('allowed');
  });
  it('is denied when only the identity policy allows', () => {
    const r = check([policy(allow('s3:GetObject'))], { action: 's3:GetObject', resource: bucket, resourceAccount: OTHER_ACCOUNT, resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 's3:*', Resource: '*' }) });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toContain(`the resource is in account ${OTHER_ACCOUNT}`);
  });
  it('is denied when only the resource policy allows', () => {
    const r = check([], { action: 's3:GetObject', resource: bucket, resourceAccount: OTHER_ACCOUNT, resourcePolicy: bucketPolicy });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toBe(
      'Implicitly denied: statement 1 of the resource policy resource-policy allows it, but the caller is in another account, so an identity-based policy must also allow s3:GetObject on arn:aws:s3:::shared-444455556666/data.csv, and none does.',
    );
  });
});

describe('KMS key policies and role trust policies must trust the caller even in one account', () => {
  const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  it('an identity allow is not enough when the key policy does not name the account', () => {
    const keyPolicy = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' });
    const r = check([policy(allow('kms:Decrypt'))], { action: 'kms:Decrypt', resource: key, resourcePolicy: keyPolicy });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toContain('names neither the caller nor its account');
  });
  it('the default key policy (account root) lets identity policies decide', () => {
    const keyPolicy = policy({ Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' });
    expect(decide([policy(allow('kms:Decrypt'))], { action: 'kms:Decrypt', resource: key, resourcePolicy: keyPolicy })).toBe('allowed');
    expect(decide([], { action: 'kms:Decrypt', resource: key, resourcePolicy: keyPolicy })).toBe('implicitDeny');
  });
  it('sts:AssumeRole needs the trust policy and, for an account principal, the caller identity policy', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/lab-task-role`;
    const trustAccount = policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' });
    expect(decide([policy(allow('sts:AssumeRole'))], { action: 'sts:AssumeRole', resource: role, resourcePolicy: trustAccount })).toBe('allowed');
    const r = check([], { action: 'sts:AssumeRole', resource: role, resourcePolicy: trustAccount });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toContain("trusts only the caller's account");
    expect(decide([], { action: 'sts:AssumeRole', resource: role, resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole' }) })).toBe('allowed');
  });
});

describe('session policies', () => {
  it('cap the role session to their intersection with the identity policies', () => {
    const identity = [policy(allow(['ecs:*', 's3:*']))];
    expect(decide(identity, { principal: SESSION, action: 'ecs:ListClusters', session: [policy(allow('ecs:List*'))] })).toBe('allowed');
    expect(decide(identity, { principal: SESSION, action: 's3:ListAllMyBuckets', session: [policy(allow('ecs:List*'))] })).toBe('implicitDeny');
  });
  it('several session policies act together: any of them may allow', () => {
    expect(decide([policy(allow('*'))], { principal: SESSION, action: 's3:ListAllMyBuckets', session: [policy(allow('ecs:*')), policy(allow('s3:List*'))] })).toBe('allowed');
  });
  it('grant nothing on their own', () => {
    expect(decide([], { principal: SESSION, action: 'ecs:ListClusters', session: [policy(allow('*'))] })).toBe('implicitDeny');
  });
});

describe('scenario task-roles: one least-privilege role per service', () => {
  const authRole = policy({ Sid: 'ReadAuthParameters', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/auth/*` });
  it.each([
    ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/auth/db-url`, 'allowed'],
    ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/orders/db-url`, 'implicitDeny'],
    ['s3:GetObject', 'arn:aws:s3:::lab-audit-111122223333/x', 'implicitDeny'],
    ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/x`, 'implicitDeny'],
  ])('%s on %s is %s', (action, resource, expected) => {
    expect(decide([authRole], { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/auth-task-role/t1`, action, resource })).toBe(expected);
  });
});

describe('scenario secrets: the execution role reads exactly the referenced secret', () => {
  const exec = policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/db-??????` });
  it('reads the referenced secret, whatever its random suffix', () => {
    expect(decide([exec], { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/db-AbCdEf` })).toBe('allowed');
  });
  it('does not read a secret whose name only starts the same', () => {
    const r = check([exec], { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:lab/db-admin-AbCdEf` });
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toContain('; the closest, statement 1 of p0, covers the action but Resource');
  });
});

describe('scenario tag-access: developers change dev, never prod', () => {
  const developer = policy(
    { Sid: 'ReadAll', Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*'], Resource: '*' },
    { Sid: 'ChangeDev', Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DeleteService', 'ecs:StopTask', 'ecs:RunTask'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'dev' } } },
    { Sid: 'CreateDevOnly', Effect: 'Allow', Action: ['ecs:CreateService', 'ecs:RegisterTaskDefinition', 'ecs:CreateCluster'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/environment': 'dev' } } },
    { Sid: 'TagOnCreate', Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*', Condition: { StringEquals: { 'ecs:CreateAction': ['CreateService', 'RegisterTaskDefinition', 'CreateCluster'] } } },
    { Sid: 'DenyProd', Effect: 'Deny', Action: ['ecs:UpdateService', 'ecs:DeleteService', 'ecs:StopTask', 'ecs:RunTask'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'prod' } } },
  );
  const id = 'inline:lab-developer/dev-only';
  const run = (action: string, context: Record<string, string | string[]>): ReturnType<typeof evaluate> =>
    evaluate({ request: { principal: SESSION, action, resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/lab-x/catalog`, context }, identityPolicies: [{ id, document: JSON.stringify(developer) }] });

  it('denies prod with the statement and condition that decided it', () => {
    const r = run('ecs:UpdateService', { 'aws:ResourceTag/environment': 'prod' });
    expect(r.decision).toBe('explicitDeny');
    expect(r.reason).toBe("Denied by statement DenyProd of inline:lab-developer/dev-only: aws:ResourceTag/environment is 'prod', which StringEquals 'prod'.");
    const denyProd = r.statements.find((s) => s.sid === 'DenyProd');
    expect(denyProd?.conditions[0]).toMatchObject({ operator: 'StringEquals', key: 'aws:ResourceTag/environment', values: ['prod'], requestValue: 'prod', present: true, matched: true });
    const changeDev = r.statements.find((s) => s.sid === 'ChangeDev');
    expect(changeDev?.applies).toBe(false);
    expect(changeDev?.text).toBe("Statement ChangeDev of inline:lab-developer/dev-only does not apply: aws:ResourceTag/environment is 'prod', which does not satisfy StringEquals 'dev'.");
  });
  it('allows dev', () => {
    expect(run('ecs:DeleteService', { 'aws:ResourceTag/environment': 'dev' }).decision).toBe('allowed');
  });
  it('explains an untagged resource as a near miss', () => {
    const r = run('ecs:StopTask', {});
    expect(r.decision).toBe('implicitDeny');
    expect(r.reason).toBe(
      'Implicitly denied: no statement allows ecs:StopTask on arn:aws:ecs:us-east-1:111122223333:service/lab-x/catalog; the closest, statement ChangeDev of inline:lab-developer/dev-only, covers the action and resource but aws:ResourceTag/environment is not in the request, so StringEquals does not match.',
    );
  });
  it('creates only with the dev request tag', () => {
    expect(run('ecs:CreateService', { 'aws:RequestTag/environment': 'dev' }).decision).toBe('allowed');
    expect(run('ecs:CreateService', { 'aws:RequestTag/environment': 'prod' }).decision).toBe('implicitDeny');
    expect(run('ecs:CreateService', {}).decision).toBe('implicitDeny');
  });
  it('tags only as part of a create', () => {
    expect(run('ecs:TagResource', { 'ecs:CreateAction': 'CreateService', 'aws:TagKeys': ['environment'] }).decision).toBe('allowed');
    expect(run('ecs:TagResource', { 'aws:TagKeys': ['environment'] }).decision).toBe('implicitDeny');
  });
  it('reads everything', () => {
    expect(run('ecs:DescribeServices', { 'aws:ResourceTag/environment': 'prod' }).decision).toBe('allowed');
  });
});

describe('the reason is one sentence', () => {
  it.each([
    [[policy(allow('ecs:*'))], { action: 'ecs:ListClusters' }],
    [[policy(allow('ecs:*', '*', { Condition: { StringEquals: { 'aws:ResourceTag/env': 'dev' } } }))], { action: 'ecs:StopTask', context: { 'aws:ResourceTag/env': 'prod' } }],
    [[policy(allow('ecs:*'), deny('ecs:Stop*'))], { action: 'ecs:StopTask' }],
    [[policy(allow('ecs:*'))], { action: 'ecs:StopTask', boundary: policy(allow('ecs:Describe*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })) }],
  ] as const)('%#', (policies, ask) => {
    const reason = check([...policies], { ...ask }).reason;
    expect(reason).toMatch(/^[A-Z][^]*\.$/);
    expect(reason.slice(0, -1)).not.toMatch(/\.\s+[A-Z]/);
  });
});

describe('input handling', () => {
  it('accepts URL-encoded documents as IAM returns them', () => {
    const encoded = encodeURIComponent(JSON.stringify(policy(allow('ecs:List*'))));
    expect(evaluate({ request: { principal: USER, action: 'ecs:ListClusters', resource: '*' }, identityPolicies: [{ id: 'x', document: encoded }] }).decision).toBe('allowed');
  });
  it('treats action names case-insensitively', () => {
    expect(decide([policy(allow('ECS:listclusters'))], { action: 'ecs:ListClusters' })).toBe('allowed');
  });
  it('rejects a malformed policy with the policy id in the message', () => {
    const bad = { id: 'inline:x/y', document: '{"Statement": [{"Effect": "Allow"}]}' };
    expect(() => evaluate({ request: { principal: USER, action: 'ecs:ListClusters', resource: '*' }, identityPolicies: [bad] })).toThrow(PolicyError);
    expect(() => evaluate({ request: { principal: USER, action: 'ecs:ListClusters', resource: '*' }, identityPolicies: [bad] })).toThrow(/^Policy inline:x\/y: Statement 1 has neither Action nor NotAction\.$/);
  });
  it('rejects an identity policy that names a principal', () => {
    expect(() => decide([policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' })], { action: 'ecs:ListClusters' })).toThrow(/must not name a principal/);
  });
  it('rejects a request action without a service prefix', () => {
    expect(() => decide([policy(allow('*'))], { action: 'ListClusters' })).toThrow(InvalidInputError);
  });
  it('serialises the whole explanation with JSON.stringify', () => {
    const json = JSON.parse(JSON.stringify(check([policy(allow('ecs:*'))], { action: 'ecs:ListClusters' }))) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['decision', 'matched', 'statements', 'reason']);
    expect(json.reason).toMatch(/^Allowed by statement 1 of p0: /);
  });
  it('adds the principal keys AWS always sends, unless told not to', () => {
    const doc = policy(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*'));
    expect(decide([doc], { action: 's3:GetObject', resource: 'arn:aws:s3:::home/alice/notes.txt' })).toBe('allowed');
    expect(check([doc], { action: 's3:GetObject', resource: 'arn:aws:s3:::home/alice/notes.txt' }, { autoContext: false }).decision).toBe('implicitDeny');
    expect(decide([doc], { action: 's3:GetObject', resource: 'arn:aws:s3:::home/alice/notes.txt', context: { 'aws:username': 'bob' } })).toBe('implicitDeny');
  });
});
