/**
 * Least-privilege ingress for a service: exactly the listed rules, each from a security group (a
 * named group or another service's groups), and nothing open to an address range.
 */
import type { IpPermission } from '@aws-sdk/client-ec2';
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import { describeGroups, groupIdByName, serviceWithGroups } from './network.js';

const source = z.union([
  z.object({ group: z.string().describe('a security group name') }).strict(),
  z.object({ service: z.string().describe('another service in the cluster: any of its groups') }).strict(),
]);
const params = z
  .object({
    cluster: z.string(),
    service: z.string(),
    allow: z.array(z.object({ protocol: z.enum(['tcp', 'udp']), port: z.number().int().min(0).max(65535), from: source }).strict()).min(1),
  })
  .strict();

const portText = (p: IpPermission) => (p.IpProtocol === '-1' ? 'all traffic' : `${p.IpProtocol} ${p.FromPort === p.ToPort ? p.FromPort : `${p.FromPort}-${p.ToPort}`}`);

export default defineCheck({
  id: 'ecs-service-ingress',
  title: 'A service accepts only the traffic it needs, from named security groups',
  severity: 'high',
  service: 'ec2',
  controls: ['EC2.19', 'EC2.18'],
  docs: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
  remediation: 'Revoke rules open to 0.0.0.0/0 or ::/0 and allow the service port only from the caller\'s security group (aws ec2 authorize-security-group-ingress --source-group ...).',
  params,
  async run(ctx, p) {
    const r = await serviceWithGroups(ctx, p.cluster, p.service);
    if (typeof r === 'string') return fail(r);
    const label = `Service ${p.cluster}/${p.service}`;
    const wanted: Array<{ protocol: string; port: number; sources: Set<string>; text: string }> = [];
    for (const a of p.allow) {
      let ids: string[] = [];
      if ('group' in a.from) ids = [(await groupIdByName(ctx, a.from.group)) ?? `(missing group ${a.from.group})`];
      else {
        const other = await serviceWithGroups(ctx, p.cluster, a.from.service);
        ids = typeof other === 'string' ? [] : other.groups;
      }
      const from = 'group' in a.from ? a.from.group : `service ${a.from.service}'s group`;
      wanted.push({ protocol: a.protocol, port: a.port, sources: new Set(ids), text: `${a.protocol} ${a.port} from ${from}` });
    }
    const groups = await describeGroups(ctx, r.groups);
    const problems: string[] = [];
    const satisfied = new Set<number>();
    for (const gid of r.groups) {
      const g = groups.get(gid);
      const gname = `${g?.GroupName ?? gid}`;
      for (const perm of g?.IpPermissions ?? []) {
        for (const range of [...(perm.IpRanges ?? []).map((x) => x.CidrIp), ...(perm.Ipv6Ranges ?? []).map((x) => x.CidrIpv6)]) {
          problems.push(`${gname} allows ${portText(perm)} from ${range}${range === '0.0.0.0/0' || range === '::/0' ? ' (anywhere)' : ''}`);
        }
        if (perm.PrefixListIds?.length) problems.push(`${gname} allows ${portText(perm)} from a prefix list`);
        for (const pair of perm.UserIdGroupPairs ?? []) {
          const i = wanted.findIndex((w) => w.protocol === perm.IpProtocol && perm.FromPort === w.port && perm.ToPort === w.port && w.sources.has(pair.GroupId ?? ''));
          if (i < 0) problems.push(`${gname} allows ${portText(perm)} from ${pair.GroupId}, which is not in the allowed list`);
          else satisfied.add(i);
        }
      }
    }
    wanted.forEach((w, i) => {
      if (!satisfied.has(i)) problems.push(`nothing allows ${w.text}`);
    });
    const arns = [r.svc.serviceArn ?? ''];
    if (problems.length) return fail(`${label}: ${problems.join('; ')}.`, arns);
    return pass(`${label} accepts exactly ${wanted.map((w) => w.text).join(' and ')}.`, arns);
  },
});
