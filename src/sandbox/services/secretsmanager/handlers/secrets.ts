/** Secret lifecycle and values: Create, Describe, GetSecretValue, PutSecretValue, Update, Delete, Restore. */
import type { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { uuid } from '../../ids.js';
import type { HandlerMap } from '../../types.js';
import { assertCanDecrypt } from '../customer-keys.js';
import { SecretsErrors } from '../errors.js';
import type { SecretRecord } from '../state.js';
import { DAY_MS, addVersion, checkName, findSecret, getSecret, liveSecret, markAccessed, mergeTags, readVersion, secretArn, secretValue, secretsState, versionsToStages } from '../state.js';

function hasValue(input: { SecretString?: string; SecretBinary?: Uint8Array }): boolean {
  return input.SecretString !== undefined || input.SecretBinary !== undefined;
}

/** DescribeSecret's view (also the basis of ListSecrets entries). */
export function describe(secret: SecretRecord) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    RotationEnabled: false,
    LastChangedDate: secret.lastChangedDate,
    LastAccessedDate: secret.lastAccessedDate,
    DeletedDate: secret.deletedDate,
    Tags: secret.tags.length > 0 ? structuredClone(secret.tags) : undefined,
    CreatedDate: secret.createdDate,
  };
}

/** Secret operations. */
export const secretHandlers: HandlerMap<SecretsManager> = {
  CreateSecret(input, ctx) {
    const state = secretsState(ctx);
    const name = checkName(input.Name);
    const existing = state.secrets[name];
    if (existing?.deletedDate) {
      throw SecretsErrors.invalidRequest('You can\'t create this secret because a secret with this name is already scheduled for deletion.');
    }
    if (existing) throw SecretsErrors.exists(name);
    const secret: SecretRecord = {
      name,
      arn: secretArn(ctx, name),
      description: input.Description,
      kmsKeyId: input.KmsKeyId,
      tags: mergeTags([], input.Tags),
      createdDate: ctx.now,
      lastChangedDate: ctx.now,
      lastAccessedDate: undefined,
      deletedDate: undefined,
      deletionDate: undefined,
      versions: [],
    };
    const version = hasValue(input)
      ? addVersion(ctx, secret, { versionId: input.ClientRequestToken ?? uuid(), secretString: input.SecretString, secretBinary: input.SecretBinary }, ['AWSCURRENT'])
      : undefined;
    state.secrets[name] = secret;
    return { ARN: secret.arn, Name: name, VersionId: version?.versionId };
  },

  DescribeSecret(input, ctx) {
    const secret = getSecret(ctx, secretsState(ctx), input.SecretId);
    return { ...describe(secret), VersionIdsToStages: versionsToStages(secret) };
  },

  GetSecretValue(input, ctx) {
    const secret = liveSecret(ctx, secretsState(ctx), input.SecretId);
    const version = readVersion(secret, input.VersionId, input.VersionStage);
    assertCanDecrypt(ctx, secret);
    markAccessed(ctx, secret);
    return secretValue(secret, version);
  },

  PutSecretValue(input, ctx) {
    const secret = liveSecret(ctx, secretsState(ctx), input.SecretId);
    if (!hasValue(input)) throw SecretsErrors.invalidRequest('You must provide either SecretString or SecretBinary.');
    const stages = input.VersionStages?.length ? input.VersionStages : ['AWSCURRENT'];
    const version = addVersion(ctx, secret, { versionId: input.ClientRequestToken ?? uuid(), secretString: input.SecretString, secretBinary: input.SecretBinary }, stages);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: [...version.stages] };
  },

  UpdateSecret(input, ctx) {
    const secret = liveSecret(ctx, secretsState(ctx), input.SecretId);
    if (input.Description !== undefined) secret.description = input.Description;
    if (input.KmsKeyId !== undefined) secret.kmsKeyId = input.KmsKeyId;
    secret.lastChangedDate = ctx.now;
    const version = hasValue(input)
      ? addVersion(ctx, secret, { versionId: input.ClientRequestToken ?? uuid(), secretString: input.SecretString, secretBinary: input.SecretBinary }, ['AWSCURRENT'])
      : undefined;
    return { ARN: secret.arn, Name: secret.name, VersionId: version?.versionId };
  },

  DeleteSecret(input, ctx) {
    const state = secretsState(ctx);
    const secret = getSecret(ctx, state, input.SecretId);
    if (input.ForceDeleteWithoutRecovery && input.RecoveryWindowInDays !== undefined) {
      throw SecretsErrors.invalidParameter('You can\'t use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.');
    }
    if (input.ForceDeleteWithoutRecovery) {
      delete state.secrets[secret.name];
      return { ARN: secret.arn, Name: secret.name, DeletionDate: ctx.now };
    }
    const days = input.RecoveryWindowInDays ?? 30;
    if (!Number.isInteger(days) || days < 7 || days > 30) {
      throw SecretsErrors.invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    }
    if (secret.deletedDate) throw SecretsErrors.invalidRequest('You tried to perform the operation on a secret that\'s currently marked deleted.');
    secret.deletedDate = ctx.now;
    secret.deletionDate = new Date(ctx.now.getTime() + days * DAY_MS);
    secret.lastChangedDate = ctx.now;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletionDate };
  },

  RestoreSecret(input, ctx) {
    const secret = findSecret(ctx, secretsState(ctx), input.SecretId);
    if (!secret) throw SecretsErrors.notFound();
    secret.deletedDate = undefined;
    secret.deletionDate = undefined;
    secret.lastChangedDate = ctx.now;
    return { ARN: secret.arn, Name: secret.name };
  },
};
