/**
 * The launch template version an Auto Scaling group launches from (`$Default`, `$Latest` or a
 * number, resolved) has the recommended ECS-optimized AMI: the image id the SSM parameter names
 * now, or `resolve:ssm:` of that parameter, which EC2 resolves at every launch.
 */
import { z } from 'zod';
import { defineCheck, errorOutcome, fail, pass } from '../define-check.js';
import { amiParameterSchema, describeGroup, groupTemplate, templateVerdict } from './groups.js';

export default defineCheck({
  id: 'autoscaling-launch-template-ami',
  title: 'An Auto Scaling group launches the recommended ECS-optimized AMI',
  severity: 'high',
  service: 'autoscaling',
  controls: [],
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html',
    'https://docs.aws.amazon.com/autoscaling/ec2/userguide/using-systems-manager-parameters.html',
  ],
  remediation:
    'aws ec2 create-launch-template-version with ImageId set to the value of /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id (or resolve:ssm:<that parameter>), then make it the version the group uses (aws ec2 modify-launch-template --default-version N).',
  params: z
    .object({
      autoScalingGroup: z.string().min(1).describe('the Auto Scaling group, by name'),
      parameter: amiParameterSchema,
    })
    .strict(),
  async run(ctx, p) {
    const group = await describeGroup(ctx, p.autoScalingGroup);
    if (!group) return fail(`Auto Scaling group ${p.autoScalingGroup} does not exist.`);
    const arn = group.AutoScalingGroupARN ?? p.autoScalingGroup;
    const t = await groupTemplate(ctx, group);
    if (typeof t === 'string') return fail(t, [arn]);
    const verdict = await templateVerdict(ctx, t, p.parameter);
    if (typeof verdict === 'string') return errorOutcome(verdict, [arn]);
    const resources = [arn, t.arn];
    return verdict.ok ? pass(verdict.sentence, resources) : fail(verdict.sentence, resources);
  },
});
