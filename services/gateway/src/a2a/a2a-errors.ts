import {
  RequestMalformedError,
  TaskNotCancelableError,
  TaskNotFoundError,
  UnsupportedOperationError,
  type A2AError,
} from '@a2a-js/sdk/errors';
import type { ErrorBody } from '@agentmarket/contracts';

/** The A2A error a failed REST call becomes; its ErrorInfo metadata keeps the API's own code. */
export function a2aErrorOf(error: ErrorBody, context: { taskId?: string; cancelling?: boolean } = {}): A2AError | Error {
  const options = {
    message: error.message,
    metadata: { api_error_code: error.code, ...(context.taskId ? { task_id: context.taskId } : {}) },
  };
  switch (error.code) {
    case 'not_found':
      return context.taskId ? new TaskNotFoundError(options) : new RequestMalformedError(options);
    case 'invalid_transition':
      return context.cancelling ? new TaskNotCancelableError(options) : new UnsupportedOperationError(options);
    case 'forbidden':
    case 'suspended':
      return new UnsupportedOperationError(options);
    case 'rate_limited':
    case 'unavailable':
    case 'internal':
    case 'executor_unavailable':
      // INTERNAL_ERROR (-32603), for what a retry may cure: the message names the API's code.
      return new Error(`${error.code}: ${error.message}`);
    default:
      // Bad or unpayable requests: validation, inputs, price, funds, idempotency, conflicts.
      return new RequestMalformedError(options);
  }
}
