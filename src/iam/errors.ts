/**
 * Error codes of the IAM layer. `MalformedPolicyDocument` deliberately equals the AWS IAM error
 * code, so the sandbox can return it unchanged from PutRolePolicy, CreatePolicy and friends.
 */
export type IamErrorCode = 'MalformedPolicyDocument' | 'InvalidInput' | 'InternalError';

/** Base class of every error the evaluator throws on purpose. */
export class IamError extends Error {
  readonly code: IamErrorCode;

  constructor(code: IamErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = code;
    this.code = code;
  }
}

/**
 * A policy document that cannot be parsed or breaks the policy grammar. `path` points at the
 * offending element (`Statement[1].Condition`) so editors and hints can highlight it.
 */
export class PolicyError extends IamError {
  declare readonly code: 'MalformedPolicyDocument';
  readonly path: string | undefined;
  readonly policyId: string | undefined;

  constructor(message: string, path?: string, policyId?: string) {
    super('MalformedPolicyDocument', message);
    this.path = path;
    this.policyId = policyId;
  }
}

/** A request the evaluator cannot judge (an action without a service prefix, an empty principal). */
export class InvalidInputError extends IamError {
  declare readonly code: 'InvalidInput';

  constructor(message: string) {
    super('InvalidInput', message);
  }
}

/**
 * Normalises anything thrown inside the IAM layer to an IamError, keeping the original as `cause`,
 * so callers handle one shape (the sandbox maps `code` to an AWS error; checks turn it into `error`).
 */
export function toIamError(err: unknown): IamError {
  if (err instanceof IamError) return err;
  if (err instanceof Error) return new IamError('InternalError', err.message, { cause: err });
  return new IamError('InternalError', `Unexpected IAM evaluator failure: ${String(err)}`, { cause: err });
}
