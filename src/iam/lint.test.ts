/**
 * The linter: each finding when the construct is there, none when it is not.
 */
import { describe, expect, it } from 'vitest';
import { policy } from '../../test/iam/helpers.js';
import { lintPolicy } from './lint.js';

const codes = (document: object | string): string[] => lintPolicy(document).map((f) => f.code);

describe('lintPolicy', () => {
  it('is silent on a least-privilege policy', () => {
    const doc = policy({ Sid: 'ReadAuth', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: 'arn:aws:ssm:us-east-1:111122223333:parameter/lab/auth/*' });
    expect(lintPolicy(doc)).toEqual([]);
  });

  it("flags Action '*' on every resource as high", () => {
    const findings = lintPolicy(policy({ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' }));
    expect(findings[0]).toEqual({ severity: 'high', code: 'wildcard-action', statement: 'Admin', message: "Statement Admin allows every action ('*') on every resource." });
  });

  it('flags service-wide wildcards, higher for powerful services', () => {
    const findings = lintPolicy(policy({ Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: 'arn:aws:s3:::b/*' }));
    expect(findings.filter((f) => f.code === 'service-wildcard').map((f) => [f.severity, f.statement])).toEqual([
      ['medium', 0],
      ['high', 0],
    ]);
  });

  it.each([
    ['secretsmanager:GetSecretValue'],
    ['ssm:GetParameter*'],
    ['kms:Decrypt'],
    ['iam:PassRole'],
    ['sts:AssumeRole'],
    ['secretsmanager:Get*'],
  ])('flags %s on Resource "*"', (action) => {
    const findings = lintPolicy(policy({ Effect: 'Allow', Action: action, Resource: '*' }));
    expect(findings.find((f) => f.code === 'sensitive-action-any-resource')?.severity).toBe('high');
  });

  it('does not flag sensitive actions scoped to named resources, nor harmless actions on "*"', () => {
    expect(codes(policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:lab/db-??????' }))).toEqual([]);
    expect(codes(policy({ Effect: 'Allow', Action: ['ecs:Describe*', 'logs:CreateLogStream'], Resource: '*' }))).toEqual([]);
  });

  it('lowers the severity when conditions narrow a sensitive grant', () => {
    const findings = lintPolicy(policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } }));
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['sensitive-action-any-resource', 'medium']]);
  });

  it('flags iam:PassRole without iam:PassedToService', () => {
    expect(codes(policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/lab-*' }))).toEqual(['passrole-without-service']);
  });

  it('flags Allow with NotAction, NotResource and NotPrincipal', () => {
    expect(codes(policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' }))).toContain('allow-not-action');
    expect(codes(policy({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }))).toContain('allow-not-resource');
    expect(codes(policy({ Effect: 'Allow', NotPrincipal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }))).toContain('allow-not-principal');
  });

  it('an Allow NotAction that does not exclude sensitive actions grants them on every resource', () => {
    expect(codes(policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))).toContain('sensitive-action-any-resource');
  });

  it("flags Principal '*' without conditions", () => {
    expect(codes(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }))).toEqual(['public-principal']);
    expect(codes(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }))).toEqual([]);
  });

  it('flags set operators used the wrong way', () => {
    expect(codes(policy({ Effect: 'Deny', Action: 'ecs:*', Resource: '*', Condition: { StringEquals: { 'aws:TagKeys': 'environment' } } }))).toEqual(['multivalued-without-set-operator']);
    expect(codes(policy({ Effect: 'Deny', Action: 'ecs:*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:ResourceTag/env': 'prod' } } }))).toEqual(['set-operator-on-single-value']);
    expect(codes(policy({ Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } } }))).toEqual(['forallvalues-without-null']);
    expect(codes(policy({ Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] }, Null: { 'aws:TagKeys': 'false' } } }))).toEqual([]);
  });

  it('flags variables that an old or missing Version turns into text', () => {
    expect(codes({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' }] })).toEqual(['old-version', 'variables-need-version']);
  });

  it('flags a Sid IAM would refuse', () => {
    expect(codes(policy({ Sid: 'allow read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }))).toEqual(['sid-format']);
  });

  it('reports a malformed document as one finding', () => {
    expect(lintPolicy('{"Statement": [{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:Get*", "Resource": "*"}]}')).toEqual([
      { severity: 'high', code: 'malformed-policy', statement: undefined, message: 'Statement 1 has both Action and NotAction; a statement may have only one of them.' },
    ]);
  });

  it('writes every message as a full sentence', () => {
    const findings = lintPolicy({ Statement: [{ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::x', Sid: 'bad sid' }, { Effect: 'Allow', Action: ['*', 'ec2:*'], Resource: '*' }] });
    expect(findings.length).toBeGreaterThan(5);
    for (const f of findings) expect(f.message).toMatch(/^[A-Z].*\.$/);
  });
});
