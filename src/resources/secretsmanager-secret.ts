/**
 * `secretsmanager-secret`: a Secrets Manager secret, tagged at creation. Its value goes to AWS and
 * nowhere else: it is never read back, logged, or put in a ref.
 */
import type { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { allPages, assertLabOwned, ignoreNotFound } from './helpers.js';
import type { LabResource } from './types.js';
import { MANAGED_TAG, defineResourceKind, errorCode, isLabTagged, tagMap, tagsFor, upperTags } from './types.js';

const schema = z.strictObject({
  type: z.literal('secretsmanager-secret'),
  name: z.string().regex(/^[\w/+=.@-]{1,512}$/, 'a secret name such as lab/db-password').describe('Secret name, e.g. lab/other-team/api-key.'),
  secretString: z.string().min(1).describe('The secret value (a string, often JSON); never logged or returned.'),
  description: z.string().max(2048).optional().describe('Secret description.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

interface SecretInfo {
  arn: string;
  tags: Record<string, string>;
  pendingDeletion: boolean;
}

async function describeSecret(sm: SecretsManager, name: string): Promise<SecretInfo | null> {
  try {
    const out = await sm.describeSecret({ SecretId: name });
    return { arn: out.ARN ?? '', tags: tagMap(out.Tags), pendingDeletion: Boolean(out.DeletedDate) };
  } catch (err) {
    if (errorCode(err) === 'ResourceNotFoundException') return null;
    throw err;
  }
}

export const secretsmanagerSecret = defineResourceKind({
  type: 'secretsmanager-secret',
  description: 'A Secrets Manager secret.',
  schema,
  order: 15,
  async ensure(ctx, spec) {
    const sm = await ctx.aws.secretsManager();
    const existing = await describeSecret(sm, spec.name);
    if (existing) {
      assertLabOwned(`Secret ${spec.name}`, existing.tags);
      if (!existing.pendingDeletion) return { type: spec.type, name: spec.name, id: spec.name, arn: existing.arn, status: 'found' };
      // Its name stays taken until the deletion completes; bringing the lab's own secret back is the only way to start.
      await sm.restoreSecret({ SecretId: existing.arn });
      return { type: spec.type, name: spec.name, id: spec.name, arn: existing.arn, status: 'created' };
    }
    const out = await sm.createSecret({
      Name: spec.name,
      SecretString: spec.secretString,
      Description: spec.description,
      Tags: upperTags(tagsFor(ctx, spec)),
    });
    return { type: spec.type, name: spec.name, id: spec.name, arn: out.ARN ?? '', status: 'created' };
  },
  async findLabTagged(ctx) {
    const sm = await ctx.aws.secretsManager();
    const secrets = await allPages(
      (NextToken) => sm.listSecrets({ Filters: [{ Key: 'tag-key', Values: [MANAGED_TAG] }], NextToken }),
      (p) => p.SecretList,
      (p) => p.NextToken,
    );
    return secrets
      .map((s): LabResource => ({ type: 'secretsmanager-secret', name: s.Name ?? '', id: s.Name ?? '', arn: s.ARN ?? '', tags: tagMap(s.Tags) }))
      .filter((s) => isLabTagged(s.tags));
  },
  async remove(ctx, resource) {
    const sm = await ctx.aws.secretsManager();
    // Without recovery: a 7-30 day recovery window would keep the name taken for the next start.
    await ignoreNotFound(() => sm.deleteSecret({ SecretId: resource.arn || resource.name, ForceDeleteWithoutRecovery: true }));
    return [`secret ${resource.name}`];
  },
  async lookup(ctx, name) {
    const sm = await ctx.aws.secretsManager();
    const found = await describeSecret(sm, name);
    return found ? { arn: found.arn, id: name, tags: found.tags } : null;
  },
});
