/**
 * The explicit, typed registry of check kinds. Adding a check = one file + one line here; the
 * scenarios.yaml schema and the docs are built from this list.
 */
import ecsCapabilitiesExact from './ecs/ecs-capabilities-exact.js';
import ecsFargateCompatible from './ecs/ecs-fargate-compatible.js';
import ecsNoHostPid from './ecs/ecs-no-host-pid.js';
import ecsNoPrivileged from './ecs/ecs-no-privileged.js';
import ecsNonRootUser from './ecs/ecs-non-root-user.js';
import ecsReadonlyRootFs from './ecs/ecs-readonly-root-fs.js';
import ecsServiceRunsNewest from './ecs/ecs-service-runs-newest.js';
import ec2VpcFlowLogs from './ec2/ec2-vpc-flow-logs.js';
import ecsAccountSetting from './ecs/ecs-account-setting.js';
import ecsAwsvpc from './ecs/ecs-awsvpc.js';
import ecsServiceIngress from './ecs/ecs-service-ingress.js';
import ecsServiceNoPublicIp from './ecs/ecs-service-no-public-ip.js';
import ecsServiceOwnSecurityGroups from './ecs/ecs-service-own-security-groups.js';
import awsRead from './generic/aws-read.js';
import resourceTags from './generic/resource-tags.js';
import type { CheckDefinition } from './types.js';

export const CHECKS: readonly CheckDefinition[] = [
  awsRead,
  resourceTags,
  ecsNoPrivileged,
  ecsCapabilitiesExact,
  ecsNonRootUser,
  ecsReadonlyRootFs,
  ecsNoHostPid,
  ecsFargateCompatible,
  ecsServiceRunsNewest,
  ecsAwsvpc,
  ecsServiceOwnSecurityGroups,
  ecsServiceIngress,
  ecsServiceNoPublicIp,
  ecsAccountSetting,
  ec2VpcFlowLogs,
] as unknown as CheckDefinition[];

export const CHECKS_BY_ID: ReadonlyMap<string, CheckDefinition> = new Map(CHECKS.map((c) => [c.id, c]));

export type { CheckContext, CheckDefinition, CheckMeta, CheckOutcome, CheckStatus, Severity } from './types.js';
