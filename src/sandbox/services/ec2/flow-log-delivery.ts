/**
 * VPC flow log records for CloudWatch Logs: what an ACTIVE flow log would have captured since its
 * previous delivery, written to its log group when a CloudWatch Logs read (DescribeLogStreams,
 * GetLogEvents, FilterLogEvents) touches that group. Those reads are tracked (`persistedReads`), so
 * delivered records and the delivery point are persisted like a write's.
 *
 * Delivery: a flow log delivers the time since its previous delivery (at first, its CreationTime)
 * up to the read, in windows of its MaxAggregationInterval (60 or 600 s; the last window ends at
 * the read). Less than 1 s since the previous delivery delivers nothing. One stream per network
 * interface in scope (ResourceType VPC: every in-use interface of the VPC; Subnet: of the subnet;
 * NetworkInterface: that one), named `<eni-id>-all`, `-accept` or `-reject` after the TrafficType,
 * which also filters the records. An event's timestamp is its window's start, as CloudWatch Logs
 * shows flow log records ("the timestamp field corresponds to the start time"). Flow logs to S3 or
 * Firehose, or to a group of another account or Region, deliver nothing here.
 *
 * Traffic model (deterministic: ephemeral ports, counts and internet addresses come from a hash
 * of the window, the endpoints and the port, never from Math.random):
 * - listening ports: a running awsvpc ECS task's interface listens on the containerPorts of its
 *   task definition's portMappings (tcp or udp); a container instance's primary interface listens
 *   on the hostPorts (networkBindings) of the bridge and host mode tasks running on it;
 * - east-west: every interface of a running task of another service (or of a standalone task) in
 *   the same VPC connects once per window to each listening port of each interface;
 * - internet: an interface with a public IPv4 address receives, once per window, connections from
 *   one TEST-NET-3 address (203.0.113.0/24, varied per window) on each listening port and on tcp/22;
 * - decision: the source's security groups must allow the egress (protocol, port, and a CIDR
 *   holding the destination address or a group the destination holds), the destination's groups
 *   the ingress (a CIDR holding the source address or, for a source in the VPC, a group it holds).
 *   Network ACLs are the default allow-all ones. Responses pass (security groups are stateful);
 * - records: an accepted flow gives the destination its request (ingress) and response (egress)
 *   records, and the source the same pair (egress, ingress); a flow the destination rejects gives
 *   it a REJECT (1-3 SYN-sized packets) and the source an ACCEPT of its outbound request; a flow
 *   the source's egress rules stop gives the source a REJECT and the destination nothing. An
 *   interface with no record (after the TrafficType filter) in a window gets one NODATA record.
 */
import type { InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { NetworkInterface, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { Task } from '@aws-sdk/client-ecs';
import { AwsError } from '../../errors.js';
import { own } from '../dictionary.js';
import type { EcsState } from '../ecs/state.js';
import { findTaskDefinition } from '../ecs/state.js';
import { putEvents } from '../logs/events.js';
import { ensureLogStream, logsState } from '../logs/state.js';
import { storedState } from '../stored.js';
import type { RequestContext } from '../types.js';
import type { Ec2State, FlowLogRecord } from './state.js';
import { ec2State } from './state.js';

/** Windows delivered at most at once: a longer gap delivers only its newest windows. */
export const MAX_WINDOWS = 10;
/** Time since the previous delivery below which a read delivers nothing (ms). */
export const MIN_DELIVERY_GAP = 1000;

/**
 * The flow log record fields and the version that introduced each (Amazon VPC User Guide, "Flow
 * log records", available fields).
 */
export const FLOW_LOG_FIELDS: Readonly<Record<string, number>> = {
  version: 2, 'account-id': 2, 'interface-id': 2, srcaddr: 2, dstaddr: 2, srcport: 2, dstport: 2, protocol: 2, packets: 2, bytes: 2, start: 2, end: 2, action: 2, 'log-status': 2,
  'vpc-id': 3, 'subnet-id': 3, 'instance-id': 3, 'tcp-flags': 3, type: 3, 'pkt-srcaddr': 3, 'pkt-dstaddr': 3,
  region: 4, 'az-id': 4, 'sublocation-type': 4, 'sublocation-id': 4,
  'pkt-src-aws-service': 5, 'pkt-dst-aws-service': 5, 'flow-direction': 5, 'traffic-path': 5,
  'ecs-cluster-arn': 7, 'ecs-cluster-name': 7, 'ecs-container-instance-arn': 7, 'ecs-container-instance-id': 7, 'ecs-container-id': 7,
  'ecs-second-container-id': 7, 'ecs-service-name': 7, 'ecs-task-definition-arn': 7, 'ecs-task-arn': 7, 'ecs-task-id': 7,
  'reject-reason': 8,
};

/** The default LogFormat (the version 2 fields in order). */
export const DEFAULT_LOG_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/**
 * The fields of a LogFormat (`${field}` separated by spaces), or EC2's InvalidParameter for an
 * unknown field or text that is not a field.
 */
export function logFormatFields(format: string): string[] {
  const tokens = format.trim().split(/\s+/).filter((t) => t !== '');
  if (tokens.length === 0) throw new AwsError('InvalidParameter', 'LogFormat must contain at least one field.'); // message not verified
  return tokens.map((token) => {
    const field = /^\$\{([^}]*)\}$/.exec(token)?.[1];
    if (field === undefined || !Object.hasOwn(FLOW_LOG_FIELDS, field)) {
      throw new AwsError('InvalidParameter', `Unknown fields provided: '${field ?? token}'`); // message not verified
    }
    return field;
  });
}

/** A record's values by field name (absent: `-`). */
export type RecordValues = Readonly<Partial<Record<string, string | number>>>;

/** One record as text: the fields in order, `-` for those without a value; `version` is the highest version among the fields. */
export function formatRecord(fields: readonly string[], values: RecordValues): string {
  const version = Math.max(...fields.map((f) => FLOW_LOG_FIELDS[f] ?? 2));
  return fields.map((f) => (f === 'version' ? String(version) : String(values[f] ?? '-'))).join(' ');
}

// ---- security group decisions ---------------------------------------------------------------

/** The parts of a stored security group rule a decision reads. */
export type RuleView = Pick<SecurityGroupRule, 'GroupId' | 'IsEgress' | 'IpProtocol' | 'FromPort' | 'ToPort' | 'CidrIpv4' | 'ReferencedGroupInfo'>;

/** The other end of a connection: its address and, for an interface in the VPC, its groups. */
export interface Peer {
  readonly ip: string;
  readonly groups: readonly string[];
}

function ipNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

/** Whether an IPv4 CIDR (`a.b.c.d/n`, host bits allowed) holds an address. */
export function cidrHolds(cidr: string, ip: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const a = ipNumber(base);
  const b = ipNumber(ip);
  const prefix = Number(bits);
  if (a === undefined || b === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  if (prefix === 0) return true;
  const mask = (~0 << (32 - prefix)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/**
 * Whether the rules of `groups` allow a connection in one direction: egress to `peer`, or ingress
 * from it, for `protocol` (`tcp` or `udp`) and `port`. A rule matches by CIDR or by a group the
 * peer holds; IPv6 ranges and prefix lists never match here.
 */
export function permits(rules: readonly RuleView[], groups: readonly string[], egress: boolean, protocol: string, port: number, peer: Peer): boolean {
  return rules.some((r) => {
    if (r.IsEgress !== egress || r.GroupId === undefined || !groups.includes(r.GroupId)) return false;
    if (r.IpProtocol !== '-1') {
      if (r.IpProtocol !== protocol) return false;
      if (r.FromPort !== undefined && r.FromPort !== -1 && port < r.FromPort) return false;
      if (r.ToPort !== undefined && r.ToPort !== -1 && port > r.ToPort) return false;
    }
    if (r.CidrIpv4 !== undefined) return cidrHolds(r.CidrIpv4, peer.ip);
    const ref = r.ReferencedGroupInfo?.GroupId;
    return ref !== undefined && peer.groups.includes(ref);
  });
}

// ---- the network as flow logs see it --------------------------------------------------------

type Eni = Omit<NetworkInterface, 'TagSet'>;

/** A port an interface listens on, and whose it is (`service:<cluster>/<name>` or `task:<id>`). */
interface Listener {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly owner: string;
}

/** The ECS fields of an interface's records. */
interface EcsMeta {
  clusterArn?: string;
  containerInstanceArn?: string;
  serviceName?: string;
  taskDefinitionArn?: string;
  taskArn?: string;
}

/** An interface with what the traffic model needs of it. */
export interface Endpoint {
  readonly eni: Eni;
  readonly id: string;
  readonly ip: string;
  readonly publicIp: string | undefined;
  readonly groups: readonly string[];
  /** The services or standalone tasks whose running tasks use this interface. */
  readonly owners: Set<string>;
  readonly listeners: Listener[];
  ecs: EcsMeta | undefined;
}

/** One flow log record before formatting (NODATA records are made when formatting). */
export interface FlowRecord {
  readonly interfaceId: string;
  readonly srcaddr: string;
  readonly dstaddr: string;
  readonly srcport: number;
  readonly dstport: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly action: 'ACCEPT' | 'REJECT';
  readonly direction: 'ingress' | 'egress';
  readonly tcpFlags: number;
  /** Egress only: 1 = within the VPC, 8 = through an internet gateway. */
  readonly trafficPath: number | undefined;
}

const PROTOCOL_NUMBERS = { tcp: 6, udp: 17 } as const;

/** FNV-1a, 32 bits: the source of every "random" number of the model. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function ownerOf(task: Task): string {
  const cluster = (task.clusterArn ?? '').split('/').pop() ?? '';
  const group = task.group ?? '';
  return group.startsWith('service:') ? `service:${cluster}/${group.slice('service:'.length)}` : `task:${task.taskArn ?? ''}`;
}

function ecsMeta(task: Task): EcsMeta {
  const group = task.group ?? '';
  return {
    clusterArn: task.clusterArn,
    containerInstanceArn: task.containerInstanceArn,
    serviceName: group.startsWith('service:') ? group.slice('service:'.length) : undefined,
    taskDefinitionArn: task.taskDefinitionArn,
    taskArn: task.taskArn,
  };
}

function addListener(endpoint: Endpoint, protocol: string | undefined, port: number | undefined, owner: string): void {
  const p = (protocol ?? 'tcp').toLowerCase();
  if (port === undefined || (p !== 'tcp' && p !== 'udp')) return;
  if (!endpoint.listeners.some((l) => l.protocol === p && l.port === port && l.owner === owner)) endpoint.listeners.push({ protocol: p, port, owner });
}

/** The in-use interfaces of the account and Region, with the ECS tasks that use them. */
export function endpointsOf(ec2: Ec2State, ecs: EcsState | undefined): Map<string, Endpoint> {
  const endpoints = new Map<string, Endpoint>();
  for (const eni of Object.values(ec2.networkInterfaces ?? {})) {
    if (!eni.NetworkInterfaceId || !eni.PrivateIpAddress) continue;
    endpoints.set(eni.NetworkInterfaceId, {
      eni,
      id: eni.NetworkInterfaceId,
      ip: eni.PrivateIpAddress,
      publicIp: eni.Association?.PublicIp,
      groups: (eni.Groups ?? []).map((g) => g.GroupId!).filter((g) => g !== undefined),
      owners: new Set(),
      listeners: [],
      ecs: undefined,
    });
  }
  for (const task of Object.values(ecs?.tasks ?? {})) {
    if (task.lastStatus !== 'RUNNING') continue;
    const owner = ownerOf(task);
    const eniId = task.attachments?.flatMap((a) => a.details ?? []).find((d) => d.name === 'networkInterfaceId')?.value;
    if (eniId) {
      const endpoint = endpoints.get(eniId);
      if (!endpoint) continue;
      endpoint.owners.add(owner);
      endpoint.ecs = ecsMeta(task);
      const td = ecs && task.taskDefinitionArn ? findTaskDefinition(ecs, task.taskDefinitionArn)?.taskDefinition : undefined;
      for (const c of td?.containerDefinitions ?? []) for (const m of c.portMappings ?? []) addListener(endpoint, m.protocol, m.containerPort, owner);
      continue;
    }
    // Bridge and host mode: the container instance's primary interface.
    const bindings = (task.containers ?? []).flatMap((c) => c.networkBindings ?? []);
    const record = Object.values(ecs?.containerInstances ?? {}).find((r) => r.instance.containerInstanceArn === task.containerInstanceArn);
    const instanceId = record?.instance.ec2InstanceId;
    const primary = instanceId && ec2.instances && own(ec2.instances, instanceId) ? ec2.instances[instanceId]!.networkInterfaceIds?.[0] : undefined;
    const endpoint = primary ? endpoints.get(primary) : undefined;
    if (!endpoint) continue;
    endpoint.owners.add(owner);
    // Several tasks share the interface: only the cluster and container instance are its own.
    endpoint.ecs = endpoint.owners.size === 1 ? ecsMeta(task) : { clusterArn: task.clusterArn, containerInstanceArn: task.containerInstanceArn };
    for (const b of bindings) addListener(endpoint, b.protocol, b.hostPort, owner);
  }
  return endpoints;
}

/**
 * The records of every interface of a VPC for one window, by interface id (the model in the
 * module header).
 */
export function trafficInWindow(endpoints: ReadonlyMap<string, Endpoint>, rules: readonly RuleView[], vpcId: string, windowStart: number): Map<string, FlowRecord[]> {
  const out = new Map<string, FlowRecord[]>();
  const add = (r: FlowRecord) => {
    const list = out.get(r.interfaceId) ?? [];
    list.push(r);
    out.set(r.interfaceId, list);
  };
  const inVpc = [...endpoints.values()].filter((e) => e.eni.VpcId === vpcId && e.eni.Status === 'in-use');
  for (const dst of inVpc) {
    // East-west.
    for (const l of dst.listeners) {
      for (const src of inVpc) {
        if (src === dst || src.owners.size === 0 || [...src.owners].every((o) => o === l.owner)) continue;
        connect(add, rules, windowStart, src, dst, l.protocol, l.port);
      }
    }
    // Internet probes.
    if (dst.publicIp) {
      const ports = new Map<string, Pick<Listener, 'protocol' | 'port'>>();
      for (const l of [...dst.listeners, { protocol: 'tcp' as const, port: 22 }]) ports.set(`${l.protocol}/${l.port}`, { protocol: l.protocol, port: l.port });
      const ip = `203.0.113.${1 + (hash(`${windowStart}|${dst.id}|internet`) % 254)}`;
      for (const p of ports.values()) connect(add, rules, windowStart, { ip, groups: [] }, dst, p.protocol, p.port);
    }
  }
  return out;
}

function isEndpoint(peer: Endpoint | Peer): peer is Endpoint {
  return 'id' in peer;
}

/** The records of one connection from `src` (an interface or an internet address) to `dst`. */
function connect(add: (r: FlowRecord) => void, rules: readonly RuleView[], windowStart: number, src: Endpoint | Peer, dst: Endpoint, protocol: 'tcp' | 'udp', port: number): void {
  const local = isEndpoint(src);
  const h = hash(`${windowStart}|${local ? src.id : src.ip}|${dst.id}|${protocol}|${port}`);
  const ephemeral = 32768 + (h % 28232);
  const number = PROTOCOL_NUMBERS[protocol];
  const tcp = protocol === 'tcp';
  const path = local ? 1 : 8;
  const request = (interfaceId: string, action: 'ACCEPT' | 'REJECT', direction: 'ingress' | 'egress', packets: number, bytes: number, tcpFlags: number): FlowRecord => ({
    interfaceId, srcaddr: src.ip, dstaddr: dst.ip, srcport: ephemeral, dstport: port, protocol: number, packets, bytes, action, direction, tcpFlags: tcp ? tcpFlags : 0,
    trafficPath: direction === 'egress' ? path : undefined,
  });
  const response = (interfaceId: string, direction: 'ingress' | 'egress', packets: number, bytes: number): FlowRecord => ({
    interfaceId, srcaddr: dst.ip, dstaddr: src.ip, srcport: port, dstport: ephemeral, protocol: number, packets, bytes, action: 'ACCEPT', direction, tcpFlags: tcp ? 19 : 0,
    trafficPath: direction === 'egress' ? path : undefined,
  });
  if (local && !permits(rules, src.groups, true, protocol, port, { ip: dst.ip, groups: dst.groups })) {
    const packets = 1 + (h % 3);
    add(request(src.id, 'REJECT', 'egress', packets, packets * (tcp ? 60 : 64), 2));
    return;
  }
  if (!permits(rules, dst.groups, false, protocol, port, { ip: src.ip, groups: local ? src.groups : [] })) {
    const packets = 1 + (h % 3);
    const bytes = packets * (tcp ? 60 : 64);
    add(request(dst.id, 'REJECT', 'ingress', packets, bytes, 2));
    if (local) add(request(src.id, 'ACCEPT', 'egress', packets, bytes, 2));
    return;
  }
  const packets = 3 + (h % 18);
  const bytes = packets * (60 + ((h >>> 5) % 400));
  const replies = packets + ((h >>> 3) % 4);
  const replyBytes = replies * (200 + ((h >>> 7) % 1200));
  add(request(dst.id, 'ACCEPT', 'ingress', packets, bytes, 3));
  add(response(dst.id, 'egress', replies, replyBytes));
  if (local) {
    add(request(src.id, 'ACCEPT', 'egress', packets, bytes, 3));
    add(response(src.id, 'ingress', replies, replyBytes));
  }
}

// ---- delivery --------------------------------------------------------------------------------

/** The delivery windows from `from` to `to` (ms), `interval` seconds long at most; only the newest {@link MAX_WINDOWS}. */
export function windowsOf(from: number, to: number, interval: number): [number, number][] {
  const step = Math.max(1, interval) * 1000;
  const windows: [number, number][] = [];
  for (let start = from; start < to; start += step) windows.push([start, Math.min(start + step, to)]);
  return windows.slice(-MAX_WINDOWS);
}

function deliveredFrom(log: FlowLogRecord): number {
  return log.deliveredUntil ?? new Date(log.CreationTime ?? 0).getTime();
}

/** The interfaces a flow log covers (by its resource id's kind). */
function interfacesInScope(endpoints: ReadonlyMap<string, Endpoint>, resourceId: string): Endpoint[] {
  const all = [...endpoints.values()];
  if (resourceId.startsWith('vpc-')) return all.filter((e) => e.eni.VpcId === resourceId && e.eni.Status === 'in-use');
  if (resourceId.startsWith('subnet-')) return all.filter((e) => e.eni.SubnetId === resourceId && e.eni.Status === 'in-use');
  const one = endpoints.get(resourceId);
  return one ? [one] : [];
}

/** The values of an interface's own fields (the same in each of its records). */
function interfaceValues(ctx: RequestContext, e: Endpoint): RecordValues {
  const ecs = e.ecs;
  const taskId = ecs?.taskArn?.split('/').pop();
  return {
    'account-id': e.eni.OwnerId ?? ctx.account,
    'interface-id': e.id,
    'vpc-id': e.eni.VpcId,
    'subnet-id': e.eni.SubnetId,
    'instance-id': e.eni.Attachment?.InstanceId,
    type: 'IPv4',
    region: ctx.region,
    'az-id': e.eni.AvailabilityZoneId,
    'ecs-cluster-arn': ecs?.clusterArn,
    'ecs-cluster-name': ecs?.clusterArn?.split('/').pop(),
    'ecs-container-instance-arn': ecs?.containerInstanceArn,
    'ecs-container-instance-id': ecs?.containerInstanceArn?.split('/').pop(),
    'ecs-service-name': ecs?.serviceName,
    'ecs-task-definition-arn': ecs?.taskDefinitionArn,
    'ecs-task-arn': ecs?.taskArn,
    'ecs-task-id': taskId,
  };
}

/** A record's values: the interface's, the traffic's and the window's. */
export function recordValues(base: RecordValues, r: FlowRecord, start: number, end: number): RecordValues {
  return {
    ...base,
    srcaddr: r.srcaddr,
    dstaddr: r.dstaddr,
    srcport: r.srcport,
    dstport: r.dstport,
    protocol: r.protocol,
    packets: r.packets,
    bytes: r.bytes,
    start: Math.floor(start / 1000),
    end: Math.floor(end / 1000),
    action: r.action,
    'log-status': 'OK',
    'tcp-flags': r.tcpFlags,
    'pkt-srcaddr': r.srcaddr,
    'pkt-dstaddr': r.dstaddr,
    'flow-direction': r.direction,
    'traffic-path': r.trafficPath,
  };
}

/** A NODATA record's values: only the version, account, interface, window and status. */
export function noDataValues(base: RecordValues, start: number, end: number): RecordValues {
  return { 'account-id': base['account-id'], 'interface-id': base['interface-id'], start: Math.floor(start / 1000), end: Math.floor(end / 1000), 'log-status': 'NODATA' };
}

/**
 * Delivers the pending records of every ACTIVE flow log of the request's account and Region that
 * publishes to the CloudWatch Logs group `groupName` (called by the Logs reads before they read).
 * Reads EC2 and ECS state as stored and changes only the flow logs' delivery points and the
 * group's streams, so that a read with nothing to deliver changes nothing. A gap longer than
 * {@link MAX_WINDOWS} windows delivers only its newest windows.
 */
export function deliverFlowLogs(ctx: RequestContext, groupName: string): void {
  const ec2 = storedState<Ec2State>(ctx, 'ec2');
  if (!ec2?.flowLogs) return;
  const now = ctx.now.getTime();
  const destination = `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${groupName}`;
  const due = Object.values(ec2.flowLogs).filter(
    (l) =>
      l.FlowLogStatus === 'ACTIVE' &&
      l.LogDestinationType === 'cloud-watch-logs' &&
      l.LogGroupName === groupName &&
      (l.LogDestination === undefined || l.LogDestination.replace(/:\*$/, '') === destination) &&
      now - deliveredFrom(l) >= MIN_DELIVERY_GAP,
  );
  if (due.length === 0) return;
  const logs = logsState(ctx);
  const group = own(logs.groups, groupName);
  if (!group) return;
  const endpoints = endpointsOf(ec2, storedState<EcsState>(ctx, 'ecs'));
  const rules = Object.values(ec2.rules ?? {});
  const tracked = ec2State(ctx);
  const traffic = new Map<string, Map<string, FlowRecord[]>>();
  for (const log of due) {
    let fields: string[];
    try {
      fields = logFormatFields(log.LogFormat ?? DEFAULT_LOG_FORMAT);
    } catch {
      // A format saved before CreateFlowLogs checked formats: nothing can be written for it.
      continue;
    }
    const kind = (log.TrafficType ?? 'ALL').toLowerCase();
    const scope = interfacesInScope(endpoints, log.ResourceId ?? '');
    const events = new Map<string, InputLogEvent[]>();
    for (const [start, end] of windowsOf(deliveredFrom(log), now, log.MaxAggregationInterval ?? 600)) {
      for (const e of scope) {
        const vpcId = e.eni.VpcId ?? '';
        const key = `${vpcId}|${start}`;
        let byInterface = traffic.get(key);
        if (!byInterface) {
          byInterface = trafficInWindow(endpoints, rules, vpcId, start);
          traffic.set(key, byInterface);
        }
        const base = interfaceValues(ctx, e);
        const records = (byInterface.get(e.id) ?? []).filter((r) => kind === 'all' || r.action.toLowerCase() === kind);
        const lines = records.length > 0 ? records.map((r) => formatRecord(fields, recordValues(base, r, start, end))) : [formatRecord(fields, noDataValues(base, start, end))];
        const stream = `${e.id}-${kind}`;
        const list = events.get(stream) ?? [];
        for (const message of lines) list.push({ timestamp: start, message });
        events.set(stream, list);
      }
    }
    for (const [stream, list] of events) {
      if (!ensureLogStream(ctx, groupName, stream)) continue;
      const record = logs.streams[groupName]![stream]!;
      // In batches within PutLogEvents' limits (a stream keeps its newest 1,000 events anyway).
      for (let i = 0; i < list.length; i += 1000) putEvents(record, list.slice(i, i + 1000), now, group.retentionInDays);
    }
    tracked.flowLogs[log.FlowLogId!]!.deliveredUntil = now;
  }
}
