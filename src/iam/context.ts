/**
 * The request side: who is asking (principal identity), and the request context as the evaluator
 * reads it (lower-cased keys, string values, multivalued keys as arrays).
 */
import { InvalidInputError } from './errors.js';
import type { ContextValue } from './types.js';

/** Context keys are case-insensitive, so the map is keyed by the lower-cased name. */
export type NormalizedContext = ReadonlyMap<string, string | readonly string[]>;

/** What kind of caller a principal string names. */
export type PrincipalKind = 'user' | 'role' | 'assumed-role' | 'federated-user' | 'root' | 'service' | 'federated' | 'other';

/** A parsed request principal. */
export interface PrincipalIdentity {
  readonly raw: string;
  readonly kind: PrincipalKind;
  readonly partition: string;
  /** Account id; empty for services and web identity providers. */
  readonly account: string;
  /** Role ARN for an assumed-role session (without path: the session ARN does not carry it). */
  readonly roleArn: string | undefined;
  /** Friendly name: user name, role name, or federated user name. */
  readonly name: string;
  /**
   * Every identity AWS may check for this caller, most specific first (session, role, account):
   * a Deny with NotPrincipal spares the caller only if all of them are listed.
   */
  readonly chain: readonly string[];
}

/**
 * Global keys that AWS documents as multivalued. A scalar given for one of them is treated as a
 * one-element set, as AWS would build it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
const MULTIVALUED_KEYS = new Set([
  'aws:tagkeys',
  'aws:calledvia',
  'aws:principalorgpaths',
  'aws:resourceorgpaths',
  'aws:sourceorgpaths',
  'aws:vpceorgpaths',
  'aws:principalservicenameslist',
]);

const ACCOUNT_ID = /^\d{12}$/;
const WEB_IDENTITY_PROVIDERS = new Set(['accounts.google.com', 'graph.facebook.com', 'www.amazon.com', 'cognito-identity.amazonaws.com']);

function lastSegment(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** Parses a principal as it appears in a request: an IAM/STS ARN, an account id, a service or an identity provider. */
export function parsePrincipal(raw: string, hint?: 'AWS' | 'Service' | 'Federated'): PrincipalIdentity {
  const base = { raw, partition: 'aws', account: '', roleArn: undefined, name: raw };
  if (!raw) throw new InvalidInputError('The request has no principal; give an ARN, an account id or a service principal.');
  if (hint === 'Service' || (hint === undefined && !raw.startsWith('arn:') && raw.endsWith('.amazonaws.com') && !WEB_IDENTITY_PROVIDERS.has(raw))) {
    return { ...base, kind: 'service', chain: [raw] };
  }
  if (hint === 'Federated' || (hint === undefined && WEB_IDENTITY_PROVIDERS.has(raw))) {
    return { ...base, kind: 'federated', chain: [raw] };
  }
  if (ACCOUNT_ID.test(raw)) {
    const root = `arn:aws:iam::${raw}:root`;
    return { ...base, raw: root, kind: 'root', account: raw, name: raw, chain: [root] };
  }
  const parts = raw.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return { ...base, kind: 'other', chain: [raw] };
  const partition = parts[1] ?? 'aws';
  const service = parts[2] ?? '';
  const account = parts[4] ?? '';
  const resource = parts.slice(5).join(':');
  const root = `arn:${partition}:iam::${account}:root`;
  const common = { raw, partition, account };
  if (service === 'iam' && resource === 'root') return { ...common, kind: 'root', roleArn: undefined, name: account, chain: [root] };
  if (service === 'iam' && resource.startsWith('user/')) {
    return { ...common, kind: 'user', roleArn: undefined, name: lastSegment(resource), chain: [raw, root] };
  }
  if (service === 'iam' && resource.startsWith('role/')) {
    return { ...common, kind: 'role', roleArn: raw, name: lastSegment(resource), chain: [raw, root] };
  }
  if (service === 'iam' && (resource.startsWith('oidc-provider/') || resource.startsWith('saml-provider/'))) {
    return { ...common, kind: 'federated', roleArn: undefined, name: raw, chain: [raw] };
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const roleName = resource.split('/')[1] ?? '';
    const roleArn = `arn:${partition}:iam::${account}:role/${roleName}`;
    return { ...common, kind: 'assumed-role', roleArn, name: roleName, chain: [raw, roleArn, root] };
  }
  if (service === 'sts' && resource.startsWith('federated-user/')) {
    return { ...common, kind: 'federated-user', roleArn: undefined, name: resource.slice('federated-user/'.length), chain: [raw, root] };
  }
  return { ...common, kind: 'other', roleArn: undefined, name: raw, chain: [raw] };
}

const PRINCIPAL_TYPE: Partial<Record<PrincipalKind, string>> = {
  user: 'User',
  role: 'AssumedRole',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
  root: 'Account',
};

/**
 * Context keys AWS puts in every signed request from this principal (aws:PrincipalArn,
 * aws:PrincipalAccount, aws:PrincipalType, aws:username for IAM users, aws:PrincipalIsAWSService,
 * aws:PrincipalServiceName for services). Tags and anything that needs sandbox state are the
 * caller's job.
 */
export function principalContext(principal: string | PrincipalIdentity): Record<string, string> {
  const id = typeof principal === 'string' ? parsePrincipal(principal) : principal;
  if (id.kind === 'service') {
    return { 'aws:PrincipalServiceName': id.raw, 'aws:PrincipalIsAWSService': 'true' };
  }
  if (id.kind === 'federated' || id.kind === 'other') return {};
  const keys: Record<string, string> = {
    'aws:PrincipalArn': id.kind === 'assumed-role' ? id.roleArn ?? id.raw : id.raw,
    'aws:PrincipalAccount': id.account,
    'aws:PrincipalIsAWSService': 'false',
  };
  const type = PRINCIPAL_TYPE[id.kind];
  if (type) keys['aws:PrincipalType'] = type;
  if (id.kind === 'user') keys['aws:username'] = id.name;
  return keys;
}

function stringify(value: ContextValue): string | readonly string[] {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? value : value.map(String);
  return String(value);
}

const LOWER_CACHE_LIMIT = 4096;
let lowerCache = new Map<string, string>();

/** Lower-cases a context key; the same few dozen keys arrive on every request, so results are kept. */
function lowerKey(key: string): string {
  let lower = lowerCache.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (lowerCache.size >= LOWER_CACHE_LIMIT) lowerCache = new Map();
    lowerCache.set(key, lower);
  }
  return lower;
}

/**
 * Lower-cases keys, turns numbers and booleans into the strings AWS compares, and wraps scalars of
 * known multivalued keys. `defaults` are added only where the caller gave no value.
 */
export function normalizeContext(
  context: Readonly<Record<string, ContextValue>> | undefined,
  defaults?: Readonly<Record<string, string>>,
): NormalizedContext {
  const map = new Map<string, string | readonly string[]>();
  if (defaults) for (const key in defaults) map.set(lowerKey(key), defaults[key] as string);
  if (context) {
    for (const key in context) {
      const lower = lowerKey(key);
      const value = stringify(context[key] as ContextValue);
      map.set(lower, typeof value === 'string' && MULTIVALUED_KEYS.has(lower) ? [value] : value);
    }
  }
  return map;
}
