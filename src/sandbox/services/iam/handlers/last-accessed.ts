/**
 * IAM last accessed information ("access advisor"): GenerateServiceLastAccessedDetails,
 * GetServiceLastAccessedDetails and GetServiceLastAccessedDetailsWithEntities, derived from the
 * account's CloudTrail event history (../../cloudtrail/recorder.ts), which records every call.
 *
 * - Entities: a role, or a managed policy (its entities are the roles it is attached to). The
 *   sandbox has no users or groups: their ARNs are NoSuchEntity.
 * - Services: every service an Allow statement of the entity's identity policies (inline and
 *   attached; for a policy, its default version) names in its Action element; `*` and NotAction
 *   expand over the services the sandbox serves. As in AWS, only permissions policies count
 *   (no boundaries, session or resource policies), and Deny statements do not remove services.
 * - Accesses: an event whose userIdentity is a session of the role (sessionContext.sessionIssuer
 *   .arn) for one of those services, failed attempts included ("all attempts to access an AWS
 *   API, not just the successful ones").
 * - ACTION_LEVEL jobs add TrackedActionsLastAccessed for the sandbox's services: the tracked
 *   actions are the service's management (non read-only) operations the sandbox implements and
 *   the policies allow. AWS tracks actions for a fixed list of services; that list is not
 *   reproduced.
 * - Jobs complete at once (JobStatus COMPLETED, completion date = creation date): the report is
 *   computed when the job is generated and kept in the account's IAM state.
 */
import type { EntityInfo, IAM, ServiceLastAccessed, TrackedActionLastAccessed } from '@aws-sdk/client-iam';
import type { ParsedStatement } from '../../../../iam/index.js';
import { parsePolicy } from '../../../../iam/index.js';
import { toRequestAction } from '../../../../iam/evaluate.js';
import { actionMatches } from '../../../../iam/statement.js';
import { managedPolicy } from '../../../authz-policies.js';
import { isReadOnly } from '../../../dispatch.js';
import type { EventSummary } from '../../cloudtrail/recorder.js';
import { EVENT_LOG } from '../../cloudtrail/recorder.js';
import { own } from '../../dictionary.js';
import { uuid } from '../../ids.js';
import type { HandlerMap, RequestContext } from '../../types.js';
import { IamErrors } from '../errors.js';
import type { IamState, RoleRecord } from '../state.js';
import { iamPage, iamState } from '../state.js';

/** One access of a service (or a tracked action) by one entity: its newest event. */
interface Access {
  entity: string;
  time: Date;
  region: string;
}

/** One service of a report. */
interface ServiceReport {
  namespace: string;
  name: string;
  /** Newest access per entity, newest first. */
  accesses: Access[];
  /** ACTION_LEVEL: the tracked actions, with their newest access when there was one. */
  actions?: { name: string; access?: Access }[];
}

/** A last accessed job and its report, kept in the IAM state (`lastAccessedJobs`). */
export interface LastAccessedJobRecord {
  jobId: string;
  arn: string;
  granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL';
  created: Date;
  /** The entities whose accesses count (the role; a policy's roles). */
  entities: EntityInfo[];
  services: ServiceReport[];
}

/**
 * ServiceName per namespace for the services the sandbox serves and a few the lab's policies name
 * (AWS's names in access advisor; `iam` and `s3` verified from the API reference's example, the
 * others are the services' official names, not verified as access advisor spells them).
 */
const SERVICE_NAMES: Readonly<Record<string, string>> = {
  autoscaling: 'Amazon EC2 Auto Scaling',
  cloudtrail: 'AWS CloudTrail',
  ec2: 'Amazon EC2',
  ecs: 'Amazon Elastic Container Service',
  iam: 'AWS Identity and Access Management',
  logs: 'Amazon CloudWatch Logs',
  s3: 'Amazon Simple Storage Service',
  secretsmanager: 'AWS Secrets Manager',
  ssm: 'AWS Systems Manager',
  sts: 'AWS Security Token Service',
  ecr: 'Amazon Elastic Container Registry',
  kms: 'AWS Key Management Service',
  elasticloadbalancing: 'Elastic Load Balancing',
  cloudwatch: 'Amazon CloudWatch',
  lambda: 'AWS Lambda',
  dynamodb: 'Amazon DynamoDB',
  sns: 'Amazon SNS',
  sqs: 'Amazon SQS',
};

/** Namespace → the operations the sandbox serves for it (loaded lazily: the registry imports IAM). */
async function sandboxServices(): Promise<Map<string, string[]>> {
  const { SERVICES } = await import('../../index.js');
  return new Map(SERVICES.map((s) => [s.eventSource.split('.')[0]!, Object.keys(s.handlers)]));
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]+)$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy\//;
const OTHER_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):(user|group)\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]+)$/;

function roleInfo(role: RoleRecord): EntityInfo {
  return { Arn: role.arn, Name: role.roleName, Type: 'ROLE', Id: role.roleId, Path: role.path };
}

/** The entity an ARN names, its roles and the policy documents that decide its services. */
function resolve(state: IamState, ctx: RequestContext, arn: string | undefined): { roles: RoleRecord[]; documents: string[] } {
  const value = arn ?? '';
  const role = ROLE_ARN.exec(value);
  if (role) {
    const record = role[1] === ctx.account ? own(state.roles, role[2]!) : undefined;
    // message not verified
    if (!record || record.arn !== value) throw IamErrors.noSuchEntity(`The role with name ${role[2]} cannot be found.`);
    const documents = [...Object.values(record.inline), ...record.attached.map((a) => managedPolicy(state, a)?.document).filter((d): d is string => d !== undefined)];
    return { roles: [record], documents };
  }
  if (POLICY_ARN.test(value)) {
    const policy = managedPolicy(state, value);
    // message not verified
    if (!policy) throw IamErrors.noSuchEntity(`Policy ${value} does not exist or is not attachable.`);
    return { roles: Object.values(state.roles).filter((r) => r.attached.includes(value)), documents: [policy.document] };
  }
  const other = OTHER_ARN.exec(value);
  // message not verified
  if (other) throw IamErrors.noSuchEntity(`The ${other[2]} with name ${other[3]} cannot be found.`);
  throw IamErrors.invalidInput(`ARN ${value} is not valid.`); // message not verified
}

/** Allow statements of the documents; a document the evaluator cannot read allows nothing (as in enforcement). */
function allowStatements(documents: readonly string[]): ParsedStatement[] {
  return documents.flatMap((d) => {
    try {
      return parsePolicy(d).statements.filter((s) => s.effect === 'Allow');
    } catch {
      return [];
    }
  });
}

/** The namespaces the statements allow: named prefixes, and the sandbox's services for `*` and NotAction. */
function allowedNamespaces(statements: readonly ParsedStatement[], known: ReadonlyMap<string, string[]>): string[] {
  const out = new Set<string>();
  for (const s of statements) {
    if (s.actionElement === 'NotAction') {
      // Every known service with at least one operation the NotAction list leaves out.
      for (const [ns, ops] of known) if (ops.some((op) => actionMatches(s, toRequestAction(`${ns}:${op}`)))) out.add(ns);
      continue;
    }
    for (const a of s.actions) {
      if (a.service === undefined) for (const ns of known.keys()) out.add(ns);
      else out.add(a.service);
    }
  }
  return [...out].sort();
}

function newer(current: Access | undefined, time: number): boolean {
  return !current || current.time.getTime() < time;
}

/** Builds a job's report from the event history. */
function buildReport(ctx: RequestContext, state: IamState, arn: string, granularity: LastAccessedJobRecord['granularity'], known: ReadonlyMap<string, string[]>): LastAccessedJobRecord {
  const { roles, documents } = resolve(state, ctx, arn);
  const statements = allowStatements(documents);
  const namespaces = allowedNamespaces(statements, known);
  const roleArns = new Set(roles.map((r) => r.arn));
  const byService = new Map<string, Map<string, Access>>(namespaces.map((ns) => [ns, new Map()]));
  const byAction = new Map<string, Access>();
  for (const e of ctx.log<EventSummary>(EVENT_LOG)) {
    const ns = e.source.split('.')[0]!;
    const accesses = byService.get(ns);
    if (!accesses) continue;
    const issuer = e.issuer;
    if (!issuer || !roleArns.has(issuer)) continue;
    if (newer(accesses.get(issuer), e.time)) accesses.set(issuer, { entity: issuer, time: new Date(e.time), region: e.region });
    const key = `${ns}:${e.name}`;
    if (newer(byAction.get(key), e.time)) byAction.set(key, { entity: issuer, time: new Date(e.time), region: e.region });
  }
  const services: ServiceReport[] = namespaces.map((ns) => {
    const report: ServiceReport = {
      namespace: ns,
      name: own(SERVICE_NAMES, ns) ?? ns,
      accesses: [...byService.get(ns)!.values()].sort((a, b) => b.time.getTime() - a.time.getTime()),
    };
    const ops = known.get(ns);
    if (granularity === 'ACTION_LEVEL' && ops) {
      report.actions = ops
        .filter((op) => !isReadOnly(op) && statements.some((s) => actionMatches(s, toRequestAction(`${ns}:${op}`))))
        .sort()
        .map((op) => {
          const access = byAction.get(`${ns}:${op}`);
          return access ? { name: op, access } : { name: op };
        });
    }
    return report;
  });
  return { jobId: uuid(), arn, granularity, created: ctx.now, entities: roles.map(roleInfo), services };
}

function presentService(job: LastAccessedJobRecord, s: ServiceReport): ServiceLastAccessed {
  const last = s.accesses[0];
  const out: ServiceLastAccessed = { ServiceName: s.name, ServiceNamespace: s.namespace, TotalAuthenticatedEntities: s.accesses.length };
  if (last) {
    out.LastAuthenticated = last.time;
    out.LastAuthenticatedEntity = last.entity;
    out.LastAuthenticatedRegion = last.region;
  }
  if (job.granularity === 'ACTION_LEVEL' && s.actions) {
    out.TrackedActionsLastAccessed = s.actions.map((a): TrackedActionLastAccessed =>
      a.access ? { ActionName: a.name, LastAccessedEntity: a.access.entity, LastAccessedTime: a.access.time, LastAccessedRegion: a.access.region } : { ActionName: a.name },
    );
  }
  return out;
}

/** A job by id, or NoSuchEntity. */
function getJob(ctx: RequestContext, jobId: string | undefined): LastAccessedJobRecord {
  const jobs = iamState(ctx).lastAccessedJobs;
  const job = jobs && jobId ? own(jobs, jobId) : undefined;
  // message not verified
  if (!job) throw IamErrors.noSuchEntity(`The job with ID ${jobId ?? ''} cannot be found.`);
  return job;
}

/** Jobs kept per account; the oldest are dropped beyond this. */
export const MAX_LAST_ACCESSED_JOBS = 100;

/** Last accessed operations. */
export const lastAccessedHandlers: HandlerMap<IAM> = {
  async GenerateServiceLastAccessedDetails(input, ctx) {
    const granularity = input.Granularity ?? 'SERVICE_LEVEL';
    if (granularity !== 'SERVICE_LEVEL' && granularity !== 'ACTION_LEVEL') {
      throw IamErrors.validation(`1 validation error detected: Value '${String(granularity)}' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [SERVICE_LEVEL, ACTION_LEVEL]`);
    }
    const known = await sandboxServices();
    const state = iamState(ctx);
    const job = buildReport(ctx, state, input.Arn!, granularity, known);
    const jobs = (state.lastAccessedJobs ??= Object.create(null) as Record<string, LastAccessedJobRecord>);
    jobs[job.jobId] = job;
    const ids = Object.keys(jobs);
    for (const id of ids.slice(0, Math.max(0, ids.length - MAX_LAST_ACCESSED_JOBS))) delete jobs[id];
    return { JobId: job.jobId };
  },

  GetServiceLastAccessedDetails(input, ctx) {
    const job = getJob(ctx, input.JobId);
    const page = iamPage(job.services, input.Marker, input.MaxItems);
    return {
      JobStatus: 'COMPLETED',
      JobType: job.granularity,
      JobCreationDate: job.created,
      JobCompletionDate: job.created,
      ServicesLastAccessed: page.items.map((s) => presentService(job, s)),
      IsTruncated: page.IsTruncated,
      Marker: page.Marker,
    };
  },

  GetServiceLastAccessedDetailsWithEntities(input, ctx) {
    const job = getJob(ctx, input.JobId);
    const service = job.services.find((s) => s.namespace === input.ServiceNamespace);
    // An entity's newest access of the service, newest first; entities that never used it last.
    const details = job.entities
      .map((info) => ({ EntityInfo: structuredClone(info), LastAuthenticated: service?.accesses.find((a) => a.entity === info.Arn)?.time }))
      .sort((a, b) => (b.LastAuthenticated?.getTime() ?? -1) - (a.LastAuthenticated?.getTime() ?? -1));
    const page = iamPage(details, input.Marker, input.MaxItems);
    return {
      JobStatus: 'COMPLETED',
      JobCreationDate: job.created,
      JobCompletionDate: job.created,
      EntityDetailsList: page.items,
      IsTruncated: page.IsTruncated,
      Marker: page.Marker,
    };
  },
};
