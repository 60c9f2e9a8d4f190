/** Secrets Manager error codes (awsJson `__type`), equal to the real service's. */
import { AwsError } from '../../errors.js';

export const SecretsErrors = {
  notFound: () => new AwsError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.'),
  valueNotFound: (what: string) => new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}`),
  exists: (name: string) => new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`),
  versionExists: () => new AwsError('ResourceExistsException', 'You can\'t modify an existing version, you can only create a new version.'),
  markedForDeletion: () =>
    new AwsError('InvalidRequestException', 'You can\'t perform this operation on the secret because it was marked for deletion.'),
  invalidRequest: (message: string) => new AwsError('InvalidRequestException', message),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
  validation: (message: string) => new AwsError('ValidationException', message),
  invalidNextToken: () => new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.'),
} as const;
