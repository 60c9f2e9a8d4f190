/**
 * Policy parsing and validation. A document is parsed, checked and compiled once, then cached by its
 * text (or object identity), because checks evaluate dozens of requests per policy and the sandbox
 * authorises every request.
 */
import type { CompiledCondition } from './conditions.js';
import { compileCondition, parseOperator } from './conditions.js';
import { PolicyError } from './errors.js';
import type { ActionPattern, ResourcePattern } from './match.js';
import { compileAction, compileResource } from './match.js';
import type { Effect, PolicyKind } from './types.js';

/** Principal/NotPrincipal element, normalised: account ids become root ARNs. */
export interface PrincipalSpec {
  readonly wildcard: boolean;
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
  /** Entries as written, for explanations. */
  readonly written: readonly string[];
}

/** One compiled statement. */
export interface ParsedStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly actionElement: 'Action' | 'NotAction';
  readonly actions: readonly ActionPattern[];
  readonly resourceElement: 'Resource' | 'NotResource' | undefined;
  readonly resources: readonly ResourcePattern[];
  readonly principalElement: 'Principal' | 'NotPrincipal' | undefined;
  readonly principals: PrincipalSpec | undefined;
  readonly conditions: readonly CompiledCondition[];
}

/** A validated, compiled policy. Treat as immutable: it is shared through the cache. */
export interface ParsedPolicy {
  readonly version: string | undefined;
  readonly id: string | undefined;
  /** Policy variables are substituted only under Version 2012-10-17. */
  readonly variables: boolean;
  readonly statements: readonly ParsedStatement[];
  /** The decoded JSON document. */
  readonly document: Readonly<Record<string, unknown>>;
}

const POLICY_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const ACTION = /^([A-Za-z0-9-]+):([A-Za-z0-9*?_-]+)$/;
const ACCOUNT_ID = /^\d{12}$/;
const CACHE_LIMIT = 2000;

const textCache = new Map<string, ParsedPolicy | PolicyError>();
const objectCache = new WeakMap<object, ParsedPolicy | PolicyError>();

function fail(message: string, path?: string): never {
  throw new PolicyError(message, path);
}

function statementName(index: number, sid: unknown): string {
  return `Statement ${index + 1}${typeof sid === 'string' && sid ? ` (${sid})` : ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes JSON text, also URL-encoded JSON as IAM's Get*Policy APIs return it. */
function decode(text: string): unknown {
  const trimmed = text.trim();
  let json = trimmed;
  if (!trimmed.startsWith('{') && trimmed.includes('%')) {
    try {
      json = decodeURIComponent(trimmed);
    } catch {
      fail('The policy is neither JSON nor URL-encoded JSON.');
    }
  }
  try {
    return JSON.parse(json) as unknown;
  } catch (err) {
    return fail(`The policy is not valid JSON: ${(err as Error).message}.`);
  }
}

/** A string or a non-empty array of strings; numbers and booleans only where `scalars` allows. */
function stringList(value: unknown, where: string, path: string, scalars = false): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) fail(`${where} is an empty list.`, path);
  return items.map((item) => {
    if (typeof item === 'string') return item;
    if (scalars && (typeof item === 'number' || typeof item === 'boolean')) return String(item);
    return fail(`${where} must be a string or a list of strings, not ${JSON.stringify(item)}.`, path);
  });
}

function parseActions(value: unknown, where: string, path: string): ActionPattern[] {
  return stringList(value, where, path).map((raw) => {
    const trimmed = raw.trim();
    if (!/^\*+$/.test(trimmed) && !ACTION.test(trimmed)) {
      fail(`${where} has '${raw}', which is not '*' or 'service:Action' (letters, digits and the wildcards * and ?).`, path);
    }
    return compileAction(raw);
  });
}

function parseResources(value: unknown, where: string, path: string, variables: boolean): ResourcePattern[] {
  return stringList(value, where, path).map((raw) => {
    if (raw !== '*' && (!raw.startsWith('arn:') || raw.split(':').length < 4)) {
      fail(`${where} has '${raw}', which is not '*' or an ARN (arn:partition:service:region:account:resource).`, path);
    }
    return compileResource(raw, variables);
  });
}

function parsePrincipals(value: unknown, where: string, path: string): PrincipalSpec {
  if (value === '*') return { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [], written: ['*'] };
  if (!isRecord(value)) return fail(`${where} must be "*" or an object with AWS, Service, Federated or CanonicalUser.`, path);
  const lists: Record<string, string[]> = {};
  for (const key of Object.keys(value)) {
    if (!PRINCIPAL_KEYS.has(key)) fail(`${where} has '${key}'; principal types are AWS, Service, Federated and CanonicalUser.`, `${path}.${key}`);
    lists[key] = stringList(value[key], `${where}.${key}`, `${path}.${key}`);
  }
  for (const entry of lists.AWS ?? []) {
    if (entry !== '*' && !ACCOUNT_ID.test(entry) && !entry.startsWith('arn:')) {
      fail(`${where}.AWS has '${entry}', which is not "*", an account id or an ARN.`, `${path}.AWS`);
    }
  }
  const aws = (lists.AWS ?? []).map((entry) => (ACCOUNT_ID.test(entry) ? `arn:aws:iam::${entry}:root` : entry));
  const written = Object.entries(lists).flatMap(([type, entries]) => entries.map((e) => `${type} ${e}`));
  return {
    wildcard: aws.includes('*'),
    aws: aws.filter((e) => e !== '*'),
    service: lists.Service ?? [],
    federated: lists.Federated ?? [],
    canonicalUser: lists.CanonicalUser ?? [],
    written,
  };
}

function parseConditions(value: unknown, where: string, path: string, variables: boolean): CompiledCondition[] {
  if (!isRecord(value)) return fail(`${where} Condition must be an object of operators.`, path);
  const conditions: CompiledCondition[] = [];
  for (const operator of Object.keys(value)) {
    const parsed = parseOperator(operator);
    if (!parsed.ok) fail(`${where} Condition: ${parsed.reason}.`, `${path}.${operator}`);
    const block = value[operator];
    if (!isRecord(block)) fail(`${where} Condition ${operator} must map condition keys to values.`, `${path}.${operator}`);
    const keys = Object.keys(block);
    if (keys.length === 0) fail(`${where} Condition ${operator} has no condition key.`, `${path}.${operator}`);
    for (const key of keys) {
      if (!key.includes(':')) fail(`${where} Condition ${operator} has '${key}', which is not a condition key (prefix:name).`, `${path}.${operator}`);
      const values = stringList(block[key], `${where} Condition ${operator} ${key}`, `${path}.${operator}.${key}`, true);
      conditions.push(compileCondition(operator, key, values, variables));
    }
  }
  return conditions;
}

function parseStatement(raw: unknown, index: number, variables: boolean, sids: Set<string>): ParsedStatement {
  const path = `Statement[${index}]`;
  if (!isRecord(raw)) return fail(`${statementName(index, undefined)} must be an object.`, path);
  const where = statementName(index, raw.Sid);
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) fail(`${where} has the unknown element '${key}'.`, `${path}.${key}`);
  }
  const sid = raw.Sid;
  if (sid !== undefined && typeof sid !== 'string') fail(`${where} has a Sid that is not a string.`, `${path}.Sid`);
  if (typeof sid === 'string' && sid) {
    if (sids.has(sid)) fail(`${where} repeats the Sid '${sid}'; Sids must be unique within a policy.`, `${path}.Sid`);
    sids.add(sid);
  }
  if (raw.Effect === undefined) fail(`${where} has no Effect; it must be "Allow" or "Deny".`, path);
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') fail(`${where} has Effect ${JSON.stringify(raw.Effect)}; it must be exactly "Allow" or "Deny".`, `${path}.Effect`);
  const pairs = [['Action', 'NotAction'], ['Resource', 'NotResource'], ['Principal', 'NotPrincipal']] as const;
  for (const [a, b] of pairs) {
    if (a in raw && b in raw) fail(`${where} has both ${a} and ${b}; a statement may have only one of them.`, path);
  }
  if (!('Action' in raw) && !('NotAction' in raw)) fail(`${where} has neither Action nor NotAction.`, path);
  const actionElement = 'Action' in raw ? 'Action' : 'NotAction';
  const resourceElement = 'Resource' in raw ? 'Resource' : 'NotResource' in raw ? 'NotResource' : undefined;
  const principalElement = 'Principal' in raw ? 'Principal' : 'NotPrincipal' in raw ? 'NotPrincipal' : undefined;
  return {
    index,
    sid: typeof sid === 'string' && sid ? sid : undefined,
    effect: raw.Effect,
    actionElement,
    actions: parseActions(raw[actionElement], `${where} ${actionElement}`, `${path}.${actionElement}`),
    resourceElement,
    resources: resourceElement ? parseResources(raw[resourceElement], `${where} ${resourceElement}`, `${path}.${resourceElement}`, variables) : [],
    principalElement,
    principals: principalElement ? parsePrincipals(raw[principalElement], `${where} ${principalElement}`, `${path}.${principalElement}`) : undefined,
    conditions: raw.Condition === undefined ? [] : parseConditions(raw.Condition, where, `${path}.Condition`, variables),
  };
}

function build(document: unknown): ParsedPolicy {
  if (!isRecord(document)) return fail('A policy must be a JSON object with a Statement element.');
  for (const key of Object.keys(document)) {
    if (!POLICY_KEYS.has(key)) fail(`The policy has the unknown element '${key}'; a policy has Version, Id and Statement.`, key);
  }
  const version = document.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    fail(`The policy Version ${JSON.stringify(version)} is not "2012-10-17" or "2008-10-17".`, 'Version');
  }
  if (document.Id !== undefined && typeof document.Id !== 'string') fail('The policy Id must be a string.', 'Id');
  const statement = document.Statement;
  if (statement === undefined) fail('The policy has no Statement element.', 'Statement');
  const raws = Array.isArray(statement) ? statement : [statement];
  if (raws.length === 0) fail('The policy Statement list is empty.', 'Statement');
  const variables = version === '2012-10-17';
  const sids = new Set<string>();
  return {
    version: version as string | undefined,
    id: document.Id as string | undefined,
    variables,
    statements: raws.map((raw, i) => parseStatement(raw, i, variables, sids)),
    document,
  };
}

function remember(text: string, entry: ParsedPolicy | PolicyError): void {
  if (textCache.size >= CACHE_LIMIT) {
    const oldest = textCache.keys().next();
    if (!oldest.done) textCache.delete(oldest.value);
  }
  textCache.set(text, entry);
}

/**
 * Parses, validates and compiles a policy document (JSON text, URL-encoded JSON, or an object).
 * Throws PolicyError (code MalformedPolicyDocument) with the reason. Results are cached: by text for
 * strings, by identity for objects (so do not mutate a document object after evaluating it).
 */
export function parsePolicy(document: string | object): ParsedPolicy {
  const cached = typeof document === 'string' ? textCache.get(document) : objectCache.get(document);
  if (cached instanceof PolicyError) throw cached;
  if (cached) return cached;
  let entry: ParsedPolicy | PolicyError;
  try {
    entry = build(typeof document === 'string' ? decode(document) : document);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    entry = err;
  }
  if (typeof document === 'string') remember(document, entry);
  else objectCache.set(document, entry);
  if (entry instanceof PolicyError) throw entry;
  return entry;
}

/**
 * Checks the rules that depend on where a policy is used: identity-based policies (and boundaries,
 * session policies) name no principal and need Resource; resource policies need a principal; trust
 * policies need a principal and have no Resource.
 */
export function assertPolicyKind(policy: ParsedPolicy, kind: PolicyKind, policyId?: string): void {
  const checked = kindsChecked.get(policy);
  if (checked?.has(kind)) return;
  checkKind(policy, kind, policyId);
  if (checked) checked.add(kind);
  else kindsChecked.set(policy, new Set([kind]));
}

/** Kinds a parsed policy is known to suit, so the hot path checks each pairing once. */
const kindsChecked = new WeakMap<ParsedPolicy, Set<PolicyKind>>();

function checkKind(policy: ParsedPolicy, kind: PolicyKind, policyId?: string): void {
  const prefix = policyId ? `Policy ${policyId}: ` : '';
  for (const s of policy.statements) {
    const where = statementName(s.index, s.sid);
    const path = `Statement[${s.index}]`;
    const identityLike = kind === 'identity' || kind === 'permissionsBoundary' || kind === 'session';
    if (identityLike && s.principalElement) {
      throw new PolicyError(`${prefix}${where} has ${s.principalElement}, but an identity-based policy must not name a principal.`, path, policyId);
    }
    if (identityLike && !s.resourceElement) {
      throw new PolicyError(`${prefix}${where} has neither Resource nor NotResource, which an identity-based policy requires.`, path, policyId);
    }
    if (!identityLike && !s.principalElement) {
      throw new PolicyError(`${prefix}${where} has neither Principal nor NotPrincipal, which a ${kind} policy requires.`, path, policyId);
    }
    if (kind === 'trust' && s.resourceElement) {
      throw new PolicyError(`${prefix}${where} has ${s.resourceElement}, which a role trust policy must not have.`, path, policyId);
    }
  }
}
