/** AWS KMS error codes (awsJson `__type`), equal to the real service's. */
import { AwsError } from '../../errors.js';

export const KmsErrors = {
  /** As AWS words it: `Key 'arn:aws:kms:us-east-1:111122223333:key/…' does not exist`. */
  keyNotFound: (arn: string) => new AwsError('NotFoundException', `Key '${arn}' does not exist`),
  /** As AWS words it: `Alias arn:aws:kms:us-west-2:111122223333:alias/name is not found.` */
  aliasNotFound: (aliasArn: string) => new AwsError('NotFoundException', `Alias ${aliasArn} is not found.`),
  // message not verified
  aliasExists: (aliasArn: string) => new AwsError('AlreadyExistsException', `An alias with the name ${aliasArn} already exists`),
  // message not verified
  invalidAliasName: (message: string) => new AwsError('InvalidAliasNameException', message),
  // message not verified
  pendingDeletion: (arn: string) => new AwsError('KMSInvalidStateException', `${arn} is pending deletion.`),
  // message not verified
  notPendingDeletion: (arn: string) => new AwsError('KMSInvalidStateException', `${arn} is not pending deletion.`),
  // message not verified
  disabled: (arn: string) => new AwsError('DisabledException', `${arn} is disabled.`),
  malformedPolicy: (message: string) => new AwsError('MalformedPolicyDocumentException', message),
  tag: (message: string) => new AwsError('TagException', message),
  invalidMarker: () => new AwsError('InvalidMarkerException', 'The marker that specifies where to start paginating is not valid.'),
  validation: (member: string, value: unknown, constraint: string) =>
    new AwsError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`),
  unsupported: (message: string) => new AwsError('UnsupportedOperationException', message),
  // message not verified
  tooManyTags: (max: number) => new AwsError('LimitExceededException', `A KMS key can have at most ${max} tags.`),
  // message not verified
  policyNotFound: () => new AwsError('NotFoundException', 'No such policy exists'),
} as const;
