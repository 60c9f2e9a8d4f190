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
import ecsNoSecretEnv from './ecs/ecs-no-secret-env.js';
import ecsSecretInjected from './ecs/ecs-secret-injected.js';
import cloudtrailMultiRegionLogging from './cloudtrail/cloudtrail-multi-region-logging.js';
import ecsEnvironmentTagged from './ecs/ecs-environment-tagged.js';
import iamProofByAttempt from './iam/iam-proof-by-attempt.js';
import awsRead from './generic/aws-read.js';
import ecsDistinctTaskRoles from './iam/ecs-distinct-task-roles.js';
import ecsSecretAccess from './iam/ecs-secret-access.js';
import iamRolePermissions from './iam/iam-role-permissions.js';
import iamTrustScoped from './iam/iam-trust-scoped.js';
import resourceTags from './generic/resource-tags.js';
import autoscalingLaunchTemplateAmi from './autoscaling/autoscaling-launch-template-ami.js';
import ecsCapacityProviderManaged from './ecs/ecs-capacity-provider-managed.js';
import ecsContainerInstancesAmi from './ecs/ecs-container-instances-ami.js';
import ecsFargatePlatformCurrent from './ecs/ecs-fargate-platform-current.js';
import ecsServiceZeroDowntime from './ecs/ecs-service-zero-downtime.js';
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
  ecsNoSecretEnv,
  ecsSecretInjected,
  iamRolePermissions,
  iamTrustScoped,
  ecsDistinctTaskRoles,
  ecsSecretAccess,
  cloudtrailMultiRegionLogging,
  ecsEnvironmentTagged,
  iamProofByAttempt,
  ecsFargatePlatformCurrent,
  ecsServiceZeroDowntime,
  autoscalingLaunchTemplateAmi,
  ecsContainerInstancesAmi,
  ecsCapacityProviderManaged,
] as unknown as CheckDefinition[];

export const CHECKS_BY_ID: ReadonlyMap<string, CheckDefinition> = new Map(CHECKS.map((c) => [c.id, c]));

export type { CheckContext, CheckDefinition, CheckMeta, CheckOutcome, CheckStatus, Severity } from './types.js';
