/**
 * ECS.10: a Fargate service asks for the current platform version (`LATEST`, or the version
 * LATEST stands for: 1.4.0 on Linux, 1.0.0 on Windows) and its PRIMARY deployment runs it, fully
 * rolled out. Tasks keep the platform revision they started on, so changing the setting without
 * a new deployment leaves the old tasks running.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defineCheck, fail, pass } from '../define-check.js';
import { describeService } from './task-definitions.js';

const onFargate = (svc: Service) => svc.launchType === 'FARGATE' || (svc.capacityProviderStrategy ?? []).some((i) => (i.capacityProvider ?? '').startsWith('FARGATE'));

export default defineCheck({
  id: 'ecs-fargate-platform-current',
  title: 'A Fargate service runs the current platform version',
  severity: 'medium',
  service: 'ecs',
  controls: ['ECS.10', 'ecs_service_fargate_latest_platform_version', 'CKV_AWS_332', 'CT.ECS.PR.1'],
  docs: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-fargate.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-10',
  ],
  remediation: 'aws ecs update-service --cluster CLUSTER --service SERVICE --platform-version LATEST --force-new-deployment',
  params: z
    .object({
      cluster: z.string().min(1),
      service: z.string().min(1),
      linux: z.string().default('1.4.0').describe('the platform version LATEST stands for on Linux (it drifts: keep it in configuration)'),
      windows: z.string().default('1.0.0').describe('the platform version LATEST stands for on Windows'),
    })
    .strict(),
  async run(ctx, p) {
    const svc = await describeService(ctx, p.cluster, p.service);
    const label = `Service ${p.cluster}/${p.service}`;
    if (!svc) return fail(`${label} does not exist.`);
    const arn = [svc.serviceArn ?? ''];
    if (!onFargate(svc)) return fail(`${label} does not run on Fargate (launch type ${svc.launchType ?? 'from a capacity provider strategy'}), so it has no Fargate platform version to keep current.`, arn);
    const windows = (svc.platformFamily ?? '').toUpperCase().startsWith('WINDOWS');
    const currentVersion = windows ? p.windows : p.linux;
    const accepted = ['LATEST', currentVersion];
    const os = windows ? 'Windows' : 'Linux';
    const configured = svc.platformVersion ?? 'LATEST';
    if (!accepted.includes(configured)) {
      return fail(`${label} is pinned to platform version ${configured}; the current ${os} version is ${currentVersion} (LATEST).`, arn);
    }
    const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary) return fail(`${label} asks for platform version ${configured} but has no PRIMARY deployment running it.`, arn);
    const running = primary.platformVersion ?? configured;
    if (!accepted.includes(running)) {
      return fail(`${label} asks for platform version ${configured}, but its PRIMARY deployment still runs ${running}: start a new deployment (--force-new-deployment).`, arn);
    }
    const older = (svc.deployments ?? []).filter((d) => d !== primary);
    if (older.length || (primary.runningCount ?? 0) < (primary.desiredCount ?? 0)) {
      return fail(`${label} is still rolling out platform version ${running} (${primary.runningCount ?? 0}/${primary.desiredCount ?? 0} tasks, ${older.length} older deployment(s) still running).`, arn);
    }
    return pass(`${label} asks for platform version ${configured}, and its PRIMARY deployment runs ${running} on all ${primary.runningCount ?? 0} task(s).`, arn);
  },
});
