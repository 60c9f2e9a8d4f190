/** CloudTrail error codes (awsJson `__type`), equal to the real service's. */
import { AwsError } from '../../errors.js';

export const CloudTrailErrors = {
  trailNotFound: (name: string, account: string, region: string) =>
    new AwsError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${account} in region ${region}`),
  trailExists: (name: string, account: string) =>
    new AwsError('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${account}`),
  invalidTrailName: (detail = 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).') =>
    new AwsError('InvalidTrailNameException', detail),
  tooManyTrails: (account: string, region: string) =>
    new AwsError('MaximumNumberOfTrailsExceededException', `User: ${account} already has 5 trails in ${region}.`),
  bucketMissing: (bucket: string) => new AwsError('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist.`),
  bucketPolicy: (bucket: string) => new AwsError('InsufficientS3BucketPolicyException', `Incorrect S3 bucket policy is detected for bucket: ${bucket}`),
  invalidBucketName: (bucket: string) => new AwsError('InvalidS3BucketNameException', `Bucket name '${bucket}' is not valid.`),
  invalidPrefix: () => new AwsError('InvalidS3PrefixException', 'The S3 key prefix is too long; it can be at most 200 characters.'),
  homeRegion: (arn: string) =>
    new AwsError('InvalidHomeRegionException', `This operation must be called from the Region in which the trail ${arn} was created.`),
  combination: (message: string) => new AwsError('InvalidParameterCombinationException', message),
  parameter: (message: string) => new AwsError('InvalidParameterException', message),
  cloudWatchLogs: () =>
    new AwsError('InvalidCloudWatchLogsLogGroupArnException', 'CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn must be specified together.'),
  eventSelectors: (message: string) => new AwsError('InvalidEventSelectorsException', message),
  invalidArn: (value: string) =>
    new AwsError('CloudTrailARNInvalidException', `${value} is not a valid CloudTrail ARN. The ARN must be in the format arn:aws:cloudtrail:<region>:<account>:trail/<name>.`),
  resourceNotFound: (arn: string) => new AwsError('ResourceNotFoundException', `Resource ${arn} not found.`),
  tagParameter: (message: string) => new AwsError('InvalidTagParameterException', message),
  tagsLimit: () => new AwsError('TagsLimitExceededException', 'The number of tags on a trail cannot exceed 50.'),
  lookupAttributes: (message: string) => new AwsError('InvalidLookupAttributesException', message),
  timeRange: () => new AwsError('InvalidTimeRangeException', 'Start time must be before end time.'),
  maxResults: () => new AwsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.'),
  nextToken: () => new AwsError('InvalidNextTokenException', 'Invalid next token.'),
  eventCategory: () => new AwsError('InvalidEventCategoryException', 'The only valid EventCategory is insight.'),
} as const;
