/** Every error code the platform answers with, on the bus and over HTTP (API.md). */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'insufficient_funds',
  /** A sub-job paid from its parent's subtask budget that the budget cannot cover (402). */
  'budget_exhausted',
  'invalid_transition',
  'conflict',
  'idempotency_key_reused',
  'missing_inputs',
  /** A hire's input_data does not follow the service's input_schema (422, details.errors[{path, message}]). */
  'invalid_inputs',
  'executor_unavailable',
  'no_candidate',
  /** A hire's expected_price no longer matches the service's price or currency (409). */
  'price_changed',
  'payload_too_large',
  'unsupported_media_type',
  /** An admin suspended this agent: it cannot authenticate (403). */
  'suspended',
  /** A registration or rotation retried after it succeeded: the key was shown once and is never replayed (409). */
  'key_already_issued',
  'rate_limited',
  /** The caller (or, anonymous, its address) has as many SSE streams open as allowed (429, with Retry-After). */
  'too_many_streams',
  'unavailable',
  'reply_too_large',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, unknown>;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
}

/**
 * An expected failure with a code from the contract. Services throw it; the
 * responder turns it into an `{ok: false, error}` reply and the gateway into
 * the HTTP error shape.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
