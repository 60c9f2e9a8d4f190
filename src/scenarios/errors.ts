/**
 * Engine errors: string codes, one exit code per family (CONTRACT §3), and a normaliser.
 */
import { AwsCallError, TargetError } from '../aws/errors.js';

export type EngineErrorCode =
  | 'CONFIG_INVALID' // scenarios.yaml is malformed
  | 'UNKNOWN_SCENARIO'
  | 'UNKNOWN_STEP'
  | 'UNKNOWN_CHOICE'
  | 'USAGE'
  | 'CONFIRMATION_REQUIRED'
  | 'TARGET' // target refused or unreachable
  | 'AWS' // an AWS call failed while provisioning or resetting
  | 'RESET_INCOMPLETE'
  | 'STORE';

const EXIT: Record<EngineErrorCode, number> = {
  CONFIG_INVALID: 2,
  UNKNOWN_SCENARIO: 2,
  UNKNOWN_STEP: 2,
  UNKNOWN_CHOICE: 2,
  USAGE: 2,
  CONFIRMATION_REQUIRED: 2,
  TARGET: 3,
  AWS: 3,
  RESET_INCOMPLETE: 3,
  STORE: 3,
};

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  /** The process exit code this error maps to. */
  get exitCode(): number {
    return EXIT[this.code];
  }
}

/** Normalises anything thrown into an EngineError with a one-line message. */
export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err instanceof TargetError) return new EngineError('TARGET', err.message);
  if (err instanceof AwsCallError) return new EngineError('AWS', err.message, err);
  const message = err instanceof Error ? err.message : String(err);
  return new EngineError('AWS', message.split('\n')[0] ?? message, err);
}
