import { CreateClusterCommand, DescribeClustersCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from './index.js';
import { clientConfig, fakeAuth, rawRequest, startTestSandbox } from './test-helpers.js';

let sandbox: RunningSandbox;
const ECS_JSON = { 'content-type': 'application/x-amz-json-1.1', authorization: fakeAuth('ecs') };
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: fakeAuth('ec2') };

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

async function stillServes(): Promise<void> {
  const ecs = new ECSClient(clientConfig(sandbox.url));
  await expect(ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
  ecs.destroy();
}

describe('awsJson1_1 errors', () => {
  it('answers malformed JSON with SerializationException and keeps serving', async () => {
    const res = await rawRequest(sandbox.url, { headers: { ...ECS_JSON, 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' }, body: '{"nextToken": ' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ __type: 'SerializationException' });
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    await stillServes();
  });

  it('answers a wrongly typed member with SerializationException', async () => {
    const res = await rawRequest(sandbox.url, { headers: { ...ECS_JSON, 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeClusters' }, body: '{"clusters":"lab"}' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe('SerializationException');
  });

  it('answers an unknown target with UnknownOperationException', async () => {
    for (const target of ['AmazonEC2ContainerServiceV20141113.StealEverything', 'NoSuchService_2020.Op', 'AmazonEC2ContainerServiceV20141113.__proto__']) {
      const res = await rawRequest(sandbox.url, { headers: { ...ECS_JSON, 'x-amz-target': target }, body: '{}' });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).__type).toBe('UnknownOperationException');
    }
    await stillServes();
  });

  it('routes unsigned JSON requests by target prefix', async () => {
    const res = await rawRequest(sandbox.url, {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ clusterArns: [] });
  });
});

describe('ec2Query errors', () => {
  it('answers an unknown action with InvalidAction in the EC2 error shape', async () => {
    const res = await rawRequest(sandbox.url, { headers: FORM, body: 'Action=LaunchMissiles&Version=2016-11-15' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Response><Errors><Error><Code>InvalidAction</Code>');
    expect(res.body).toContain('<RequestID>');
  });

  it('answers a malformed form value with InvalidParameterValue and a missing Action with MissingAction', async () => {
    const bad = await rawRequest(sandbox.url, { headers: FORM, body: 'Action=DescribeVpcs&Version=2016-11-15&MaxResults=lots' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>InvalidParameterValue</Code>');
    const none = await rawRequest(sandbox.url, { headers: FORM, body: 'Version=2016-11-15' });
    expect(none.body).toContain('<Code>MissingAction</Code>');
    const garbage = await rawRequest(sandbox.url, { headers: FORM, body: '%%%&&&==' });
    expect(garbage.status).toBe(400);
    await stillServes();
  });

  it('routes unsigned form requests by Version', async () => {
    const res = await rawRequest(sandbox.url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeAvailabilityZones&Version=2016-11-15' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
    expect(res.body).toContain('<requestId>');
  });
});

describe('routing and control endpoints', () => {
  it('refuses a request it cannot attribute to a service', async () => {
    const res = await rawRequest(sandbox.url, { method: 'GET', path: '/' });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
  });

  it('serves health and per-account reset, never through an AWS operation', async () => {
    const health = await rawRequest(sandbox.url, { method: 'GET', path: '/_ecs-lab/health' });
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', services: expect.arrayContaining(['ecs', 'ec2']) });
    const ecs = new ECSClient(clientConfig(sandbox.url, '000000000042'));
    await ecs.send(new CreateClusterCommand({ clusterName: 'doomed' }));
    const reset = await rawRequest(sandbox.url, { path: '/_ecs-lab/accounts/000000000042/reset' });
    expect(reset.status).toBe(200);
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    ecs.destroy();
    const bad = await rawRequest(sandbox.url, { path: '/_ecs-lab/accounts/not-an-account/reset' });
    expect(bad.status).toBe(400);
    const missing = await rawRequest(sandbox.url, { method: 'GET', path: '/_ecs-lab/nope' });
    expect(missing.status).toBe(404);
  });

  it('maps a 12-digit access key to its account and any other key to 000000000000', async () => {
    const a = new ECSClient(clientConfig(sandbox.url, '111111111111'));
    const b = new ECSClient(clientConfig(sandbox.url, 'AKIAEXAMPLE'));
    const created = await a.send(new CreateClusterCommand({ clusterName: 'mine' }));
    expect(created.cluster?.clusterArn).toBe('arn:aws:ecs:us-east-1:111111111111:cluster/mine');
    const other = await b.send(new DescribeClustersCommand({ clusters: ['mine'] }));
    expect(other.failures?.[0]?.arn).toBe('arn:aws:ecs:us-east-1:000000000000:cluster/mine');
    a.destroy();
    b.destroy();
  });

  it('keeps regions apart', async () => {
    const east = new EC2Client(clientConfig(sandbox.url, '222222222222', 'us-east-1'));
    const west = new EC2Client(clientConfig(sandbox.url, '222222222222', 'eu-west-1'));
    const e = await east.send(new DescribeVpcsCommand({}));
    const w = await west.send(new DescribeVpcsCommand({}));
    expect(e.Vpcs?.[0]?.VpcId).not.toBe(w.Vpcs?.[0]?.VpcId);
    east.destroy();
    west.destroy();
  });

  it('survives an oversized body', async () => {
    const res = await fetch(sandbox.url, { method: 'POST', headers: ECS_JSON, body: 'x'.repeat(17 * 1024 * 1024) }).catch(() => undefined);
    if (res) expect(res.status).toBe(413);
    await stillServes();
  });
});
