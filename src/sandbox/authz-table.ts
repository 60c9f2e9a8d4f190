/**
 * The shape of the per-service authorisation tables (`authz-<service>.ts`): for each operation,
 * the resource ARNs it acts on, the tags it sets or removes, and any further checks AWS makes
 * (iam:PassRole, tag-on-create). An operation missing from a table is authorised against `*`,
 * which is what AWS does for actions without resource-level permissions; the tables list the
 * operations whose resources AWS does check.
 */
import type { ContextValue, PolicySource } from '../iam/index.js';

/** The decoded input of an operation, read loosely (the tables pick a few members). */
export type Input = Readonly<Record<string, unknown>>;

/** What a table may read: the request account's state, never created by reading. */
export interface AuthzEnv {
  readonly account: string;
  readonly region: string;
  /** A service's state (`global` for IAM, STS and CloudTrail) in the request account or `account`, or undefined. */
  state<T>(service: string, global?: boolean, account?: string): T | undefined;
}

/** One authorisation AWS makes for a request. */
export interface AuthzCheck {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, ContextValue>>;
}

/** How one operation is authorised. */
export interface OperationRule {
  /** The IAM action when it is not `<prefix>:<Operation>` (S3: ListObjectsV2 is s3:ListBucket). */
  readonly action?: string;
  /** The resources the operation acts on; each is authorised. Default `['*']`. */
  readonly resources?: (input: Input, env: AuthzEnv) => readonly string[];
  /** Tags the request sets: aws:RequestTag/<key> and aws:TagKeys. */
  readonly requestTags?: (input: Input) => Readonly<Record<string, string>> | undefined;
  /** Tag keys the request removes (untag calls): aws:TagKeys. */
  readonly removedTagKeys?: (input: Input) => readonly string[] | undefined;
  /** A create call: when it carries tags, AWS also authorises the service's tag action for it. */
  readonly creates?: boolean;
  /** The resources the create call makes, for that tag check (default: `resources`). */
  readonly createdResources?: (input: Input, env: AuthzEnv) => readonly string[];
  /** Service condition keys of the request (ecs:cluster, iam:PolicyARN, …). */
  readonly context?: (input: Input, env: AuthzEnv) => Readonly<Record<string, ContextValue>>;
  /** Further authorisations (iam:PassRole for a task role, …). */
  readonly extra?: (input: Input, env: AuthzEnv) => readonly AuthzCheck[];
  /** The resource's own policy, evaluated with the identity policies (a role's trust policy for sts:AssumeRole). */
  readonly resourcePolicy?: (input: Input, env: AuthzEnv) => PolicySource | undefined;
  /** Needs no permission at all (sts:GetCallerIdentity), or not for this input (iam:GetUser without a UserName). */
  readonly open?: boolean | ((input: Input) => boolean);
}

/** One service's table. */
export interface ServiceRules {
  /** The IAM service prefix, e.g. `ecs`. */
  readonly prefix: string;
  readonly operations: Readonly<Record<string, OperationRule>>;
  /** The current tags of a resource (aws:ResourceTag/<key>), from sandbox state. */
  readonly resourceTags?: (arn: string, env: AuthzEnv) => Readonly<Record<string, string>> | undefined;
  /** The action AWS also authorises when a create call carries tags (ecs:TagResource; IAM: per operation). */
  readonly tagOnCreate?: string | ((operation: string) => string);
  /** The condition key naming the create action in that check (ecs:CreateAction). */
  readonly createActionKey?: string;
  /** Service-specific aliases of aws:ResourceTag (iam:ResourceTag, secretsmanager:ResourceTag). */
  readonly resourceTagAlias?: string;
  /**
   * A resource's own policy by ARN (a secret's resource policy), evaluated with the identity
   * policies for every action of the service on it, unless the operation gives `resourcePolicy`.
   */
  readonly resourcePolicyOf?: (arn: string, env: AuthzEnv) => PolicySource | undefined;
}

/** A string member, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A list member's strings (an absent list is empty). */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A list of records (an absent list is empty). */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}

/** Tags given as `[{ <keyName>: k, <valueName>: v }]` (ECS `key/value`, most others `Key/Value`). */
export function tagList(value: unknown, keyName = 'Key', valueName = 'Value'): Record<string, string> | undefined {
  const list = records(value);
  if (list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const t of list) {
    const key = str(t[keyName]);
    if (key !== undefined) out[key] = str(t[valueName]) ?? '';
  }
  return out;
}

/** The last segment of a name-or-ARN identifier after `<type>/`. */
export function nameOf(identifier: string, type: string): string {
  if (!identifier.startsWith('arn:')) return identifier;
  const resource = identifier.split(':').slice(5).join(':');
  return resource.startsWith(`${type}/`) ? resource.slice(type.length + 1) : resource;
}

/** `own` for state maps read by the tables (never an inherited member). */
export function lookup<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}
