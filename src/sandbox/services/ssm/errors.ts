/** SSM Parameter Store error codes (awsJson `__type`), equal to the real service's. */
import { AwsError } from '../../errors.js';

const NAME_RULES =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

export const SsmErrors = {
  notFound: (name: string) => new AwsError('ParameterNotFound', `Parameter ${name} not found.`),
  alreadyExists: () =>
    new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.'),
  versionNotFound: (name: string, selector: string) =>
    new AwsError('ParameterVersionNotFound', `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`),
  validation: (message: string) => new AwsError('ValidationException', message),
  invalidName: () => new AwsError('ValidationException', NAME_RULES),
  hierarchyLimit: () =>
    new AwsError('HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and Constraints for Parameter Names in the AWS Systems Manager User Guide.'),
  patternMismatch: (pattern: string) =>
    new AwsError('ParameterPatternMismatchException', `Parameter value failed to satisfy constraint specified by the user: ${pattern}.`),
  invalidPattern: () => new AwsError('InvalidAllowedPatternException', 'The allowed pattern is not a valid regular expression.'),
  invalidKeyId: () => new AwsError('InvalidKeyId', 'The query key ID is not valid.'),
  unsupportedType: (type: string) => new AwsError('UnsupportedParameterType', `The parameter type ${type} is not supported.`),
  invalidFilterKey: (key: string, valid: readonly string[]) =>
    new AwsError('InvalidFilterKey', `The following filter key is not valid: ${key}. Valid filter keys include: [${valid.join(', ')}].`),
  invalidFilterOption: (key: string, option: string, valid: readonly string[]) =>
    new AwsError('InvalidFilterOption', `The following filter option is not valid: ${option}. Valid options include: [${valid.join(', ')}] for ${key}.`),
  invalidFilterValue: (message: string) => new AwsError('InvalidFilterValue', message),
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The specified token is not valid.'),
  invalidResourceId: () => new AwsError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.'),
  invalidResourceType: () => new AwsError('InvalidResourceType', 'The resource type is not valid. The sandbox tags only resources of type Parameter.'),
  // moto's wording (a space added after "labels."); not verified against AWS.
  labelLimit: () =>
    new AwsError('ParameterVersionLabelLimitExceeded', 'A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.'),
  tooManyTags: () => new AwsError('TooManyTagsError', 'The Targets parameter includes too many tags. Remove one or more tags and try the command again.'),
} as const;
