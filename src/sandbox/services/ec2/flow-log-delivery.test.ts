import { describe, expect, it } from 'vitest';
import type { EcsState } from '../ecs/state.js';
import type { Endpoint, RuleView } from './flow-log-delivery.js';
import type { Ec2State } from './state.js';
import {
  DEFAULT_LOG_FORMAT,
  MAX_WINDOWS,
  cidrHolds,
  endpointsOf,
  formatRecord,
  logFormatFields,
  noDataValues,
  permits,
  recordValues,
  trafficInWindow,
  windowsOf,
} from './flow-log-delivery.js';

const rule = (r: Partial<RuleView> & Pick<RuleView, 'GroupId' | 'IsEgress'>): RuleView => ({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, ...r });

describe('security group decisions', () => {
  const rules: RuleView[] = [
    rule({ GroupId: 'sg-web', IsEgress: false, CidrIpv4: '0.0.0.0/0' }),
    rule({ GroupId: 'sg-api', IsEgress: false, FromPort: 9000, ToPort: 9100, ReferencedGroupInfo: { GroupId: 'sg-web' } }),
    rule({ GroupId: 'sg-api', IsEgress: false, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIpv4: '10.0.0.0/16' }),
    rule({ GroupId: 'sg-web', IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' }),
    rule({ GroupId: 'sg-locked', IsEgress: true, FromPort: 443, ToPort: 443, CidrIpv4: '10.0.2.0/24' }),
  ];
  const web = { ip: '10.0.1.5', groups: ['sg-web'] };
  const internet = { ip: '203.0.113.7', groups: [] };

  it('matches CIDRs by address and groups by what the peer holds', () => {
    expect(permits(rules, ['sg-web'], false, 'tcp', 8080, internet)).toBe(true);
    expect(permits(rules, ['sg-web'], false, 'tcp', 8081, internet)).toBe(false);
    expect(permits(rules, ['sg-web'], false, 'udp', 8080, internet)).toBe(false);
    expect(permits(rules, ['sg-api'], false, 'tcp', 9050, web)).toBe(true);
    expect(permits(rules, ['sg-api'], false, 'tcp', 9050, { ip: '10.0.1.5', groups: ['sg-other'] })).toBe(false);
    expect(permits(rules, ['sg-api'], false, 'tcp', 9101, web)).toBe(false);
    // A group reference never matches an internet address, even one a CIDR rule would hold.
    expect(permits(rules, ['sg-api'], false, 'tcp', 9050, internet)).toBe(false);
    expect(permits(rules, ['sg-api'], false, 'udp', 53, web)).toBe(true);
    expect(permits(rules, ['sg-api'], false, 'udp', 53, internet)).toBe(false);
  });

  it('tells egress from ingress, and all-traffic rules from port rules', () => {
    expect(permits(rules, ['sg-web'], true, 'udp', 12345, internet)).toBe(true);
    expect(permits(rules, ['sg-locked'], true, 'tcp', 443, { ip: '10.0.2.9', groups: [] })).toBe(true);
    expect(permits(rules, ['sg-locked'], true, 'tcp', 443, { ip: '10.0.3.9', groups: [] })).toBe(false);
    expect(permits(rules, ['sg-locked'], false, 'tcp', 443, { ip: '10.0.2.9', groups: [] })).toBe(false);
    expect(permits(rules, [], false, 'tcp', 8080, internet)).toBe(false);
  });

  it('reads CIDRs with host bits and edge prefixes', () => {
    expect(cidrHolds('10.0.1.7/24', '10.0.1.200')).toBe(true);
    expect(cidrHolds('10.0.1.0/24', '10.0.2.1')).toBe(false);
    expect(cidrHolds('0.0.0.0/0', '203.0.113.1')).toBe(true);
    expect(cidrHolds('10.0.0.5/32', '10.0.0.5')).toBe(true);
    expect(cidrHolds('10.0.0.5/32', '10.0.0.6')).toBe(false);
    expect(cidrHolds('bogus', '10.0.0.6')).toBe(false);
  });
});

describe('record formatting', () => {
  const base = { 'account-id': '123456789012', 'interface-id': 'eni-0abc', 'vpc-id': 'vpc-1', 'subnet-id': 'subnet-1', region: 'us-east-1', 'ecs-task-id': 'f00' };
  const record = {
    interfaceId: 'eni-0abc', srcaddr: '203.0.113.7', dstaddr: '10.0.1.5', srcport: 40000, dstport: 22, protocol: 6, packets: 2, bytes: 120,
    action: 'REJECT' as const, direction: 'ingress' as const, tcpFlags: 2, trafficPath: undefined,
  };

  it('writes the default format as AWS does, version 2', () => {
    const fields = logFormatFields(DEFAULT_LOG_FORMAT);
    expect(formatRecord(fields, recordValues(base, record, 1_764_550_000_900, 1_764_550_060_100))).toBe(
      '2 123456789012 eni-0abc 203.0.113.7 10.0.1.5 40000 22 6 2 120 1764550000 1764550060 REJECT OK',
    );
    expect(formatRecord(fields, noDataValues(base, 1_764_550_000_000, 1_764_550_060_000))).toBe('2 123456789012 eni-0abc - - - - - - - 1764550000 1764550060 - NODATA');
  });

  it('writes a custom format in its order, with the highest field version and - for fields without a value', () => {
    const fields = logFormatFields('${vpc-id} ${version}  ${flow-direction} ${traffic-path} ${ecs-task-id} ${tcp-flags} ${region}');
    expect(formatRecord(fields, recordValues(base, record, 0, 60_000))).toBe('vpc-1 7 ingress - f00 2 us-east-1');
    expect(formatRecord(logFormatFields('${version} ${az-id}'), {})).toBe('4 -');
    expect(formatRecord(logFormatFields('${reject-reason} ${version}'), {})).toBe('- 8');
  });

  it('refuses unknown fields and text that is not a field (InvalidParameter)', () => {
    expect(() => logFormatFields('${version} ${bogus}')).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
    expect(() => logFormatFields('${version} srcaddr')).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
    expect(() => logFormatFields('   ')).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
  });
});

describe('delivery windows', () => {
  it('splits a gap into aggregation intervals, the last ending at the read, and keeps the newest ten', () => {
    expect(windowsOf(0, 1500, 60)).toEqual([[0, 1500]]);
    expect(windowsOf(0, 150_000, 60)).toEqual([[0, 60_000], [60_000, 120_000], [120_000, 150_000]]);
    const long = windowsOf(0, 3600_000 * 5, 600);
    expect(long).toHaveLength(MAX_WINDOWS);
    expect(long.at(-1)).toEqual([3600_000 * 5 - 600_000, 3600_000 * 5]);
  });
});

describe('traffic model', () => {
  const endpoint = (id: string, ip: string, groups: string[], owners: string[], listeners: Endpoint['listeners'], publicIp?: string): Endpoint => ({
    eni: { NetworkInterfaceId: id, VpcId: 'vpc-1', Status: 'in-use', PrivateIpAddress: ip },
    id, ip, publicIp, groups, owners: new Set(owners), listeners, ecs: undefined,
  });
  const web = endpoint('eni-web', '10.0.1.10', ['sg-web'], ['service:c/web'], [{ protocol: 'tcp', port: 8080, owner: 'service:c/web' }], '3.1.2.3');
  const api = endpoint('eni-api', '10.0.1.20', ['sg-api'], ['service:c/api'], [{ protocol: 'tcp', port: 9090, owner: 'service:c/api' }]);
  const web2 = endpoint('eni-web2', '10.0.1.11', ['sg-web'], ['service:c/web'], [{ protocol: 'tcp', port: 8080, owner: 'service:c/web' }]);
  const all = new Map([web, api, web2].map((e) => [e.id, e]));
  const egressAll = (g: string) => rule({ GroupId: g, IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' });
  const rules = [egressAll('sg-web'), egressAll('sg-api'), rule({ GroupId: 'sg-web', IsEgress: false, CidrIpv4: '0.0.0.0/0' })];
  const summary = (records: ReturnType<typeof trafficInWindow>, id: string) =>
    (records.get(id) ?? []).map((r) => `${r.direction} ${r.srcaddr}:${port(r.srcport)} -> ${r.dstaddr}:${port(r.dstport)} ${r.action}`);
  const port = (p: number) => (p >= 32768 && p <= 60999 ? 'eph' : String(p));

  it('records an accepted flow at both ends, a rejected one as REJECT at the destination and ACCEPT at the source', () => {
    const t = trafficInWindow(all, rules, 'vpc-1', 0);
    // api -> web:8080 accepted (0.0.0.0/0); web and web2 -> api:9090 rejected (no ingress rule);
    // web2 never connects to web (same service); the internet probes web's 8080 and 22.
    const internet = t.get('eni-web')!.find((r) => r.srcaddr.startsWith('203.0.113.'))!.srcaddr;
    expect(summary(t, 'eni-web').sort()).toEqual(
      [
        'ingress 10.0.1.20:eph -> 10.0.1.10:8080 ACCEPT',
        'egress 10.0.1.10:8080 -> 10.0.1.20:eph ACCEPT',
        'egress 10.0.1.10:eph -> 10.0.1.20:9090 ACCEPT',
        `ingress ${internet}:eph -> 10.0.1.10:8080 ACCEPT`,
        `egress 10.0.1.10:8080 -> ${internet}:eph ACCEPT`,
        `ingress ${internet}:eph -> 10.0.1.10:22 REJECT`,
      ].sort(),
    );
    expect(t.get('eni-api')!.filter((r) => r.action === 'REJECT')).toHaveLength(2);
    // api's own requests to web and web2, each with its response.
    expect(t.get('eni-api')!.filter((r) => r.action === 'ACCEPT').map((r) => `${r.direction} ${r.dstport === 8080 || r.srcport === 8080}`)).toEqual([
      'egress true', 'ingress true', 'egress true', 'ingress true',
    ]);
    const rejected = t.get('eni-api')!.find((r) => r.action === 'REJECT')!;
    expect(rejected.packets).toBeGreaterThanOrEqual(1);
    expect(rejected.packets).toBeLessThanOrEqual(3);
    expect(rejected.bytes).toBe(rejected.packets * 60);
    expect(rejected.tcpFlags).toBe(2);
  });

  it('stops a flow at the source when its egress rules do not allow it', () => {
    const t = trafficInWindow(all, [egressAll('sg-web'), rule({ GroupId: 'sg-web', IsEgress: false, CidrIpv4: '0.0.0.0/0' }), rule({ GroupId: 'sg-api', IsEgress: false, FromPort: 9090, ToPort: 9090, CidrIpv4: '10.0.0.0/8' })], 'vpc-1', 0);
    // api has no egress rule: its request to web:8080 is rejected at api, web sees nothing from it.
    expect(t.get('eni-api')!.filter((r) => r.dstaddr === web.ip && r.dstport === 8080).map((r) => `${r.direction} ${r.action}`)).toEqual(['egress REJECT']);
    expect(t.get('eni-web')!.some((r) => r.srcaddr === api.ip && r.dstport === 8080)).toBe(false);
    expect(t.get('eni-web')!.some((r) => r.srcaddr === api.ip && r.srcport === 9090)).toBe(true);
  });

  it('is deterministic per window and varies between windows', () => {
    expect(trafficInWindow(all, rules, 'vpc-1', 60_000)).toEqual(trafficInWindow(all, rules, 'vpc-1', 60_000));
    const a = JSON.stringify([...trafficInWindow(all, rules, 'vpc-1', 60_000)]);
    const b = JSON.stringify([...trafficInWindow(all, rules, 'vpc-1', 120_000)]);
    expect(a).not.toBe(b);
    expect(trafficInWindow(all, rules, 'vpc-other', 0).size).toBe(0);
  });
});

describe('listening ports from ECS state', () => {
  it('takes awsvpc containerPorts from the task definition and bridge hostPorts onto the container instance\'s primary interface', () => {
    const eni = (id: string, ip: string, instanceId?: string) => ({ NetworkInterfaceId: id, VpcId: 'vpc-1', Status: 'in-use', PrivateIpAddress: ip, Groups: [{ GroupId: 'sg-1' }], Attachment: instanceId ? { InstanceId: instanceId } : undefined });
    const ec2 = {
      networkInterfaces: { 'eni-task': eni('eni-task', '10.0.1.5'), 'eni-host': eni('eni-host', '10.0.1.6', 'i-host'), 'eni-stopped': eni('eni-stopped', '10.0.1.7') },
      instances: { 'i-host': { instance: { InstanceId: 'i-host' }, reservationId: 'r-1', networkInterfaceIds: ['eni-host'] } },
    } as unknown as Ec2State;
    const cluster = 'arn:aws:ecs:us-east-1:000000000000:cluster/lab';
    const ciArn = 'arn:aws:ecs:us-east-1:000000000000:container-instance/lab/ci1';
    const tdArn = 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1';
    const ecs = {
      taskDefinitions: { web: [{ taskDefinition: { taskDefinitionArn: tdArn, family: 'web', revision: 1, containerDefinitions: [{ name: 'a', portMappings: [{ containerPort: 8080 }, { containerPort: 53, protocol: 'udp' }] }] }, tags: [] }] },
      containerInstances: { ci1: { clusterName: 'lab', instance: { containerInstanceArn: ciArn, ec2InstanceId: 'i-host' } } },
      tasks: {
        t1: { taskArn: `${cluster.replace(':cluster/', ':task/')}/t1`, clusterArn: cluster, lastStatus: 'RUNNING', group: 'service:web', taskDefinitionArn: tdArn, attachments: [{ details: [{ name: 'networkInterfaceId', value: 'eni-task' }] }] },
        t2: { taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/lab/t2', clusterArn: cluster, lastStatus: 'RUNNING', group: 'family:batch', containerInstanceArn: ciArn, containers: [{ networkBindings: [{ hostPort: 32768, containerPort: 80, protocol: 'tcp' }] }] },
        t3: { taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/lab/t3', clusterArn: cluster, lastStatus: 'STOPPED', group: 'service:web', taskDefinitionArn: tdArn, attachments: [{ details: [{ name: 'networkInterfaceId', value: 'eni-stopped' }] }] },
      },
    } as unknown as EcsState;
    const endpoints = endpointsOf(ec2, ecs);
    expect(endpoints.get('eni-task')!.listeners).toEqual([{ protocol: 'tcp', port: 8080, owner: 'service:lab/web' }, { protocol: 'udp', port: 53, owner: 'service:lab/web' }]);
    expect(endpoints.get('eni-task')!.ecs).toMatchObject({ serviceName: 'web', taskDefinitionArn: tdArn, clusterArn: cluster });
    expect(endpoints.get('eni-host')!.listeners).toEqual([{ protocol: 'tcp', port: 32768, owner: 'task:arn:aws:ecs:us-east-1:000000000000:task/lab/t2' }]);
    expect(endpoints.get('eni-host')!.ecs).toMatchObject({ containerInstanceArn: ciArn });
    expect(endpoints.get('eni-stopped')!.listeners).toEqual([]);
    expect(endpoints.get('eni-stopped')!.owners.size).toBe(0);
  });
});
