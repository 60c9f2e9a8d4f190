/**
 * Checks ECS makes before it launches tasks of a revision (RunTask, StartTask, CreateService,
 * UpdateService), given where they would run: Fargate, or EC2 (an EC2 launch type or an Auto
 * Scaling group capacity provider). The messages are the real service's.
 */
import type { NetworkConfiguration } from '@aws-sdk/client-ecs';
import { EcsErrors } from './errors.js';
import type { TaskDefinitionRecord } from './state.js';

/**
 * Refuses a revision whose `compatibilities` (what registration found it fit for, see
 * task-definitions.ts) lack the launch type. The FARGATE message is the one AWS CLI users quote
 * (sil-org/ecs-deploy#134); the EC2 form is by analogy (not verified).
 */
export function checkCompatible(record: TaskDefinitionRecord, launchType: 'FARGATE' | 'EC2'): void {
  if (!(record.taskDefinition.compatibilities ?? ['EC2']).includes(launchType)) {
    throw EcsErrors.invalidParameter(`Task definition does not support launch_type ${launchType}.`);
  }
}

/**
 * Refuses assignPublicIp ENABLED outside Fargate: on EC2 a task ENI never gets a public IP, so
 * ECS rejects the request rather than ignore the setting (hashicorp/waypoint#643 for the EC2
 * launch type, aws/aws-cdk#13348 for an Auto Scaling group capacity provider).
 */
export function checkPublicIp(fargate: boolean, network: NetworkConfiguration | undefined): void {
  if (!fargate && network?.awsvpcConfiguration?.assignPublicIp === 'ENABLED') {
    throw EcsErrors.invalidParameter('Assign public IP is not supported for this launch type.');
  }
}
