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
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The token provided is not valid.'),
  tagLimit: (name: string) =>
    new AwsError('LimitExceeded', `The quota of 50 tags for Auto Scaling group ${name} has been exceeded.`),
} as const;
