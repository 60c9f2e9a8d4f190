/** IAM error codes (awsQuery wire codes; the SDK names them `<Code>Exception`). */
import { AwsError } from '../../errors.js';

export const IamErrors = {
  noSuchEntity: (message: string) => new AwsError('NoSuchEntity', message, 404),
  alreadyExists: (message: string) => new AwsError('EntityAlreadyExists', message, 409),
  malformedPolicy: (message = 'Syntax errors in policy.') => new AwsError('MalformedPolicyDocument', message, 400),
  deleteConflict: (message: string) => new AwsError('DeleteConflict', message, 409),
  limitExceeded: (message: string) => new AwsError('LimitExceeded', message, 409),
  invalidInput: (message: string) => new AwsError('InvalidInput', message, 400),
  validation: (message: string) => new AwsError('ValidationError', message, 400),
  unmodifiable: (message: string) => new AwsError('UnmodifiableEntity', message, 400),
} as const;
