/**
 * Shared reads for EC2 capacity checks: an Auto Scaling group, the launch template version it
 * launches from, the ECS-optimized AMI an SSM parameter recommends, and whether that version
 * launches it. Every read goes through the run's memo, so the checks of one run share them.
 */
import type { AutoScalingGroup, InstanceRefresh, LaunchTemplateSpecification } from '@aws-sdk/client-auto-scaling';
import type { LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import type { CheckContext } from '../types.js';

/** The default parameter: the recommended ECS-optimized Amazon Linux 2023 AMI (x86_64). */
export const RECOMMENDED_AL2023 = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended';

export const amiParameterSchema = z
  .string()
  .regex(/^\/[\w.\-/]+$/, 'an SSM parameter name such as /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended')
  .default(RECOMMENDED_AL2023)
  .describe('SSM parameter naming the recommended AMI (a JSON value with image_id, or a bare AMI id)');

const codeOf = (err: unknown) => String((err as { code?: unknown; name?: unknown })?.code ?? (err as { name?: unknown })?.name ?? '');

/** A group by name, or undefined when there is none. */
export async function describeGroup(ctx: CheckContext, name: string): Promise<AutoScalingGroup | undefined> {
  const out = await ctx.memo(`autoscaling:DescribeAutoScalingGroups:${name}`, async () => {
    const asg = await ctx.aws.autoScaling();
    return asg.describeAutoScalingGroups({ AutoScalingGroupNames: [name] });
  });
  return out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
}

/** The launch template version a group launches from, with how the group names it. */
export interface GroupTemplate {
  group: AutoScalingGroup;
  /** `$Default`, `$Latest` or a number, as the group names it. */
  versionRef: string;
  version: LaunchTemplateVersion;
  /** e.g. "launch template lab-ecs-hosts version 2 ($Default)" */
  label: string;
  arn: string;
}

/** The launch template a group uses (directly or in a mixed instances policy), or why there is none. */
function templateSpecOf(group: AutoScalingGroup): LaunchTemplateSpecification | string {
  const name = group.AutoScalingGroupName;
  if (group.LaunchTemplate) return group.LaunchTemplate;
  const mixed = group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  if (mixed) return mixed;
  if (group.LaunchConfigurationName) {
    return `Auto Scaling group ${name} launches from launch configuration ${group.LaunchConfigurationName}; launch configurations are deprecated: move it to a launch template.`;
  }
  return `Auto Scaling group ${name} names no launch template.`;
}

/** Resolves the version a group launches from (`$Default`, `$Latest` or a number), or says why it cannot. */
export async function groupTemplate(ctx: CheckContext, group: AutoScalingGroup): Promise<GroupTemplate | string> {
  const spec = templateSpecOf(group);
  if (typeof spec === 'string') return spec;
  const versionRef = spec.Version ?? '$Default';
  const key = spec.LaunchTemplateId ?? `name:${spec.LaunchTemplateName}`;
  const out = await ctx.memo(`ec2:DescribeLaunchTemplateVersions:${key}:${versionRef}`, async () => {
    const ec2 = await ctx.aws.ec2();
    try {
      return await ec2.describeLaunchTemplateVersions({
        ...(spec.LaunchTemplateId ? { LaunchTemplateId: spec.LaunchTemplateId } : { LaunchTemplateName: spec.LaunchTemplateName }),
        Versions: [versionRef],
      });
    } catch (err) {
      // A deleted template or version is a state the learner can fix, not a failed read.
      if (/NotFound/.test(codeOf(err))) return undefined;
      throw err;
    }
  });
  const templateName = spec.LaunchTemplateName ?? spec.LaunchTemplateId;
  const version = out?.LaunchTemplateVersions?.[0];
  if (!version) return `Auto Scaling group ${group.AutoScalingGroupName} uses launch template ${templateName} version ${versionRef}, which does not exist.`;
  const n = version.VersionNumber;
  const label = `launch template ${version.LaunchTemplateName ?? templateName} version ${n}${versionRef.startsWith('$') ? ` (${versionRef})` : ''}`;
  const arn = `arn:aws:ec2:${ctx.region}:${ctx.account}:launch-template/${version.LaunchTemplateId ?? ''}`;
  return { group, versionRef, version, label, arn };
}

/** The recommended image of a parameter: its id (and name, when the value is the JSON document). */
export interface RecommendedImage {
  parameter: string;
  imageId: string;
  imageName?: string;
}

/**
 * Reads the image id an SSM parameter recommends: the JSON value's `image_id` (the ECS-optimized
 * AMI parameters), or a bare AMI id (their `/image_id` sub-parameters). A parameter that does not
 * exist or holds neither is a sentence: the target lacks the public parameter, which the learner
 * cannot fix, so callers report it as `error`.
 */
export async function recommendedImage(ctx: CheckContext, parameter: string): Promise<RecommendedImage | string> {
  const out = await ctx.memo(`ssm:GetParameter:${parameter}`, async () => {
    const ssm = await ctx.aws.ssm();
    try {
      return await ssm.getParameter({ Name: parameter });
    } catch (err) {
      if (codeOf(err) === 'ParameterNotFound') return undefined;
      throw err;
    }
  });
  const value = out?.Parameter?.Value?.trim();
  if (!value) return `SSM parameter ${parameter} does not exist on this target, so the recommended AMI is unknown.`;
  if (/^ami-[0-9a-f]+$/.test(value)) return { parameter, imageId: value };
  try {
    const doc = JSON.parse(value) as { image_id?: unknown; image_name?: unknown };
    if (typeof doc.image_id === 'string') return { parameter, imageId: doc.image_id, imageName: typeof doc.image_name === 'string' ? doc.image_name : undefined };
  } catch {
    // fall through
  }
  return `SSM parameter ${parameter} holds neither an AMI id nor a JSON document with image_id.`;
}

/** How an image is named: "ami-1 (al2023-ami-ecs-hvm-...)". */
export function imageLabel(image: RecommendedImage): string {
  return image.imageName ? `${image.imageId} (${image.imageName})` : image.imageId;
}

/**
 * The parameter an instance of `arch` should follow: the arm64 variant of a `.../recommended`
 * parameter for arm64 hosts (`.../amazon-linux-2023/arm64/recommended`), else the parameter itself.
 */
export function parameterForArchitecture(parameter: string, arch: string | undefined): string {
  if (arch !== 'arm64' || parameter.includes('/arm64/') || !parameter.endsWith('/recommended')) return parameter;
  return parameter.replace(/\/recommended$/, '/arm64/recommended');
}

/** Whether a template version's image is the recommended one, and a sentence saying what it launches. */
export interface TemplateVerdict {
  ok: boolean;
  sentence: string;
}

/**
 * Compares a launch template version's image with the recommended one. `resolve:ssm:<parameter>`
 * (with or without `/image_id`, and optionally `:version` or `:label`) passes when it names the
 * recommended parameter itself, unpinned, since EC2 resolves it at every launch; a pinned
 * selector passes only when that version still holds the recommended id.
 */
export async function templateVerdict(ctx: CheckContext, t: GroupTemplate, parameter: string): Promise<TemplateVerdict | string> {
  const recommended = await recommendedImage(ctx, parameter);
  if (typeof recommended === 'string') return recommended;
  const imageId = t.version.LaunchTemplateData?.ImageId;
  const who = `Auto Scaling group ${t.group.AutoScalingGroupName} launches from ${t.label}`;
  if (!imageId) return { ok: false, sentence: `${who}, which names no image.` };
  if (imageId.startsWith('resolve:ssm:')) {
    const reference = imageId.slice('resolve:ssm:'.length);
    const [name = '', selector] = reference.split(':');
    const base = name.replace(/\/image_id$/, '');
    if (base !== parameter) return { ok: false, sentence: `${who}, whose image resolves SSM parameter ${name}, not ${parameter}/image_id.` };
    if (!selector) return { ok: true, sentence: `${who}, whose image resolves ${name} at every launch.` };
    const pinned = await recommendedImage(ctx, `${name}:${selector}`);
    if (typeof pinned === 'string') return { ok: false, sentence: `${who}, whose image is pinned to ${name}:${selector}, which does not resolve.` };
    if (pinned.imageId === recommended.imageId) return { ok: true, sentence: `${who}, whose image is pinned to ${name}:${selector} = ${recommended.imageId}, today's recommended AMI.` };
    return { ok: false, sentence: `${who}, whose image is pinned to ${name}:${selector} = ${pinned.imageId}, but ${parameter} now recommends ${imageLabel(recommended)}.` };
  }
  if (imageId === recommended.imageId) return { ok: true, sentence: `${who}, which launches ${imageLabel(recommended)}, the AMI ${parameter} recommends.` };
  return { ok: false, sentence: `${who}, which launches ${imageId}, but ${parameter} recommends ${imageLabel(recommended)}.` };
}

/** A group's instance refreshes, newest first. */
export async function instanceRefreshes(ctx: CheckContext, group: string): Promise<InstanceRefresh[]> {
  const out = await ctx.memo(`autoscaling:DescribeInstanceRefreshes:${group}`, async () => {
    const asg = await ctx.aws.autoScaling();
    return asg.describeInstanceRefreshes({ AutoScalingGroupName: group });
  });
  return [...(out.InstanceRefreshes ?? [])].sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
}
