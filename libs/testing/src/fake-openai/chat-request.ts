import { invalidRequest, type ErrorAnswer } from './errors.ts';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

export interface ChatMessage {
  role: string;
  content: string;
}

/** The parts of a chat completion request the fake acts on. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** `max_completion_tokens`, else `max_tokens`. */
  maxTokens: number | undefined;
  stream: boolean;
  /** `stream_options.include_usage`: a streamed answer ends with a usage chunk. */
  streamUsage: boolean;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Number.isInteger(value)) return 'an integer';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Text of a message's content: a string, or the text parts of an array of content parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
    .join('');
}

/** Model and messages as far as they can be read from any body, for the request log even when the body is rejected. */
export function looseSummary(body: unknown): { model: string; messages: ChatMessage[] } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const model = typeof fields['model'] === 'string' ? fields['model'] : '';
  const list = Array.isArray(fields['messages']) ? (fields['messages'] as unknown[]) : [];
  const messages = list.map((message) => {
    const entry = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : {};
    return { role: typeof entry['role'] === 'string' ? entry['role'] : '', content: contentText(entry['content']) };
  });
  return { model, messages };
}

function checkMessage(message: unknown, index: number): ErrorAnswer | undefined {
  const at = `messages[${index}]`;
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return invalidRequest(`Invalid type for '${at}': expected an object, but got ${typeName(message)} instead.`, at, 'invalid_type');
  }
  const { role, content } = message as Record<string, unknown>;
  if (role === undefined) return invalidRequest(`Missing required parameter: '${at}.role'.`, `${at}.role`, 'missing_required_parameter');
  if (typeof role !== 'string' || !ROLES.includes(role)) {
    return invalidRequest(`Invalid value: ${JSON.stringify(role)}. Supported values are: ${ROLES.map((name) => `'${name}'`).join(', ')}.`, `${at}.role`, 'invalid_value');
  }
  // An assistant turn that only called tools carries no content.
  if (content === undefined || content === null) {
    return role === 'assistant' ? undefined : invalidRequest(`Missing required parameter: '${at}.content'.`, `${at}.content`, 'missing_required_parameter');
  }
  if (typeof content !== 'string' && !Array.isArray(content)) {
    return invalidRequest(`Invalid type for '${at}.content': expected one of a string or array of objects, but got ${typeName(content)} instead.`, `${at}.content`, 'invalid_type');
  }
  return undefined;
}

function checkRange(name: string, value: unknown, min: number, max: number, integer: boolean): ErrorAnswer | undefined {
  if (value === undefined || value === null) return undefined;
  const kind = integer ? 'integer' : 'decimal';
  if (typeof value !== 'number' || (integer && !Number.isInteger(value))) {
    return invalidRequest(`Invalid type for '${name}': expected ${integer ? 'an integer' : 'a number'}, but got ${typeName(value)} instead.`, name, 'invalid_type');
  }
  if (value < min) return invalidRequest(`Invalid '${name}': ${kind} below minimum value. Expected a value >= ${min}, but got ${value} instead.`, name, `${kind}_below_min_value`);
  if (value > max) return invalidRequest(`Invalid '${name}': ${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`, name, `${kind}_above_max_value`);
  return undefined;
}

/** Validates a parsed JSON body the way the real API does, as far as a fake needs to. */
export function parseChatRequest(body: unknown): ChatRequest | ErrorAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalidRequest(`Invalid type for the request body: expected an object, but got ${typeName(body)} instead.`);
  }
  const fields = body as Record<string, unknown>;
  const { model, messages, temperature, max_tokens: maxTokens, max_completion_tokens: maxCompletionTokens, stream, stream_options: streamOptions } = fields;
  if (model === undefined || model === null || model === '') return invalidRequest('you must provide a model parameter');
  if (typeof model !== 'string') return invalidRequest(`Invalid type for 'model': expected a string, but got ${typeName(model)} instead.`, 'model', 'invalid_type');
  if (messages === undefined) return invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(messages)) {
    return invalidRequest(`Invalid type for 'messages': expected an array of objects, but got ${typeName(messages)} instead.`, 'messages', 'invalid_type');
  }
  if (messages.length === 0) {
    return invalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
  }
  for (const [index, message] of messages.entries()) {
    const problem = checkMessage(message, index);
    if (problem) return problem;
  }
  const rangeProblem =
    checkRange('temperature', temperature, 0, 2, false) ??
    checkRange('max_tokens', maxTokens, 1, Number.MAX_SAFE_INTEGER, true) ??
    checkRange('max_completion_tokens', maxCompletionTokens, 1, Number.MAX_SAFE_INTEGER, true);
  if (rangeProblem) return rangeProblem;
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    return invalidRequest(`Invalid type for 'stream': expected a boolean, but got ${typeName(stream)} instead.`, 'stream', 'invalid_type');
  }
  const limit = (maxCompletionTokens ?? maxTokens ?? undefined) as number | undefined;
  const includeUsage = typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as Record<string, unknown>)['include_usage'] === true;
  return { model, messages: looseSummary(fields).messages, maxTokens: limit, stream: stream === true, streamUsage: includeUsage };
}

/** True when parseChatRequest rejected the body. */
export function isErrorAnswer(value: ChatRequest | ErrorAnswer): value is ErrorAnswer {
  return 'status' in value;
}
