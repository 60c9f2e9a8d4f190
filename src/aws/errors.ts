/**
 * Errors of the AWS layer: every failure to talk to a target is normalised into an
 * {@link AwsCallError} that names the action, the principal and the AWS error code, so that a
 * learner reading one line knows what was attempted, as whom, and what AWS said.
 */

/** Stable codes for failures that are not AWS service errors. */
export type AwsLayerCode = 'ENDPOINT_UNREACHABLE' | 'TARGET_REFUSED' | 'CONFIRMATION_REQUIRED' | 'CREDENTIALS_MISSING';

/** A failure of the target itself (refused, unreachable, unconfigured): stops the command. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
  constructor(
    readonly code: AwsLayerCode,
    message: string,
  ) {
    super(message);
  }
}

/** Error codes that mean "the caller may not do this". */
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'Forbidden',
]);

/** Error codes that mean "the credentials themselves are bad or expired". */
const BAD_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'RequestExpired',
  'CredentialsProviderError',
]);

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'TimeoutError']);

export type AwsErrorKind = 'access-denied' | 'credentials' | 'throttled' | 'network' | 'not-found' | 'service';

/** One failed AWS call, with everything a one-line explanation needs. */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  constructor(
    /** e.g. `ecs:DescribeServices` */
    readonly action: string,
    /** the AWS error code (`AccessDeniedException`, `ThrottlingException`, `ECONNREFUSED`, ...) */
    readonly code: string,
    readonly kind: AwsErrorKind,
    message: string,
    readonly principal?: string,
    readonly endpoint?: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** Classifies an AWS error code. */
export function classifyAwsCode(code: string): AwsErrorKind {
  if (ACCESS_DENIED.has(code)) return 'access-denied';
  if (BAD_CREDENTIALS.has(code)) return 'credentials';
  if (THROTTLED.has(code)) return 'throttled';
  if (NETWORK.has(code)) return 'network';
  if (/NotFound|NoSuchEntity|NoSuch|DoesNotExist|ResourceNotFound/.test(code)) return 'not-found';
  return 'service';
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function networkCode(err: ErrorLike): string | undefined {
  for (const e of [err, err.cause as ErrorLike | undefined, ...(Array.isArray(err.errors) ? (err.errors as ErrorLike[]) : [])]) {
    if (e && typeof e.code === 'string' && NETWORK.has(e.code)) return e.code;
  }
  return undefined;
}

/** The principal named in an AWS denial message ("User: arn:... is not authorized ..."). */
function principalFromMessage(message: string): string | undefined {
  return /(?:User|Principal):\s*(arn:[^\s]+)/.exec(message)?.[1];
}


/**
 * Normalises anything thrown by an SDK call into an {@link AwsCallError}.
 * @param action `service:Operation`, e.g. `ecs:DescribeServices`
 */
export function toAwsCallError(err: unknown, action: string, principal?: string, endpoint?: string): AwsCallError {
  if (err instanceof AwsCallError) return err;
  const e = (err ?? {}) as ErrorLike;
  const raw = typeof e.message === 'string' ? e.message : String(err);
  const net = networkCode(e);
  if (net) {
    const where = endpoint ?? 'the AWS endpoint';
    const why = net === 'ECONNREFUSED' ? 'connection refused' : net;
    return new AwsCallError(action, net, 'network', `${action} failed: cannot reach ${where} (${why}).`, principal, endpoint);
  }
  const status = e.$metadata?.httpStatusCode ?? (e as { $response?: { statusCode?: number } }).$response?.statusCode;
  if (e.name === 'SyntaxError' || (e.name === 'Error' && /Deserialization|Unexpected token/.test(raw))) {
    // The endpoint answered, but not in AWS's format (an emulator crash page, a proxy, ...)
    const where = endpoint ?? 'the AWS endpoint';
    return new AwsCallError(action, 'InvalidResponse', 'service', `${action} failed: ${where} answered${status ? ` HTTP ${status}` : ''} with a response that is not AWS's format.`, principal, endpoint, status);
  }
  const code = String(e.Code ?? e.name ?? e.code ?? 'UnknownError');
  const kind = classifyAwsCode(code);
  const who = principalFromMessage(raw) ?? principal ?? 'the configured credentials';
  let text: string;
  switch (kind) {
    case 'access-denied':
      text = `${action} was denied for ${who} (${code}).`;
      break;
    case 'credentials':
      text = `${action} failed: the credentials of ${who} were rejected (${code}): ${firstLine(raw)}`;
      break;
    case 'throttled':
      text = `${action} was throttled and still failing after retries (${code}).`;
      break;
    default:
      text = `${action} failed (${code}): ${firstLine(raw)}`;
  }
  return new AwsCallError(action, code, kind, text, who, endpoint, status);
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
