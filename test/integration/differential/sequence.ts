/**
 * The request sequence the differential test sends, unchanged, to moto_server and to the sandbox
 * through the real SDK v3 clients. Steps run in order; a step reads earlier results (ids) from
 * its own endpoint's results, so both sides walk the same story with their own identifiers.
 *
 * Step ids are `<service>.<Operation>[#variant]`; the intentional-difference table in
 * `sandbox-vs-moto.test.ts` refers to them.
 */
import { AutoScaling } from '@aws-sdk/client-auto-scaling';
import { CloudTrail } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogs } from '@aws-sdk/client-cloudwatch-logs';
import { EC2 } from '@aws-sdk/client-ec2';
import { ECS } from '@aws-sdk/client-ecs';
import { IAM } from '@aws-sdk/client-iam';
import { KMS } from '@aws-sdk/client-kms';
import { S3 } from '@aws-sdk/client-s3';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { SSM } from '@aws-sdk/client-ssm';
import { STS } from '@aws-sdk/client-sts';

/** The account both endpoints act in: moto's default, and a 12-digit key selects it in the sandbox. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** SDK v3 client configuration for one endpoint. */
export function endpointConfig(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = { accessKeyId: ACCOUNT, secretAccessKey: 'test' }) {
  return { endpoint, region: REGION, credentials, maxAttempts: 1 };
}

/** The clients of one endpoint. */
export interface Clients {
  readonly endpoint: string;
  readonly ecs: ECS;
  readonly ec2: EC2;
  readonly iam: IAM;
  readonly sts: STS;
  readonly secrets: SecretsManager;
  readonly ssm: SSM;
  readonly logs: CloudWatchLogs;
  readonly s3: S3;
  readonly trail: CloudTrail;
  readonly asg: AutoScaling;
  readonly kms: KMS;
}

/** Creates the clients for one endpoint. */
export function clientsFor(endpoint: string): Clients {
  const cfg = endpointConfig(endpoint);
  return {
    endpoint,
    ecs: new ECS(cfg),
    ec2: new EC2(cfg),
    iam: new IAM(cfg),
    sts: new STS(cfg),
    secrets: new SecretsManager(cfg),
    ssm: new SSM(cfg),
    logs: new CloudWatchLogs(cfg),
    s3: new S3({ ...cfg, forcePathStyle: true }),
    trail: new CloudTrail(cfg),
    asg: new AutoScaling(cfg),
    kms: new KMS(cfg),
  };
}

/** Destroys every client of an endpoint. */
export function destroyClients(c: Clients): void {
  for (const client of [c.ecs, c.ec2, c.iam, c.sts, c.secrets, c.ssm, c.logs, c.s3, c.trail, c.asg, c.kms]) client.destroy();
}

/** Earlier results of the same endpoint, by step id (throws when that step failed). */
export type Results = (stepId: string) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One request (or a short fixed exchange) of the sequence. */
export interface Step {
  readonly id: string;
  run(c: Clients, r: Results): Promise<unknown>;
  /**
   * Values that must be equal on both endpoints, beyond the shape (counts, statuses, names,
   * decoded documents): a projection of a successful result free of ids and timestamps.
   */
  probe?(value: any): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const TRUST_ACCOUNT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
});
const READ_SECRETS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'ssm:GetParameters'], Resource: '*' }],
});
const READ_ONE_SECRET = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-*` }],
});
const NO_RESOURCE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] });
const DENY_OTHERS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/diff-nobody` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});
const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
const TAGS = [{ Key: 'ecs-lab:managed', Value: 'true' }, { Key: 'ecs-lab:scenario', Value: 'diff' }];
const ECS_TAGS = [{ key: 'ecs-lab:managed', value: 'true' }, { key: 'ecs-lab:scenario', value: 'diff' }];
const USER_DATA = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=diff-a >> /etc/ecs/ecs.config\n').toString('base64');

const step = (id: string, run: Step['run']): Step => ({ id, run });

/** An IAM policy document as JSON, whether the endpoint sent it URL-encoded (as AWS does) or not. */
const doc = (text: string | undefined) => (text === undefined ? undefined : JSON.parse(text.startsWith('%') ? decodeURIComponent(text) : text));
const sorted = <T>(items: T[]) => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
type Tagged = { Key?: string; Value?: string; key?: string; value?: string };
const tagPairs = (tags: Tagged[] | undefined) => sorted((tags ?? []).map((t) => `${t.Key ?? t.key}=${t.Value ?? t.value}`));

const FLOW_BUCKET = 'diff-flow-log-bucket';
const TRAIL_BUCKET = 'diff-trail-bucket';
const TRAIL_BUCKET_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${TRAIL_BUCKET}` },
    {
      Sid: 'Write',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${TRAIL_BUCKET}/AWSLogs/${ACCOUNT}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ],
});

/** S3: buckets for flow logs and the trail, policy, tags, objects. */
const s3Steps: Step[] = [
  step('s3.CreateBucket', (c) => c.s3.createBucket({ Bucket: FLOW_BUCKET })),
  step('s3.CreateBucket#trail', (c) => c.s3.createBucket({ Bucket: TRAIL_BUCKET })),
  step('s3.CreateBucket#duplicate', (c) => c.s3.createBucket({ Bucket: TRAIL_BUCKET })),
  step('s3.HeadBucket', (c) => c.s3.headBucket({ Bucket: FLOW_BUCKET })),
  step('s3.HeadBucket#missing', (c) => c.s3.headBucket({ Bucket: 'diff-no-such-bucket' })),
  step('s3.ListBuckets', (c) => c.s3.listBuckets({})),
  step('s3.GetBucketLocation', (c) => c.s3.getBucketLocation({ Bucket: FLOW_BUCKET })),
  step('s3.PutBucketPolicy', (c) => c.s3.putBucketPolicy({ Bucket: TRAIL_BUCKET, Policy: TRAIL_BUCKET_POLICY })),
  step('s3.GetBucketPolicy', (c) => c.s3.getBucketPolicy({ Bucket: TRAIL_BUCKET })),
  step('s3.GetBucketPolicy#missing', (c) => c.s3.getBucketPolicy({ Bucket: FLOW_BUCKET })),
  step('s3.PutBucketTagging', (c) => c.s3.putBucketTagging({ Bucket: FLOW_BUCKET, Tagging: { TagSet: TAGS } })),
  step('s3.GetBucketTagging', (c) => c.s3.getBucketTagging({ Bucket: FLOW_BUCKET })),
  step('s3.PutObject', (c) => c.s3.putObject({ Bucket: FLOW_BUCKET, Key: 'vpc/readme.txt', Body: 'flow logs land here' })),
  step('s3.PutObject#second', (c) => c.s3.putObject({ Bucket: FLOW_BUCKET, Key: 'vpc/2026/01/a.log', Body: 'x' })),
  step('s3.ListObjectsV2', (c) => c.s3.listObjectsV2({ Bucket: FLOW_BUCKET, Prefix: 'vpc/', Delimiter: '/' })),
  step('s3.ListObjectsV2#missing-bucket', (c) => c.s3.listObjectsV2({ Bucket: 'diff-no-such-bucket' })),
];

/** EC2 set-up: zones, instance types, a VPC with two subnets, security groups and rules, tags, launch templates, flow logs. */
const ec2Setup: Step[] = [
  step('ec2.DescribeAvailabilityZones', (c) => c.ec2.describeAvailabilityZones({})),
  step('ec2.DescribeInstanceTypes', (c) => c.ec2.describeInstanceTypes({ InstanceTypes: ['t3.micro', 'm5.large'] })),
  step('ec2.DescribeVpcs#default', (c) => c.ec2.describeVpcs({ Filters: [{ Name: 'is-default', Values: ['true'] }] })),
  step('ec2.CreateVpc', (c) => c.ec2.createVpc({ CidrBlock: '10.10.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: TAGS }] })),
  step('ec2.DescribeVpcs', (c, r) => c.ec2.describeVpcs({ VpcIds: [r('ec2.CreateVpc').Vpc.VpcId] })),
  step('ec2.CreateSubnet#a', (c, r) =>
    c.ec2.createSubnet({ VpcId: r('ec2.CreateVpc').Vpc.VpcId, CidrBlock: '10.10.1.0/24', AvailabilityZone: 'us-east-1a', TagSpecifications: [{ ResourceType: 'subnet', Tags: TAGS }] }),
  ),
  step('ec2.CreateSubnet#b', (c, r) => c.ec2.createSubnet({ VpcId: r('ec2.CreateVpc').Vpc.VpcId, CidrBlock: '10.10.2.0/24', AvailabilityZone: 'us-east-1b' })),
  step('ec2.CreateSubnet#conflict', (c, r) => c.ec2.createSubnet({ VpcId: r('ec2.CreateVpc').Vpc.VpcId, CidrBlock: '10.10.1.0/25', AvailabilityZone: 'us-east-1a' })),
  step('ec2.DescribeSubnets', (c, r) => c.ec2.describeSubnets({ Filters: [{ Name: 'vpc-id', Values: [r('ec2.CreateVpc').Vpc.VpcId] }] })),
  step('ec2.DescribeRegions', (c) => c.ec2.describeRegions({ RegionNames: ['us-east-1', 'eu-west-1'] })),
  step('ec2.DescribeRegions#unknown', (c) => c.ec2.describeRegions({ RegionNames: ['us-nowhere-1'] })),
  step('ec2.DescribeInstanceTypeOfferings', (c) =>
    c.ec2.describeInstanceTypeOfferings({ LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }, { Name: 'location', Values: ['us-east-1a'] }] }),
  ),
  step('ec2.DescribeRouteTables', (c, r) => c.ec2.describeRouteTables({ Filters: [{ Name: 'vpc-id', Values: [r('ec2.CreateVpc').Vpc.VpcId] }] })),
  step('ec2.DescribeRouteTables#default', (c, r) =>
    c.ec2.describeRouteTables({ Filters: [{ Name: 'vpc-id', Values: [r('ec2.DescribeVpcs#default').Vpcs[0].VpcId] }, { Name: 'association.main', Values: ['true'] }] }),
  ),
  step('ec2.DescribeRouteTables#missing', (c) => c.ec2.describeRouteTables({ RouteTableIds: ['rtb-0123456789abcdef0'] })),
  step('ec2.DescribeInternetGateways#default', (c, r) =>
    c.ec2.describeInternetGateways({ Filters: [{ Name: 'attachment.vpc-id', Values: [r('ec2.DescribeVpcs#default').Vpcs[0].VpcId] }] }),
  ),
  step('ec2.DescribeInternetGateways#missing', (c) => c.ec2.describeInternetGateways({ InternetGatewayIds: ['igw-0123456789abcdef0'] })),
  step('ec2.CreateInternetGateway', (c) => c.ec2.createInternetGateway({ TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: TAGS }] })),
  step('ec2.AttachInternetGateway', (c, r) =>
    c.ec2.attachInternetGateway({ InternetGatewayId: r('ec2.CreateInternetGateway').InternetGateway.InternetGatewayId, VpcId: r('ec2.CreateVpc').Vpc.VpcId }),
  ),
  step('ec2.DeleteInternetGateway#attached', (c, r) => c.ec2.deleteInternetGateway({ InternetGatewayId: r('ec2.CreateInternetGateway').InternetGateway.InternetGatewayId })),
  step('ec2.DescribeInternetGateways', (c, r) => c.ec2.describeInternetGateways({ InternetGatewayIds: [r('ec2.CreateInternetGateway').InternetGateway.InternetGatewayId] })),
  step('ec2.DetachInternetGateway', (c, r) =>
    c.ec2.detachInternetGateway({ InternetGatewayId: r('ec2.CreateInternetGateway').InternetGateway.InternetGatewayId, VpcId: r('ec2.CreateVpc').Vpc.VpcId }),
  ),
  step('ec2.DeleteInternetGateway', (c, r) => c.ec2.deleteInternetGateway({ InternetGatewayId: r('ec2.CreateInternetGateway').InternetGateway.InternetGatewayId })),
  step('ec2.DescribeNetworkAcls', (c, r) => c.ec2.describeNetworkAcls({ Filters: [{ Name: 'vpc-id', Values: [r('ec2.CreateVpc').Vpc.VpcId] }] })),
  step('ec2.DescribeNetworkAcls#missing', (c) => c.ec2.describeNetworkAcls({ NetworkAclIds: ['acl-0123456789abcdef0'] })),
  step('ec2.DescribeKeyPairs', (c) => c.ec2.describeKeyPairs({})),
  step('ec2.DescribeAddresses', (c) => c.ec2.describeAddresses({})),
  step('ec2.DescribeVpcEndpointServices', (c) => c.ec2.describeVpcEndpointServices({ ServiceNames: [`com.amazonaws.${REGION}.secretsmanager`] })),
  step('ec2.CreateSecurityGroup#web', (c, r) =>
    c.ec2.createSecurityGroup({
      GroupName: 'diff-web',
      Description: 'web tier',
      VpcId: r('ec2.CreateVpc').Vpc.VpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: TAGS }],
    }),
  ),
  step('ec2.CreateSecurityGroup#db', (c, r) => c.ec2.createSecurityGroup({ GroupName: 'diff-db', Description: 'db tier', VpcId: r('ec2.CreateVpc').Vpc.VpcId })),
  step('ec2.CreateSecurityGroup#tmp', (c, r) => c.ec2.createSecurityGroup({ GroupName: 'diff-tmp', Description: 'short-lived', VpcId: r('ec2.CreateVpc').Vpc.VpcId })),
  step('ec2.CreateSecurityGroup#duplicate', (c, r) => c.ec2.createSecurityGroup({ GroupName: 'diff-db', Description: 'again', VpcId: r('ec2.CreateVpc').Vpc.VpcId })),
  step('ec2.AuthorizeSecurityGroupIngress#cidr', (c, r) =>
    c.ec2.authorizeSecurityGroupIngress({
      GroupId: r('ec2.CreateSecurityGroup#web').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }] }],
    }),
  ),
  step('ec2.AuthorizeSecurityGroupIngress#group', (c, r) =>
    c.ec2.authorizeSecurityGroupIngress({
      GroupId: r('ec2.CreateSecurityGroup#db').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: r('ec2.CreateSecurityGroup#web').GroupId }] }],
    }),
  ),
  step('ec2.AuthorizeSecurityGroupIngress#duplicate', (c, r) =>
    c.ec2.authorizeSecurityGroupIngress({
      GroupId: r('ec2.CreateSecurityGroup#web').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  ),
  step('ec2.AuthorizeSecurityGroupIngress#ssh', (c, r) =>
    c.ec2.authorizeSecurityGroupIngress({
      GroupId: r('ec2.CreateSecurityGroup#web').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  ),
  step('ec2.DescribeSecurityGroups', (c, r) => c.ec2.describeSecurityGroups({ GroupIds: [r('ec2.CreateSecurityGroup#web').GroupId, r('ec2.CreateSecurityGroup#db').GroupId] })),
  step('ec2.DescribeSecurityGroups#filter', (c, r) => c.ec2.describeSecurityGroups({ Filters: [{ Name: 'vpc-id', Values: [r('ec2.CreateVpc').Vpc.VpcId] }] })),
  step('ec2.DescribeSecurityGroups#missing', (c) => c.ec2.describeSecurityGroups({ GroupIds: ['sg-0123456789abcdef0'] })),
  step('ec2.DescribeSecurityGroupRules', (c, r) => c.ec2.describeSecurityGroupRules({ Filters: [{ Name: 'group-id', Values: [r('ec2.CreateSecurityGroup#web').GroupId] }] })),
  step('ec2.UpdateSecurityGroupRuleDescriptionsIngress', (c, r) =>
    c.ec2.updateSecurityGroupRuleDescriptionsIngress({
      GroupId: r('ec2.CreateSecurityGroup#web').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'public https' }] }],
    }),
  ),
  step('ec2.UpdateSecurityGroupRuleDescriptionsIngress#missing', (c, r) =>
    c.ec2.updateSecurityGroupRuleDescriptionsIngress({
      GroupId: r('ec2.CreateSecurityGroup#web').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'nothing' }] }],
    }),
  ),
  step('ec2.StopInstances#missing', (c) => c.ec2.stopInstances({ InstanceIds: ['i-0123456789abcdef0'] })),
  step('ec2.DescribeVolumes', (c) => c.ec2.describeVolumes({ Filters: [{ Name: 'attachment.instance-id', Values: ['i-0123456789abcdef0'] }] })),
  step('ec2.DescribeNatGateways', (c) => c.ec2.describeNatGateways({})),
  step('ec2.RevokeSecurityGroupIngress', (c, r) =>
    c.ec2.revokeSecurityGroupIngress({
      GroupId: r('ec2.CreateSecurityGroup#web').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  ),
  step('ec2.RevokeSecurityGroupIngress#missing', (c, r) =>
    c.ec2.revokeSecurityGroupIngress({
      GroupId: r('ec2.CreateSecurityGroup#web').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 23, ToPort: 23, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  ),
  step('ec2.RevokeSecurityGroupEgress', (c, r) =>
    c.ec2.revokeSecurityGroupEgress({ GroupId: r('ec2.CreateSecurityGroup#db').GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
  ),
  step('ec2.AuthorizeSecurityGroupEgress', (c, r) =>
    c.ec2.authorizeSecurityGroupEgress({
      GroupId: r('ec2.CreateSecurityGroup#db').GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.10.0.0/16' }] }],
    }),
  ),
  step('ec2.CreateTags', (c, r) => c.ec2.createTags({ Resources: [r('ec2.CreateVpc').Vpc.VpcId, r('ec2.CreateSubnet#b').Subnet.SubnetId], Tags: [{ Key: 'team', Value: 'blue' }] })),
  step('ec2.DescribeTags', (c, r) => c.ec2.describeTags({ Filters: [{ Name: 'resource-id', Values: [r('ec2.CreateVpc').Vpc.VpcId] }] })),
  step('ec2.DeleteTags', (c, r) => c.ec2.deleteTags({ Resources: [r('ec2.CreateSubnet#b').Subnet.SubnetId], Tags: [{ Key: 'team' }] })),
  step('ec2.DescribeVpcs#tag-filter', (c) => c.ec2.describeVpcs({ Filters: [{ Name: 'tag:ecs-lab:scenario', Values: ['diff'] }] })),
  step('ec2.CreateLaunchTemplate', (c, r) =>
    c.ec2.createLaunchTemplate({
      LaunchTemplateName: 'diff-hosts',
      VersionDescription: 'v1',
      LaunchTemplateData: {
        ImageId: 'ami-0123456789abcdef0',
        InstanceType: 't3.micro',
        UserData: USER_DATA,
        SecurityGroupIds: [r('ec2.CreateSecurityGroup#web').GroupId],
        MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      },
      TagSpecifications: [{ ResourceType: 'launch-template', Tags: TAGS }],
    }),
  ),
  step('ec2.CreateLaunchTemplateVersion', (c, r) =>
    c.ec2.createLaunchTemplateVersion({
      LaunchTemplateId: r('ec2.CreateLaunchTemplate').LaunchTemplate.LaunchTemplateId,
      SourceVersion: '1',
      VersionDescription: 'imdsv2',
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' } },
    }),
  ),
  step('ec2.ModifyLaunchTemplate', (c, r) => c.ec2.modifyLaunchTemplate({ LaunchTemplateId: r('ec2.CreateLaunchTemplate').LaunchTemplate.LaunchTemplateId, DefaultVersion: '2' })),
  step('ec2.DescribeLaunchTemplates', (c) => c.ec2.describeLaunchTemplates({ LaunchTemplateNames: ['diff-hosts'] })),
  step('ec2.DescribeLaunchTemplateVersions', (c, r) =>
    c.ec2.describeLaunchTemplateVersions({ LaunchTemplateId: r('ec2.CreateLaunchTemplate').LaunchTemplate.LaunchTemplateId, Versions: ['$Latest', '1'] }),
  ),
  step('ec2.DescribeLaunchTemplates#missing', (c) => c.ec2.describeLaunchTemplates({ LaunchTemplateNames: ['no-such-template'] })),
  step('ec2.CreateFlowLogs#logs', (c, r) =>
    c.ec2.createFlowLogs({
      ResourceIds: [r('ec2.CreateVpc').Vpc.VpcId],
      ResourceType: 'VPC',
      TrafficType: 'REJECT',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: 'diff-flow-logs',
      DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/diff-flow-logs`,
      TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: TAGS }],
    }),
  ),
  step('ec2.CreateFlowLogs#s3-prefix', (c, r) =>
    c.ec2.createFlowLogs({
      ResourceIds: [r('ec2.CreateVpc').Vpc.VpcId],
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: `arn:aws:s3:::${FLOW_BUCKET}/vpc/`,
    }),
  ),
  step('ec2.DescribeFlowLogs', (c, r) => c.ec2.describeFlowLogs({ Filter: [{ Name: 'resource-id', Values: [r('ec2.CreateVpc').Vpc.VpcId] }] })),
  step('ec2.DescribeVpcs#missing', (c) => c.ec2.describeVpcs({ VpcIds: ['vpc-0123456789abcdef0'] })),
];

/** IAM: roles, trust policies, inline and managed policies, attachments, tags, instance profiles, and their errors. */
const iamSteps: Step[] = [
  step('iam.CreateRole', (c) =>
    c.iam.createRole({ RoleName: 'diff-task', AssumeRolePolicyDocument: TRUST, Description: 'task role', Tags: TAGS, MaxSessionDuration: 7200 }),
  ),
  step('iam.CreateRole#execution', (c) => c.iam.createRole({ RoleName: 'diff-execution', Path: '/service/', AssumeRolePolicyDocument: TRUST })),
  step('iam.CreateRole#duplicate', (c) => c.iam.createRole({ RoleName: 'diff-task', AssumeRolePolicyDocument: TRUST })),
  step('iam.CreateRole#malformed', (c) => c.iam.createRole({ RoleName: 'diff-bad', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":' })),
  step('iam.GetRole', (c) => c.iam.getRole({ RoleName: 'diff-task' })),
  step('iam.GetRole#missing', (c) => c.iam.getRole({ RoleName: 'diff-nobody' })),
  step('iam.ListRoles', (c) => c.iam.listRoles({})),
  step('iam.ListRoles#paged', (c) => c.iam.listRoles({ PathPrefix: '/service/', MaxItems: 1 })),
  step('iam.ListOpenIDConnectProviders', (c) => c.iam.listOpenIDConnectProviders({})),
  step('iam.ListSAMLProviders', (c) => c.iam.listSAMLProviders({})),
  step('iam.GetUser#missing', (c) => c.iam.getUser({ UserName: 'diff-nobody' })),
  step('iam.ListUsers', (c) => c.iam.listUsers({})),
  step('iam.ListGroups', (c) => c.iam.listGroups({})),
  step('iam.ListAccountAliases', (c) => c.iam.listAccountAliases({})),
  step('iam.UpdateAssumeRolePolicy', (c) => c.iam.updateAssumeRolePolicy({ RoleName: 'diff-task', PolicyDocument: TRUST_ACCOUNT })),
  step('iam.PutRolePolicy', (c) => c.iam.putRolePolicy({ RoleName: 'diff-task', PolicyName: 'read-secrets', PolicyDocument: READ_SECRETS })),
  step('iam.PutRolePolicy#no-resource', (c) => c.iam.putRolePolicy({ RoleName: 'diff-task', PolicyName: 'bad', PolicyDocument: NO_RESOURCE })),
  step('iam.GetRolePolicy', (c) => c.iam.getRolePolicy({ RoleName: 'diff-task', PolicyName: 'read-secrets' })),
  step('iam.GetRolePolicy#missing', (c) => c.iam.getRolePolicy({ RoleName: 'diff-task', PolicyName: 'nope' })),
  step('iam.ListRolePolicies', (c) => c.iam.listRolePolicies({ RoleName: 'diff-task' })),
  step('iam.CreatePolicy', (c) => c.iam.createPolicy({ PolicyName: 'diff-read-db', PolicyDocument: READ_ONE_SECRET, Description: 'one secret', Tags: TAGS })),
  step('iam.CreatePolicy#no-resource', (c) => c.iam.createPolicy({ PolicyName: 'diff-bad', PolicyDocument: NO_RESOURCE })),
  step('iam.GetPolicy', (c, r) => c.iam.getPolicy({ PolicyArn: r('iam.CreatePolicy').Policy.Arn })),
  step('iam.GetPolicy#aws-managed', (c) => c.iam.getPolicy({ PolicyArn: EXECUTION_POLICY })),
  step('iam.CreatePolicyVersion', (c, r) => c.iam.createPolicyVersion({ PolicyArn: r('iam.CreatePolicy').Policy.Arn, PolicyDocument: READ_SECRETS, SetAsDefault: true })),
  step('iam.ListPolicyVersions', (c, r) => c.iam.listPolicyVersions({ PolicyArn: r('iam.CreatePolicy').Policy.Arn })),
  step('iam.GetPolicyVersion', (c, r) => c.iam.getPolicyVersion({ PolicyArn: r('iam.CreatePolicy').Policy.Arn, VersionId: 'v2' })),
  step('iam.GetPolicyVersion#aws-managed', (c) => c.iam.getPolicyVersion({ PolicyArn: EXECUTION_POLICY, VersionId: 'v1' })),
  step('iam.AttachRolePolicy', (c, r) => c.iam.attachRolePolicy({ RoleName: 'diff-task', PolicyArn: r('iam.CreatePolicy').Policy.Arn })),
  step('iam.AttachRolePolicy#aws-managed', (c) => c.iam.attachRolePolicy({ RoleName: 'diff-execution', PolicyArn: EXECUTION_POLICY })),
  step('iam.AttachRolePolicy#missing', (c) => c.iam.attachRolePolicy({ RoleName: 'diff-task', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/no-such-policy` })),
  step('iam.ListAttachedRolePolicies', (c) => c.iam.listAttachedRolePolicies({ RoleName: 'diff-task' })),
  step('iam.ListPolicies#local', (c) => c.iam.listPolicies({ Scope: 'Local' })),
  step('iam.TagRole', (c) => c.iam.tagRole({ RoleName: 'diff-task', Tags: [{ Key: 'team', Value: 'blue' }] })),
  step('iam.ListRoleTags', (c) => c.iam.listRoleTags({ RoleName: 'diff-task' })),
  step('iam.UntagRole', (c) => c.iam.untagRole({ RoleName: 'diff-task', TagKeys: ['team'] })),
  step('iam.TagPolicy', (c, r) => c.iam.tagPolicy({ PolicyArn: r('iam.CreatePolicy').Policy.Arn, Tags: [{ Key: 'team', Value: 'blue' }] })),
  step('iam.ListPolicyTags', (c, r) => c.iam.listPolicyTags({ PolicyArn: r('iam.CreatePolicy').Policy.Arn })),
  step('iam.CreateInstanceProfile', (c) => c.iam.createInstanceProfile({ InstanceProfileName: 'diff-hosts', Tags: TAGS })),
  step('iam.AddRoleToInstanceProfile', (c) => c.iam.addRoleToInstanceProfile({ InstanceProfileName: 'diff-hosts', RoleName: 'diff-execution' })),
  step('iam.GetInstanceProfile', (c) => c.iam.getInstanceProfile({ InstanceProfileName: 'diff-hosts' })),
  step('iam.ListInstanceProfilesForRole', (c) => c.iam.listInstanceProfilesForRole({ RoleName: 'diff-execution' })),
  step('iam.DeleteRole#attached', (c) => c.iam.deleteRole({ RoleName: 'diff-task' })),
  step('iam.CreateRole#pinned', (c) => c.iam.createRole({ RoleName: 'diff-pinned', AssumeRolePolicyDocument: TRUST })),
  step('iam.CreatePolicy#pinned', (c) => c.iam.createPolicy({ PolicyName: 'diff-pinned', PolicyDocument: READ_SECRETS })),
  step('iam.AttachRolePolicy#pinned', (c, r) => c.iam.attachRolePolicy({ RoleName: 'diff-pinned', PolicyArn: r('iam.CreatePolicy#pinned').Policy.Arn })),
  step('iam.CreateServiceLinkedRole', (c) => c.iam.createServiceLinkedRole({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'diff', Description: 'diff hosts' })),
  step('iam.CreateServiceLinkedRole#suffix-not-allowed', (c) => c.iam.createServiceLinkedRole({ AWSServiceName: 'ecs.amazonaws.com', CustomSuffix: 'diff' })),
  step('iam.CreateServiceLinkedRole#second', (c) => c.iam.createServiceLinkedRole({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'diff2' })),
  step('iam.DeleteRole#service-linked', (c) => c.iam.deleteRole({ RoleName: 'AWSServiceRoleForAutoScaling_diff2' })),
  step('iam.DeleteServiceLinkedRole', (c) => c.iam.deleteServiceLinkedRole({ RoleName: 'AWSServiceRoleForAutoScaling_diff' })),
  step('iam.GetServiceLinkedRoleDeletionStatus', (c, r) => c.iam.getServiceLinkedRoleDeletionStatus({ DeletionTaskId: r('iam.DeleteServiceLinkedRole').DeletionTaskId })),
  step('iam.SimulatePrincipalPolicy', (c, r) =>
    c.iam.simulatePrincipalPolicy({ PolicySourceArn: r('iam.GetRole').Role.Arn, ActionNames: ['secretsmanager:GetSecretValue', 's3:GetObject'] }),
  ),
];

/** STS: who am I, assume a role, and who am I with the session's credentials. */
const stsSteps: Step[] = [
  step('sts.GetCallerIdentity', (c) => c.sts.getCallerIdentity({})),
  step('sts.AssumeRole', (c, r) => c.sts.assumeRole({ RoleArn: r('iam.GetRole').Role.Arn, RoleSessionName: 'diff-session', DurationSeconds: 900 })),
  step('sts.GetCallerIdentity#assumed', async (c, r) => {
    const creds = r('sts.AssumeRole').Credentials;
    const sts = new STS(endpointConfig(c.endpoint, { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken }));
    try {
      return await sts.getCallerIdentity({});
    } finally {
      sts.destroy();
    }
  }),
  step('sts.AssumeRole#bad-arn', (c) => c.sts.assumeRole({ RoleArn: 'not-an-arn', RoleSessionName: 'diff-session' })),
  step('sts.GetSessionToken', (c) => c.sts.getSessionToken({ DurationSeconds: 900 })),
];

const fargateTaskDefinition = (r: Results) => ({
  family: 'diff-web',
  networkMode: 'awsvpc' as const,
  requiresCompatibilities: ['FARGATE' as const],
  cpu: '256',
  memory: '512',
  executionRoleArn: r('iam.CreateRole#execution').Role.Arn,
  taskRoleArn: r('iam.CreateRole').Role.Arn,
  pidMode: 'task' as const,
  containerDefinitions: [
    {
      name: 'app',
      image: 'public.ecr.aws/nginx/nginx:1.27',
      essential: true,
      cpu: 256,
      memory: 512,
      portMappings: [{ containerPort: 8080, protocol: 'tcp' as const }],
      environment: [{ name: 'MODE', value: 'lab' }],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-password` }],
      logConfiguration: {
        logDriver: 'awslogs' as const,
        options: { 'awslogs-group': '/ecs/diff-web', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'app' },
        secretOptions: [{ name: 'apiKey', valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/diff/api-key` }],
      },
      linuxParameters: { initProcessEnabled: true, capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] } },
      readonlyRootFilesystem: true,
      user: '1000',
    },
  ],
  tags: ECS_TAGS,
});

const networkConfiguration = (r: Results, withGroups = true) => ({
  awsvpcConfiguration: {
    subnets: [r('ec2.CreateSubnet#a').Subnet.SubnetId, r('ec2.CreateSubnet#b').Subnet.SubnetId],
    securityGroups: withGroups ? [r('ec2.CreateSecurityGroup#web').GroupId] : undefined,
    assignPublicIp: 'DISABLED' as const,
  },
});

/** ECS: clusters, task definitions, services, tasks, tags, account settings, capacity providers. */
const ecsSteps: Step[] = [
  step('ecs.CreateCluster', (c) => c.ecs.createCluster({ clusterName: 'diff-a', tags: ECS_TAGS, settings: [{ name: 'containerInsights', value: 'enabled' }] })),
  step('ecs.CreateCluster#b', (c) => c.ecs.createCluster({ clusterName: 'diff-b' })),
  step('ecs.DescribeClusters', (c) => c.ecs.describeClusters({ clusters: ['diff-a', 'diff-missing'], include: ['TAGS', 'SETTINGS'] })),
  step('ecs.DescribeClusters#plain', (c) => c.ecs.describeClusters({ clusters: ['diff-b'] })),
  step('ecs.ListClusters', (c) => c.ecs.listClusters({})),
  step('ecs.RegisterTaskDefinition', (c, r) => c.ecs.registerTaskDefinition(fargateTaskDefinition(r))),
  step('ecs.RegisterTaskDefinition#ec2', (c) =>
    c.ecs.registerTaskDefinition({
      family: 'diff-agent',
      networkMode: 'host',
      pidMode: 'host',
      containerDefinitions: [
        {
          name: 'agent',
          image: 'public.ecr.aws/amazonlinux/amazonlinux:2023',
          memory: 256,
          privileged: true,
          linuxParameters: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'] } },
          environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
        },
      ],
    }),
  ),
  step('ecs.RegisterTaskDefinition#revision2', (c, r) => c.ecs.registerTaskDefinition({ ...fargateTaskDefinition(r), tags: undefined })),
  step('ecs.DescribeTaskDefinition', (c) => c.ecs.describeTaskDefinition({ taskDefinition: 'diff-web:1', include: ['TAGS'] })),
  step('ecs.DescribeTaskDefinition#latest', (c) => c.ecs.describeTaskDefinition({ taskDefinition: 'diff-agent' })),
  step('ecs.DescribeTaskDefinition#missing', (c) => c.ecs.describeTaskDefinition({ taskDefinition: 'diff-nothing:1' })),
  step('ecs.ListTaskDefinitions', (c) => c.ecs.listTaskDefinitions({ familyPrefix: 'diff-web' })),
  step('ecs.ListTaskDefinitionFamilies', (c) => c.ecs.listTaskDefinitionFamilies({ familyPrefix: 'diff' })),
  step('ecs.CreateService', (c, r) =>
    c.ecs.createService({
      cluster: 'diff-a',
      serviceName: 'web',
      taskDefinition: 'diff-web:1',
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: networkConfiguration(r),
      tags: ECS_TAGS,
      propagateTags: 'SERVICE',
      enableECSManagedTags: true,
    }),
  ),
  step('ecs.CreateService#missing-cluster', (c) => c.ecs.createService({ cluster: 'diff-missing', serviceName: 'x', taskDefinition: 'diff-web:1', desiredCount: 0 })),
  step('ecs.DescribeServices', (c) => c.ecs.describeServices({ cluster: 'diff-a', services: ['web', 'diff-missing'], include: ['TAGS'] })),
  step('ecs.DescribeServices#missing-cluster', (c) => c.ecs.describeServices({ cluster: 'diff-missing', services: ['web'] })),
  step('ecs.ListServices', (c) => c.ecs.listServices({ cluster: 'diff-a' })),
  step('ecs.UpdateService', (c, r) =>
    c.ecs.updateService({
      cluster: 'diff-a',
      service: 'web',
      taskDefinition: 'diff-web:2',
      desiredCount: 2,
      platformVersion: '1.4.0',
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50 },
      networkConfiguration: networkConfiguration(r),
      propagateTags: 'TASK_DEFINITION',
      forceNewDeployment: true,
    }),
  ),
  step('ecs.UpdateService#missing', (c) => c.ecs.updateService({ cluster: 'diff-a', service: 'diff-missing', desiredCount: 1 })),
  step('ecs.RunTask', (c, r) =>
    c.ecs.runTask({ cluster: 'diff-a', taskDefinition: 'diff-web:2', launchType: 'FARGATE', networkConfiguration: networkConfiguration(r), startedBy: 'diff', tags: ECS_TAGS }),
  ),
  step('ecs.ListTasks', (c) => c.ecs.listTasks({ cluster: 'diff-a', startedBy: 'diff' })),
  step('ecs.DescribeTasks', (c, r) => c.ecs.describeTasks({ cluster: 'diff-a', tasks: [r('ecs.RunTask').tasks[0].taskArn], include: ['TAGS'] })),
  step('ecs.StopTask', (c, r) => c.ecs.stopTask({ cluster: 'diff-a', task: r('ecs.RunTask').tasks[0].taskArn, reason: 'diff' })),
  step('ecs.TagResource', (c, r) => c.ecs.tagResource({ resourceArn: r('ecs.CreateCluster').cluster.clusterArn, tags: [{ key: 'team', value: 'blue' }] })),
  step('ecs.ListTagsForResource', (c, r) => c.ecs.listTagsForResource({ resourceArn: r('ecs.CreateCluster').cluster.clusterArn })),
  step('ecs.ListTagsForResource#task-definition', (c, r) => c.ecs.listTagsForResource({ resourceArn: r('ecs.RegisterTaskDefinition').taskDefinition.taskDefinitionArn })),
  step('ecs.UntagResource', (c, r) => c.ecs.untagResource({ resourceArn: r('ecs.CreateCluster').cluster.clusterArn, tagKeys: ['team'] })),
  step('ecs.ListAccountSettings', (c) => c.ecs.listAccountSettings({ effectiveSettings: true, name: 'containerInsights' })),
  step('ecs.PutAccountSetting', (c) => c.ecs.putAccountSetting({ name: 'containerInsights', value: 'enabled' })),
  step('ecs.ListAccountSettings#own', (c) => c.ecs.listAccountSettings({})),
  step('ecs.ListAccountSettings#retirement', (c) => c.ecs.listAccountSettings({ effectiveSettings: true, name: 'fargateTaskRetirementWaitPeriod' })),
  step('ecs.PutAccountSettingDefault', (c) => c.ecs.putAccountSettingDefault({ name: 'fargateTaskRetirementWaitPeriod', value: '14' })),
  step('ecs.DeleteAccountSetting', (c) => c.ecs.deleteAccountSetting({ name: 'containerInsights' })),
  step('ecs.CreateCapacityProvider', (c) =>
    c.ecs.createCapacityProvider({
      name: 'diff-hosts',
      autoScalingGroupProvider: {
        autoScalingGroupArn: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:6d4ba5b0-2a39-4ab2-a2a0-3c3d3b0e3f42:autoScalingGroupName/diff-hosts`,
        managedScaling: { status: 'ENABLED', targetCapacity: 100 },
        managedTerminationProtection: 'DISABLED',
      },
    }),
  ),
  step('ecs.DescribeCapacityProviders', (c) => c.ecs.describeCapacityProviders({ capacityProviders: ['diff-hosts'] })),
  step('ecs.DescribeCapacityProviders#all', (c) => c.ecs.describeCapacityProviders({})),
  step('ecs.DeregisterTaskDefinition', (c) => c.ecs.deregisterTaskDefinition({ taskDefinition: 'diff-agent:1' })),
  step('ecs.CreateService#no-security-groups', (c, r) =>
    c.ecs.createService({
      cluster: 'diff-a',
      serviceName: 'web-default-sg',
      taskDefinition: 'diff-web:1',
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: networkConfiguration(r, false),
    }),
  ),
  step('ecs.DeleteService#scaled', (c) => c.ecs.deleteService({ cluster: 'diff-a', service: 'web' })),
  step('ecs.DeleteService', (c) => c.ecs.deleteService({ cluster: 'diff-a', service: 'web', force: true })),
  step('ecs.DeleteService#no-security-groups', (c) => c.ecs.deleteService({ cluster: 'diff-a', service: 'web-default-sg', force: true })),
  step('ecs.DeleteCluster', (c) => c.ecs.deleteCluster({ cluster: 'diff-b' })),
  step('ecs.DeleteCluster#missing', (c) => c.ecs.deleteCluster({ cluster: 'diff-missing' })),
];

/** Secrets Manager: the secret the task definition references. */
const secretsSteps: Step[] = [
  step('secretsmanager.CreateSecret', (c) => c.secrets.createSecret({ Name: 'db-password', SecretString: 'hunter2', Description: 'lab database', Tags: TAGS })),
  step('secretsmanager.CreateSecret#duplicate', (c) => c.secrets.createSecret({ Name: 'db-password', SecretString: 'again' })),
  step('secretsmanager.DescribeSecret', (c) => c.secrets.describeSecret({ SecretId: 'db-password' })),
  step('secretsmanager.GetSecretValue', (c) => c.secrets.getSecretValue({ SecretId: 'db-password' })),
  step('secretsmanager.GetSecretValue#missing', (c) => c.secrets.getSecretValue({ SecretId: 'diff-no-such-secret' })),
  step('secretsmanager.PutSecretValue', (c) => c.secrets.putSecretValue({ SecretId: 'db-password', SecretString: 'correct horse' })),
  step('secretsmanager.UpdateSecret', (c) => c.secrets.updateSecret({ SecretId: 'db-password', Description: 'rotated' })),
  step('secretsmanager.ListSecretVersionIds', (c) => c.secrets.listSecretVersionIds({ SecretId: 'db-password' })),
  step('secretsmanager.PutResourcePolicy', (c) => c.secrets.putResourcePolicy({ SecretId: 'db-password', ResourcePolicy: DENY_OTHERS })),
  step('secretsmanager.GetResourcePolicy', (c) => c.secrets.getResourcePolicy({ SecretId: 'db-password' })),
  step('secretsmanager.DeleteResourcePolicy', (c) => c.secrets.deleteResourcePolicy({ SecretId: 'db-password' })),
  step('secretsmanager.GetRandomPassword', (c) => c.secrets.getRandomPassword({ PasswordLength: 20, ExcludePunctuation: true })),
  step('secretsmanager.ListSecrets', (c) => c.secrets.listSecrets({ Filters: [{ Key: 'name', Values: ['db-'] }] })),
  step('secretsmanager.TagResource', (c) => c.secrets.tagResource({ SecretId: 'db-password', Tags: [{ Key: 'team', Value: 'blue' }] })),
  step('secretsmanager.UntagResource', (c) => c.secrets.untagResource({ SecretId: 'db-password', TagKeys: ['team'] })),
  step('secretsmanager.DeleteSecret', (c) => c.secrets.deleteSecret({ SecretId: 'db-password', RecoveryWindowInDays: 7 })),
  step('secretsmanager.GetSecretValue#deleted', (c) => c.secrets.getSecretValue({ SecretId: 'db-password' })),
  step('secretsmanager.RestoreSecret', (c) => c.secrets.restoreSecret({ SecretId: 'db-password' })),
];

/** KMS: the customer managed key a secret can be encrypted with, its alias, policy, rotation, tags and deletion window. */
const keyId = (r: Results): string => r('kms.CreateKey').KeyMetadata.KeyId;
const kmsSteps: Step[] = [
  step('kms.CreateKey', (c) => c.kms.createKey({ Description: 'diff key', Tags: [{ TagKey: 'ecs-lab:managed', TagValue: 'true' }] })),
  step('kms.DescribeKey', (c, r) => c.kms.describeKey({ KeyId: keyId(r) })),
  step('kms.DescribeKey#missing', (c) => c.kms.describeKey({ KeyId: '11111111-2222-3333-4444-555555555555' })),
  step('kms.CreateAlias', (c, r) => c.kms.createAlias({ AliasName: 'alias/diff-key', TargetKeyId: keyId(r) })),
  step('kms.CreateAlias#duplicate', (c, r) => c.kms.createAlias({ AliasName: 'alias/diff-key', TargetKeyId: keyId(r) })),
  step('kms.DescribeKey#alias', (c) => c.kms.describeKey({ KeyId: 'alias/diff-key' })),
  step('kms.DescribeKey#missing-alias', (c) => c.kms.describeKey({ KeyId: 'alias/diff-missing' })),
  step('kms.ListAliases', (c, r) => c.kms.listAliases({ KeyId: keyId(r) })),
  step('kms.ListKeys', (c) => c.kms.listKeys({})),
  step('kms.GetKeyPolicy', (c, r) => c.kms.getKeyPolicy({ KeyId: keyId(r), PolicyName: 'default' })),
  step('kms.PutKeyPolicy', (c, r) =>
    c.kms.putKeyPolicy({
      KeyId: keyId(r),
      PolicyName: 'default',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }),
    }),
  ),
  step('kms.EnableKeyRotation', (c, r) => c.kms.enableKeyRotation({ KeyId: keyId(r) })),
  step('kms.GetKeyRotationStatus', (c, r) => c.kms.getKeyRotationStatus({ KeyId: keyId(r) })),
  step('kms.DisableKey', (c, r) => c.kms.disableKey({ KeyId: keyId(r) })),
  step('kms.DescribeKey#disabled', (c, r) => c.kms.describeKey({ KeyId: keyId(r) })),
  step('kms.EnableKey', (c, r) => c.kms.enableKey({ KeyId: keyId(r) })),
  step('kms.TagResource', (c, r) => c.kms.tagResource({ KeyId: keyId(r), Tags: [{ TagKey: 'team', TagValue: 'orders' }] })),
  step('kms.ListResourceTags', (c, r) => c.kms.listResourceTags({ KeyId: keyId(r) })),
  step('kms.UntagResource', (c, r) => c.kms.untagResource({ KeyId: keyId(r), TagKeys: ['team'] })),
  step('kms.ScheduleKeyDeletion', (c, r) => c.kms.scheduleKeyDeletion({ KeyId: keyId(r), PendingWindowInDays: 7 })),
  step('kms.DescribeKey#pending-deletion', (c, r) => c.kms.describeKey({ KeyId: keyId(r) })),
  step('kms.CancelKeyDeletion', (c, r) => c.kms.cancelKeyDeletion({ KeyId: keyId(r) })),
  step('kms.DeleteAlias', (c) => c.kms.deleteAlias({ AliasName: 'alias/diff-key' })),
  step('kms.DeleteAlias#missing', (c) => c.kms.deleteAlias({ AliasName: 'alias/diff-key' })),
];

/** SSM Parameter Store: a SecureString, a path, history, tags, and the public ECS-optimized AMI parameter. */
const ssmSteps: Step[] = [
  step('ssm.PutParameter', (c) => c.ssm.putParameter({ Name: '/diff/api-key', Value: 's3cr3t', Type: 'SecureString', Description: 'api key', Tags: TAGS })),
  step('ssm.PutParameter#plain', (c) => c.ssm.putParameter({ Name: '/diff/mode', Value: 'lab', Type: 'String' })),
  step('ssm.PutParameter#exists', (c) => c.ssm.putParameter({ Name: '/diff/mode', Value: 'prod', Type: 'String' })),
  step('ssm.PutParameter#overwrite', (c) => c.ssm.putParameter({ Name: '/diff/mode', Value: 'prod', Type: 'String', Overwrite: true })),
  step('ssm.GetParameter', (c) => c.ssm.getParameter({ Name: '/diff/api-key', WithDecryption: true })),
  step('ssm.GetParameter#encrypted', (c) => c.ssm.getParameter({ Name: '/diff/api-key' })),
  step('ssm.GetParameter#missing', (c) => c.ssm.getParameter({ Name: '/diff/nothing' })),
  step('ssm.GetParameter#ecs-ami', (c) => c.ssm.getParameter({ Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' })),
  step('ssm.GetParameters', (c) => c.ssm.getParameters({ Names: ['/diff/mode', '/diff/nothing'] })),
  step('ssm.GetParametersByPath', (c) => c.ssm.getParametersByPath({ Path: '/diff', Recursive: true, WithDecryption: true })),
  step('ssm.GetParameterHistory', (c) => c.ssm.getParameterHistory({ Name: '/diff/mode' })),
  step('ssm.LabelParameterVersion', (c) => c.ssm.labelParameterVersion({ Name: '/diff/mode', ParameterVersion: 1, Labels: ['stable', '1bad'] })),
  step('ssm.DescribeParameters', (c) => c.ssm.describeParameters({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/diff'] }] })),
  step('ssm.AddTagsToResource', (c) => c.ssm.addTagsToResource({ ResourceType: 'Parameter', ResourceId: '/diff/mode', Tags: [{ Key: 'team', Value: 'blue' }] })),
  step('ssm.ListTagsForResource', (c) => c.ssm.listTagsForResource({ ResourceType: 'Parameter', ResourceId: '/diff/mode' })),
  step('ssm.RemoveTagsFromResource', (c) => c.ssm.removeTagsFromResource({ ResourceType: 'Parameter', ResourceId: '/diff/mode', TagKeys: ['team'] })),
  step('ssm.DeleteParameter', (c) => c.ssm.deleteParameter({ Name: '/diff/mode' })),
  step('ssm.DeleteParameters', (c) => c.ssm.deleteParameters({ Names: ['/diff/api-key', '/diff/nothing'] })),
  step('ssm.SendCommand#unmanaged', (c) => c.ssm.sendCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0123456789abcdef0'], Parameters: { commands: ['yum -y update'] } })),
];

/** CloudWatch Logs: the task's log group and the flow-log group. */
const logsSteps: Step[] = [
  step('logs.CreateLogGroup', (c) => c.logs.createLogGroup({ logGroupName: '/ecs/diff-web', tags: { 'ecs-lab:managed': 'true' } })),
  step('logs.CreateLogGroup#exists', (c) => c.logs.createLogGroup({ logGroupName: '/ecs/diff-web' })),
  step('logs.PutRetentionPolicy', (c) => c.logs.putRetentionPolicy({ logGroupName: '/ecs/diff-web', retentionInDays: 30 })),
  step('logs.DescribeLogGroups', (c) => c.logs.describeLogGroups({ logGroupNamePrefix: '/ecs/' })),
  step('logs.ListTagsLogGroup', (c) => c.logs.listTagsLogGroup({ logGroupName: '/ecs/diff-web' })),
  step('logs.TagResource', (c) => c.logs.tagResource({ resourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/diff-web`, tags: { team: 'blue' } })),
  step('logs.ListTagsForResource', (c) => c.logs.listTagsForResource({ resourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/diff-web` })),
  step('logs.DeleteRetentionPolicy', (c) => c.logs.deleteRetentionPolicy({ logGroupName: '/ecs/diff-web' })),
  step('logs.CreateLogStream', (c) => c.logs.createLogStream({ logGroupName: '/ecs/diff-web', logStreamName: 'web/app/1' })),
  step('logs.CreateLogStream#second', (c) => c.logs.createLogStream({ logGroupName: '/ecs/diff-web', logStreamName: 'web/app/2' })),
  step('logs.CreateLogStream#exists', (c) => c.logs.createLogStream({ logGroupName: '/ecs/diff-web', logStreamName: 'web/app/1' })),
  step('logs.CreateLogStream#missing-group', (c) => c.logs.createLogStream({ logGroupName: '/ecs/diff-none', logStreamName: 'web/app/1' })),
  step('logs.PutLogEvents', (c) =>
    c.logs.putLogEvents({ logGroupName: '/ecs/diff-web', logStreamName: 'web/app/1', logEvents: [{ timestamp: Date.now() - 1000, message: 'started' }, { timestamp: Date.now(), message: 'ready' }] }),
  ),
  step('logs.DescribeLogStreams', (c) => c.logs.describeLogStreams({ logGroupName: '/ecs/diff-web', logStreamNamePrefix: 'web/' })),
  step('logs.GetLogEvents', (c) => c.logs.getLogEvents({ logGroupName: '/ecs/diff-web', logStreamName: 'web/app/1', startFromHead: true })),
  step('logs.StartQuery', (c) =>
    c.logs.startQuery({ logGroupName: '/ecs/diff-web', startTime: Math.floor(Date.now() / 1000) - 3600, endTime: Math.floor(Date.now() / 1000) + 60, queryString: 'fields @timestamp, @message | filter @message like /ready/' }),
  ),
  step('logs.GetQueryResults', (c, r) => c.logs.getQueryResults({ queryId: r('logs.StartQuery').queryId })),
  step('logs.PutMetricFilter', (c) =>
    c.logs.putMetricFilter({
      logGroupName: '/ecs/diff-web',
      filterName: 'errors',
      filterPattern: 'ERROR',
      metricTransformations: [{ metricName: 'Errors', metricNamespace: 'Diff', metricValue: '1' }],
    }),
  ),
  step('logs.DescribeMetricFilters', (c) => c.logs.describeMetricFilters({ logGroupName: '/ecs/diff-web' })),
  step('logs.DeleteMetricFilter', (c) => c.logs.deleteMetricFilter({ logGroupName: '/ecs/diff-web', filterName: 'errors' })),
  step('logs.DeleteLogStream', (c) => c.logs.deleteLogStream({ logGroupName: '/ecs/diff-web', logStreamName: 'web/app/2' })),
  step('logs.DeleteLogStream#missing', (c) => c.logs.deleteLogStream({ logGroupName: '/ecs/diff-web', logStreamName: 'web/app/2' })),
  step('logs.DeleteLogGroup', (c) => c.logs.deleteLogGroup({ logGroupName: '/ecs/diff-web' })),
  step('logs.DeleteLogGroup#missing', (c) => c.logs.deleteLogGroup({ logGroupName: '/ecs/diff-web' })),
];

/** CloudTrail: a multi-Region trail to the policy-holding bucket. */
const trailSteps: Step[] = [
  step('cloudtrail.CreateTrail', (c) =>
    c.trail.createTrail({ Name: 'diff-trail', S3BucketName: TRAIL_BUCKET, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true, TagsList: TAGS }),
  ),
  step('cloudtrail.CreateTrail#missing-bucket', (c) => c.trail.createTrail({ Name: 'diff-trail-2', S3BucketName: 'diff-no-such-bucket' })),
  step('cloudtrail.DescribeTrails', (c) => c.trail.describeTrails({ trailNameList: ['diff-trail'] })),
  step('cloudtrail.GetTrail', (c) => c.trail.getTrail({ Name: 'diff-trail' })),
  step('cloudtrail.StartLogging', (c) => c.trail.startLogging({ Name: 'diff-trail' })),
  step('cloudtrail.GetTrailStatus', (c) => c.trail.getTrailStatus({ Name: 'diff-trail' })),
  step('cloudtrail.PutEventSelectors', (c) =>
    c.trail.putEventSelectors({ TrailName: 'diff-trail', EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }),
  ),
  step('cloudtrail.GetEventSelectors', (c) => c.trail.getEventSelectors({ TrailName: 'diff-trail' })),
  step('cloudtrail.GetInsightSelectors#none', (c) => c.trail.getInsightSelectors({ TrailName: 'diff-trail' })),
  step('cloudtrail.PutInsightSelectors', (c) => c.trail.putInsightSelectors({ TrailName: 'diff-trail', InsightSelectors: [{ InsightType: 'ApiErrorRateInsight' }] })),
  step('cloudtrail.GetInsightSelectors', (c) => c.trail.getInsightSelectors({ TrailName: 'diff-trail' })),
  step('cloudtrail.ListTrails', (c) => c.trail.listTrails({})),
  step('cloudtrail.ListTags', (c, r) => c.trail.listTags({ ResourceIdList: [r('cloudtrail.CreateTrail').TrailARN] })),
  step('cloudtrail.UpdateTrail', (c) => c.trail.updateTrail({ Name: 'diff-trail', EnableLogFileValidation: false })),
  step('cloudtrail.LookupEvents', (c) => c.trail.lookupEvents({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateCluster' }], MaxResults: 5 })),
  step('cloudtrail.StopLogging', (c) => c.trail.stopLogging({ Name: 'diff-trail' })),
  step('cloudtrail.DeleteTrail', (c) => c.trail.deleteTrail({ Name: 'diff-trail' })),
  step('cloudtrail.GetTrail#missing', (c) => c.trail.getTrail({ Name: 'diff-trail' })),
];

/** EC2 Auto Scaling: a group of container hosts from the launch template (no instances), tags, refreshes. */
const asgSteps: Step[] = [
  // Auto Scaling validates the launch template's image: use the Region's ECS-optimized AMI.
  step('ec2.CreateLaunchTemplateVersion#ecs-ami', (c, r) =>
    c.ec2.createLaunchTemplateVersion({
      LaunchTemplateName: 'diff-hosts',
      VersionDescription: 'ecs-optimized',
      LaunchTemplateData: {
        ImageId: r('ssm.GetParameter#ecs-ami').Parameter.Value,
        InstanceType: 't3.micro',
        UserData: USER_DATA,
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      },
    }),
  ),
  step('autoscaling.CreateAutoScalingGroup', (c, r) =>
    c.asg.createAutoScalingGroup({
      AutoScalingGroupName: 'diff-hosts',
      LaunchTemplate: { LaunchTemplateName: 'diff-hosts', Version: '$Latest' },
      MinSize: 0,
      MaxSize: 2,
      DesiredCapacity: 0,
      VPCZoneIdentifier: `${r('ec2.CreateSubnet#a').Subnet.SubnetId},${r('ec2.CreateSubnet#b').Subnet.SubnetId}`,
      Tags: [{ Key: 'ecs-lab:managed', Value: 'true', PropagateAtLaunch: true }],
    }),
  ),
  step('autoscaling.CreateAutoScalingGroup#duplicate', (c, r) =>
    c.asg.createAutoScalingGroup({ AutoScalingGroupName: 'diff-hosts', LaunchTemplate: { LaunchTemplateName: 'diff-hosts' }, MinSize: 0, MaxSize: 1, VPCZoneIdentifier: r('ec2.CreateSubnet#a').Subnet.SubnetId }),
  ),
  step('autoscaling.DescribeAutoScalingGroups', (c) => c.asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['diff-hosts'] })),
  step('autoscaling.UpdateAutoScalingGroup', (c) => c.asg.updateAutoScalingGroup({ AutoScalingGroupName: 'diff-hosts', MaxSize: 3 })),
  step('autoscaling.CreateOrUpdateTags', (c) =>
    c.asg.createOrUpdateTags({ Tags: [{ ResourceId: 'diff-hosts', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'blue', PropagateAtLaunch: false }] }),
  ),
  step('autoscaling.DescribeTags', (c) => c.asg.describeTags({ Filters: [{ Name: 'auto-scaling-group', Values: ['diff-hosts'] }] })),
  step('autoscaling.DescribeAutoScalingInstances', (c) => c.asg.describeAutoScalingInstances({})),
  step('autoscaling.StartInstanceRefresh', (c) => c.asg.startInstanceRefresh({ AutoScalingGroupName: 'diff-hosts', Preferences: { MinHealthyPercentage: 90 } })),
  step('autoscaling.DescribeInstanceRefreshes', (c) => c.asg.describeInstanceRefreshes({ AutoScalingGroupName: 'diff-hosts' })),
  step('autoscaling.DescribeScalingActivities', (c) => c.asg.describeScalingActivities({ AutoScalingGroupName: 'diff-hosts' })),
  step('autoscaling.SetDesiredCapacity#above-max', (c) => c.asg.setDesiredCapacity({ AutoScalingGroupName: 'diff-hosts', DesiredCapacity: 9 })),
  step('autoscaling.DescribeLifecycleHooks', (c) => c.asg.describeLifecycleHooks({ AutoScalingGroupName: 'diff-hosts' })),
  step('autoscaling.DescribePolicies', (c) => c.asg.describePolicies({ AutoScalingGroupName: 'diff-hosts' })),
  step('autoscaling.DeleteTags', (c) => c.asg.deleteTags({ Tags: [{ ResourceId: 'diff-hosts', ResourceType: 'auto-scaling-group', Key: 'team' }] })),
  step('autoscaling.DeleteAutoScalingGroup', (c) => c.asg.deleteAutoScalingGroup({ AutoScalingGroupName: 'diff-hosts', ForceDelete: true })),
  step('autoscaling.DescribeAutoScalingGroups#deleted', (c) => c.asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['diff-hosts'] })),
];

/** Tear-down in dependency order, which also compares the delete operations and their conflicts. */
const teardown: Step[] = [
  step('iam.RemoveRoleFromInstanceProfile', (c) => c.iam.removeRoleFromInstanceProfile({ InstanceProfileName: 'diff-hosts', RoleName: 'diff-execution' })),
  step('iam.DeleteInstanceProfile', (c) => c.iam.deleteInstanceProfile({ InstanceProfileName: 'diff-hosts' })),
  step('iam.DetachRolePolicy', (c, r) => c.iam.detachRolePolicy({ RoleName: 'diff-task', PolicyArn: r('iam.CreatePolicy').Policy.Arn })),
  step('iam.DetachRolePolicy#aws-managed', (c) => c.iam.detachRolePolicy({ RoleName: 'diff-execution', PolicyArn: EXECUTION_POLICY })),
  step('iam.DeleteRolePolicy', (c) => c.iam.deleteRolePolicy({ RoleName: 'diff-task', PolicyName: 'read-secrets' })),
  step('iam.DeletePolicyVersion', (c, r) => c.iam.deletePolicyVersion({ PolicyArn: r('iam.CreatePolicy').Policy.Arn, VersionId: 'v1' })),
  step('iam.DeletePolicy', (c, r) => c.iam.deletePolicy({ PolicyArn: r('iam.CreatePolicy').Policy.Arn })),
  step('iam.DeleteRole', (c) => c.iam.deleteRole({ RoleName: 'diff-task' })),
  step('ec2.DeleteFlowLogs', (c, r) => c.ec2.deleteFlowLogs({ FlowLogIds: r('ec2.CreateFlowLogs#logs').FlowLogIds })),
  step('ec2.DeleteLaunchTemplate', (c) => c.ec2.deleteLaunchTemplate({ LaunchTemplateName: 'diff-hosts' })),
  step('ec2.DeleteSecurityGroup', (c, r) => c.ec2.deleteSecurityGroup({ GroupId: r('ec2.CreateSecurityGroup#tmp').GroupId })),
  step('ec2.DeleteVpc#dependencies', (c, r) => c.ec2.deleteVpc({ VpcId: r('ec2.CreateVpc').Vpc.VpcId })),
  step('ec2.DeleteSubnet', (c, r) => c.ec2.deleteSubnet({ SubnetId: r('ec2.CreateSubnet#b').Subnet.SubnetId })),
  step('s3.DeleteBucketPolicy', (c) => c.s3.deleteBucketPolicy({ Bucket: TRAIL_BUCKET })),
  step('s3.DeleteBucketTagging', (c) => c.s3.deleteBucketTagging({ Bucket: FLOW_BUCKET })),
  step('s3.DeleteBucket#not-empty', (c) => c.s3.deleteBucket({ Bucket: FLOW_BUCKET })),
  step('s3.DeleteObject', (c) => c.s3.deleteObject({ Bucket: FLOW_BUCKET, Key: 'vpc/readme.txt' })),
  step('s3.DeleteObjects', (c) => c.s3.deleteObjects({ Bucket: FLOW_BUCKET, Delete: { Objects: [{ Key: 'vpc/2026/01/a.log' }, { Key: 'vpc/none' }] } })),
  step('s3.DeleteBucket', (c) => c.s3.deleteBucket({ Bucket: TRAIL_BUCKET })),
  // Bucket hardening last, when the flow-log bucket holds no objects (the sandbox does not version objects).
  step('s3.PutBucketVersioning', (c) => c.s3.putBucketVersioning({ Bucket: FLOW_BUCKET, VersioningConfiguration: { Status: 'Enabled' } })),
  step('s3.GetBucketVersioning', (c) => c.s3.getBucketVersioning({ Bucket: FLOW_BUCKET })),
  step('s3.PutBucketEncryption', (c) =>
    c.s3.putBucketEncryption({ Bucket: FLOW_BUCKET, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }),
  ),
  step('s3.GetBucketEncryption', (c) => c.s3.getBucketEncryption({ Bucket: FLOW_BUCKET })),
  step('s3.PutPublicAccessBlock', (c) =>
    c.s3.putPublicAccessBlock({ Bucket: FLOW_BUCKET, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
  ),
  step('s3.GetPublicAccessBlock', (c) => c.s3.getPublicAccessBlock({ Bucket: FLOW_BUCKET })),
];

/**
 * Requests on which moto changes state where AWS refuses: they run last, so that what moto wrongly
 * deletes cannot change the outcome of any other step.
 */
const last: Step[] = [
  step('ec2.DeleteSecurityGroup#in-use', (c, r) => c.ec2.deleteSecurityGroup({ GroupId: r('ec2.CreateSecurityGroup#web').GroupId })),
  step('iam.DeletePolicy#attached', (c, r) => c.iam.deletePolicy({ PolicyArn: r('iam.CreatePolicy#pinned').Policy.Arn })),
];

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Value probes by step id (see {@link Step.probe}). */
const PROBES: Readonly<Record<string, (value: any) => unknown>> = {
  'ec2.DescribeSubnets': (v) => sorted(v.Subnets.map((s: any) => [s.CidrBlock, s.AvailabilityZone, s.MapPublicIpOnLaunch, s.DefaultForAz, s.State])),
  'ec2.DescribeRegions': (v) => sorted(v.Regions.map((x: any) => [x.RegionName, x.Endpoint, x.OptInStatus])),
  'ec2.DescribeInstanceTypeOfferings': (v) => v.InstanceTypeOfferings.map((o: any) => [o.InstanceType, o.LocationType, o.Location]),
  'ec2.DescribeRouteTables': (v) =>
    v.RouteTables.map((t: any) => [sorted(t.Routes.map((x: any) => [x.DestinationCidrBlock, x.GatewayId, x.State, x.Origin])), t.Associations.map((a: any) => [a.Main, a.AssociationState?.State])]),
  'ec2.DescribeRouteTables#default': (v) => v.RouteTables.map((t: any) => sorted(t.Routes.map((x: any) => [x.DestinationCidrBlock, x.GatewayId === 'local' ? 'local' : x.GatewayId?.slice(0, 4), x.State]))),
  'ec2.DescribeInternetGateways#default': (v) => v.InternetGateways.map((g: any) => g.Attachments.map((a: any) => a.State)),
  'ec2.DescribeInternetGateways': (v) => v.InternetGateways.map((g: any) => [g.Attachments.map((a: any) => a.State), tagPairs(g.Tags)]),
  'ec2.DescribeNetworkAcls': (v) =>
    v.NetworkAcls.map((a: any) => [a.IsDefault, a.Associations.length, sorted(a.Entries.map((e: any) => [e.RuleNumber, e.Egress, e.RuleAction, e.Protocol, e.CidrBlock]))]),
  'logs.DescribeLogStreams': (v) => v.logStreams.map((x: any) => x.logStreamName),
  'logs.GetLogEvents': (v) => v.events.map((e: any) => e.message),
  'secretsmanager.ListSecretVersionIds': (v) => sorted(v.Versions.map((x: any) => sorted(x.VersionStages))),
  'secretsmanager.GetResourcePolicy': (v) => [v.Name, JSON.parse(v.ResourcePolicy)],
  'secretsmanager.GetRandomPassword': (v) => [v.RandomPassword.length, /^[A-Za-z0-9]+$/.test(v.RandomPassword)],
  'ssm.LabelParameterVersion': (v) => [v.InvalidLabels, v.ParameterVersion],
  's3.GetBucketVersioning': (v) => v.Status,
  's3.GetBucketEncryption': (v) => v.ServerSideEncryptionConfiguration.Rules.map((r: any) => r.ApplyServerSideEncryptionByDefault.SSEAlgorithm),
  's3.GetPublicAccessBlock': (v) => v.PublicAccessBlockConfiguration,
  'logs.DescribeMetricFilters': (v) => v.metricFilters.map((f: any) => [f.filterName, f.filterPattern, f.metricTransformations.map((t: any) => [t.metricName, t.metricNamespace, t.metricValue])]),
  'ec2.DescribeSecurityGroups': (v) =>
    sorted(v.SecurityGroups.map((g: any) => [g.GroupName, g.Description, g.IpPermissions?.length, g.IpPermissionsEgress?.length, tagPairs(g.Tags)])),
  'ec2.DescribeSecurityGroups#filter': (v) => sorted(v.SecurityGroups.map((g: any) => g.GroupName)),
  'ec2.DescribeSecurityGroupRules': (v) => sorted(v.SecurityGroupRules.map((r: any) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4 ?? null])),
  'ec2.AuthorizeSecurityGroupIngress#group': (v) => v.SecurityGroupRules.map((r: any) => [r.IpProtocol, r.FromPort, r.ToPort, Boolean(r.ReferencedGroupInfo?.GroupId)]),
  'ec2.DescribeTags': (v) => sorted(v.Tags.map((t: any) => [t.ResourceType, t.Key, t.Value])),
  'ec2.DescribeVpcs#tag-filter': (v) => v.Vpcs.map((x: any) => x.CidrBlock),
  'ec2.DescribeVpcs#default': (v) => v.Vpcs.map((x: any) => [x.CidrBlock, x.IsDefault]),
  'ec2.DescribeLaunchTemplates': (v) => v.LaunchTemplates.map((t: any) => [t.LaunchTemplateName, t.DefaultVersionNumber, t.LatestVersionNumber, tagPairs(t.Tags)]),
  'ec2.DescribeLaunchTemplateVersions': (v) =>
    sorted(v.LaunchTemplateVersions.map((x: any) => [x.VersionNumber, x.DefaultVersion, x.LaunchTemplateData?.MetadataOptions?.HttpTokens])),
  'ec2.CreateFlowLogs#s3-prefix': (v) => ({ created: v.FlowLogIds.length, unsuccessful: v.Unsuccessful.length }),
  'ec2.CreateFlowLogs#logs': (v) => ({ created: v.FlowLogIds.length, unsuccessful: v.Unsuccessful.length }),
  'iam.GetRole': (v) => [doc(v.Role.AssumeRolePolicyDocument), v.Role.Description, v.Role.MaxSessionDuration, v.Role.Path, tagPairs(v.Role.Tags)],
  'iam.GetRolePolicy': (v) => [v.RoleName, v.PolicyName, doc(v.PolicyDocument)],
  'iam.ListRolePolicies': (v) => v.PolicyNames,
  'iam.ListAttachedRolePolicies': (v) => sorted(v.AttachedPolicies.map((p: any) => p.PolicyName)),
  'iam.ListRoleTags': (v) => tagPairs(v.Tags),
  'iam.ListPolicyTags': (v) => tagPairs(v.Tags),
  'iam.GetPolicy': (v) => [v.Policy.PolicyName, v.Policy.DefaultVersionId, v.Policy.AttachmentCount, v.Policy.IsAttachable],
  'iam.ListPolicyVersions': (v) => sorted(v.Versions.map((x: any) => [x.VersionId, x.IsDefaultVersion])),
  'iam.GetPolicyVersion': (v) => [v.PolicyVersion.VersionId, v.PolicyVersion.IsDefaultVersion, doc(v.PolicyVersion.Document)],
  'iam.ListInstanceProfilesForRole': (v) => v.InstanceProfiles.map((p: any) => [p.InstanceProfileName, p.Roles.map((r: any) => r.RoleName)]),
  'iam.GetInstanceProfile': (v) => [v.InstanceProfile.InstanceProfileName, v.InstanceProfile.Roles.map((r: any) => doc(r.AssumeRolePolicyDocument))],
  'sts.GetCallerIdentity#assumed': (v) => [v.Account, v.Arn],
  'sts.AssumeRole': (v) => [v.AssumedRoleUser.Arn, v.Credentials.AccessKeyId.slice(0, 4)],
  'ecs.DescribeClusters': (v) => [v.clusters.map((c: any) => [c.clusterName, c.status, c.settings, tagPairs(c.tags)]), v.failures.map((f: any) => f.reason)],
  'ecs.ListClusters': (v) => sorted(v.clusterArns),
  'ecs.RegisterTaskDefinition': (v) => [v.taskDefinition.revision, v.taskDefinition.status, sorted(v.taskDefinition.compatibilities), v.taskDefinition.requiresCompatibilities],
  'ecs.RegisterTaskDefinition#ec2': (v) => [v.taskDefinition.revision, v.taskDefinition.status, v.taskDefinition.networkMode, v.taskDefinition.pidMode],
  'ecs.DescribeTaskDefinition': (v) => [v.taskDefinition.revision, v.taskDefinition.containerDefinitions[0].secrets, v.taskDefinition.containerDefinitions[0].linuxParameters],
  'ecs.DescribeTaskDefinition#latest': (v) => [v.taskDefinition.family, v.taskDefinition.revision, v.taskDefinition.containerDefinitions[0].privileged],
  'ecs.ListTaskDefinitions': (v) => v.taskDefinitionArns,
  'ecs.ListTaskDefinitionFamilies': (v) => sorted(v.families),
  'ecs.DescribeServices': (v) => [v.services.map((x: any) => [x.serviceName, x.status, x.desiredCount, x.launchType, tagPairs(x.tags)]), v.failures.map((f: any) => f.reason)],
  'ecs.ListServices': (v) => sorted(v.serviceArns),
  'ecs.UpdateService': (v) => [v.service.desiredCount, v.service.platformVersion, v.service.propagateTags, v.service.deploymentConfiguration?.minimumHealthyPercent],
  'ecs.RunTask': (v) => [v.tasks.length, v.failures.length, v.tasks[0]?.launchType, tagPairs(v.tasks[0]?.tags)],
  'ecs.ListTasks': (v) => v.taskArns.length,
  'ecs.ListTagsForResource': (v) => tagPairs(v.tags),
  'ecs.ListTagsForResource#task-definition': (v) => tagPairs(v.tags),
  'ecs.ListAccountSettings': (v) => v.settings.map((x: any) => [x.name, x.value]),
  'ecs.ListAccountSettings#own': (v) => v.settings.map((x: any) => [x.name, x.value]),
  'ecs.DescribeCapacityProviders': (v) => v.capacityProviders.map((p: any) => [p.name, p.status, p.autoScalingGroupProvider?.managedScaling?.status]),
  'ecs.DeregisterTaskDefinition': (v) => v.taskDefinition.status,
  'ecs.DeleteCluster': (v) => v.cluster.status,
  'logs.GetQueryResults': (v) => [v.status, v.results.length],
  'cloudtrail.GetInsightSelectors': (v) => v.InsightSelectors.map((x: any) => x.InsightType),
  'kms.CreateKey': (v) => [v.KeyMetadata.KeyState, v.KeyMetadata.KeySpec, v.KeyMetadata.KeyUsage, v.KeyMetadata.Enabled],
  'kms.DescribeKey#alias': (v) => v.KeyMetadata.Description,
  'kms.DescribeKey#disabled': (v) => [v.KeyMetadata.KeyState, v.KeyMetadata.Enabled],
  'kms.DescribeKey#pending-deletion': (v) => [v.KeyMetadata.KeyState, v.KeyMetadata.Enabled],
  'kms.ListAliases': (v) => v.Aliases.map((a: any) => a.AliasName),
  'kms.GetKeyRotationStatus': (v) => v.KeyRotationEnabled,
  'kms.ListResourceTags': (v) => v.Tags.map((t: any) => [t.TagKey, t.TagValue]).sort(),
  'kms.ScheduleKeyDeletion': (v) => [v.KeyState, v.PendingWindowInDays],
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The whole sequence, in order. */
export const SEQUENCE: readonly Step[] = [
  ...s3Steps,
  ...ec2Setup,
  ...iamSteps,
  ...stsSteps,
  ...ecsSteps,
  ...secretsSteps,
  ...kmsSteps,
  ...ssmSteps,
  ...logsSteps,
  ...trailSteps,
  ...asgSteps,
  ...teardown,
  ...last,
].map((s) => ({ ...s, probe: PROBES[s.id] }));

/** Probe ids that name no step (a typo would silently disable a probe). */
export const UNKNOWN_PROBES = Object.keys(PROBES).filter((id) => !SEQUENCE.some((s) => s.id === id));
