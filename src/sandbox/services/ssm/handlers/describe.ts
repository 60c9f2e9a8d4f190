/** DescribeParameters: the account's own parameters with `Filters` or `ParameterFilters`. */
import type { ParameterStringFilter, ParametersFilter, SSM } from '@aws-sdk/client-ssm';
import type { HandlerMap } from '../../types.js';
import { SsmErrors } from '../errors.js';
import type { ParameterView } from '../state.js';
import { ownParameters, ssmPage, toMetadata } from '../state.js';

type Test = (p: ParameterView) => boolean;

const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  Name: ['Equals', 'BeginsWith', 'Contains'],
  Type: ['Equals'],
  KeyId: ['Equals'],
  Path: ['Recursive', 'OneLevel'],
  Tier: ['Equals'],
  DataType: ['Equals'],
};
const VALID_KEYS = [...Object.keys(OPTIONS), 'tag:<key>'];

function current(p: ParameterView) {
  return p.versions.at(-1)!;
}

function tagFilter(key: string, option: string, values: readonly string[]): Test {
  if (option !== 'Equals') throw SsmErrors.invalidFilterOption(`tag:${key}`, option, ['Equals']);
  return (p) => {
    const tag = p.record?.tags.find((t) => t.Key === key);
    return tag !== undefined && (values.length === 0 || values.includes(tag.Value ?? ''));
  };
}

function parameterFilter(filter: ParameterStringFilter): Test {
  const key = filter.Key ?? '';
  const values = filter.Values ?? [];
  if (key.startsWith('tag:') && key.length > 4) return tagFilter(key.slice(4), filter.Option ?? 'Equals', values);
  const options = OPTIONS[key];
  if (!options) throw SsmErrors.invalidFilterKey(key, VALID_KEYS);
  const option = filter.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals');
  if (!options.includes(option)) throw SsmErrors.invalidFilterOption(key, option, options);
  if (values.length === 0) throw SsmErrors.invalidFilterValue(`The filter ${key} requires at least one value.`);
  switch (key) {
    case 'Name':
      if (option === 'BeginsWith') return (p) => values.some((v) => p.name.startsWith(v));
      if (option === 'Contains') return (p) => values.some((v) => p.name.includes(v));
      return (p) => values.includes(p.name);
    case 'Path': {
      if (values.some((v) => !v.startsWith('/'))) throw SsmErrors.invalidFilterValue('The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".');
      return (p) =>
        values.some((v) => {
          const prefix = v.endsWith('/') ? v : `${v}/`;
          return p.name.startsWith(prefix) && (option === 'Recursive' || !p.name.slice(prefix.length).includes('/'));
        });
    }
    case 'Type':
      return (p) => values.includes(current(p).type);
    case 'KeyId':
      return (p) => current(p).keyId !== undefined && values.includes(current(p).keyId!);
    case 'Tier':
      return (p) => values.includes(current(p).tier);
    default:
      return (p) => values.includes(current(p).dataType);
  }
}

function legacyFilter(filter: ParametersFilter): Test {
  const key = filter.Key ?? '';
  if (!['Name', 'Type', 'KeyId'].includes(key)) throw SsmErrors.invalidFilterKey(key, ['Name', 'Type', 'KeyId']);
  return parameterFilter({ Key: key, Option: 'Equals', Values: filter.Values });
}

/** DescribeParameters. */
export const describeHandlers: HandlerMap<SSM> = {
  DescribeParameters(input, ctx) {
    if (input.Filters?.length && input.ParameterFilters?.length) {
      throw SsmErrors.validation('You can use either Filters or ParameterFilters in a single request.');
    }
    const tests = [...(input.Filters ?? []).map(legacyFilter), ...(input.ParameterFilters ?? []).map(parameterFilter)];
    const matching = ownParameters(ctx).filter((p) => tests.every((test) => test(p)));
    const page = ssmPage(matching, input.NextToken, input.MaxResults, 50);
    return { Parameters: page.items.map(toMetadata), NextToken: page.NextToken };
  },
};
