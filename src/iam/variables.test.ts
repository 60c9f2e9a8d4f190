/**
 * Policy variables: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, SESSION, USER, allow, check, conditionDecision, decide, policy } from '../../test/iam/helpers.js';
import { normalizeContext } from './context.js';
import { parseTemplate, resolveTemplate } from './variables.js';

describe('parseTemplate', () => {
  it('splits literal text, references with defaults, and escapes', () => {
    const t = parseTemplate("home/${aws:username}/${aws:PrincipalTag/team, 'shared'}/${*}", true);
    expect(t.variables.map((v) => [v.name, v.key, v.fallback])).toEqual([
      ['aws:username', 'aws:username', undefined],
      ['aws:PrincipalTag/team', 'aws:principaltag/team', 'shared'],
    ]);
    expect(t.parts.at(-1)).toEqual({ text: '*', wild: false });
  });
  it('leaves everything literal when variables are disabled (old policy versions)', () => {
    expect(parseTemplate('home/${aws:username}', false).variables).toEqual([]);
  });
  it('keeps an unterminated ${ as text', () => {
    expect(parseTemplate('a${b', true).parts).toEqual([{ text: 'a${b', wild: true }]);
  });
});

describe('resolveTemplate', () => {
  const ctx = normalizeContext({ 'AWS:UserName': 'alice', 'aws:TagKeys': ['a', 'b'], 'aws:PrincipalTag/empty': '' });
  it('substitutes case-insensitively', () => {
    expect(resolveTemplate(parseTemplate('u/${aws:username}', true), ctx)).toMatchObject({ ok: true, text: 'u/alice' });
  });
  it('uses the default when the key is absent or empty', () => {
    expect(resolveTemplate(parseTemplate("${aws:PrincipalTag/team, 'shared'}", true), ctx)).toMatchObject({ ok: true, text: 'shared' });
    expect(resolveTemplate(parseTemplate("${aws:PrincipalTag/empty, 'x'}", true), ctx)).toMatchObject({ ok: true, text: 'x' });
  });
  it('fails for an absent key without default, and for a multivalued key', () => {
    expect(resolveTemplate(parseTemplate('${aws:PrincipalTag/team}', true), ctx)).toMatchObject({ ok: false, why: 'absent' });
    expect(resolveTemplate(parseTemplate('${aws:TagKeys}', true), ctx)).toMatchObject({ ok: false, why: 'multivalued' });
  });
});

describe('variables in Resource (documented examples)', () => {
  const home = policy(
    { Action: ['s3:ListBucket'], Effect: 'Allow', Resource: ['arn:aws:s3:::mybucket'], Condition: { StringLike: { 's3:prefix': ['${aws:username}/*'] } } },
    { Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: ['arn:aws:s3:::mybucket/${aws:username}/*'] },
  );
  it("lets each user reach their own home folder and no one else's", () => {
    expect(decide([home], { action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/alice/notes.txt' })).toBe('allowed');
    expect(decide([home], { action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/bob/notes.txt' })).toBe('implicitDeny');
    expect(decide([home], { action: 's3:ListBucket', resource: 'arn:aws:s3:::mybucket', context: { 's3:prefix': 'alice/2024' } })).toBe('allowed');
  });
  it('does not match for a caller without the key (a role session has no aws:username)', () => {
    const r = check([home], { principal: SESSION, action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/alice/notes.txt' });
    expect(r.decision).toBe('implicitDeny');
    expect(r.statements[1]?.resource.text).toContain('${aws:username} cannot be substituted because aws:username is not in the request context and no default is given');
  });
  it('names queues after the user (sqs example)', () => {
    const queues = policy(allow('sqs:*', 'arn:aws:sqs:us-east-2:*:${aws:username}-queue'));
    expect(decide([queues], { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-2:${ACCOUNT}:alice-queue` })).toBe('allowed');
    expect(decide([queues], { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-2:${ACCOUNT}:bob-queue` })).toBe('implicitDeny');
  });
  it('substitutes a principal tag, with a default', () => {
    const byTeam = policy(allow('ssm:GetParameter', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/\${aws:PrincipalTag/team, 'shared'}/*`));
    const param = (team: string): string => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/${team}/db-url`;
    expect(decide([byTeam], { action: 'ssm:GetParameter', resource: param('auth'), context: { 'aws:PrincipalTag/team': 'auth' } })).toBe('allowed');
    expect(decide([byTeam], { action: 'ssm:GetParameter', resource: param('orders'), context: { 'aws:PrincipalTag/team': 'auth' } })).toBe('implicitDeny');
    expect(decide([byTeam], { action: 'ssm:GetParameter', resource: param('shared') })).toBe('allowed');
  });
  it('a substituted value is literal: a * in a tag does not widen the pattern', () => {
    const byTeam = policy(allow('ssm:GetParameter', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/\${aws:PrincipalTag/team}/x`));
    expect(decide([byTeam], { action: 'ssm:GetParameter', resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/orders/x`, context: { 'aws:PrincipalTag/team': '*' } })).toBe('implicitDeny');
  });
  it('is substituted only in the resource part, after the fifth colon', () => {
    const inAccount = policy(allow('ssm:GetParameter', 'arn:aws:ssm:us-east-1:${aws:PrincipalAccount}:parameter/*'));
    expect(decide([inAccount], { action: 'ssm:GetParameter', resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/x` })).toBe('implicitDeny');
  });
  it('an unresolvable NotResource entry keeps a Deny from applying (it cannot prove the resource is outside)', () => {
    const doc = policy(allow('*'), { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::home/${aws:PrincipalTag/team}/*' });
    expect(decide([doc], { action: 's3:GetObject', resource: 'arn:aws:s3:::other/x' })).toBe('allowed');
    expect(decide([doc], { action: 's3:GetObject', resource: 'arn:aws:s3:::other/x', context: { 'aws:PrincipalTag/team': 'a' } })).toBe('explicitDeny');
  });
});

describe('variables in conditions', () => {
  it('compares a resource tag with the caller tag (ABAC)', () => {
    const abac = { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } };
    expect(conditionDecision(abac, { 'aws:ResourceTag/team': 'auth', 'aws:PrincipalTag/team': 'auth' })).toBe(true);
    expect(conditionDecision(abac, { 'aws:ResourceTag/team': 'auth', 'aws:PrincipalTag/team': 'orders' })).toBe(false);
    expect(conditionDecision(abac, { 'aws:ResourceTag/team': 'auth' })).toBe(false);
  });
  it('an unresolvable variable fails negated operators too', () => {
    expect(conditionDecision({ StringNotEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }, { 'aws:ResourceTag/team': 'auth' })).toBe(false);
  });
  it('escapes stand for literal characters', () => {
    expect(conditionDecision({ StringLike: { 'aws:ResourceTag/owner': 'team-${*}' } }, { 'aws:ResourceTag/owner': 'team-*' })).toBe(true);
    expect(conditionDecision({ StringLike: { 'aws:ResourceTag/owner': 'team-${*}' } }, { 'aws:ResourceTag/owner': 'team-x' })).toBe(false);
    expect(conditionDecision({ StringEquals: { 'aws:ResourceTag/owner': 'cost${$}' } }, { 'aws:ResourceTag/owner': 'cost$' })).toBe(true);
    expect(conditionDecision({ StringLike: { 'aws:ResourceTag/owner': 'who${?}' } }, { 'aws:ResourceTag/owner': 'whom' })).toBe(false);
  });
  it('is substituted in ARN operators', () => {
    expect(conditionDecision({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` } }, { 'aws:PrincipalArn': USER, 'aws:username': 'alice' })).toBe(true);
  });
  it('scopes a confused-deputy check with ${aws:SourceAccount}', () => {
    const condition = { ArnLike: { 'aws:SourceArn': 'arn:aws:ecs:*:${aws:SourceAccount}:*' } };
    expect(conditionDecision(condition, { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:ecs:us-east-1:${ACCOUNT}:task/c/1` })).toBe(true);
    expect(conditionDecision(condition, { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': 'arn:aws:ecs:us-east-1:444455556666:task/c/1' })).toBe(false);
  });
  it('is not substituted in Numeric, Date or IpAddress operators', () => {
    expect(conditionDecision({ NumericEquals: { 'aws:MultiFactorAuthAge': '${aws:MultiFactorAuthAge}' } }, { 'aws:MultiFactorAuthAge': '5' })).toBe(false);
  });
  it('is literal text without "Version": "2012-10-17" (intentional difference from the oracle)', () => {
    const condition = { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } };
    const context = { 'aws:ResourceTag/team': 'auth', 'aws:PrincipalTag/team': 'auth' };
    expect(conditionDecision(condition, context, '2012-10-17')).toBe(true);
    expect(conditionDecision(condition, context, '2008-10-17')).toBe(false);
    expect(conditionDecision(condition, { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' }, '2008-10-17')).toBe(true);
  });
});

describe('unresolvable variables in negated ARN operators', () => {
  // Intentional difference from the oracle, which skips the variable when an earlier field differs.
  it('make ArnNotLike false, even when another field already differs', () => {
    const condition = { ArnNotLike: { 'aws:SourceArn': 'arn:aws:ecs:us-east-1:111122223333:cluster/${aws:PrincipalTag/env}' } };
    expect(conditionDecision(condition, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' })).toBe(false);
    expect(conditionDecision(condition, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic', 'aws:PrincipalTag/env': 'dev' })).toBe(true);
  });
});
