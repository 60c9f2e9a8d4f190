/**
 * SSM Parameter Store state for one account and Region, and the lookups every handler shares:
 * name rules, `name:version` / `name:label` selectors, the read-only public parameters (the
 * ECS-optimized AMI catalogue every account sees) and the SDK-shaped views.
 */
import { randomBytes } from 'node:crypto';
import type { Command, Parameter, ParameterHistory, ParameterMetadata, ParameterTier, ParameterType, Tag } from '@aws-sdk/client-ssm';
import { asDictionaries } from '../dictionary.js';
import { paginate } from '../paging.js';
import { publicAmiParameters } from '../shared/amis.js';
import type { RequestContext } from '../types.js';
import { SsmErrors } from './errors.js';

/** One stored version of a parameter. */
export interface ParameterVersion {
  version: number;
  type: ParameterType;
  value: string;
  /** SecureString only: what a read without decryption returns. */
  ciphertext: string | undefined;
  keyId: string | undefined;
  description: string | undefined;
  allowedPattern: string | undefined;
  dataType: string;
  tier: ParameterTier;
  lastModifiedDate: Date;
  lastModifiedUser: string;
  labels: string[];
}

/** A parameter with its versions (oldest first; the last is current) and tags. */
export interface ParameterRecord {
  name: string;
  versions: ParameterVersion[];
  tags: Tag[];
}

/** SSM state of one account and Region. */
export interface SsmState {
  parameters: Record<string, ParameterRecord>;
  /** Run Command commands by id (handlers/run-command.ts; absent until the first SendCommand). */
  commands?: Record<string, Command>;
}

/** The SSM state of the request's account and Region. */
export function ssmState(ctx: RequestContext): SsmState {
  return asDictionaries(ctx.state<SsmState>('ssm', () => ({ parameters: {} })), ['parameters', 'commands']);
}

/** The default KMS key of SecureString parameters. */
export const DEFAULT_KEY_ID = 'alias/aws/ssm';
/** AWS keeps the 100 most recent versions of a parameter. */
export const MAX_VERSIONS = 100;

/** `arn:aws:ssm:<region>:<account>:parameter/<name>` (public parameters have no account). */
export function parameterArn(region: string, account: string, name: string): string {
  return `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/** Validates a name for PutParameter: characters, full qualification, reserved prefixes, depth. */
export function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > 2048) throw SsmErrors.validation('Parameter name must be between 1 and 2048 characters.');
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) throw SsmErrors.invalidName();
  if (name.includes('/') && !name.startsWith('/')) throw SsmErrors.validation('Parameter name must be a fully qualified name.');
  if (name.includes('//') || (name.length > 1 && name.endsWith('/'))) throw SsmErrors.invalidName();
  const first = name.split('/').find((s) => s.length > 0) ?? '';
  if (/^(aws|ssm)/i.test(first)) throw SsmErrors.invalidName();
  if (name.split('/').filter(Boolean).length > 15) throw SsmErrors.hierarchyLimit();
  return name;
}

/** A name with an optional `:version` or `:label` selector. */
export interface Selector {
  name: string;
  /** From an ARN `parameter/foo`: the name may be `foo` or `/foo`; this is the other one. */
  alternate?: string;
  /** From an ARN: the account it names (empty for public parameters). */
  account?: string;
  version: number | undefined;
  label: string | undefined;
  /** The selector as AWS echoes it, e.g. `:3`. */
  text: string | undefined;
}

const PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[^:]*:([0-9]{12})?:parameter\/(.+)$/;

/** Splits `name:3` / `name:label` (names cannot contain `:`); also accepts a parameter ARN. */
export function parseSelector(reference: string): Selector {
  const arn = PARAMETER_ARN.exec(reference);
  if (arn) {
    const inner = parseSelector(arn[2]!);
    const hierarchical = inner.name.includes('/');
    return { ...inner, name: hierarchical ? `/${inner.name}` : inner.name, alternate: hierarchical ? undefined : `/${inner.name}`, account: arn[1] ?? '' };
  }
  const colon = reference.indexOf(':');
  if (colon < 0) return { name: reference, version: undefined, label: undefined, text: undefined };
  const name = reference.slice(0, colon);
  const selector = reference.slice(colon + 1);
  const n = /^[0-9]+$/.test(selector) ? Number(selector) : undefined;
  return { name, version: n, label: n === undefined ? selector : undefined, text: `:${selector}` };
}

/** A parameter as handlers see it, own or public. */
export interface ParameterView {
  readonly name: string;
  readonly arn: string;
  readonly versions: readonly ParameterVersion[];
  /** The stored record, undefined for public parameters (read-only). */
  readonly record: ParameterRecord | undefined;
}

function publicVersion(value: string, version: number, lastModifiedDate: Date): ParameterVersion {
  return {
    version,
    type: 'String',
    value,
    ciphertext: undefined,
    keyId: undefined,
    description: undefined,
    allowedPattern: undefined,
    dataType: 'text',
    tier: 'Standard',
    lastModifiedDate,
    lastModifiedUser: 'arn:aws:iam::aws:root',
    labels: [],
  };
}

/** The public parameters of the request's Region. */
export function publicParameters(ctx: RequestContext): ParameterView[] {
  return publicAmiParameters(ctx.region).map((p) => ({
    name: p.name,
    arn: parameterArn(ctx.region, '', p.name),
    versions: [publicVersion(p.value, p.version, p.lastModified)],
    record: undefined,
  }));
}

function ownView(ctx: RequestContext, record: ParameterRecord): ParameterView {
  return { name: record.name, arn: parameterArn(ctx.region, ctx.account, record.name), versions: record.versions, record };
}

/** The account's own parameters, sorted by name. */
export function ownParameters(ctx: RequestContext): ParameterView[] {
  return Object.values(ssmState(ctx).parameters)
    .map((r) => ownView(ctx, r))
    .sort((a, b) => compareNames(a.name, b.name));
}

/** Byte-order name comparison, as AWS sorts. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An own or public parameter by exact name. */
export function findParameter(ctx: RequestContext, name: string): ParameterView | undefined {
  if (name.startsWith('/aws/')) {
    const found = publicAmiParameters(ctx.region).find((p) => p.name === name);
    return found ? { name, arn: parameterArn(ctx.region, '', name), versions: [publicVersion(found.value, found.version, found.lastModified)], record: undefined } : undefined;
  }
  const record = ssmState(ctx).parameters[name];
  return record ? ownView(ctx, record) : undefined;
}

/** The parameter a (possibly ARN) reference names, own or public. */
export function findSelected(ctx: RequestContext, selector: Selector): ParameterView | undefined {
  if (selector.account !== undefined && selector.account !== '' && selector.account !== ctx.account) return undefined;
  return findParameter(ctx, selector.name) ?? (selector.alternate ? findParameter(ctx, selector.alternate) : undefined);
}

/** The version a selector names (current without one). */
export function selectVersion(view: ParameterView, selector: Selector): ParameterVersion {
  if (selector.version !== undefined) {
    const found = view.versions.find((v) => v.version === selector.version);
    if (!found) throw SsmErrors.versionNotFound(view.name, String(selector.version));
    return found;
  }
  if (selector.label !== undefined) {
    const found = view.versions.find((v) => v.labels.includes(selector.label!));
    if (!found) throw SsmErrors.versionNotFound(view.name, selector.label);
    return found;
  }
  return view.versions.at(-1)!;
}

/** What a read returns as the value: SecureStrings stay encrypted unless decryption was asked for. */
function visibleValue(v: ParameterVersion, withDecryption: boolean | undefined): string {
  return v.type === 'SecureString' && !withDecryption ? (v.ciphertext ?? '') : v.value;
}

/** A `Parameter` for GetParameter(s)/GetParametersByPath. */
export function toParameter(view: ParameterView, v: ParameterVersion, withDecryption: boolean | undefined, selector?: string): Parameter {
  return {
    Name: view.name,
    Type: v.type,
    Value: visibleValue(v, withDecryption),
    Version: v.version,
    Selector: selector,
    LastModifiedDate: v.lastModifiedDate,
    ARN: view.arn,
    DataType: v.dataType,
  };
}

/** `ParameterMetadata` for DescribeParameters. */
export function toMetadata(view: ParameterView): ParameterMetadata {
  const v = view.versions.at(-1)!;
  return {
    Name: view.name,
    ARN: view.arn,
    Type: v.type,
    KeyId: v.keyId,
    LastModifiedDate: v.lastModifiedDate,
    LastModifiedUser: v.lastModifiedUser,
    Description: v.description,
    AllowedPattern: v.allowedPattern,
    Version: v.version,
    Tier: v.tier,
    Policies: [],
    DataType: v.dataType,
  };
}

/** `ParameterHistory` for GetParameterHistory. */
export function toHistory(view: ParameterView, v: ParameterVersion, withDecryption: boolean | undefined): ParameterHistory {
  return {
    Name: view.name,
    Type: v.type,
    KeyId: v.keyId,
    LastModifiedDate: v.lastModifiedDate,
    LastModifiedUser: v.lastModifiedUser,
    Description: v.description,
    Value: visibleValue(v, withDecryption),
    AllowedPattern: v.allowedPattern,
    Version: v.version,
    Labels: [...v.labels],
    Tier: v.tier,
    Policies: [],
    DataType: v.dataType,
  };
}

/** A ciphertext-looking blob (KMS ciphertexts are base64 starting `AQICAH`); random per write, as in AWS. */
export function fakeCiphertext(plaintext: string): string {
  return Buffer.concat([Buffer.from([1, 2, 2, 0, 0x78]), randomBytes(56 + Buffer.byteLength(plaintext))]).toString('base64');
}

/** SSM pagination (`MaxResults` / `NextToken`, InvalidNextToken for a token it did not issue). */
export function ssmPage<T>(items: readonly T[], token: string | undefined, max: number | undefined, limit: number, member = 'maxResults'): { items: T[]; NextToken: string | undefined } {
  if (max !== undefined && (max < 1 || max > limit)) {
    throw SsmErrors.validation(`1 validation error detected: Value '${max}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${limit}`);
  }
  const page = paginate(items, token, max, limit, SsmErrors.invalidNextToken);
  return { items: page.items, NextToken: page.nextToken };
}

/**
 * What `resolve:ssm:<reference>` names for EC2 (launch templates, RunInstances): the image id in a
 * parameter's value, from a public ECS-optimized AMI parameter (JSON `recommended` values give
 * their `image_id`) or the account's own String parameter. Undefined when nothing resolves.
 */
export function resolveImageParameter(ctx: RequestContext, reference: string): string | undefined {
  const selector = parseSelector(reference);
  const view = findSelected(ctx, selector);
  if (!view) return undefined;
  let value: string;
  try {
    const v = selectVersion(view, selector);
    if (v.type === 'SecureString') return undefined;
    value = v.value;
  } catch {
    return undefined;
  }
  if (value.startsWith('{')) {
    try {
      const parsed = JSON.parse(value) as { image_id?: unknown };
      return typeof parsed.image_id === 'string' ? parsed.image_id : undefined;
    } catch {
      return undefined;
    }
  }
  return value;
}
