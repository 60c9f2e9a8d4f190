/**
 * The explicit registry of resource kinds. Adding a kind = one file + one line here; the
 * scenarios.yaml schema picks it up from this list.
 */
import { autoscalingGroup } from './autoscaling-group.js';
import { ec2LaunchTemplate } from './ec2-launch-template.js';
import { ec2SecurityGroup } from './ec2-security-group.js';
import { ecsAccountSetting } from './ecs-account-setting.js';
import { ec2Subnet } from './ec2-subnet.js';
import { ec2Vpc } from './ec2-vpc.js';
import { ecsCapacityProvider } from './ecs-capacity-provider.js';
import { ecsCluster } from './ecs-cluster.js';
import { ecsService } from './ecs-service.js';
import { ecsTaskDefinition } from './ecs-task-definition.js';
import { iamPolicy } from './iam-policy.js';
import { iamRole } from './iam-role.js';
import { logsLogGroup } from './logs-log-group.js';
import { s3Bucket } from './s3-bucket.js';
import { secretsmanagerSecret } from './secretsmanager-secret.js';
import { ssmParameter } from './ssm-parameter.js';
import type { BaseSpec, ResourceKind } from './types.js';

/** Every kind, in creation order (reset walks it backwards). */
export const RESOURCE_KINDS: readonly ResourceKind<BaseSpec>[] = [
  ec2Vpc,
  logsLogGroup,
  s3Bucket,
  secretsmanagerSecret,
  ssmParameter,
  ec2Subnet,
  ec2SecurityGroup,
  iamPolicy,
  iamRole,
  ecsCluster,
  ec2LaunchTemplate,
  autoscalingGroup,
  ecsCapacityProvider,
  ecsTaskDefinition,
  ecsService,
  ecsAccountSetting,
].map((k) => k as unknown as ResourceKind<BaseSpec>);

/** Kinds by type, for lookups. */
export const RESOURCE_KINDS_BY_TYPE: ReadonlyMap<string, ResourceKind<BaseSpec>> = new Map(RESOURCE_KINDS.map((k) => [k.type, k]));

export { ResourceError } from './helpers.js';
export * from './types.js';
