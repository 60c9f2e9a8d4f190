/** ECS error codes (awsJson `__type`), equal to the real service's. */
import { AwsError } from '../../errors.js';

export const EcsErrors = {
  clusterNotFound: () => new AwsError('ClusterNotFoundException', 'Cluster not found.'),
  serviceNotFound: () => new AwsError('ServiceNotFoundException', 'Service not found.'),
  serviceNotActive: () => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.'),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
  client: (message: string) => new AwsError('ClientException', message),
  resourceNotFound: (message = 'The specified resource wasn\'t found.') => new AwsError('ResourceNotFoundException', message),
  resourceInUse: (message: string) => new AwsError('ResourceInUseException', message),
  clusterContainsServices: () =>
    new AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.'),
  clusterContainsTasks: () =>
    new AwsError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.'),
  clusterContainsInstances: () =>
    new AwsError('ClusterContainsContainerInstancesException', 'The Cluster cannot be deleted while Container Instances are active or draining.'),
  missing: (member: string) => new AwsError('InvalidParameterException', `${member} can not be null or empty.`),
  invalidToken: () => new AwsError('InvalidParameterException', 'Invalid token.'),
  targetNotFound: (target: string) => new AwsError('TargetNotFoundException', `Could not find ${target}.`),
  /**
   * The message is the one CreateService gives for an unknown Service Connect namespace
   * (terraform-aws-modules/terraform-aws-ecs#116); for ListServicesByNamespace it is not verified.
   */
  namespaceNotFound: (namespace: string) => new AwsError('NamespaceNotFoundException', `Failed to retrieve namespace for ${namespace}`),
  /** Task set calls on an ECS-controller service (AWS CLI output quoted in hashicorp/terraform-provider-aws#30347 and pipe-cd's blog). */
  taskSetsNotSupported: () =>
    new AwsError('InvalidParameterException', 'Amazon ECS only supports task set management on services configured to use external deployment controllers.'),
  /** The TaskSetNotFoundException type is AWS's; the message is not verified. */
  taskSetNotFound: () => new AwsError('TaskSetNotFoundException', 'The specified task set does not exist.'),
  attributeLimitExceeded: () =>
    new AwsError('AttributeLimitExceededException', 'You can apply up to 10 custom attributes for each resource.'),
} as const;
