/** `resource-tags`: a lab resource carries the tags a policy or a control depends on. */
import { z } from 'zod';
import { RESOURCE_KINDS_BY_TYPE } from '../../resources/index.js';
import { defineCheck, fail, pass } from '../define-check.js';

const taggable = [...RESOURCE_KINDS_BY_TYPE.values()].filter((k) => k.lookup).map((k) => k.type);

const params = z
  .object({
    resource: z
      .object({
        type: z.string().refine((t) => taggable.includes(t), { message: `must be one of: ${taggable.join(', ')}` }),
        name: z.string(),
      })
      .strict(),
    tags: z.record(z.string(), z.string().nullable()).describe('tag key -> required value, or null for "any value"'),
  })
  .strict();

export default defineCheck({
  id: 'resource-tags',
  title: 'A resource carries the required tags',
  severity: 'low',
  service: 'any',
  controls: ['ECS.13', 'ECS.14', 'ECS.15'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-using-tags.html'],
  remediation: 'Add the missing tags with the service\'s tag-resource call (for ECS: aws ecs tag-resource --resource-arn ARN --tags key=K,value=V).',
  params,
  async run(ctx, p) {
    const kind = RESOURCE_KINDS_BY_TYPE.get(p.resource.type);
    const label = `${p.resource.type} ${p.resource.name}`;
    const found = await kind!.lookup!(ctx.resources, p.resource.name);
    if (!found) return fail(`${label} does not exist, so it carries no tags.`, [p.resource.name]);
    const problems: string[] = [];
    for (const [key, want] of Object.entries(p.tags)) {
      const have = found.tags[key];
      if (have === undefined) problems.push(`tag ${key} is missing`);
      else if (want !== null && have !== want) problems.push(`tag ${key} is "${have}", expected "${want}"`);
    }
    const wanted = Object.entries(p.tags).map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(', ');
    return problems.length
      ? fail(`${label}: ${problems.join('; ')}.`, [found.arn])
      : pass(`${label} carries ${wanted}.`, [found.arn]);
  },
});
