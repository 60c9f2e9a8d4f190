/** CloudWatch Logs error codes (awsJson `__type`), equal to the real service's. */
import { AwsError } from '../../errors.js';

export const LogsErrors = {
  alreadyExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  notFound: () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamAlreadyExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  streamNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  // Not verified against AWS.
  metricFilterNotFound: () => new AwsError('ResourceNotFoundException', 'The specified metric filter does not exist.'),
  // The code is AWS's; the message as other emulators give it (not verified).
  limitExceeded: () => new AwsError('LimitExceededException', 'Resource limit exceeded.'),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
  tooManyTags: () => new AwsError('TooManyTagsException', 'A resource can have no more than 50 tags.'),
  invalidNextToken: () => new AwsError('InvalidParameterException', 'The specified nextToken is invalid.'),
} as const;
