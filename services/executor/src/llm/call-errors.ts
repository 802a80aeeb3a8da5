/** The executor's own deadline for one call ran out (it also covers a body that stops half way). */
export class LlmTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`The model did not answer within ${timeoutMs} ms`);
    this.name = 'LlmTimeoutError';
  }
}

/** The provider answered 2xx with something that is not a chat completion. */
export class MalformedResponseError extends Error {
  constructor(detail: string) {
    super(`The model's answer is not a chat completion: ${detail}`);
    this.name = 'MalformedResponseError';
  }
}

/** The provider refused to answer (a refusal message instead of content): asking again will not help. */
export class ModelRefusalError extends Error {
  constructor(refusal: string) {
    super(`The model refused: ${refusal}`);
    this.name = 'ModelRefusalError';
  }
}

/** The call was cut short because this replica is shutting down; the work goes back to the queue. */
export class CallAbortedError extends Error {
  constructor() {
    super('The executor is shutting down');
    this.name = 'CallAbortedError';
  }
}
