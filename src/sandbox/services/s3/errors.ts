/** S3 error codes and HTTP statuses, equal to the real service's; bucket errors name the bucket. */
import { RestXmlError } from '../../protocols/rest-xml.js';

const bucketError = (code: string, message: string, status: number) => (bucket: string) => new RestXmlError(code, message, status, { BucketName: bucket });

export const S3Errors = {
  noSuchBucket: bucketError('NoSuchBucket', 'The specified bucket does not exist', 404),
  bucketNotEmpty: bucketError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409),
  alreadyOwnedByYou: bucketError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409),
  alreadyExists: bucketError(
    'BucketAlreadyExists',
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    409,
  ),
  invalidBucketName: bucketError('InvalidBucketName', 'The specified bucket is not valid.', 400),
  noSuchBucketPolicy: bucketError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404),
  noSuchTagSet: bucketError('NoSuchTagSet', 'The TagSet does not exist', 404),
  accessDenied: () => new RestXmlError('AccessDenied', 'Access Denied', 403),
  illegalLocation: (location: string | undefined) =>
    new RestXmlError('IllegalLocationConstraintException', `The ${location ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400),
  invalidLocation: (location: string) =>
    new RestXmlError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: location }),
  malformedPolicy: (message: string) => new RestXmlError('MalformedPolicy', message, 400),
  invalidTag: (message: string) => new RestXmlError('InvalidTag', message, 400),
  malformedXml: () => new RestXmlError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400),
  invalidArgument: (message: string) => new RestXmlError('InvalidArgument', message, 400),
  noSuchPublicAccessBlock: bucketError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404),
  kmsKeyNotApplicable: () =>
    new RestXmlError('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 400, {
      ArgumentName: 'ApplyServerSideEncryptionByDefault',
    }),
  entityTooLarge: () => new RestXmlError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400),
} as const;
