/** Auto Scaling error codes (awsQuery `<Code>`; SDK v3 maps e.g. AlreadyExists to AlreadyExistsFault). */
import { AwsError } from '../../errors.js';

export const AsgErrors = {
  validation: (message: string) => new AwsError('ValidationError', message),
  groupNotFound: (name: string) => new AwsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`),
  alreadyExists: (name: string) =>
    new AwsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`),
  inUse: () =>
    new AwsError('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.'),
  refreshInProgress: () =>
    new AwsError('InstanceRefreshInProgress', 'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.'),
  noActiveRefresh: (name: string) =>
    new AwsError('ActiveInstanceRefreshNotFound', `No in progress or pending Instance Refresh found for Auto Scaling group ${name}`),
  // Message seen in AWS responses quoted by users and by other emulators (the colon is AWS's).
  noManagedInstance: (id: string) => new AwsError('ValidationError', `Instance Id not found - No managed instance found for instance ID: ${id}`),
  belowMinSize: (min: number) =>
    new AwsError(
      'ValidationError',
      `Currently, desiredSize equals minSize (${min}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
    ),
  // The code is AWS's (API reference); the message is the sandbox's own (not verified).
  irreversibleRefresh: () =>
    new AwsError(
      'IrreversibleInstanceRefresh',
      'The instance refresh cannot be rolled back: it was started without a desired configuration, or the group used a $Latest or $Default launch template version or an AMI from a Systems Manager parameter.',
    ),
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The token provided is not valid.'),
  tagLimit: (name: string) =>
    new AwsError('LimitExceeded', `The quota of 50 tags for Auto Scaling group ${name} has been exceeded.`),
} as const;
