/**
 * task-roles, network-isolation and tag-access on the sandbox: alternative valid fixes pass;
 * partial fixes fail the step they leave unfinished.
 */
import { EC2 } from '@aws-sdk/client-ec2';
import { ECS } from '@aws-sdk/client-ecs';
import { IAM } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../helpers/lab.js';

let lab: Lab;
let ecs: ECS;
let iam: IAM;
let ec2: EC2;
const ACCOUNT = '000000000000';
beforeAll(async () => {
  lab = await startLab();
  ecs = new ECS(lab.clientConfig);
  iam = new IAM(lab.clientConfig);
  ec2 = new EC2(lab.clientConfig);
});
afterAll(async () => {
  await lab?.close();
});
async function fresh(id: string) {
  await lab.cli('reset', '--all');
  expect((await lab.cli('start', id)).code).toBe(0);
}
const trust = (condition?: object) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }] });
const image = 'public.ecr.aws/docker/library/busybox:1.36';

let round = 0;
/** The learner's own roles (reset leaves them: the lab did not create them), so names differ per test. */
async function ownRoles(authTrust: string, orderTrust: string): Promise<{ auth: string; order: string }> {
  round += 1;
  const names = { auth: `auth-role-${round}`, order: `order-role-${round}` };
  await iam.createRole({ RoleName: names.auth, AssumeRolePolicyDocument: authTrust });
  await iam.createRole({ RoleName: names.order, AssumeRolePolicyDocument: orderTrust });
  for (const [svc, role] of [['auth-service', names.auth], ['order-service', names.order]] as const) {
    await ecs.registerTaskDefinition({
      family: svc,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
      executionRoleArn: 'lab-task-execution-role',
      containerDefinitions: [{ name: 'app', image, essential: true }],
    });
    await ecs.updateService({ cluster: 'lab-prod', service: svc, taskDefinition: svc });
  }
  return names;
}

describe('task-roles', () => {
  it('valid: aws:SourceArn trust and managed policies with finer ARNs pass', async () => {
    await fresh('task-roles');
    const scoped = trust({ ArnLike: { 'aws:SourceArn': `arn:aws:ecs:us-east-1:${ACCOUNT}:*` } });
    const roles = await ownRoles(scoped, scoped);
    const auth = await iam.createPolicy({ PolicyName: 'auth-params', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/auth/*` }] }) });
    const order = await iam.createPolicy({ PolicyName: 'order-files', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lab-orders/*' }, { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::lab-orders/*' }] }) });
    await iam.attachRolePolicy({ RoleName: roles.auth, PolicyArn: auth.Policy!.Arn });
    await iam.attachRolePolicy({ RoleName: roles.order, PolicyArn: order.Policy!.Arn });
    expect(await lab.statuses('task-roles')).toMatchObject({ 'one-role-per-service': 'pass', 'least-privilege': 'pass', 'trust-scoped': 'pass' });
  });

  it('partial: s3:* on the bucket fails least privilege; a trust without a condition fails trust-scoped', async () => {
    await fresh('task-roles');
    const roles = await ownRoles(trust(), trust({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }));
    await iam.putRolePolicy({ RoleName: roles.auth, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/lab/auth/*` }] }) });
    await iam.putRolePolicy({ RoleName: roles.order, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::lab-orders/*' }] }) });
    const r = await lab.check('task-roles');
    const lp = r.steps.find((s) => s.id === 'least-privilege')!;
    expect(lp.status).toBe('fail');
    expect(lp.checks.find((c) => c.id === 'order-role-least-privilege')!.message).toMatch(/allows every s3 action/);
    expect(lp.checks.find((c) => c.id === 'auth-role-least-privilege')!.status).toBe('pass');
    const ts = r.steps.find((s) => s.id === 'trust-scoped')!;
    expect(ts.status).toBe('fail');
    expect(ts.checks[0]!.message).toMatch(/auth-role-\d+: ecs-tasks\.amazonaws\.com acting for another account .* may assume it too/);
  });

  it('partial: one new role shared by both services fails the one-role-per-service step', async () => {
    await fresh('task-roles');
    const roles = await ownRoles(trust(), trust());
    for (const svc of ['auth-service', 'order-service']) {
      await ecs.registerTaskDefinition({ family: svc, requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', taskRoleArn: roles.auth, executionRoleArn: 'lab-task-execution-role', containerDefinitions: [{ name: 'app', image, essential: true }] });
      await ecs.updateService({ cluster: 'lab-prod', service: svc, taskDefinition: svc });
    }
    const r = await lab.check('task-roles');
    expect(r.steps[0]!.checks[0]!.message).toMatch(/auth-service and order-service share the task role auth-role-\d+/);
  });
});

describe('network-isolation', () => {
  it('valid: trunking enabled for the instance role only passes; so does the account default', async () => {
    await fresh('network-isolation');
    await ecs.putAccountSetting({ name: 'awsvpcTrunking', value: 'enabled', principalArn: `arn:aws:iam::${ACCOUNT}:role/lab-ecs-instance-role` });
    expect((await lab.statuses('network-isolation')).trunking).toBe('pass');
    await ecs.deleteAccountSetting({ name: 'awsvpcTrunking', principalArn: `arn:aws:iam::${ACCOUNT}:role/lab-ecs-instance-role` });
    expect((await lab.statuses('network-isolation')).trunking).toBe('fail');
    await ecs.putAccountSettingDefault({ name: 'awsvpcTrunking', value: 'enabled' });
    expect((await lab.statuses('network-isolation')).trunking).toBe('pass');
  });

  it('valid: flow logs to CloudWatch Logs pass; partial: REJECT-only flow logs fail', async () => {
    await fresh('network-isolation');
    const vpc = (await ec2.describeVpcs({ Filters: [{ Name: 'tag:Name', Values: ['lab-vpc'] }] })).Vpcs![0]!.VpcId!;
    await ec2.createFlowLogs({ ResourceType: 'VPC', ResourceIds: [vpc], TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs', LogGroupName: '/ecs-lab/tasks', DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/lab-task-execution-role` });
    expect((await lab.statuses('network-isolation'))['flow-logs']).toBe('fail');
    await ec2.createFlowLogs({ ResourceType: 'VPC', ResourceIds: [vpc], TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: '/ecs-lab/tasks', DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/lab-task-execution-role` });
    expect((await lab.statuses('network-isolation'))['flow-logs']).toBe('pass');
  });

  it('partial: own groups but order-service open to the VPC CIDR fails the rules step only', async () => {
    await fresh('network-isolation');
    const vpc = (await ec2.describeVpcs({ Filters: [{ Name: 'tag:Name', Values: ['lab-vpc'] }] })).Vpcs![0]!.VpcId!;
    const subnets = (await ec2.describeSubnets({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] })).Subnets!.map((s) => s.SubnetId!);
    const alb = (await ec2.describeSecurityGroups({ Filters: [{ Name: 'group-name', Values: ['lab-alb-sg'] }] })).SecurityGroups![0]!.GroupId!;
    const auth = (await ec2.createSecurityGroup({ GroupName: 'a', Description: 'a', VpcId: vpc })).GroupId!;
    const order = (await ec2.createSecurityGroup({ GroupName: 'o', Description: 'o', VpcId: vpc })).GroupId!;
    await ec2.authorizeSecurityGroupIngress({ GroupId: auth, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, UserIdGroupPairs: [{ GroupId: alb }] }] });
    await ec2.authorizeSecurityGroupIngress({ GroupId: order, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] });
    for (const [svc, sg, port] of [['auth-service', auth, 8443], ['order-service', order, 8080]] as const) {
      await ecs.registerTaskDefinition({ family: svc, requiresCompatibilities: ['EC2'], networkMode: 'awsvpc', memory: '256', containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: port }] }] });
      await ecs.updateService({ cluster: 'lab-prod', service: svc, taskDefinition: svc, networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups: [sg], assignPublicIp: 'DISABLED' } } });
    }
    const r = await lab.check('network-isolation');
    const s = Object.fromEntries(r.steps.map((x) => [x.id, x]));
    expect(s['task-enis']!.status).toBe('pass');
    expect(s['group-per-service']!.status).toBe('pass');
    expect(s['no-public-ip']!.status).toBe('pass');
    expect(s['least-privilege-rules']!.status).toBe('fail');
    expect(s['least-privilege-rules']!.checks.find((c) => c.id === 'order-service-ingress')!.message).toMatch(/allows tcp 8080 from 10\.0\.0\.0\/16; nothing allows tcp 8080 from service auth-service's group/);
  });
});

describe('tag-access', () => {
  const put = (statements: object[]) =>
    iam.putRolePolicy({ RoleName: 'lab-developer', PolicyName: 'developer', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
  const read = { Effect: 'Allow', Action: ['ecs:Describe*', 'ecs:List*'], Resource: '*' };

  async function tagged() {
    for (const env of ['prod', 'dev']) {
      const svc = (await ecs.describeServices({ cluster: `lab-${env}`, services: ['catalog'] })).services![0]!;
      await ecs.tagResource({ resourceArn: svc.serviceArn, tags: [{ key: 'environment', value: env }] });
      await ecs.tagResource({ resourceArn: svc.taskDefinition, tags: [{ key: 'environment', value: env }] });
      await ecs.updateService({ cluster: `lab-${env}`, service: 'catalog', propagateTags: 'TASK_DEFINITION' });
    }
  }

  it('valid: allow changes, then Deny them on prod; tag keys limited with ForAllValues; CreateAction by wildcard - all pass', async () => {
    await fresh('tag-access');
    await tagged();
    await put([
      read,
      { Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DeleteService', 'ecs:StopTask', 'ecs:RunTask'], Resource: '*' },
      { Effect: 'Deny', Action: ['ecs:UpdateService', 'ecs:DeleteService', 'ecs:StopTask', 'ecs:RunTask'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'prod' } } },
      { Effect: 'Allow', Action: ['ecs:CreateService', 'ecs:RegisterTaskDefinition', 'ecs:CreateCluster'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/environment': 'dev' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'team'] } } },
      { Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*', Condition: { StringLike: { 'ecs:CreateAction': '*' }, StringEquals: { 'aws:RequestTag/environment': 'dev' } } },
      { Effect: 'Deny', Action: ['ecs:TagResource', 'ecs:UntagResource'], Resource: '*', Condition: { Null: { 'ecs:CreateAction': 'true' }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } } },
    ]);
    expect(await lab.statuses('tag-access')).toMatchObject({
      'everything-tagged': 'pass',
      'dev-yes-prod-no': 'pass',
      'no-retagging': 'pass',
      'new-resources-dev': 'pass',
      proof: 'pass',
    });
  });

  it('valid: ecs:ResourceTag matched to the role\'s own environment tag (${aws:PrincipalTag/environment}) passes', async () => {
    await fresh('tag-access');
    await tagged();
    await iam.tagRole({ RoleName: 'lab-developer', Tags: [{ Key: 'environment', Value: 'dev' }] });
    await put([
      read,
      { Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DeleteService', 'ecs:StopTask', 'ecs:RunTask'], Resource: '*', Condition: { StringEquals: { 'ecs:ResourceTag/environment': '${aws:PrincipalTag/environment}' } } },
      { Effect: 'Allow', Action: ['ecs:CreateService', 'ecs:RegisterTaskDefinition', 'ecs:CreateCluster'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/environment': '${aws:PrincipalTag/environment}' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'team'] } } },
      { Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*', Condition: { StringLike: { 'ecs:CreateAction': '*' }, StringEquals: { 'aws:RequestTag/environment': 'dev' } } },
    ]);
    expect(await lab.statuses('tag-access')).toMatchObject({ 'dev-yes-prod-no': 'pass', 'no-retagging': 'pass', 'new-resources-dev': 'pass', proof: 'pass' });
    // The same policy for a role tagged prod lets it change prod, and the checks say so.
    await iam.tagRole({ RoleName: 'lab-developer', Tags: [{ Key: 'environment', Value: 'prod' }] });
    expect(await lab.statuses('tag-access')).toMatchObject({ 'dev-yes-prod-no': 'fail', proof: 'fail' });
  });

  it('partial: a Deny on re-tagging with ForAllValues (bypassed by adding a second tag) fails no-retagging', async () => {
    await fresh('tag-access');
    await tagged();
    await put([
      read,
      { Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'dev' } } },
      { Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*' },
      { Effect: 'Deny', Action: ['ecs:TagResource', 'ecs:UntagResource'], Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment'] } } },
    ]);
    const step = (await lab.check('tag-access')).steps.find((x) => x.id === 'no-retagging')!;
    expect(step.status).toBe('fail');
    expect(step.checks[0]!.message).toContain('re-tagging prod catalog as dev together with another tag (ecs:TagResource');
  });

  it('partial: an untagged dev revision fails the tagging step; allowing TagResource without conditions fails no-retagging', async () => {
    await fresh('tag-access');
    await tagged();
    const dev = (await ecs.describeServices({ cluster: 'lab-dev', services: ['catalog'] })).services![0]!;
    await ecs.untagResource({ resourceArn: dev.taskDefinition, tagKeys: ['environment'] });
    await put([read, { Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DeleteService', 'ecs:StopTask', 'ecs:RunTask'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/environment': 'dev' } } }, { Effect: 'Allow', Action: 'ecs:TagResource', Resource: '*' }]);
    const r = await lab.check('tag-access');
    const s = Object.fromEntries(r.steps.map((x) => [x.id, x]));
    expect(s['everything-tagged']!.checks[0]!.message).toMatch(/task definition catalog:\d+ \(run by lab-dev\/catalog\) has no environment tag/);
    expect(s['no-retagging']!.status).toBe('fail');
    expect(s['no-retagging']!.checks[0]!.message).toMatch(/re-tagging prod catalog as dev \(ecs:TagResource on .*\) is allowed, expected denied/);
  });

  it('the proof step names the denial it got on prod, and fails while the role may still change prod', async () => {
    let proof = (await lab.check('tag-access')).steps.find((x) => x.id === 'proof')!;
    expect(proof.status).toBe('pass');
    expect(proof.checks[0]!.message).toMatch(/UpdateService on lab-prod\/catalog was denied \(AccessDeniedException\) and on lab-dev\/catalog allowed/);
    await put([read, { Effect: 'Allow', Action: 'ecs:UpdateService', Resource: '*' }]);
    proof = (await lab.check('tag-access')).steps.find((x) => x.id === 'proof')!;
    expect(proof.status).toBe('fail');
    expect(proof.checks[0]!.message).toBe('Acting as lab-developer: UpdateService on lab-prod/catalog succeeded.');
  });
});
