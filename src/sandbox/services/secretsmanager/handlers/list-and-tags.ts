/** ListSecrets (filters, sorting, pagination) and TagResource / UntagResource. */
import type { Filter, SecretListEntry, SecretsManager } from '@aws-sdk/client-secrets-manager';
import { paginate } from '../../paging.js';
import type { HandlerMap } from '../../types.js';
import { SecretsErrors } from '../errors.js';
import type { SecretRecord } from '../state.js';
import { checkRange, getSecret, mergeTags, secretsState, versionsToStages } from '../state.js';
import { describe } from './secrets.js';

const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];

/** Attribute values a filter key compares against, and whether the comparison ignores case. */
function attributes(secret: SecretRecord, key: string, region: string): { values: string[]; caseless: boolean } {
  switch (key) {
    case 'name':
      return { values: [secret.name], caseless: false };
    case 'description':
      return { values: secret.description ? [secret.description] : [], caseless: true };
    case 'tag-key':
      return { values: secret.tags.map((t) => t.Key ?? ''), caseless: false };
    case 'tag-value':
      return { values: secret.tags.map((t) => t.Value ?? ''), caseless: false };
    case 'primary-region':
      return { values: [region], caseless: false };
    case 'owning-service':
      return { values: [], caseless: false };
    default: {
      // `all` breaks the attributes into words and matches any of them, ignoring case.
      const text = [secret.name, secret.description ?? '', ...secret.tags.flatMap((t) => [t.Key ?? '', t.Value ?? ''])].join(' ');
      return { values: text.split(/[\s/_+=.@-]+/).filter(Boolean), caseless: true };
    }
  }
}

/**
 * One filter: values are prefix matches; a value starting with `!` excludes; positive values are
 * ORed. Filters are ANDed by the caller.
 */
export function filterTest(filter: Filter, region: string): (secret: SecretRecord) => boolean {
  const key = filter.Key ?? '';
  if (!FILTER_KEYS.includes(key)) {
    throw SecretsErrors.validation(`1 validation error detected: Value '${key}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [${FILTER_KEYS.join(', ')}]`);
  }
  const values = filter.Values ?? [];
  const positive = values.filter((v) => !v.startsWith('!'));
  const negative = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  return (secret) => {
    const { values: actual, caseless } = attributes(secret, key, region);
    const fold = (s: string) => (caseless ? s.toLowerCase() : s);
    const matches = (v: string) => actual.some((a) => fold(a).startsWith(fold(v)));
    return (positive.length === 0 || positive.some(matches)) && !negative.some(matches);
  };
}

function sortKey(secret: SecretRecord, by: string | undefined): string | number {
  switch (by) {
    case 'name':
      return secret.name;
    case 'last-accessed-date':
      return secret.lastAccessedDate?.getTime() ?? 0;
    case 'last-changed-date':
      return secret.lastChangedDate.getTime();
    default:
      return secret.createdDate.getTime();
  }
}

/** Listing and tagging operations. */
export const listAndTagHandlers: HandlerMap<SecretsManager> = {
  ListSecrets(input, ctx) {
    const max = input.MaxResults;
    checkRange('maxResults', max, 1, 100);
    const tests = (input.Filters ?? []).map((f) => filterTest(f, ctx.region));
    const direction = input.SortOrder === 'asc' ? 1 : -1;
    const secrets = Object.values(secretsState(ctx).secrets)
      .filter((s) => input.IncludePlannedDeletion || !s.deletedDate)
      .filter((s) => tests.every((test) => test(s)))
      .sort((a, b) => {
        const ka = sortKey(a, input.SortBy);
        const kb = sortKey(b, input.SortBy);
        const order = ka < kb ? -1 : ka > kb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
        return order * direction;
      });
    const page = paginate(secrets, input.NextToken, max, 100, SecretsErrors.invalidNextToken);
    const entries: SecretListEntry[] = page.items.map((s) => ({ ...describe(s), SecretVersionsToStages: versionsToStages(s) }));
    return { SecretList: entries, NextToken: page.nextToken };
  },

  TagResource(input, ctx) {
    const secret = getSecret(ctx, secretsState(ctx), input.SecretId);
    secret.tags = mergeTags(secret.tags, input.Tags);
    secret.lastChangedDate = ctx.now;
    return {};
  },

  UntagResource(input, ctx) {
    const secret = getSecret(ctx, secretsState(ctx), input.SecretId);
    const remove = new Set(input.TagKeys ?? []);
    secret.tags = secret.tags.filter((t) => !remove.has(t.Key ?? ''));
    secret.lastChangedDate = ctx.now;
    return {};
  },
};
