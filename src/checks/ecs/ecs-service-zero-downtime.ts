/**
 * A replica service survives a task retirement or a deployment without downtime: at least two
 * tasks, a floor that keeps all of them running (ceil(desired x minimumHealthyPercent / 100) =
 * desired), a ceiling with room for one more (floor(desired x maximumPercent / 100) >= desired +
 * 1, so the replacement starts before the old task stops), and subnets in at least two
 * Availability Zones.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import type { CheckContext } from '../types.js';
import { describeService } from './task-definitions.js';

/** Availability Zones by subnet id (one DescribeSubnets per distinct set in a run). */
async function subnetZones(ctx: CheckContext, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].sort();
  const out = await ctx.memo(`ec2:DescribeSubnets:${wanted.join(',')}`, async () => {
    const ec2 = await ctx.aws.ec2();
    return ec2.describeSubnets({ SubnetIds: wanted });
  });
  return new Map((out.Subnets ?? []).map((s) => [s.SubnetId ?? '', s.AvailabilityZone ?? '']));
}

/** ceil(a * b / 100) and floor(a * b / 100) in integers, so 3 x 100 / 100 is exactly 3. */
const ceilPct = (n: number, pct: number) => Math.floor((n * pct + 99) / 100);
const floorPct = (n: number, pct: number) => Math.floor((n * pct) / 100);

/** What keeps the service from replacing a task without downtime, one clause each. */
function deploymentProblems(svc: Service, minTasks: number): string[] {
  const desired = svc.desiredCount ?? 0;
  const min = svc.deploymentConfiguration?.minimumHealthyPercent ?? 100;
  const max = svc.deploymentConfiguration?.maximumPercent ?? 200;
  const problems: string[] = [];
  if (desired < minTasks) problems.push(`desiredCount is ${desired}; with fewer than ${minTasks} tasks one retired task or failed host leaves no spare serving`);
  const floor = ceilPct(desired, min);
  if (floor !== desired) {
    problems.push(`minimumHealthyPercent ${min} lets ECS go down to ${floor} of ${desired} running task(s) while it replaces them (ceil(${desired} x ${min} / 100) = ${floor}; 100 keeps all of them)`);
  }
  const ceiling = floorPct(desired, max);
  if (ceiling < desired + 1) {
    problems.push(`maximumPercent ${max} allows at most ${ceiling} task(s) at once, so ECS must stop a task before its replacement starts (floor(${desired} x ${max} / 100) = ${ceiling}, needs at least ${desired + 1})`);
  }
  return problems;
}

export default defineCheck({
  id: 'ecs-service-zero-downtime',
  title: 'A service can replace its tasks without downtime',
  severity: 'medium',
  service: 'ecs',
  controls: [],
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/prepare-task-retirement.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html',
  ],
  remediation:
    'aws ecs update-service --desired-count 2 --deployment-configuration minimumHealthyPercent=100,maximumPercent=200 --network-configuration "awsvpcConfiguration={subnets=[two subnets in different AZs],...}"',
  params: z
    .object({
      cluster: z.string().min(1),
      service: z.string().min(1),
      minTasks: z.number().int().min(2).default(2).describe('the fewest tasks that count as redundant'),
      minZones: z.number().int().min(1).default(2).describe('the fewest Availability Zones its subnets must span'),
    })
    .strict(),
  async run(ctx, p) {
    const svc = await describeService(ctx, p.cluster, p.service);
    const label = `Service ${p.cluster}/${p.service}`;
    if (!svc) return fail(`${label} does not exist.`);
    const arn = [svc.serviceArn ?? ''];
    const problems = deploymentProblems(svc, p.minTasks);
    const subnets = svc.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    let zones: string[] = [];
    if (subnets.length === 0) {
      problems.push('it has no awsvpc subnets, so the Availability Zones its tasks use cannot be told');
    } else {
      const byId = await subnetZones(ctx, subnets);
      zones = [...new Set(subnets.map((s) => byId.get(s)).filter((z): z is string => Boolean(z)))].sort();
      if (zones.length < p.minZones) {
        problems.push(`its subnets (${subnets.join(', ')}) span ${zones.length} Availability Zone(s) (${zones.join(', ') || 'none found'}), fewer than ${p.minZones}`);
      }
    }
    if (problems.length) return fail(`${label}: ${problems.join('; ')}.`, arn);
    const c = svc.deploymentConfiguration ?? {};
    return pass(
      `${label} runs ${svc.desiredCount} tasks with minimumHealthyPercent ${c.minimumHealthyPercent ?? 100} and maximumPercent ${c.maximumPercent ?? 200} across ${zones.join(', ')}, so a replacement starts before a task stops.`,
      arn,
    );
  },
});
