/**
 * Errors the sandbox returns to AWS clients. `code` must equal the real AWS error code, so that
 * `err.name` checks in the lab behave identically against AWS and the sandbox.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** awsQuery's `<Type>`: Sender for client errors, Receiver for server faults. */
  readonly fault: 'Sender' | 'Receiver';
  /** Members of the error shape beyond its message (awsJson writes them beside `__type`): Logs Insights' `queryCompileError`. */
  members: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, status = 400, fault?: 'Sender' | 'Receiver') {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fault = fault ?? (status >= 500 ? 'Receiver' : 'Sender');
  }
}

/** Whether a value is an AwsError (also across module copies). */
export function isAwsError(value: unknown): value is AwsError {
  return value instanceof AwsError;
}

/** Wraps anything thrown by a handler: AwsErrors pass through, the rest is an internal failure. */
export function toAwsError(cause: unknown): AwsError {
  if (isAwsError(cause)) return cause;
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}

/** Codes shared by several services (and the router). */
export const CommonErrors = {
  /** awsJson: operation not in the service model. */
  unknownOperation: (target: string) =>
    new AwsError('UnknownOperationException', `Operation ${target} is not supported by this endpoint.`),
  /** Query protocols: Action not in the service model. */
  invalidAction: (action: string) =>
    new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`),
  /** An operation that AWS has but the sandbox does not emulate. */
  notImplemented: (service: string, op: string) =>
    new AwsError('InvalidAction', `The ecs-lab sandbox does not implement ${service}:${op}.`, 501),
  serialization: (detail: string) => new AwsError('SerializationException', detail),
  missingAction: () => new AwsError('MissingAction', 'The request must contain the parameter Action.'),
  missingAuthentication: () =>
    new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
} as const;
