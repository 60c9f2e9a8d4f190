/**
 * The engine against moto_server (the reference emulator) with a small test scenario:
 * start -> check fails -> fix with the SDK -> check passes -> reset removes every lab-tagged
 * resource and leaves an untagged resource made beforehand intact.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EC2 } from '@aws-sdk/client-ec2';
import { ECS } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../helpers/moto.js';
import { runCli } from '../helpers/run-cli.js';

let moto: Moto;
let env: Record<string, string>;
let ec2: EC2;
let ecs: ECS;

beforeAll(async () => {
  moto = await startMoto();
  env = {
    ECS_LAB_SCENARIOS: new URL('../fixtures/mini-scenarios.yaml', import.meta.url).pathname,
    ECS_LAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'ecs-lab-moto-')),
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'us-east-1',
    ECS_LAB_LEARNER: 'alice',
  };
  const cfg = { endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  ec2 = new EC2(cfg);
  ecs = new ECS(cfg);
});
afterAll(async () => {
  await moto?.stop();
});

const json = async (args: string[]) => {
  const res = await runCli([...args, '--json'], env);
  return { ...res, body: JSON.parse(res.stdout) };
};

describe('engine on moto_server', () => {
  let userClusterArn: string;
  let userGroupId: string;

  it('leaves alone what the learner made: an untagged cluster and an untagged group in the default VPC', async () => {
    userClusterArn = (await ecs.createCluster({ clusterName: 'my-cluster' })).cluster!.clusterArn!;
    const vpcs = await ec2.describeVpcs({ Filters: [{ Name: 'is-default', Values: ['true'] }] });
    userGroupId = (await ec2.createSecurityGroup({ GroupName: 'my-group', Description: 'mine', VpcId: vpcs.Vpcs![0]!.VpcId })).GroupId!;
    expect(userClusterArn).toContain('my-cluster');
  });

  it('start creates the declared resources, tagged', async () => {
    const { code, body } = await json(['start', 'demo']);
    expect(code).toBe(0);
    expect(body.resources.map((r: { type: string; name: string; status: string }) => `${r.type}/${r.name}:${r.status}`)).toEqual([
      'ec2-vpc/lab-vpc:created',
      'ec2-security-group/lab-open-sg:created',
      'ecs-cluster/lab-demo:created',
    ]);
    const sg = await ec2.describeSecurityGroups({ Filters: [{ Name: 'group-name', Values: ['lab-open-sg'] }] });
    const tags = Object.fromEntries((sg.SecurityGroups![0]!.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({ 'ecs-lab:managed': 'true', 'ecs-lab:scenario': 'demo' });
  });

  it('start run twice changes nothing the second time', async () => {
    const { code, body } = await json(['start', 'demo']);
    expect(code).toBe(0);
    expect(body.resources.every((r: { status: string }) => r.status === 'found')).toBe(true);
    const vpcs = await ec2.describeVpcs({ Filters: [{ Name: 'tag:Name', Values: ['lab-vpc'] }] });
    expect(vpcs.Vpcs).toHaveLength(1);
  });

  it('check fails every check step on the starting state (exit 1)', async () => {
    const { code, body } = await json(['check', 'demo']);
    expect(code).toBe(1);
    expect(body.status).toBe('fail');
    expect(body.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual(['closed:fail', 'tagged:fail', 'quiz:fail']);
    expect(body.apiCalls).toBeGreaterThan(0);
    expect(body.target).toMatchObject({ kind: 'endpoint', account: '123456789012', region: 'us-east-1' });
  });

  it('check passes after the learner fixes it with the SDK and answers the quiz (exit 0)', async () => {
    const sg = (await ec2.describeSecurityGroups({ Filters: [{ Name: 'group-name', Values: ['lab-open-sg'] }] })).SecurityGroups![0]!;
    await ec2.revokeSecurityGroupIngress({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
    await ec2.authorizeSecurityGroupIngress({ GroupId: sg.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] });
    const partial = await json(['check', 'demo']);
    expect(partial.body.steps.map((s: { status: string }) => s.status)).toEqual(['pass', 'fail', 'fail']);

    const cluster = (await ecs.describeClusters({ clusters: ['lab-demo'] })).clusters![0]!;
    await ecs.tagResource({ resourceArn: cluster.clusterArn, tags: [{ key: 'environment', value: 'prod' }] });
    expect((await runCli(['answer', 'demo', '--step', 'quiz', 'a'], env)).code).toBe(0);
    const { code, body } = await json(['check', 'demo']);
    expect(body.steps.map((s: { status: string }) => s.status)).toEqual(['pass', 'pass', 'pass']);
    expect(code).toBe(0);
    expect(body).toMatchObject({ status: 'pass', passed: 3, total: 3 });
  });

  it('a wrong quiz answer exits 1 without revealing the answer', async () => {
    const res = await runCli(['answer', 'demo', '--step', 'quiz', 'b'], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/Not quite/);
    expect(res.stdout).not.toContain('Because a is right');
  });

  it('--role-arn assumes the role through the endpoint and acts as it', async () => {
    const res = await runCli(['check', 'demo', '--json', '--learner', 'bob', '--role-arn', 'arn:aws:iam::111111111111:role/lab-admin'], env);
    // moto acts in the assumed role's account, where nothing was started
    expect(JSON.parse(res.stdout).target.account).toBe('111111111111');
  });

  it('progress shows the scenario complete', async () => {
    const { body } = await json(['progress']);
    expect(body.scenarios[0]).toMatchObject({ id: 'demo', passed: 3, total: 3, status: 'complete' });
  });

  it('check --watch re-checks until every step passes, printing what changed', async () => {
    const cluster = (await ecs.describeClusters({ clusters: ['lab-demo'] })).clusters![0]!;
    await ecs.untagResource({ resourceArn: cluster.clusterArn, tagKeys: ['environment'] });
    const watching = runCli(['check', 'demo', '--watch', '--interval', '1'], env);
    await new Promise((r) => setTimeout(r, 1500));
    await ecs.tagResource({ resourceArn: cluster.clusterArn, tags: [{ key: 'environment', value: 'prod' }] });
    const res = await watching;
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/✖ FAIL {2}2\. The cluster is tagged/);
    expect(res.stdout).toMatch(/changed: ✔ PASS {2}2\. The cluster is tagged/);
    expect(res.stdout).toMatch(/✔ All 3 steps pass\./);
  });

  it('reset --all removes every lab-tagged resource and leaves the learner\'s own intact', async () => {
    const { code, body } = await json(['reset', '--all']);
    expect(code).toBe(0);
    expect(body.leftovers).toEqual([]);
    expect(body.removed.join('\n')).toMatch(/lab-open-sg/);
    const labVpcs = await ec2.describeVpcs({ Filters: [{ Name: 'tag:ecs-lab:managed', Values: ['true'] }] });
    expect(labVpcs.Vpcs).toEqual([]);
    const clusters = await ecs.describeClusters({ clusters: ['lab-demo', 'my-cluster'] });
    const byName = Object.fromEntries((clusters.clusters ?? []).map((c) => [c.clusterName, c.status]));
    expect(byName['my-cluster']).toBe('ACTIVE');
    expect(byName['lab-demo'] ?? 'INACTIVE').toBe('INACTIVE');
    const mine = await ec2.describeSecurityGroups({ GroupIds: [userGroupId] });
    expect(mine.SecurityGroups![0]!.GroupName).toBe('my-group');
  });
});
