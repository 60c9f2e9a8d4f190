/** ECS.2: a service's tasks get no public IP address. */
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import { describeService } from './task-definitions.js';

export default defineCheck({
  id: 'ecs-service-no-public-ip',
  title: 'Service tasks are not assigned public IP addresses',
  severity: 'high',
  service: 'ecs',
  controls: ['ECS.2', 'ecs_service_no_assign_public_ip', 'CKV_AWS_333'],
  docs: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-2'],
  remediation: 'aws ecs update-service --network-configuration "awsvpcConfiguration={subnets=[...],securityGroups=[...],assignPublicIp=DISABLED}"',
  params: z.object({ cluster: z.string(), service: z.string() }).strict(),
  async run(ctx, p) {
    const svc = await describeService(ctx, p.cluster, p.service);
    const label = `Service ${p.cluster}/${p.service}`;
    if (!svc) return fail(`${label} does not exist.`);
    const cfg = svc.networkConfiguration?.awsvpcConfiguration;
    if (!cfg) return fail(`${label} has no awsvpc network configuration, so assignPublicIp is not set to DISABLED.`, [svc.serviceArn ?? '']);
    if (cfg.assignPublicIp === 'ENABLED') return fail(`${label} sets assignPublicIp to ENABLED.`, [svc.serviceArn ?? '']);
    return pass(`${label} sets assignPublicIp to ${cfg.assignPublicIp ?? 'DISABLED (the default)'}.`, [svc.serviceArn ?? '']);
  },
});
