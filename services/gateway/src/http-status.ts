import type { ErrorCode } from '@agentmarket/contracts';

/** The one place where error codes become HTTP statuses (API.md, Conventions). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  insufficient_funds: 402,
  budget_exhausted: 402,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  idempotency_key_reused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  missing_inputs: 422,
  invalid_inputs: 422,
  executor_unavailable: 409,
  no_candidate: 422,
  price_changed: 409,
  suspended: 403,
  key_already_issued: 409,
  rate_limited: 429,
  too_many_streams: 429,
  internal: 500,
  // The service answered, but with more than the bus carries: a gateway-side failure of a valid request.
  reply_too_large: 502,
  unavailable: 503,
};
