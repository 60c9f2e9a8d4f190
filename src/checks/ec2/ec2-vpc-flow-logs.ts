/** EC2.6: a VPC has an active flow log capturing the required traffic. */
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';

export default defineCheck({
  id: 'ec2-vpc-flow-logs',
  title: 'The VPC has an active flow log',
  severity: 'medium',
  service: 'ec2',
  controls: ['EC2.6', 'vpc_flow_logs_enabled'],
  docs: ['https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html'],
  remediation: 'aws ec2 create-flow-logs --resource-type VPC --resource-ids VPC_ID --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::BUCKET/',
  params: z.object({ vpc: z.string().describe('the VPC name (Name tag)'), trafficType: z.enum(['ALL', 'ACCEPT', 'REJECT']).default('ALL') }).strict(),
  async run(ctx, p) {
    const ec2 = await ctx.aws.ec2();
    const vpcs = await ctx.memo(`ec2:vpc-by-name:${p.vpc}`, () =>
      ec2.describeVpcs({ Filters: [{ Name: 'tag:Name', Values: [p.vpc] }, { Name: 'tag:ecs-lab:managed', Values: ['true'] }] }),
    );
    const vpc = vpcs.Vpcs?.[0];
    if (!vpc?.VpcId) return fail(`VPC ${p.vpc} does not exist.`);
    const arn = `arn:aws:ec2:${ctx.region}:${ctx.account}:vpc/${vpc.VpcId}`;
    const logs = (await ec2.describeFlowLogs({ Filter: [{ Name: 'resource-id', Values: [vpc.VpcId] }] })).FlowLogs ?? [];
    const good = logs.find((f) => f.FlowLogStatus === 'ACTIVE' && f.TrafficType === p.trafficType && f.DeliverLogsStatus !== 'FAILED');
    if (good) return pass(`VPC ${p.vpc} (${vpc.VpcId}) has flow log ${good.FlowLogId} capturing ${good.TrafficType} traffic to ${good.LogDestination ?? good.LogGroupName}.`, [arn]);
    const seen = logs.map((f) => `${f.FlowLogId} (${f.TrafficType}, ${f.FlowLogStatus}${f.DeliverLogsStatus === 'FAILED' ? ', delivery failing' : ''})`).join(', ');
    return fail(`VPC ${p.vpc} (${vpc.VpcId}) has no active flow log capturing ${p.trafficType} traffic${seen ? `; it has ${seen}` : ''}.`, [arn]);
  },
});
