/**
 * `ec2-launch-template`: an EC2 launch template whose version 1 comes from the spec, found by name
 * plus the lab tag. Its image is either an AMI id or read at start from an SSM parameter (a public
 * ECS-optimized AMI parameter, whose JSON value carries `image_id`, or a parameter holding a bare
 * id), so scenarios.yaml names a release instead of hard-coding a per-Region AMI id. Removing it
 * deletes every version, the learner's too: they live in the lab template.
 */
import type { EC2, LaunchTemplate, _InstanceType } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { ResourceError, allPages, assertLabOwned, ignoreNotFound } from './helpers.js';
import type { LabResource, ResourceContext } from './types.js';
import { MANAGED_TAG, defineResourceKind, tagMap, tagsFor, upperTags } from './types.js';

const image = z.union([
  z.strictObject({ id: z.string().regex(/^ami-[0-9a-f]+$/, 'an AMI id such as ami-0123456789abcdef0').describe('A literal AMI id.') }),
  z.strictObject({
    parameter: z
      .string()
      .regex(/^\/[\w.\-/]+$/, 'an SSM parameter name such as /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended')
      .describe('An SSM parameter read at start: a JSON value with image_id (the ECS-optimized AMI parameters) or a bare AMI id.'),
  }),
]);

const schema = z.strictObject({
  type: z.literal('ec2-launch-template'),
  name: z.string().regex(/^[a-zA-Z0-9().\-/_]{3,128}$/, 'a launch template name: 3-128 letters, digits and ().-/_').describe('Launch template name, e.g. lab-ecs-hosts.'),
  image: image.describe('The image of version 1: {id: ami-...} or {parameter: /aws/service/...}.'),
  instanceType: z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'an instance type such as t3.medium').describe('EC2 instance type, e.g. t3.medium.'),
  userData: z.string().optional().describe('User data as plain text (base64-encoded by the lab), e.g. a script writing ECS_CLUSTER=lab-prod to /etc/ecs/ecs.config.'),
  tags: z.record(z.string(), z.string()).optional().describe('Extra tags beyond the lab tags.'),
});

type Spec = z.infer<typeof schema>;

const arnOf = (ctx: ResourceContext, id: string) => `arn:aws:ec2:${ctx.region}:${ctx.account}:launch-template/${id}`;

/** A launch template by name (whoever made it), or null. */
async function templateByName(ec2: EC2, name: string): Promise<LaunchTemplate | null> {
  const out = await ec2.describeLaunchTemplates({ Filters: [{ Name: 'launch-template-name', Values: [name] }] });
  return out.LaunchTemplates?.find((t) => t.LaunchTemplateName === name) ?? null;
}

/** The AMI id a spec names: literal, or read from its SSM parameter now. */
async function imageIdFor(ctx: ResourceContext, spec: Spec): Promise<string> {
  if ('id' in spec.image) return spec.image.id;
  const name = spec.image.parameter;
  const ssm = await ctx.aws.ssm();
  let value: string | undefined;
  try {
    value = (await ssm.getParameter({ Name: name })).Parameter?.Value;
  } catch (err) {
    if ((err as { code?: string }).code === 'ParameterNotFound') {
      throw new ResourceError('MISSING_DEPENDENCY', `SSM parameter ${name} does not exist in ${ctx.region}, so the launch template has no image.`);
    }
    throw err;
  }
  let id = value;
  if (value?.trim().startsWith('{')) {
    try {
      id = (JSON.parse(value) as { image_id?: string }).image_id;
    } catch {
      id = undefined;
    }
  }
  if (!id || !/^ami-[0-9a-f]+$/.test(id)) throw new ResourceError('MISSING_DEPENDENCY', `SSM parameter ${name} holds no AMI id (neither a bare ami-... value nor JSON with image_id).`);
  return id;
}

export const ec2LaunchTemplate = defineResourceKind({
  type: 'ec2-launch-template',
  description: 'An EC2 launch template (version 1 from the spec; the image may be read from an SSM parameter at start).',
  schema,
  order: 51,
  async ensure(ctx, spec) {
    const ec2 = await ctx.aws.ec2();
    const existing = await templateByName(ec2, spec.name);
    if (existing?.LaunchTemplateId) {
      assertLabOwned(`Launch template ${spec.name}`, tagMap(existing.Tags));
      return { type: spec.type, name: spec.name, id: existing.LaunchTemplateId, arn: arnOf(ctx, existing.LaunchTemplateId), status: 'found' };
    }
    const out = await ec2.createLaunchTemplate({
      LaunchTemplateName: spec.name,
      VersionDescription: 'ecs-lab starting state',
      LaunchTemplateData: {
        ImageId: await imageIdFor(ctx, spec),
        InstanceType: spec.instanceType as _InstanceType,
        UserData: spec.userData === undefined ? undefined : Buffer.from(spec.userData, 'utf8').toString('base64'),
      },
      TagSpecifications: [{ ResourceType: 'launch-template', Tags: upperTags(tagsFor(ctx, spec)) }],
    });
    const id = out.LaunchTemplate?.LaunchTemplateId ?? '';
    return { type: spec.type, name: spec.name, id, arn: arnOf(ctx, id), status: 'created' };
  },
  async findLabTagged(ctx) {
    const ec2 = await ctx.aws.ec2();
    const templates = await allPages(
      (NextToken) => ec2.describeLaunchTemplates({ Filters: [{ Name: `tag:${MANAGED_TAG}`, Values: ['true'] }], NextToken }),
      (p) => p.LaunchTemplates,
      (p) => p.NextToken,
    );
    return templates.map((t): LabResource => {
      const id = t.LaunchTemplateId ?? '';
      return { type: 'ec2-launch-template', name: t.LaunchTemplateName ?? id, id, arn: arnOf(ctx, id), tags: tagMap(t.Tags) };
    });
  },
  async remove(ctx, resource) {
    const ec2 = await ctx.aws.ec2();
    const out = await ignoreNotFound(() => ec2.deleteLaunchTemplate({ LaunchTemplateId: resource.id }));
    return out ? [`launch template ${resource.name} (${resource.id}) with all its versions`] : [];
  },
  async lookup(ctx, name) {
    const ec2 = await ctx.aws.ec2();
    const t = await templateByName(ec2, name);
    return t?.LaunchTemplateId ? { id: t.LaunchTemplateId, arn: arnOf(ctx, t.LaunchTemplateId), tags: tagMap(t.Tags) } : null;
  },
});
