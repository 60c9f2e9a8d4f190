/** `ssm-parameter`: an SSM Parameter Store parameter, tagged in the PutParameter call. */
import type { SSM } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { allPages, assertLabOwned, ignoreNotFound } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { MANAGED_TAG, defineResourceKind, isLabTagged, tagMap, tagsFor, upperTags } from './types.js';

const schema = z.strictObject({
  type: z.literal('ssm-parameter'),
  name: z.string().regex(/^\/?[\w.\-/]{1,1011}$/, 'a parameter name such as /lab/auth/db-host').describe('Parameter name, e.g. /lab/auth/db-host.'),
  parameterType: z.enum(['String', 'SecureString']).describe('String, or SecureString (encrypted with the aws/ssm key).'),
  value: z.string().min(1).describe('The parameter value; never logged or returned.'),
  description: z.string().max(1024).optional().describe('Parameter description.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

const arnOf = (ctx: ResourceContext, name: string) => `arn:aws:ssm:${ctx.region}:${ctx.account}:parameter/${name.replace(/^\//, '')}`;

/** The tags of a parameter, or null when it does not exist. */
async function parameterTags(ssm: SSM, name: string): Promise<Record<string, string> | null> {
  const out = await ssm.describeParameters({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] });
  if (!out.Parameters?.length) return null;
  const tags = await ignoreNotFound(() => ssm.listTagsForResource({ ResourceType: 'Parameter', ResourceId: name }));
  return tags ? tagMap(tags.TagList) : null;
}

export const ssmParameter = defineResourceKind({
  type: 'ssm-parameter',
  description: 'An SSM Parameter Store parameter (String or SecureString).',
  schema,
  order: 15,
  async ensure(ctx, spec) {
    const ssm = await ctx.aws.ssm();
    const tags = await parameterTags(ssm, spec.name);
    if (tags) {
      assertLabOwned(`SSM parameter ${spec.name}`, tags);
      return { type: spec.type, name: spec.name, id: spec.name, arn: arnOf(ctx, spec.name), status: 'found' };
    }
    await ssm.putParameter({
      Name: spec.name,
      Type: spec.parameterType,
      Value: spec.value,
      Description: spec.description,
      Tags: upperTags(tagsFor(ctx, spec)),
    });
    return { type: spec.type, name: spec.name, id: spec.name, arn: arnOf(ctx, spec.name), status: 'created' };
  },
  async findLabTagged(ctx) {
    const ssm = await ctx.aws.ssm();
    const params = await allPages(
      (NextToken) => ssm.describeParameters({ ParameterFilters: [{ Key: `tag:${MANAGED_TAG}`, Values: ['true'] }], NextToken }),
      (p) => p.Parameters,
      (p) => p.NextToken,
    );
    const found: LabResource[] = [];
    // The filter narrows the list; the scenario tag still has to be read per parameter.
    for (const p of params) {
      const name = p.Name ?? '';
      const tags = await ignoreNotFound(() => ssm.listTagsForResource({ ResourceType: 'Parameter', ResourceId: name }));
      const map = tagMap(tags?.TagList);
      if (isLabTagged(map)) found.push({ type: 'ssm-parameter', name, id: name, arn: arnOf(ctx, name), tags: map });
    }
    return found;
  },
  async remove(ctx, resource) {
    const ssm = await ctx.aws.ssm();
    await ignoreNotFound(() => ssm.deleteParameter({ Name: resource.name }));
    return [`parameter ${resource.name}`];
  },
  async lookup(ctx, name) {
    const ssm = await ctx.aws.ssm();
    const tags = await parameterTags(ssm, name);
    return tags ? { arn: arnOf(ctx, name), id: name, tags } : null;
  },
});
