import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeFlowLogsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../index.js';
import { awsCli, clientConfig, hasAwsCli, startTestSandbox, tempDir } from '../../test-helpers.js';

const ACCOUNT = '000000000031';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/flow-logs`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Clients {
  ec2: EC2Client;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
}

function clients(url: string): Clients {
  return { ec2: new EC2Client(clientConfig(url, ACCOUNT)), ecs: new ECSClient(clientConfig(url, ACCOUNT)), logs: new CloudWatchLogsClient(clientConfig(url, ACCOUNT)) };
}

function destroy(c: Clients): void {
  c.ec2.destroy();
  c.ecs.destroy();
  c.logs.destroy();
}

interface Lab {
  vpcId: string;
  subnetId: string;
  webSg: string;
  apiSg: string;
  /** The web task's interface (public IP, listens on 8080) and the api task's (private, 9090). */
  webEni: string;
  apiEni: string;
  webIp: string;
  apiIp: string;
}

/** A VPC with two awsvpc services: web (public, open to 0.0.0.0/0 on 8080) and api (9090, open to 10.9.0.0/16 only). */
async function buildLab({ ec2, ecs }: Clients, cluster: string): Promise<Lab> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const webSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }))).GroupId!;
  const apiSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'api', Description: 'api', VpcId: vpcId }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: apiSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 9090, ToPort: 9090, IpRanges: [{ CidrIp: '10.9.0.0/16' }] }] }));
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const eni = async (service: string, family: string, port: number, sg: string, assignPublicIp: 'ENABLED' | 'DISABLED') => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'nginx', portMappings: [{ containerPort: port, protocol: 'tcp' }] }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: service,
        taskDefinition: family,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: [subnetId], securityGroups: [sg], assignPublicIp } },
      }),
    );
    const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: service }))).taskArns!;
    const task = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks![0]!;
    const details = task.attachments![0]!.details!;
    return { id: details.find((d) => d.name === 'networkInterfaceId')!.value!, ip: details.find((d) => d.name === 'privateIPv4Address')!.value! };
  };
  const web = await eni('web', 'web', 8080, webSg, 'ENABLED');
  const api = await eni('api', 'api', 9090, apiSg, 'DISABLED');
  return { vpcId, subnetId, webSg, apiSg, webEni: web.id, apiEni: api.id, webIp: web.ip, apiIp: api.ip };
}

async function flowLog(ec2: EC2Client, resourceId: string, group: string, trafficType: 'ALL' | 'ACCEPT' | 'REJECT' = 'ALL', extra: Record<string, unknown> = {}): Promise<string> {
  const out = await ec2.send(
    new CreateFlowLogsCommand({ ResourceIds: [resourceId], ResourceType: resourceId.startsWith('vpc-') ? 'VPC' : 'NetworkInterface', TrafficType: trafficType, LogGroupName: group, DeliverLogsPermissionArn: ROLE, MaxAggregationInterval: 60, ...extra }),
  );
  expect(out.Unsuccessful).toEqual([]);
  return out.FlowLogIds![0]!;
}

/** A default-format record's fields by name. */
function parse(message: string) {
  const [version, account, eni, src, dst, srcport, dstport, protocol, packets, bytes, start, end, action, status] = message.split(' ').map(String);
  const text = (v: string | undefined) => v ?? '';
  return {
    version: text(version), account: text(account), eni: text(eni), src: text(src), dst: text(dst), srcport: text(srcport), dstport: text(dstport),
    protocol: text(protocol), packets: text(packets), bytes: text(bytes), start: Number(start), end: Number(end), action: text(action), status: text(status),
  };
}

type Event = { logStreamName?: string; message?: string; timestamp?: number };

async function allEvents(logs: CloudWatchLogsClient, group: string, filterPattern?: string): Promise<Event[]> {
  return (await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }))).events!;
}

describe('VPC flow log delivery to CloudWatch Logs', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let c: Clients;
  let lab: Lab;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    c = clients(sandbox.url);
    lab = await buildLab(c, 'lab');
  });
  afterAll(async () => {
    destroy(c);
    await sandbox.close();
  });

  it('delivers records that follow the security groups, and new windows after a rule changes', async () => {
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/lab/flow' }));
    const id = await flowLog(c.ec2, lab.vpcId, '/lab/flow');
    // Less than a second after creation: nothing yet.
    expect((await c.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/lab/flow' }))).logStreams).toEqual([]);
    await sleep(1100);
    const streams = (await c.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/lab/flow' }))).logStreams!.map((s) => s.logStreamName);
    expect(streams).toEqual([`${lab.apiEni}-all`, `${lab.webEni}-all`].sort());
    const first = (await allEvents(c.logs, '/lab/flow')).map((e) => ({ stream: e.logStreamName!, timestamp: e.timestamp!, ...parse(e.message!) }));
    expect(new Set(first.map((r) => r.start)).size).toBe(1);
    expect(first.every((r) => r.version === '2' && r.account === ACCOUNT && r.status === 'OK' && r.protocol === '6' && `${r.eni}-all` === r.stream)).toBe(true);
    // The event timestamp is the window's start (CloudWatch Logs shows flow log records by start time).
    expect(first.every((r) => Math.floor(r.timestamp / 1000) === r.start)).toBe(true);
    const at = (eni: string) => first.filter((r) => r.eni === eni).map((r) => `${r.src}>${r.dst}:${r.dstport} ${r.action}`);
    const internet = first.find((r) => r.src.startsWith('203.0.113.'))!.src;
    // web: the internet probe on 8080 is accepted (0.0.0.0/0), on 22 rejected; api reaches 8080;
    // web's requests to api:9090 leave web (ACCEPT at web) and are rejected at api.
    expect(at(lab.webEni)).toEqual(
      expect.arrayContaining([
        `${internet}>${lab.webIp}:8080 ACCEPT`,
        `${internet}>${lab.webIp}:22 REJECT`,
        `${lab.apiIp}>${lab.webIp}:8080 ACCEPT`,
        `${lab.webIp}>${lab.apiIp}:9090 ACCEPT`,
      ]),
    );
    expect(at(lab.apiEni)).toEqual(expect.arrayContaining([`${lab.webIp}>${lab.apiIp}:9090 REJECT`, `${lab.apiIp}>${lab.webIp}:8080 ACCEPT`]));
    expect(at(lab.apiEni).some((r) => r.includes(':9090 ACCEPT'))).toBe(false);
    // Responses of accepted flows come from the listening port.
    expect(first.some((r) => r.eni === lab.webEni && r.src === lab.webIp && r.dst === internet && r.srcport === '8080' && r.action === 'ACCEPT')).toBe(true);

    // A repeated read within the second delivers nothing more.
    expect(await allEvents(c.logs, '/lab/flow')).toHaveLength(first.length);
    expect((await c.ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: [id] }))).FlowLogs![0]).toMatchObject({ FlowLogStatus: 'ACTIVE', LogGroupName: '/lab/flow', MaxAggregationInterval: 60 });

    // The fix: web's 8080 no longer open to the internet, only to the api service's group.
    await c.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: lab.webSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: lab.webSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: lab.apiSg }] }] }));
    await sleep(1100);
    const got = (await c.logs.send(new GetLogEventsCommand({ logGroupName: '/lab/flow', logStreamName: `${lab.webEni}-all`, startFromHead: true }))).events!.map((e) => parse(e.message!));
    const firstStart = first[0]!.start;
    const before = got.filter((r) => r.start === firstStart);
    const after = got.filter((r) => r.start !== firstStart);
    expect(before.map((r) => `${r.src}>${r.dst}:${r.dstport} ${r.action} ${r.packets} ${r.bytes}`)).toEqual(
      first.filter((r) => r.eni === lab.webEni).map((r) => `${r.src}>${r.dst}:${r.dstport} ${r.action} ${r.packets} ${r.bytes}`),
    );
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => r.start >= first[0]!.end)).toBe(true);
    const internetAfter = after.find((r) => r.src.startsWith('203.0.113.'))!.src;
    const afterSummary = after.map((r) => `${r.src}>${r.dst}:${r.dstport} ${r.action}`);
    expect(afterSummary).toEqual(expect.arrayContaining([`${internetAfter}>${lab.webIp}:8080 REJECT`, `${lab.apiIp}>${lab.webIp}:8080 ACCEPT`]));
    expect(afterSummary).not.toContain(`${internetAfter}>${lab.webIp}:8080 ACCEPT`);

    // The documented space-delimited pattern for flow logs, and a plain term.
    const pattern = '[version, account, eni, source, destination, srcport, destport="8080", protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]';
    const rejected = (await allEvents(c.logs, '/lab/flow', pattern)).map((e) => parse(e.message!));
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.dstport === '8080' && r.action === 'REJECT' && r.src.startsWith('203.0.113.') && r.start !== firstStart)).toBe(true);
    expect((await allEvents(c.logs, '/lab/flow', 'REJECT')).every((e) => e.message!.includes(' REJECT OK'))).toBe(true);
  });

  it('filters by TrafficType into <eni>-accept / <eni>-reject streams, and writes NODATA for a quiet interface', async () => {
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/lab/reject' }));
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/lab/accept' }));
    await flowLog(c.ec2, lab.webEni, '/lab/reject', 'REJECT');
    await flowLog(c.ec2, lab.apiEni, '/lab/accept', 'ACCEPT', { LogFormat: '${version} ${interface-id} ${action} ${flow-direction} ${ecs-service-name} ${ecs-cluster-name} ${vpc-id} ${log-status}' });
    // A quiet interface: a task with no ports and no public address, alone in its VPC.
    const vpc2 = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const subnet2 = (await c.ec2.send(new CreateSubnetCommand({ VpcId: vpc2, CidrBlock: '10.1.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
    await c.ecs.send(new RegisterTaskDefinitionCommand({ family: 'idle', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'busybox' }] }));
    await c.ecs.send(new CreateServiceCommand({ cluster: 'lab', serviceName: 'idle', taskDefinition: 'idle', desiredCount: 1, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: [subnet2] } } }));
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/lab/quiet' }));
    await flowLog(c.ec2, vpc2, '/lab/quiet');
    await sleep(1100);

    const rejects = await allEvents(c.logs, '/lab/reject');
    expect(new Set(rejects.map((e) => e.logStreamName))).toEqual(new Set([`${lab.webEni}-reject`]));
    expect(rejects.length).toBeGreaterThan(0);
    expect(rejects.every((e) => parse(e.message!).action === 'REJECT')).toBe(true);

    const accepts = await allEvents(c.logs, '/lab/accept');
    expect(new Set(accepts.map((e) => e.logStreamName))).toEqual(new Set([`${lab.apiEni}-accept`]));
    expect(accepts.length).toBeGreaterThan(0);
    for (const e of accepts) expect(e.message).toMatch(new RegExp(`^7 ${lab.apiEni} ACCEPT (ingress|egress) api lab ${lab.vpcId} OK$`));

    const quiet = await allEvents(c.logs, '/lab/quiet');
    expect(quiet).toHaveLength(1);
    expect(quiet[0]!.message).toMatch(new RegExp(`^2 ${ACCOUNT} eni-[0-9a-f]+ - - - - - - - [0-9]+ [0-9]+ - NODATA$`));
  });

  it('validates a custom LogFormat (InvalidParameter) and delivers nothing to S3 or a missing group', async () => {
    await expect(flowLog(c.ec2, lab.vpcId, '/lab/bad', 'ALL', { LogFormat: '${version} ${no-such-field}' })).rejects.toMatchObject({ name: 'InvalidParameter' });
    await c.ec2.send(new CreateFlowLogsCommand({ ResourceIds: [lab.vpcId], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::lab-flow-bucket' }));
    await flowLog(c.ec2, lab.vpcId, '/lab/later', 'REJECT');
    await sleep(1100);
    // The group did not exist at delivery time; created later, it starts empty and fills on the next read.
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/lab/later' }));
    const firstRead = await allEvents(c.logs, '/lab/later');
    expect(firstRead.length).toBeGreaterThan(0);
  });

  it('records the reads as ReadOnly in CloudTrail', async () => {
    const trail = new CloudTrailClient(clientConfig(sandbox.url, ACCOUNT));
    try {
      const events = (await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'FilterLogEvents' }] }))).Events!;
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.ReadOnly === 'true')).toBe(true);
    } finally {
      trail.destroy();
    }
  });
});

describe('flow log delivery across a restart', { timeout: 60_000 }, () => {
  it('keeps delivered records and the delivery point, without duplicates', async () => {
    const tmp = tempDir();
    try {
      let box = await startTestSandbox({ dataDir: tmp.dir });
      let c = clients(box.url);
      const lab = await buildLab(c, 'kept');
      await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/lab/kept' }));
      await flowLog(c.ec2, lab.vpcId, '/lab/kept');
      await sleep(1100);
      const before = (await allEvents(c.logs, '/lab/kept')).map((e) => `${e.logStreamName} ${e.message}`);
      expect(before.length).toBeGreaterThan(0);
      // Over a second later: a restart that lost the delivery would deliver the first window again with another end.
      await sleep(1100);
      destroy(c);
      await box.close();

      box = await startTestSandbox({ dataDir: tmp.dir });
      c = clients(box.url);
      const after = (await allEvents(c.logs, '/lab/kept')).map((e) => `${e.logStreamName} ${e.message}`);
      // The first window is kept once; the restart's read may add a newer window, never the first again.
      for (const line of before) expect(after.filter((l) => l === line)).toHaveLength(1);
      const firstStart = parse(before[0]!.split(' ').slice(1).join(' ')).start;
      expect(after.filter((l) => parse(l.split(' ').slice(1).join(' ')).start === firstStart)).toHaveLength(before.length);
      destroy(c);
      await box.close();
    } finally {
      tmp.remove();
    }
  });
});

const cliAvailable = await hasAwsCli();

describe.skipIf(!cliAvailable)('flow log records with the real AWS CLI', { timeout: 90_000 }, () => {
  it('aws logs filter-log-events --filter-pattern REJECT lists the rejected probes', async () => {
    const sandbox = await startTestSandbox();
    const c = clients(sandbox.url);
    try {
      const lab = await buildLab(c, 'cli');
      const aws = awsCli(() => sandbox.url, ACCOUNT);
      expect((await aws('logs', 'create-log-group', '--log-group-name', '/lab/cli')).code).toBe(0);
      const created = await aws('ec2', 'create-flow-logs', '--resource-type', 'VPC', '--resource-ids', lab.vpcId, '--traffic-type', 'ALL', '--log-group-name', '/lab/cli', '--deliver-logs-permission-arn', ROLE, '--max-aggregation-interval', '60');
      expect(created.code).toBe(0);
      await sleep(1100);
      const out = await aws('logs', 'filter-log-events', '--log-group-name', '/lab/cli', '--filter-pattern', 'REJECT');
      expect(out.code).toBe(0);
      const events = JSON.parse(out.stdout).events as { logStreamName: string; message: string }[];
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => / REJECT OK$/.test(e.message))).toBe(true);
      expect(events.some((e) => e.logStreamName === `${lab.webEni}-all` && e.message.includes(`${lab.webIp} `) && / 22 6 /.test(e.message))).toBe(true);
      const streams = JSON.parse((await aws('logs', 'describe-log-streams', '--log-group-name', '/lab/cli')).stdout).logStreams as { logStreamName: string }[];
      expect(streams.map((s) => s.logStreamName).sort()).toEqual([`${lab.apiEni}-all`, `${lab.webEni}-all`].sort());
    } finally {
      destroy(c);
      await sandbox.close();
    }
  });
});
