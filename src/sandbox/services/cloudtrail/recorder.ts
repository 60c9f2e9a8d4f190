/**
 * Turns every API call the sandbox serves into a CloudTrail management event of the caller's
 * account, so `cloudtrail lookup-events` works offline.
 *
 * - Events go to the account's append-only log `cloudtrail-events` (see SandboxStore.append):
 *   the newest {@link EVENT_CAP} per account, all Regions together, persisted across restarts.
 * - IAM and STS are global services: their events are recorded in us-east-1, as AWS does.
 * - Secrets never reach the log: members the service model marks sensitive (SecretString,
 *   SecretBinary, SSM parameter values, passwords, secret access keys, ECS environment, ...) and a
 *   few well-known secret member names are replaced by `HIDDEN_DUE_TO_SECURITY_REASONS` in
 *   requestParameters and responseElements. responseElements is null for read-only calls.
 * - Member names are written lowerCamelCase, as CloudTrail does for most services (EC2's own
 *   `instancesSet.items` spelling is not reproduced).
 */
import type { ApiCallRecord } from '../../dispatch.js';
import type { SandboxStore } from '../../store.js';
import { stringifyState } from '../../store.js';
import { own } from '../dictionary.js';
import { uuid } from '../ids.js';
import { element } from './elements.js';
import type { IamState } from '../iam/state.js';

/** The log holding CloudTrail events. */
export const EVENT_LOG = 'cloudtrail-events';
/** Events kept per account (all Regions together); older ones are dropped. */
export const EVENT_CAP = 10_000;

/**
 * What the event history keeps in memory of each event: the fields LookupEvents filters on and
 * IAM's last-accessed reports read. The CloudTrailEvent JSON, about nine tenths of an event, stays
 * in the log file when the sandbox persists (SandboxStore.summariseLog); LookupEvents reads it
 * back for the events of the page it returns.
 */
export interface EventSummary {
  id: string;
  /** Epoch milliseconds. */
  time: number;
  region: string;
  name: string;
  source: string;
  readOnly: boolean;
  accessKeyId: string;
  username: string;
  resources: { type: string; name: string }[];
  /** The role whose session made the call (undefined for users and the root). */
  issuer?: string;
}

/** One recorded event: its summary and the CloudTrailEvent JSON text. */
export interface StoredEvent extends EventSummary {
  json: string;
}

/**
 * An event's summary. Lines written before summaries held the issuer have it read from the JSON.
 */
export function summariseEvent(event: StoredEvent): EventSummary {
  const { id, time, region, name, source, readOnly, accessKeyId, username, resources } = event;
  return { id, time, region, name, source, readOnly, accessKeyId, username, resources, issuer: 'issuer' in event ? event.issuer : issuerInJson(event.json) };
}

function issuerInJson(json: string): string | undefined {
  if (!json.includes('"sessionIssuer"')) return undefined;
  const parsed = JSON.parse(json) as { userIdentity?: { sessionContext?: { sessionIssuer?: { arn?: string } } } };
  return parsed.userIdentity?.sessionContext?.sessionIssuer?.arn;
}

/** CloudTrail's userIdentity block and the Username LookupEvents shows. */
function identity(store: SandboxStore, call: ApiCallRecord): { userIdentity: Record<string, unknown>; username: string; issuer?: string } {
  const { arn, userId, accessKeyId } = call.principal;
  const accountId = arn.split(':')[4] ?? call.account;
  const assumed = /^arn:aws[a-z-]*:sts::([0-9]{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (assumed) {
    const [, account, roleName, session] = assumed as unknown as [string, string, string, string];
    const roles = (store.account(account).global.iam as IamState | undefined)?.roles;
    const role = roles ? own(roles, roleName) : undefined;
    const roleId = userId.split(':')[0] ?? userId;
    const issuer = role?.arn ?? `arn:aws:iam::${account}:role/${roleName}`;
    return {
      username: session,
      issuer,
      userIdentity: {
        type: 'AssumedRole',
        principalId: userId,
        arn,
        accountId: account,
        accessKeyId,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: roleId, arn: issuer, accountId: account, userName: roleName },
          attributes: { mfaAuthenticated: 'false' },
        },
      },
    };
  }
  const user = /^arn:aws[a-z-]*:iam::[0-9]{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) {
    return { username: user[1]!, userIdentity: { type: 'IAMUser', principalId: userId, arn, accountId, accessKeyId, userName: user[1] } };
  }
  return { username: 'root', userIdentity: { type: 'Root', principalId: accountId, arn, accountId, accessKeyId } };
}

/** Input members that name a resource, with the CloudTrail resource type they name. */
const RESOURCE_MEMBERS: Readonly<Record<string, string>> = {
  cluster: 'AWS::ECS::Cluster',
  clusters: 'AWS::ECS::Cluster',
  clusterName: 'AWS::ECS::Cluster',
  service: 'AWS::ECS::Service',
  services: 'AWS::ECS::Service',
  serviceName: 'AWS::ECS::Service',
  taskDefinition: 'AWS::ECS::TaskDefinition',
  family: 'AWS::ECS::TaskDefinition',
  RoleName: 'AWS::IAM::Role',
  RoleArn: 'AWS::IAM::Role',
  PolicyArn: 'AWS::IAM::Policy',
  UserName: 'AWS::IAM::User',
  InstanceProfileName: 'AWS::IAM::InstanceProfile',
  InstanceId: 'AWS::EC2::Instance',
  InstanceIds: 'AWS::EC2::Instance',
  GroupId: 'AWS::EC2::SecurityGroup',
  GroupIds: 'AWS::EC2::SecurityGroup',
  VpcId: 'AWS::EC2::VPC',
  SubnetId: 'AWS::EC2::Subnet',
  LaunchTemplateId: 'AWS::EC2::LaunchTemplate',
  LaunchTemplateName: 'AWS::EC2::LaunchTemplate',
  AutoScalingGroupName: 'AWS::AutoScaling::AutoScalingGroup',
  SecretId: 'AWS::SecretsManager::Secret',
  Bucket: 'AWS::S3::Bucket',
  logGroupName: 'AWS::Logs::LogGroup',
  TrailName: 'AWS::CloudTrail::Trail',
};
/** `Name` means different things per service. */
const NAME_MEMBER: Readonly<Record<string, string>> = {
  'cloudtrail.amazonaws.com': 'AWS::CloudTrail::Trail',
  'ssm.amazonaws.com': 'AWS::SSM::Parameter',
  'secretsmanager.amazonaws.com': 'AWS::SecretsManager::Secret',
};

function resourcesOf(call: ApiCallRecord): { type: string; name: string }[] {
  const out: { type: string; name: string }[] = [];
  const input = call.input ?? {};
  for (const [key, value] of Object.entries(input)) {
    const type = own(RESOURCE_MEMBERS, key) ?? (key === 'Name' || key === 'Names' ? own(NAME_MEMBER, call.eventSource) : undefined);
    if (!type) continue;
    for (const v of [value].flat()) if (typeof v === 'string' && v) out.push({ type, name: v });
  }
  return out.slice(0, 20);
}

function iso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Builds the stored event for one call. */
export function toStoredEvent(store: SandboxStore, call: ApiCallRecord): StoredEvent {
  const id = uuid();
  const region = call.global ? 'us-east-1' : call.region;
  const { userIdentity, username, issuer } = identity(store, call);
  const failed = call.errorCode !== undefined;
  // The two elements are the bulk of an event: their JSON is made once and set in place.
  const head = JSON.stringify({
    eventVersion: '1.09',
    userIdentity,
    eventTime: iso(call.time),
    eventSource: call.eventSource,
    eventName: call.operation,
    awsRegion: region,
    sourceIPAddress: call.sourceIpAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: call.userAgent ?? '',
    ...(failed ? { errorCode: call.errorCode, errorMessage: call.errorMessage } : {}),
  });
  const tail = JSON.stringify({
    requestID: call.requestId,
    eventID: id,
    readOnly: call.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: call.account,
    eventCategory: 'Management',
  });
  const requestParameters = element(call.shape?.input, call.input);
  const responseElements = failed || call.readOnly ? 'null' : element(call.shape?.output, call.output);
  const json = `${head.slice(0, -1)},"requestParameters":${requestParameters},"responseElements":${responseElements},${tail.slice(1)}`;
  return {
    id,
    time: call.time.getTime(),
    region,
    name: call.operation,
    source: call.eventSource,
    readOnly: call.readOnly,
    accessKeyId: call.principal.accessKeyId,
    username,
    resources: resourcesOf(call),
    issuer,
    json,
  };
}

/** Records one call in its account's event history at once. */
export function recordApiCall(store: SandboxStore, call: ApiCallRecord): void {
  store.append(call.account, EVENT_LOG, toStoredEvent(store, call), EVENT_CAP);
}

/** Quiet time after which held-back events are written. */
export const RECORDER_IDLE_MS = 100;
/**
 * Events held back at most; a busier stretch writes them in batches of this size. Small, so that
 * held events and their lines die young: with 1,000, a busy sandbox kept about 1.5 s of them,
 * long enough for V8 to copy each one twice (to the survivor space, then to the old generation)
 * and collect it there later. Measured on sequential RegisterTaskDefinition: young-generation
 * pauses 49-57 -> 41-43 µs per call and old-generation pauses 4.6 -> 1.5 µs per call, for one
 * log write per 32 calls instead of per 1,000. It also bounds what a kill -9 can take from the
 * event history to 31 events (the state journal loses nothing).
 */
export const RECORDER_BACKLOG = 32;

/**
 * Every call's CloudTrail event, built off the request path. A call is handed over right after
 * its response is written, and its event - and the event's line in the log file - is made then (a
 * sequential client is reading the response meanwhile; nothing a later request changes can reach
 * it). Events are written to the account's log when the sandbox has been quiet for
 * {@link RECORDER_IDLE_MS}, when {@link RECORDER_BACKLOG} are waiting, and always before anything
 * reads, drops or closes the logs (LookupEvents sees every earlier call); writing them is then one
 * file write per account, which the request that comes in meanwhile waits for no longer than
 * that. As in AWS, an event may reach the history a moment after its call returned; the state
 * itself is written before the response (store.ts).
 */
export class CloudTrailRecorder {
  /** Held events and their log lines, by account; and how many. */
  private pending = new Map<string, { events: StoredEvent[]; lines: string[] }>();
  private held = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: SandboxStore,
    private readonly onError: (err: unknown, account: string) => void,
  ) {
    store.summariseLog(EVENT_LOG, summariseEvent);
    this.timer = setTimeout(() => this.flush(), RECORDER_IDLE_MS);
    this.timer.unref();
    store.addLogWriter(() => this.flush());
  }

  /** Builds a completed call's event and holds it for writing (the dispatcher's `onApiCall` hook). */
  capture(call: ApiCallRecord): void {
    let event: StoredEvent;
    let line: string;
    try {
      event = toStoredEvent(this.store, call);
      line = `${stringifyState(event)}\n`;
    } catch (err) {
      this.onError(err, call.account);
      return;
    }
    const held = this.pending.get(call.account);
    if (held) {
      held.events.push(event);
      held.lines.push(line);
    } else {
      this.pending.set(call.account, { events: [event], lines: [line] });
    }
    if (++this.held >= RECORDER_BACKLOG) this.flush();
    else this.timer.refresh();
  }

  /** Writes what is held back and stops the idle timer (the sandbox is stopping). */
  close(): void {
    clearTimeout(this.timer);
    this.flush();
  }

  /** Writes every held event, one log write per account. */
  flush(): void {
    if (this.held === 0) return;
    const byAccount = this.pending;
    this.pending = new Map();
    this.held = 0;
    for (const [account, { events, lines }] of byAccount) {
      try {
        this.store.appendMany(account, EVENT_LOG, events, EVENT_CAP, lines);
      } catch (err) {
        this.onError(err, account);
      }
    }
  }
}
