/**
 * Authentication and authorisation errors in each protocol family's own code and status, as the
 * real services answer them (so `err.name` checks behave the same against AWS and the sandbox):
 *
 * | failure          | query (IAM, STS, ASG)        | JSON (ECS, SM, SSM, …)                | EC2                    | S3                     |
 * |------------------|------------------------------|---------------------------------------|------------------------|------------------------|
 * | wrong secret     | SignatureDoesNotMatch 403    | InvalidSignatureException 400         | AuthFailure 401        | SignatureDoesNotMatch 403 |
 * | unknown key      | InvalidClientTokenId 403     | UnrecognizedClientException 400       | AuthFailure 401        | InvalidAccessKeyId 403 |
 * | clock skew       | SignatureDoesNotMatch 403 ("Signature expired: …") | InvalidSignatureException 400 ("Signature expired: …") | RequestExpired 400 | RequestTimeTooSkewed 403 |
 * | expired session  | ExpiredToken 403             | ExpiredTokenException 400             | RequestExpired 400     | ExpiredToken 400       |
 * | no signature     | MissingAuthenticationToken 403 | MissingAuthenticationTokenException 400 | MissingAuthenticationToken 401 | (anonymous caller) |
 * | IAM denial       | AccessDenied 403             | AccessDeniedException 400             | UnauthorizedOperation 403 | AccessDenied 403    |
 *
 * EC2 answers bad credentials with AuthFailure rather than the query services' codes (observed
 * from real EC2 by SDK users; the AWS CLI prints "AWS was not able to validate the provided access
 * credentials").
 */
import { AwsError } from './errors.js';
import type { ServiceModule } from './services/types.js';

/** How a service reports auth failures. */
export type AuthFamily = 'query' | 'json' | 'ec2' | 's3';

/** The family of a service, from its protocol. */
export function authFamily(service: ServiceModule): AuthFamily {
  switch (service.protocol.kind) {
    case 'json':
      return 'json';
    case 'ec2':
      return 'ec2';
    case 'rest-xml':
      return 's3';
    default:
      return 'query';
  }
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EC2_AUTH = 'AWS was not able to validate the provided access credentials';

/** `20260101T000000Z` for a date. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Auth failures by family. */
export const AuthErrors = {
  signatureMismatch(family: AuthFamily): AwsError {
    if (family === 'json') return new AwsError('InvalidSignatureException', MISMATCH, 400);
    if (family === 'ec2') return new AwsError('AuthFailure', EC2_AUTH, 401);
    if (family === 's3') return new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);
    return new AwsError('SignatureDoesNotMatch', MISMATCH, 403);
  },

  unknownKey(family: AuthFamily): AwsError {
    if (family === 'json') return new AwsError('UnrecognizedClientException', INVALID_TOKEN, 400);
    if (family === 'ec2') return new AwsError('AuthFailure', EC2_AUTH, 401);
    if (family === 's3') return new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
    return new AwsError('InvalidClientTokenId', INVALID_TOKEN, 403);
  },

  /** The request time is more than 15 minutes from the server's. */
  skewed(family: AuthFamily, requestTime: Date, now: Date): AwsError {
    if (family === 'ec2') return new AwsError('RequestExpired', 'Request has expired.', 400);
    if (family === 's3') return new AwsError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
    const limit = 15 * 60_000;
    const message =
      requestTime.getTime() < now.getTime()
        ? `Signature expired: ${amzDate(requestTime)} is now earlier than ${amzDate(new Date(now.getTime() - limit))} (${amzDate(now)} - 15 min.)`
        : `Signature not yet current: ${amzDate(requestTime)} is still later than ${amzDate(new Date(now.getTime() + limit))} (${amzDate(now)} + 15 min.)`;
    return family === 'json' ? new AwsError('InvalidSignatureException', message, 400) : new AwsError('SignatureDoesNotMatch', message, 403);
  },

  expiredToken(family: AuthFamily): AwsError {
    if (family === 'json') return new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400);
    if (family === 'ec2') return new AwsError('RequestExpired', 'Request has expired.', 400);
    if (family === 's3') return new AwsError('ExpiredToken', 'The provided token has expired.', 400);
    return new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
  },

  missing(family: AuthFamily): AwsError {
    if (family === 'json') return new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
    if (family === 'ec2') return new AwsError('MissingAuthenticationToken', 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.', 401);
    return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  },

  /** An Authorization header that is not SigV4 as the sandbox reads it. */
  incomplete(family: AuthFamily, detail: string): AwsError {
    if (family === 's3') return new AwsError('AuthorizationHeaderMalformed', detail, 400);
    if (family === 'ec2') return new AwsError('AuthFailure', EC2_AUTH, 401);
    return new AwsError('IncompleteSignature', detail, family === 'json' ? 400 : 403);
  },

  /** An IAM denial. `message` is the "User: … is not authorized to perform: …" sentence. */
  accessDenied(family: AuthFamily, message: string): AwsError {
    if (family === 'json') return new AwsError('AccessDeniedException', message, 400);
    if (family === 'ec2') return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, 403);
    return new AwsError('AccessDenied', message, 403);
  },
} as const;
