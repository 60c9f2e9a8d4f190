/** Parameter Store reads and writes: Put, Get, GetParameters, GetParametersByPath, Delete(s), history. */
import type { Parameter, ParameterStringFilter, ParameterTier, ParameterType, PutParameterCommandInput, SSM } from '@aws-sdk/client-ssm';
import type { HandlerMap, RequestContext } from '../../types.js';
import { SsmErrors } from '../errors.js';
import type { ParameterRecord, ParameterVersion, ParameterView } from '../state.js';
import {
  DEFAULT_KEY_ID,
  MAX_VERSIONS,
  checkName,
  compareNames,
  fakeCiphertext,
  findSelected,
  ownParameters,
  parseSelector,
  publicParameters,
  selectVersion,
  ssmPage,
  ssmState,
  toHistory,
  toParameter,
} from '../state.js';
import { checkTags } from './tags.js';

const TYPES: readonly string[] = ['String', 'StringList', 'SecureString'];
const DATA_TYPES: readonly string[] = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const KEY_ID = /^(alias\/[a-zA-Z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)\/.+)$/;

function checkPattern(pattern: string | undefined, value: string): void {
  if (pattern === undefined) return;
  // AWS caps AllowedPattern at 1024 characters; a regular expression is what the API defines.
  if (pattern.length > 1024) throw SsmErrors.validation('AllowedPattern must be at most 1024 characters.');
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    throw SsmErrors.invalidPattern();
  }
  if (!re.test(value)) throw SsmErrors.patternMismatch(pattern);
}

function tierFor(requested: string | undefined, value: string, previous: ParameterTier | undefined): ParameterTier {
  const size = Buffer.byteLength(value);
  if (requested === 'Intelligent-Tiering') return size > 4096 || previous === 'Advanced' ? 'Advanced' : 'Standard';
  const tier = (requested ?? previous ?? 'Standard') as ParameterTier;
  if (tier === 'Standard' && previous === 'Advanced') {
    throw SsmErrors.validation('This parameter uses the advanced-parameter tier. You can\'t downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.');
  }
  if (tier === 'Standard' && size > 4096) {
    throw SsmErrors.validation('Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.');
  }
  if (size > 8192) throw SsmErrors.validation('Advanced tier parameters support a maximum parameter value of 8192 characters.');
  return tier;
}

/** Path filtering shared by GetParametersByPath: direct children, or everything below with Recursive. */
function underPath(name: string, path: string, recursive: boolean | undefined): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  if (!name.startsWith(prefix)) return false;
  return Boolean(recursive) || !name.slice(prefix.length).includes('/');
}

const BY_PATH_FILTERS: Readonly<Record<string, readonly string[]>> = { Type: ['Equals'], KeyId: ['Equals'], Label: ['Equals'] };

function byPathFilter(filter: ParameterStringFilter): (v: ParameterVersion) => boolean {
  const key = filter.Key ?? '';
  const options = BY_PATH_FILTERS[key];
  if (!options) throw SsmErrors.invalidFilterKey(key, Object.keys(BY_PATH_FILTERS));
  const option = filter.Option ?? 'Equals';
  if (!options.includes(option)) throw SsmErrors.invalidFilterOption(key, option, options);
  const values = filter.Values ?? [];
  if (values.length === 0) throw SsmErrors.invalidFilterValue(`The filter ${key} requires at least one value.`);
  if (key === 'Type') return (v) => values.includes(v.type);
  if (key === 'KeyId') return (v) => v.keyId !== undefined && values.includes(v.keyId);
  return (v) => v.labels.some((l) => values.includes(l));
}

function putParameter(ctx: RequestContext, input: PutParameterCommandInput): { Version: number; Tier: ParameterTier } {
  const name = checkName(input.Name ?? '');
  const value = input.Value ?? '';
  if (value.length === 0) throw SsmErrors.validation('1 validation error detected: Value \'\' at \'value\' failed to satisfy constraint: Member must have length greater than or equal to 1');
  if (input.Type !== undefined && !TYPES.includes(input.Type)) throw SsmErrors.unsupportedType(input.Type);
  if (input.Overwrite && input.Tags?.length) {
    throw SsmErrors.validation('Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
  }
  const dataType = input.DataType ?? 'text';
  if (!DATA_TYPES.includes(dataType)) throw SsmErrors.validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  if (dataType === 'aws:ec2:image' && !/^ami-[0-9a-f]{8,17}$/.test(value)) {
    throw SsmErrors.validation(`Parameter value, ${value}, is not in the right format for data type aws:ec2:image.`);
  }
  const state = ssmState(ctx);
  const existing = state.parameters[name];
  if (existing && !input.Overwrite) throw SsmErrors.alreadyExists();
  const previous = existing?.versions.at(-1);
  const type = (input.Type ?? previous?.type ?? 'String') as ParameterType;
  if (input.KeyId !== undefined && type !== 'SecureString') throw SsmErrors.validation('KeyId is only supported for parameters of type SecureString.');
  if (input.KeyId !== undefined && !KEY_ID.test(input.KeyId)) throw SsmErrors.invalidKeyId();
  const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern;
  checkPattern(allowedPattern, value);
  const secure = type === 'SecureString';
  const version: ParameterVersion = {
    version: (previous?.version ?? 0) + 1,
    type,
    value,
    ciphertext: secure ? fakeCiphertext(value) : undefined,
    keyId: secure ? (input.KeyId ?? (previous?.type === 'SecureString' ? previous.keyId : undefined) ?? DEFAULT_KEY_ID) : undefined,
    description: input.Description ?? previous?.description,
    allowedPattern,
    dataType,
    tier: tierFor(input.Tier, value, previous?.tier),
    lastModifiedDate: ctx.now,
    lastModifiedUser: ctx.principal.arn,
    labels: [],
  };
  const record: ParameterRecord = existing ?? { name, versions: [], tags: checkTags([], input.Tags) };
  record.versions.push(version);
  if (record.versions.length > MAX_VERSIONS) record.versions.splice(0, record.versions.length - MAX_VERSIONS);
  state.parameters[name] = record;
  return { Version: version.version, Tier: version.tier };
}

/** Parameter operations. */
export const parameterHandlers: HandlerMap<SSM> = {
  PutParameter(input, ctx) {
    return putParameter(ctx, input);
  },

  GetParameter(input, ctx) {
    const selector = parseSelector(input.Name ?? '');
    const view = findSelected(ctx, selector);
    if (!view) throw SsmErrors.notFound(selector.name);
    return { Parameter: toParameter(view, selectVersion(view, selector), input.WithDecryption, selector.text) };
  },

  GetParameters(input, ctx) {
    const names = input.Names ?? [];
    if (names.length > 10) {
      throw SsmErrors.validation('1 validation error detected: Value at \'names\' failed to satisfy constraint: Member must have length less than or equal to 10');
    }
    const found: Parameter[] = [];
    const invalid: string[] = [];
    for (const reference of new Set(names)) {
      const selector = parseSelector(reference);
      const view = findSelected(ctx, selector);
      let version: ParameterVersion | undefined;
      try {
        version = view ? selectVersion(view, selector) : undefined;
      } catch {
        version = undefined;
      }
      if (view && version) found.push(toParameter(view, version, input.WithDecryption, selector.text));
      else invalid.push(reference);
    }
    return { Parameters: found, InvalidParameters: invalid };
  },

  GetParametersByPath(input, ctx) {
    const path = input.Path ?? '';
    if (!path.startsWith('/') || path.includes('//')) throw SsmErrors.validation('The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".');
    const tests = (input.ParameterFilters ?? []).map(byPathFilter);
    const pool = path === '/aws' || path.startsWith('/aws/') ? publicParameters(ctx) : ownParameters(ctx);
    const matching = pool
      .filter((p) => underPath(p.name, path, input.Recursive))
      .filter((p) => tests.every((test) => test(p.versions.at(-1)!)))
      .sort((a, b) => compareNames(a.name, b.name));
    const page = ssmPage(matching, input.NextToken, input.MaxResults, 10);
    return { Parameters: page.items.map((p) => toParameter(p, p.versions.at(-1)!, input.WithDecryption)), NextToken: page.NextToken };
  },

  GetParameterHistory(input, ctx) {
    const view: ParameterView | undefined = findSelected(ctx, parseSelector(input.Name ?? ''));
    if (!view) throw SsmErrors.notFound(input.Name ?? '');
    const page = ssmPage(view.versions, input.NextToken, input.MaxResults, 50);
    return { Parameters: page.items.map((v) => toHistory(view, v, input.WithDecryption)), NextToken: page.NextToken };
  },

  DeleteParameter(input, ctx) {
    const state = ssmState(ctx);
    const name = input.Name ?? '';
    if (!state.parameters[name]) throw SsmErrors.notFound(name);
    delete state.parameters[name];
    return {};
  },

  DeleteParameters(input, ctx) {
    const names = input.Names ?? [];
    if (names.length === 0 || names.length > 10) {
      throw SsmErrors.validation('1 validation error detected: Value at \'names\' failed to satisfy constraint: Member must have length between 1 and 10');
    }
    const state = ssmState(ctx);
    const deleted: string[] = [];
    const invalid: string[] = [];
    for (const name of new Set(names)) {
      if (state.parameters[name]) {
        delete state.parameters[name];
        deleted.push(name);
      } else {
        invalid.push(name);
      }
    }
    return { DeletedParameters: deleted, InvalidParameters: invalid };
  },
};
