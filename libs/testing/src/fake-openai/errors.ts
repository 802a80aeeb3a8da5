/** The error object inside every OpenAI error body. */
export interface OpenAiErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** An error answer: status, body and any extra headers. */
export interface ErrorAnswer {
  status: number;
  body: { error: OpenAiErrorObject };
  headers?: Record<string, string>;
}

function errorAnswer(status: number, error: OpenAiErrorObject, headers?: Record<string, string>): ErrorAnswer {
  return headers ? { status, body: { error }, headers } : { status, body: { error } };
}

/** 400 invalid_request_error, as the API sends for a request it cannot accept. */
export function invalidRequest(message: string, param: string | null = null, code: string | null = null): ErrorAnswer {
  return errorAnswer(400, { message, type: 'invalid_request_error', param, code });
}

/** 400 as the real API sends for an over-long prompt: the 'bad_request' behaviour. */
export function contextLengthExceeded(): ErrorAnswer {
  return invalidRequest(
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
    'messages',
    'context_length_exceeded',
  );
}

/** 400 for a body that is not JSON. */
export function unparsableJson(): ErrorAnswer {
  return invalidRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
  );
}

/** 401 for a request without any Authorization header. */
export function missingApiKey(): ErrorAnswer {
  return errorAnswer(401, {
    message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    type: 'invalid_request_error',
    param: null,
    code: null,
  });
}

/** 401 invalid_api_key for a wrong key (and the 'unauthorized' behaviour). */
export function invalidApiKey(): ErrorAnswer {
  return errorAnswer(401, {
    message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  });
}

/** 429 rate_limit_exceeded with the Retry-After header the client must honour. */
export function rateLimited(model: string, retryAfterSeconds: number): ErrorAnswer {
  return errorAnswer(
    429,
    {
      message: `Rate limit reached for ${model || 'the model'} on requests per min (RPM). Please try again in ${retryAfterSeconds}s.`,
      type: 'rate_limit_exceeded',
      param: null,
      code: 'rate_limit_exceeded',
    },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

/** 429 insufficient_quota: what OpenAI sends when billing is exhausted; retrying does not help, so no Retry-After. */
export function insufficientQuota(): ErrorAnswer {
  return errorAnswer(429, {
    message: 'You exceeded your current quota, please check your plan and billing details.',
    type: 'insufficient_quota',
    param: null,
    code: 'insufficient_quota',
  });
}

/** A 5xx server_error; 500 unless another 5xx is given. */
export function serverError(status = 500): ErrorAnswer {
  const message =
    status === 503
      ? 'The server is overloaded or not ready yet.'
      : 'The server had an error while processing your request. Sorry about that!';
  return errorAnswer(status, { message, type: 'server_error', param: null, code: null });
}

/** 404 for any route the fake does not serve, worded like the real API. */
export function invalidUrl(method: string, path: string): ErrorAnswer {
  return errorAnswer(404, { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null });
}
