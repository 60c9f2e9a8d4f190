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
  /** A request member outside its model range (the wording ListSecrets' MaxResults check has always used). */
  range: (member: string, value: number, min: number, max: number) =>
    new AwsError('ValidationException', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value between ${min} and ${max}`),
  // AWS's answer to a syntax error (quoted in awsdocs/aws-cloudformation-user-guide#623).
  malformedPolicy: () => new AwsError('MalformedPolicyDocumentException', 'This policy has invalid syntax.'),
  // The SDK model's description of PublicPolicyException; the service's own wording is not verified.
  publicPolicy: () =>
    new AwsError('PublicPolicyException', 'The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.'),
  // What the AWS CLI prints for rotate-secret on a secret without a rotation function (quoted in getmoto/moto#3912).
  noRotationFunction: () => new AwsError('InvalidRequestException', 'No Lambda rotation function ARN is associated with this secret.'),
  /**
   * The sandbox has no Lambda: every rotation function is one Secrets Manager cannot invoke. AWS
   * answers "access denied" then (Secrets Manager user guide, troubleshooting rotation); this
   * wording is not verified.
   */
  cannotInvoke: () =>
    new AwsError(
      'AccessDeniedException',
      'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
    ),
} as const;
