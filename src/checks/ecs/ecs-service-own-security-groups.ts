/** One security group per service: not shared between the services, not the VPC default group. */
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import { describeGroups, serviceWithGroups } from './network.js';

export default defineCheck({
  id: 'ecs-service-own-security-groups',
  title: 'Each service has its own security group, neither shared nor the VPC default',
  severity: 'high',
  service: 'ecs',
  controls: ['EC2.2'],
  docs: ['https://docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/security-network.html'],
  remediation: 'Create a security group per service and set it in each service\'s awsvpcConfiguration (aws ecs update-service --network-configuration ...).',
  params: z.object({ cluster: z.string(), services: z.array(z.string()).min(2) }).strict(),
  async run(ctx, p) {
    const problems: string[] = [];
    const owners = new Map<string, string[]>();
    const arns: string[] = [];
    for (const name of p.services) {
      const r = await serviceWithGroups(ctx, p.cluster, name);
      if (typeof r === 'string') {
        problems.push(r.replace(/\.$/, ''));
        continue;
      }
      arns.push(r.svc.serviceArn ?? '');
      if (r.groups.length === 0) problems.push(`service ${name} lists no security group (so it gets the VPC default group)`);
      for (const g of r.groups) owners.set(g, [...(owners.get(g) ?? []), name]);
    }
    const groups = await describeGroups(ctx, [...owners.keys()]);
    for (const [id, users] of owners) {
      const label = `${groups.get(id)?.GroupName ?? id} (${id})`;
      if (users.length > 1) problems.push(`security group ${label} is shared by ${users.join(' and ')}`);
      if (groups.get(id)?.GroupName === 'default') problems.push(`service ${users.join(', ')} uses the VPC default group ${id}`);
    }
    if (problems.length) return fail(`${problems.join('; ')}.`, arns);
    const summary = [...owners].map(([id, users]) => `${users[0]}: ${groups.get(id)?.GroupName ?? id}`).join(', ');
    return pass(`Each service has its own security group (${summary}).`, arns);
  },
});
