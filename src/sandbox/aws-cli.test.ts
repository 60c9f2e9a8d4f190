import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from './index.js';
import { awsCli, hasAwsCli, startTestSandbox } from './test-helpers.js';



const cliAvailable = await hasAwsCli();
let sandbox: RunningSandbox;

const aws = awsCli(() => sandbox.url, '000000000005');

describe.skipIf(!cliAvailable)('the real AWS CLI against the sandbox', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('creates and describes an ECS cluster', async () => {
    const created = await aws('ecs', 'create-cluster', '--cluster-name', 'lab-prod', '--tags', 'key=environment,value=prod');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).cluster.clusterArn).toBe('arn:aws:ecs:us-east-1:000000000005:cluster/lab-prod');
    const described = await aws('ecs', 'describe-clusters', '--clusters', 'lab-prod', '--include', 'TAGS');
    expect(JSON.parse(described.stdout).clusters[0].tags).toEqual([{ key: 'environment', value: 'prod' }]);
  });

  it('reports an ECS error code the way AWS does', async () => {
    const out = await aws('ecs', 'describe-services', '--cluster', 'ghost', '--services', 'x');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('(ClusterNotFoundException)');
  });

  it('describes, creates and filters security groups', { timeout: 90_000 }, async () => {
    const vpc = JSON.parse((await aws('ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16')).stdout).Vpc.VpcId as string;
    const sg = JSON.parse((await aws('ec2', 'create-security-group', '--group-name', 'lab-shared-sg', '--description', 'shared', '--vpc-id', vpc)).stdout).GroupId as string;
    const auth = await aws('ec2', 'authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '0-65535', '--cidr', '0.0.0.0/0');
    expect(auth.code).toBe(0);
    const out = JSON.parse((await aws('ec2', 'describe-security-groups', '--filters', `Name=vpc-id,Values=${vpc}`, 'Name=group-name,Values=lab-shared-sg')).stdout);
    expect(out.SecurityGroups[0].IpPermissions[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
    const all = JSON.parse((await aws('ec2', 'describe-security-groups')).stdout);
    expect(all.SecurityGroups.length).toBeGreaterThanOrEqual(3);
    const missing = await aws('ec2', 'describe-security-groups', '--group-ids', 'sg-0000');
    expect(missing.stderr).toContain('(InvalidGroup.NotFound)');
  });

  it('puts the account default task retirement wait period', async () => {
    const put = await aws('ecs', 'put-account-setting-default', '--name', 'fargateTaskRetirementWaitPeriod', '--value', '14');
    expect(put.code).toBe(0);
    const list = JSON.parse((await aws('ecs', 'list-account-settings', '--name', 'fargateTaskRetirementWaitPeriod', '--effective-settings')).stdout);
    expect(list.settings[0].value).toBe('14');
  });
});
