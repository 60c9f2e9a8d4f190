/**
 * IAM state, global per account (not per Region). Policy documents are stored decoded; the
 * wire form (URL-encoded, as AWS sends it) is produced on output by `encodeDocument`.
 */
import { randomBytes } from 'node:crypto';
import type { Tag } from '@aws-sdk/client-iam';
import { asDictionaries, own } from '../dictionary.js';
import type { RequestContext } from '../types.js';
import { IamErrors } from './errors.js';
import { AWS_MANAGED_POLICIES } from './managed-policies.js';
import type { LastAccessedJobRecord } from './handlers/last-accessed.js';
import type { DeletionTaskRecord } from './service-linked.js';

/** A role with its inline policies, attached policy ARNs and tags. */
export interface RoleRecord {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createDate: Date;
  assumeRolePolicyDocument: string;
  description: string | undefined;
  maxSessionDuration: number;
  permissionsBoundary: string | undefined;
  tags: Tag[];
  inline: Record<string, string>;
  attached: string[];
}

/** A customer managed policy with its versions. */
export interface PolicyRecord {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description: string | undefined;
  createDate: Date;
  updateDate: Date;
  defaultVersionId: string;
  nextVersion: number;
  versions: { versionId: string; document: string; createDate: Date }[];
  tags: Tag[];
}

/** An instance profile and the names of its roles. */
export interface InstanceProfileRecord {
  name: string;
  id: string;
  path: string;
  arn: string;
  createDate: Date;
  roles: string[];
  tags: Tag[];
}

/** IAM state of one account. */
export interface IamState {
  roles: Record<string, RoleRecord>;
  policies: Record<string, PolicyRecord>;
  instanceProfiles: Record<string, InstanceProfileRecord>;
  /** DeleteServiceLinkedRole tasks by id (absent until the first). */
  deletionTasks?: Record<string, DeletionTaskRecord>;
  /** GenerateServiceLastAccessedDetails jobs by id (absent until the first). */
  lastAccessedJobs?: Record<string, LastAccessedJobRecord>;
}

/** The request account's IAM state. */
export function iamState(ctx: RequestContext): IamState {
  return asDictionaries(ctx.state<IamState>('iam', () => ({ roles: {}, policies: {}, instanceProfiles: {} }), 'global'), IAM_MAPS);
}

const IAM_MAPS = ['roles', 'policies', 'instanceProfiles', 'deletionTasks', 'lastAccessedJobs'] as const;

/** An IAM unique id such as `AROA…` (prefix + 17 upper-case alphanumerics). */
export function uniqueId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return prefix + [...randomBytes(17)].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Validates a policy document and returns it unchanged (documents are stored as given).
 * `identity` policies (inline and managed) need actions and resources and may not name a
 * principal; `trust` policies (a role's assume-role policy) need a principal and may not name
 * resources. Messages are IAM's.
 */
export function checkDocument(document: string | undefined, kind: 'identity' | 'trust' = 'identity'): string {
  if (!document) throw IamErrors.malformedPolicy('Policy document must not be empty.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw IamErrors.malformedPolicy('Syntax errors in policy.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw IamErrors.malformedPolicy('Policy document must be a JSON object.');
  const statement = (parsed as { Statement?: unknown }).Statement;
  if (statement === undefined || statement === null || typeof statement !== 'object') throw IamErrors.malformedPolicy('Missing required field Statement');
  const statements = Array.isArray(statement) ? statement : [statement];
  for (const s of statements as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw IamErrors.malformedPolicy('Statement must be an object.');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw IamErrors.malformedPolicy('Missing required field Effect');
    if (s.Action === undefined && s.NotAction === undefined) throw IamErrors.malformedPolicy('Policy statement must contain actions.');
    if (kind === 'identity') {
      if (s.Principal !== undefined || s.NotPrincipal !== undefined) throw IamErrors.malformedPolicy('Policy document should not specify a principal.');
      if (s.Resource === undefined && s.NotResource === undefined) throw IamErrors.malformedPolicy('Policy statement must contain resources.');
    } else {
      if (s.Principal === undefined && s.NotPrincipal === undefined) throw IamErrors.malformedPolicy('Missing required field Principal');
      if (s.Resource !== undefined || s.NotResource !== undefined) throw IamErrors.malformedPolicy('Has prohibited field Resource');
    }
  }
  return document;
}

/** Policy documents travel URL-encoded (RFC 3986) in IAM responses. */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Validates a path (`/` or `/a/b/`). */
export function checkPath(path: string | undefined): string {
  const p = path ?? '/';
  if (!/^\/([\x21-\x7e]*\/)?$/.test(p) || p.length > 512) throw IamErrors.validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
  return p;
}

/** Validates a role/policy/profile name. */
export function checkName(kind: string, name: string | undefined, max = 64): string {
  if (!name || name.length > max || !/^[\w+=,.@-]+$/.test(name)) {
    throw IamErrors.validation(`The specified value for ${kind}Name is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-`);
  }
  return name;
}

/** A role by name, or NoSuchEntity. */
export function getRole(state: IamState, name: string | undefined): RoleRecord {
  const role = name ? state.roles[name] : undefined;
  if (!role) throw IamErrors.noSuchEntity(`The role with name ${name ?? ''} cannot be found.`);
  return role;
}

/** A managed policy (customer or AWS) by ARN, or NoSuchEntity. */
export function getPolicy(state: IamState, arn: string | undefined): PolicyRecord {
  const policy = arn ? (state.policies[arn] ?? own(AWS_MANAGED_POLICIES, arn)) : undefined;
  if (!policy) throw IamErrors.noSuchEntity(`Policy ${arn ?? ''} does not exist or is not attachable.`);
  return policy;
}

/**
 * The managed policy a role's permissions boundary names, or IAM's error: InvalidInput for an ARN
 * that is not a policy's ("ARN … is not valid.", as LocalStack answers; not verified against AWS),
 * NoSuchEntity for a policy that does not exist ("Scope ARN: … does not exist or is not
 * attachable.", verified from real AWS errors quoted in ROSA and Terraform reports).
 */
export function checkBoundary(state: IamState, arn: string | undefined): string {
  if (!arn || !/^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy\//.test(arn)) throw IamErrors.invalidInput(`ARN ${arn ?? ''} is not valid.`);
  if (!state.policies[arn] && !own(AWS_MANAGED_POLICIES, arn)) throw IamErrors.noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return arn;
}

/** Validates tags (at most 50, keys unique, no `aws:` prefix) and merges them. */
export function mergeTags(existing: readonly Tag[], add: readonly Tag[] | undefined): Tag[] {
  const map = new Map(existing.map((t) => [t.Key!, t.Value ?? '']));
  for (const t of add ?? []) {
    if (!t.Key || t.Key.toLowerCase().startsWith('aws:')) throw IamErrors.invalidInput(`Tag key ${t.Key ?? ''} is not valid.`);
    map.set(t.Key, t.Value ?? '');
  }
  if (map.size > 50) throw IamErrors.limitExceeded('The number of tags has reached the maximum limit (50).');
  return [...map].map(([Key, Value]) => ({ Key, Value }));
}

/** Tags without the given keys (UntagRole, UntagPolicy, UntagInstanceProfile). */
export function removeTags(existing: readonly Tag[], keys: readonly string[] | undefined): Tag[] {
  return existing.filter((t) => !(keys ?? []).includes(t.Key!));
}

/** ListRoleTags, ListPolicyTags, ListInstanceProfileTags: a resource's tags, paged as IAM pages. */
export function tagPage(tags: readonly Tag[], input: { readonly Marker?: string; readonly MaxItems?: number }): { Tags: Tag[]; IsTruncated: boolean; Marker: string | undefined } {
  const page = iamPage(tags, input.Marker, input.MaxItems);
  return { Tags: structuredClone(page.items), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

/** IAM pagination (`Marker` / `MaxItems`, answered with `IsTruncated` and `Marker`). */
export function iamPage<T>(items: readonly T[], marker: string | undefined, maxItems: number | undefined): { items: T[]; IsTruncated: boolean; Marker: string | undefined } {
  const start = marker ? Number.parseInt(Buffer.from(marker, 'base64').toString('utf8'), 10) : 0;
  if (Number.isNaN(start) || start < 0) throw IamErrors.validation('Invalid Marker.');
  const size = maxItems && maxItems > 0 ? Math.min(maxItems, 1000) : 100;
  const page = items.slice(start, start + size);
  const truncated = start + size < items.length;
  return { items: page, IsTruncated: truncated, Marker: truncated ? Buffer.from(String(start + size)).toString('base64') : undefined };
}
