/**
 * Value pools for the differential corpus: the lab's accounts, principals, request targets and
 * condition keys with the policy and request values each can take. Every action and resource here
 * is accepted by the oracle's validation (real IAM actions, resource types that fit the action).
 */

export const A = '111122223333';
export const B = '444455556666';

export const PRINCIPALS = {
  userA: `arn:aws:iam::${A}:user/alice`,
  roleA: `arn:aws:iam::${A}:role/lab-developer`,
  sessionA: `arn:aws:sts::${A}:assumed-role/lab-developer/alice`,
  userB: `arn:aws:iam::${B}:user/bob`,
  sessionB: `arn:aws:sts::${B}:assumed-role/auditor/s1`,
  service: 'ecs-tasks.amazonaws.com',
  oidcProvider: `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`,
  cognito: 'cognito-identity.amazonaws.com',
} as const;

/** Where a target's resource policy comes from. */
export type ResourcePolicyUse = 'none' | 'optional' | 'required' | 'trust';

export interface Target {
  action: string;
  resources: string[];
  /** Sibling actions of the same service, to miss or hit with patterns. */
  siblings: string[];
  resourcePolicy: ResourcePolicyUse;
}

const svc = (cluster: string): string => `arn:aws:ecs:us-east-1:${A}:service/${cluster}/catalog`;
const cluster = (name: string): string => `arn:aws:ecs:us-east-1:${A}:cluster/${name}`;
const ecsSiblings = ['ecs:DescribeServices', 'ecs:ListClusters', 'ecs:CreateCluster', 'ecs:UpdateService', 'ecs:DeleteService'];

export const TARGETS: Target[] = [
  { action: 'ecs:UpdateService', resources: [svc('lab-dev'), svc('lab-prod')], siblings: ecsSiblings, resourcePolicy: 'none' },
  { action: 'ecs:DeleteService', resources: [svc('lab-dev'), svc('lab-prod')], siblings: ecsSiblings, resourcePolicy: 'none' },
  { action: 'ecs:DescribeServices', resources: [svc('lab-dev')], siblings: ecsSiblings, resourcePolicy: 'none' },
  { action: 'ecs:CreateService', resources: [svc('lab-dev'), svc('lab-prod')], siblings: ecsSiblings, resourcePolicy: 'none' },
  { action: 'ecs:TagResource', resources: [cluster('lab-dev'), cluster('lab-prod')], siblings: ['ecs:UntagResource', 'ecs:CreateCluster'], resourcePolicy: 'none' },
  { action: 'ecs:StopTask', resources: [`arn:aws:ecs:us-east-1:${A}:task/lab-dev/0123456789abcdef`], siblings: ['ecs:RunTask', 'ecs:StartTask'], resourcePolicy: 'none' },
  { action: 'ecs:RunTask', resources: [`arn:aws:ecs:us-east-1:${A}:task-definition/catalog:3`], siblings: ['ecs:StopTask', 'ecs:StartTask'], resourcePolicy: 'none' },
  { action: 'ecs:ExecuteCommand', resources: [cluster('lab-dev'), cluster('lab-prod')], siblings: ecsSiblings, resourcePolicy: 'none' },
  { action: 'ecs:ListClusters', resources: ['*'], siblings: ecsSiblings, resourcePolicy: 'none' },
  {
    action: 'secretsmanager:GetSecretValue',
    resources: [`arn:aws:secretsmanager:us-east-1:${A}:secret:lab/db-AbCdEf`, `arn:aws:secretsmanager:us-east-1:${A}:secret:lab/api-key-XyZ123`],
    siblings: ['secretsmanager:DescribeSecret', 'secretsmanager:ListSecrets', 'secretsmanager:PutSecretValue'],
    resourcePolicy: 'optional',
  },
  {
    action: 'ssm:GetParameter',
    resources: [`arn:aws:ssm:us-east-1:${A}:parameter/lab/auth/db-url`, `arn:aws:ssm:us-east-1:${A}:parameter/lab/orders/db-url`],
    siblings: ['ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:PutParameter'],
    resourcePolicy: 'none',
  },
  { action: 'kms:Decrypt', resources: [`arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`], siblings: ['kms:Encrypt', 'kms:GenerateDataKey'], resourcePolicy: 'required' },
  {
    action: 'iam:PassRole',
    resources: [`arn:aws:iam::${A}:role/lab-task-execution-role`, `arn:aws:iam::${A}:role/ops/lab-admin`],
    siblings: ['iam:GetRole', 'iam:CreateRole', 'iam:PutRolePolicy'],
    resourcePolicy: 'none',
  },
  {
    action: 's3:GetObject',
    resources: [`arn:aws:s3:::lab-audit-${A}/AWSLogs/alice/trail.json`, `arn:aws:s3:::lab-audit-${A}/AWSLogs/bob/trail.json`],
    siblings: ['s3:PutObject', 's3:ListBucket', 's3:GetObjectVersion'],
    resourcePolicy: 'optional',
  },
  {
    action: 'sqs:SendMessage',
    resources: [`arn:aws:sqs:us-east-2:${A}:alice-queue`, `arn:aws:sqs:us-east-2:${A}:bob-queue`],
    siblings: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
    resourcePolicy: 'optional',
  },
  { action: 'logs:CreateLogStream', resources: [`arn:aws:logs:us-east-1:${A}:log-group:/ecs/catalog:log-stream:web-1`], siblings: ['logs:PutLogEvents', 'logs:CreateLogGroup'], resourcePolicy: 'none' },
  { action: 'sts:AssumeRole', resources: [`arn:aws:iam::${A}:role/lab-task-role`], siblings: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'], resourcePolicy: 'trust' },
  { action: 'sts:AssumeRoleWithWebIdentity', resources: [`arn:aws:iam::${A}:role/lab-ci-role`], siblings: ['sts:AssumeRole'], resourcePolicy: 'trust' },
  { action: 'ec2:DescribeInstances', resources: ['*'], siblings: ['ec2:DescribeVpcs', 'ec2:TerminateInstances'], resourcePolicy: 'none' },
  { action: 'cloudtrail:StopLogging', resources: [`arn:aws:cloudtrail:us-east-1:${A}:trail/lab-trail`], siblings: ['cloudtrail:StartLogging', 'cloudtrail:DeleteTrail'], resourcePolicy: 'none' },
];

/** Actions of other services, for patterns that must not match. */
export const UNRELATED_ACTIONS = ['s3:GetObject', 'iam:*', 'kms:Describe*', 'ecr:GetAuthorizationToken', 'logs:*'];

/** Resources of other services or places, for patterns that must not match. */
export const UNRELATED_RESOURCES = [
  `arn:aws:s3:::other-bucket/*`,
  `arn:aws:ecs:eu-west-1:${B}:service/x/y`,
  `arn:aws:iam::${B}:role/*`,
  `arn:aws:ssm:us-east-1:${A}:parameter/other/*`,
];

export type KeyKind = 'string' | 'multi' | 'bool' | 'numeric' | 'date-iso' | 'date-epoch' | 'ip' | 'arn';

/** A condition key with the values a policy and a request can carry. */
export interface KeySpec {
  key: string;
  kind: KeyKind;
  policy: string[];
  /** Request values; empty when the value comes from the principal (aws:username, aws:PrincipalArn). */
  request: (string | string[])[];
}

export const KEYS: KeySpec[] = [
  {
    key: 'aws:ResourceTag/environment',
    kind: 'string',
    policy: ['dev', 'prod', 'Dev', 'd*', 'pro?', '*', '${aws:PrincipalTag/env}', "${aws:PrincipalTag/env, 'dev'}"],
    request: ['dev', 'prod', 'Dev', 'staging'],
  },
  { key: 'aws:RequestTag/environment', kind: 'string', policy: ['dev', 'prod', '${aws:ResourceTag/environment}'], request: ['dev', 'prod'] },
  { key: 'aws:PrincipalTag/team', kind: 'string', policy: ['auth', 'orders', 'Auth', 'a*'], request: ['auth', 'orders', 'AUTH'] },
  { key: 'aws:PrincipalTag/env', kind: 'string', policy: ['dev', 'prod'], request: ['dev', 'prod'] },
  { key: 'aws:ResourceTag/team', kind: 'string', policy: ['${aws:PrincipalTag/team}', "${aws:PrincipalTag/team, 'auth'}", 'auth'], request: ['auth', 'orders'] },
  { key: 'aws:ResourceTag/owner', kind: 'string', policy: ['team-${*}', 'team-*', 'team-?', 'cost${$}', 'who${?}'], request: ['team-*', 'team-x', 'cost$', 'who?', 'whom'] },
  { key: 'aws:username', kind: 'string', policy: ['alice', 'Alice', 'al*', '${aws:username}'], request: [] },
  { key: 'aws:SourceAccount', kind: 'string', policy: [A, B, '${aws:PrincipalAccount}'], request: [A, B] },
  { key: 'aws:RequestedRegion', kind: 'string', policy: ['us-east-1', 'eu-*'], request: ['us-east-1', 'eu-west-1'] },
  { key: 'ecs:CreateAction', kind: 'string', policy: ['CreateService', 'RunTask', 'Create*'], request: ['CreateService', 'RunTask'] },
  { key: 'iam:PassedToService', kind: 'string', policy: ['ecs-tasks.amazonaws.com', 'ec2.amazonaws.com', 'ecs*'], request: ['ecs-tasks.amazonaws.com', 'ec2.amazonaws.com'] },
  { key: 'sts:ExternalId', kind: 'string', policy: ['lab-ext-1', 'lab-ext-*'], request: ['lab-ext-1', 'lab-ext-2'] },
  {
    key: 'aws:TagKeys',
    kind: 'multi',
    policy: ['environment', 'team', 'owner', 'env*', 'Environment'],
    request: [[], ['environment'], ['environment', 'team'], ['Environment'], ['owner', 'cost'], ['team']],
  },
  { key: 'aws:CalledVia', kind: 'multi', policy: ['cloudformation.amazonaws.com', 'athena.amazonaws.com'], request: [['cloudformation.amazonaws.com'], ['athena.amazonaws.com', 'cloudformation.amazonaws.com']] },
  { key: 'aws:SecureTransport', kind: 'bool', policy: ['true', 'false', 'True'], request: ['true', 'false', 'TRUE'] },
  { key: 'aws:MultiFactorAuthPresent', kind: 'bool', policy: ['true', 'false'], request: ['true', 'false'] },
  { key: 'aws:MultiFactorAuthAge', kind: 'numeric', policy: ['300', '3600', '3600.5', '0'], request: ['100', '3600', '7200', '0'] },
  { key: 'aws:CurrentTime', kind: 'date-iso', policy: ['2024-01-01T00:00:00Z', '2025-06-01T12:00:00Z', '2024-01-01'], request: ['2023-12-31T23:59:59Z', '2024-01-01T00:00:00Z', '2025-07-04T08:00:00Z'] },
  { key: 'aws:TokenIssueTime', kind: 'date-iso', policy: ['2024-01-01T00:00:00Z', '2025-06-01T12:00:00.500Z'], request: ['2024-01-01T00:00:00Z', '2025-06-01T12:00:01Z'] },
  { key: 'aws:EpochTime', kind: 'date-epoch', policy: ['1704067200', '1750000000'], request: ['1704067199', '1704067200', '1760000000'] },
  {
    key: 'aws:SourceIp',
    kind: 'ip',
    policy: ['10.0.0.0/8', '10.1.2.3/32', '192.168.0.0/16', '203.0.113.0/24', '2001:db8::/32', '2001:db8::1/128', '10.1.2.3', '0.0.0.0/0'],
    request: ['10.1.2.3', '192.168.5.5', '203.0.113.9', '2001:db8::1', '2001:db9::1', '8.8.8.8'],
  },
  {
    key: 'aws:SourceArn',
    kind: 'arn',
    policy: [`arn:aws:ecs:us-east-1:${A}:cluster/*`, `arn:aws:ecs:*:${A}:*`, 'arn:aws:ecs:*:${aws:SourceAccount}:cluster/*', 'arn:aws:ecs:us-east-1:*:cluster/lab-?ev', `arn:aws:someservice:*:${A}:finance/*`, `arn:aws:ecs:us-east-1:${A}:cluster/lab-\${aws:PrincipalTag/env}`],
    request: [cluster('lab-dev'), `arn:aws:ecs:eu-west-1:${B}:cluster/x`, `arn:aws:someservice:us-east-2:999999999999:store/abc:${A}:finance/document.txt`, cluster('lab-prod')],
  },
  {
    key: 'aws:PrincipalArn',
    kind: 'arn',
    policy: [`arn:aws:iam::${A}:role/lab-*`, `arn:aws:iam::${A}:user/\${aws:username}`, 'arn:aws:iam::*:role/lab-developer', `arn:aws:iam::${B}:*`],
    request: [],
  },
];

export const OPERATORS: Record<KeyKind, string[]> = {
  string: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  multi: ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase'],
  bool: ['Bool'],
  numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  'date-iso': ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  'date-epoch': ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateGreaterThan', 'DateGreaterThanEquals'],
  ip: ['IpAddress', 'NotIpAddress'],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringLike'],
};
