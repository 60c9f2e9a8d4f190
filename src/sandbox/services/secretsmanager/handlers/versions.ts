/**
 * Versions and batches: ListSecretVersionIds, UpdateSecretVersionStage and BatchGetSecretValue.
 *
 * UpdateSecretVersionStage follows the API reference: a label already on another version moves only
 * when RemoveFromVersionId names that version; moving AWSCURRENT leaves AWSPREVIOUS on the version it
 * left; a version left without labels is deprecated (ListSecretVersionIds shows it only with
 * IncludeDeprecated). The error wordings come from moto and floci (cross-checked there against the
 * API reference), not from AWS itself.
 *
 * BatchGetSecretValue authorises secretsmanager:GetSecretValue per secret (ctx.authorize); a secret
 * the caller may not read, cannot find or that is scheduled for deletion becomes an entry of
 * `Errors`, not a failure of the call.
 */
import type { APIErrorType, SecretsManager, SecretValueEntry } from '@aws-sdk/client-secrets-manager';
import { isAwsError } from '../../../errors.js';
import { paginate } from '../../paging.js';
import type { HandlerMap } from '../../types.js';
import { assertCanDecrypt } from '../customer-keys.js';
import { SecretsErrors } from '../errors.js';
import type { SecretRecord, SecretVersionRecord } from '../state.js';
import { checkRange, getSecret, liveSecret, markAccessed, moveStages, readVersion, secretResource, secretValue, secretsState } from '../state.js';
import { filterTest } from './list-and-tags.js';

function version(secret: SecretRecord, versionId: string | undefined): SecretVersionRecord | undefined {
  if (versionId === undefined) return undefined;
  const found = secret.versions.find((v) => v.versionId === versionId);
  if (!found) throw SecretsErrors.invalidParameter(`Not a valid version: ${versionId}`);
  return found;
}

/** Version and batch operations. */
export const versionHandlers: HandlerMap<SecretsManager> = {
  ListSecretVersionIds(input, ctx) {
    checkRange('maxResults', input.MaxResults, 1, 100);
    const secret = getSecret(ctx, secretsState(ctx), input.SecretId);
    const versions = secret.versions.filter((v) => input.IncludeDeprecated || v.stages.length > 0);
    const page = paginate(versions, input.NextToken, input.MaxResults, 100, SecretsErrors.invalidNextToken);
    return {
      ARN: secret.arn,
      Name: secret.name,
      Versions: page.items.map((v) => ({
        VersionId: v.versionId,
        VersionStages: [...v.stages],
        CreatedDate: v.createdDate,
        LastAccessedDate: secret.lastAccessedDate,
        KmsKeyIds: [secret.kmsKeyId ?? 'DefaultEncryptionKey'],
      })),
      NextToken: page.nextToken,
    };
  },

  UpdateSecretVersionStage(input, ctx) {
    const secret = liveSecret(ctx, secretsState(ctx), input.SecretId);
    const stage = input.VersionStage ?? '';
    if (stage.length < 1 || stage.length > 256) throw SecretsErrors.invalidParameter('The VersionStage parameter must be between 1 and 256 characters long.');
    const from = version(secret, input.RemoveFromVersionId);
    const to = version(secret, input.MoveToVersionId);
    if (!from && !to) throw SecretsErrors.invalidParameter('You must specify either RemoveFromVersionId or MoveToVersionId.');
    const holder = secret.versions.find((v) => v.stages.includes(stage));
    if (from && !from.stages.includes(stage)) throw SecretsErrors.invalidParameter(`Version stage ${stage} not found in version ${from.versionId}`);
    if (to && holder && holder !== to && from !== holder) {
      throw SecretsErrors.invalidParameter(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
    if (!to && stage === 'AWSCURRENT') {
      // Every secret with a value keeps a current version (not verified wording).
      throw SecretsErrors.invalidParameter('You can only move staging label AWSCURRENT to a different secret version. It can\'t be completely removed.');
    }
    if (to) moveStages(secret, to, [stage]);
    else if (from) from.stages = from.stages.filter((s) => s !== stage);
    secret.lastChangedDate = ctx.now;
    return { ARN: secret.arn, Name: secret.name };
  },

  BatchGetSecretValue(input, ctx) {
    const ids = input.SecretIdList;
    const filters = input.Filters;
    if (ids !== undefined && filters !== undefined) throw SecretsErrors.invalidParameter('Either \'SecretIdList\' or \'Filters\' must be provided, but not both.');
    if (ids === undefined && filters === undefined) throw SecretsErrors.invalidParameter('Either \'SecretIdList\' or \'Filters\' must be provided.');
    if (input.MaxResults !== undefined && filters === undefined) {
      throw SecretsErrors.invalidParameter('\'Filters\' not specified. \'Filters\' must also be specified when \'MaxResults\' is provided.');
    }
    checkRange('maxResults', input.MaxResults, 1, 20);
    if (ids !== undefined && (ids.length < 1 || ids.length > 20)) {
      throw SecretsErrors.validation('1 validation error detected: Value at \'secretIdList\' failed to satisfy constraint: Member must have length between 1 and 20');
    }
    const state = secretsState(ctx);
    let targets: string[];
    let nextToken: string | undefined;
    if (filters !== undefined) {
      const tests = filters.map((f) => filterTest(f, ctx.region));
      const matching = Object.values(state.secrets)
        .filter((s) => !s.deletedDate && tests.every((test) => test(s)))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const page = paginate(matching, input.NextToken, input.MaxResults, 20, SecretsErrors.invalidNextToken);
      targets = page.items.map((s) => s.arn);
      nextToken = page.nextToken;
    } else {
      targets = [...new Set(ids)];
    }
    const values: SecretValueEntry[] = [];
    const errors: APIErrorType[] = [];
    for (const id of targets) {
      try {
        // Authorised first, as AWS does: a denied caller does not learn whether the secret exists.
        const denied = ctx.authorize?.('secretsmanager:GetSecretValue', secretResource(ctx, state, id));
        if (denied) throw denied;
        const secret = liveSecret(ctx, state, id);
        assertCanDecrypt(ctx, secret);
        values.push(secretValue(secret, readVersion(secret, undefined, undefined)));
        markAccessed(ctx, secret);
      } catch (err) {
        if (!isAwsError(err)) throw err;
        errors.push({ SecretId: id, ErrorCode: err.code, Message: err.message });
      }
    }
    return { SecretValues: values, Errors: errors, NextToken: nextToken };
  },
};
