/**
 * The AWS managed policies the lab attaches, seeded read-only in every account (as in AWS, where
 * they live in the `aws` account). Documents follow the published policies.
 */
import type { PolicyRecord } from './state.js';

const CREATED = new Date('2017-11-17T00:00:00Z');

function managed(path: string, name: string, statements: object[], id: string): [string, PolicyRecord] {
  const arn = `arn:aws:iam::aws:policy${path}${name}`;
  return [
    arn,
    {
      policyName: name,
      policyId: id,
      arn,
      path,
      description: undefined,
      createDate: CREATED,
      updateDate: CREATED,
      defaultVersionId: 'v1',
      nextVersion: 2,
      versions: [{ versionId: 'v1', document: JSON.stringify({ Version: '2012-10-17', Statement: statements }), createDate: CREATED }],
      tags: [],
    },
  ];
}

/** AWS managed policies by ARN. */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyRecord>> = Object.fromEntries([
  managed('/', 'AdministratorAccess', [{ Effect: 'Allow', Action: '*', Resource: '*' }], 'ANPAIWMBCKSKIEE64ZLYK'),
  managed('/', 'ReadOnlyAccess', [{ Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*', 'ec2:Describe*', 'iam:Get*', 'iam:List*'], Resource: '*' }], 'ANPAILL3HVNFSB6DCOWYQ'),
  managed(
    '/service-role/',
    'AmazonECSTaskExecutionRolePolicy',
    [
      {
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      },
    ],
    'ANPAJG4T4G4PV56DE72PY',
  ),
  managed(
    '/service-role/',
    'AmazonEC2ContainerServiceforEC2Role',
    [
      {
        Effect: 'Allow',
        Action: [
          'ec2:DescribeTags', 'ecs:CreateCluster', 'ecs:DeregisterContainerInstance', 'ecs:DiscoverPollEndpoint', 'ecs:Poll',
          'ecs:RegisterContainerInstance', 'ecs:StartTelemetrySession', 'ecs:UpdateContainerInstancesState', 'ecs:Submit*',
          'ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage',
          'logs:CreateLogStream', 'logs:PutLogEvents',
        ],
        Resource: '*',
      },
    ],
    'ANPAJLYJCVHC7TQHCSQDS',
  ),
  // The service-linked roles' policies (service-linked.ts), abridged to the main actions each
  // service takes on the customer's behalf; policy ids are the sandbox's own.
  managed(
    '/aws-service-role/',
    'AmazonECSServiceRolePolicy',
    [
      {
        Effect: 'Allow',
        Action: [
          'ec2:AttachNetworkInterface', 'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
          'ec2:DeleteNetworkInterfacePermission', 'ec2:Describe*', 'ec2:DetachNetworkInterface', 'elasticloadbalancing:DeregisterTargets',
          'elasticloadbalancing:Describe*', 'elasticloadbalancing:RegisterTargets', 'autoscaling:Describe*', 'logs:CreateLogGroup',
          'logs:DescribeLogGroups', 'logs:PutRetentionPolicy',
        ],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:SetInstanceProtection'], Resource: '*', Condition: { Null: { 'autoscaling:ResourceTag/AmazonECSManaged': 'false' } } },
    ],
    'ANPASANDBOXSLRECS0001',
  ),
  managed(
    '/aws-service-role/',
    'AutoScalingServiceRolePolicy',
    [
      {
        Effect: 'Allow',
        Action: [
          'ec2:RunInstances', 'ec2:TerminateInstances', 'ec2:CreateTags', 'ec2:Describe*', 'ec2:AttachNetworkInterface',
          'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:Describe*',
          'cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms',
        ],
        Resource: '*',
      },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringLike: { 'iam:PassedToService': 'ec2.amazonaws.com*' } } },
    ],
    'ANPASANDBOXSLRASG0001',
  ),
  managed(
    '/aws-service-role/',
    'AWSApplicationAutoscalingECSServicePolicy',
    [{ Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:UpdateService', 'cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'], Resource: '*' }],
    'ANPASANDBOXSLRAAS0001',
  ),
  managed('/', 'AmazonSSMManagedInstanceCore', [{ Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*', 'ec2messages:*'], Resource: '*' }], 'ANPAIXSHM2BNB2D3AXXRU'),
]);
