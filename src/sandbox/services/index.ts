/**
 * Every emulated service, explicitly listed: this is the whole routing table. To add a service,
 * write `services/<svc>/index.ts` exporting a ServiceModule and add it here.
 */
import { autoScalingService } from './autoscaling/index.js';
import { cloudTrailService } from './cloudtrail/index.js';
import { ec2Service } from './ec2/index.js';
import { ecsService } from './ecs/index.js';
import { iamService } from './iam/index.js';
import { kmsService } from './kms/index.js';
import { logsService } from './logs/index.js';
import { s3Service } from './s3/index.js';
import { secretsManagerService } from './secretsmanager/index.js';
import { ssmService } from './ssm/index.js';
import { stsService } from './sts/index.js';
import type { ServiceModule } from './types.js';

/** The services the sandbox serves. */
export const SERVICES: readonly ServiceModule[] = [ecsService, ec2Service, iamService, stsService, cloudTrailService, secretsManagerService, ssmService, logsService, s3Service, autoScalingService, kmsService];
