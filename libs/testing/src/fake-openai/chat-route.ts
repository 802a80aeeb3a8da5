import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BehaviourQueue } from './behaviours.ts';
import { isErrorAnswer, looseSummary, parseChatRequest, type ChatRequest } from './chat-request.ts';
import { buildAnswer, chatCompletionBody, chatCompletionChunks } from './completion.ts';
import {
  contextLengthExceeded,
  insufficientQuota,
  invalidApiKey,
  missingApiKey,
  rateLimited,
  serverError,
  unparsableJson,
  type ErrorAnswer,
} from './errors.ts';
import { commonHeaders, readBody, sendError, sendJson, waitUnlessClosed } from './respond.ts';
import type { FakeBehaviour, FakeBehaviourKind, ReceivedRequest } from './types.ts';

// Cut inside a string, so that no JSON parser can make sense of it.
const MALFORMED_BODY = '{"id": "chatcmpl-malformed", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Fake ans';

/** What the chat route needs from the running fake. */
export interface ChatRouteContext {
  behaviours: BehaviourQueue;
  requests: ReceivedRequest[];
  defaultLatencyMs: number;
  apiKey: string | undefined;
}

/** The 401 a request gets when the fake has an API key and the request does not carry it. */
export function authProblem(authorization: string | undefined, apiKey: string | undefined): ErrorAnswer | undefined {
  if (apiKey === undefined) return undefined;
  if (!authorization) return missingApiKey();
  return authorization === `Bearer ${apiKey}` ? undefined : invalidApiKey();
}

function sendStream(res: ServerResponse, request: ChatRequest, content: string | undefined): void {
  if (res.destroyed) return;
  res.writeHead(200, { ...commonHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  for (const chunk of chatCompletionChunks(request, buildAnswer(request, content))) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** The echo behaviour's answer: every message of the prompt, in order, as "role: content". */
function echoedPrompt(request: ChatRequest): string {
  return request.messages.map((message) => `${message.role}: ${message.content}`).join('\n\n');
}

async function answerOk(res: ServerResponse, request: ChatRequest, behaviour: Extract<FakeBehaviour, { kind: 'ok' }>, defaultLatencyMs: number): Promise<void> {
  const started = Date.now();
  if (!(await waitUnlessClosed(res, behaviour.latencyMs ?? defaultLatencyMs))) return;
  const content = behaviour.echo ? echoedPrompt(request) : behaviour.content;
  if (request.stream) return sendStream(res, request, content);
  sendJson(res, 200, chatCompletionBody(request, buildAnswer(request, content)), { 'openai-processing-ms': String(Date.now() - started) });
}

async function act(res: ServerResponse, request: ChatRequest, behaviour: FakeBehaviour, context: ChatRouteContext): Promise<void> {
  switch (behaviour.kind) {
    case 'ok':
      return answerOk(res, request, behaviour, context.defaultLatencyMs);
    case 'rate_limited':
      return sendError(res, rateLimited(request.model, behaviour.retryAfterSeconds));
    case 'server_error':
      return sendError(res, serverError(behaviour.status));
    case 'hang':
      // Never answered: the request ends when the client gives up or stop() destroys the socket.
      return;
    case 'malformed':
      res.writeHead(200, { ...commonHeaders(), 'content-type': 'application/json' });
      res.end(MALFORMED_BODY);
      return;
    case 'insufficient_quota':
      return sendError(res, insufficientQuota());
    case 'bad_request':
      return sendError(res, contextLengthExceeded());
    case 'unauthorized':
      return sendError(res, invalidApiKey());
  }
}

/** POST /v1/chat/completions: checks the key and the body, then does what the next behaviour says. */
export async function handleChatCompletion(req: IncomingMessage, res: ServerResponse, context: ChatRouteContext): Promise<void> {
  const at = Date.now();
  const authorization = req.headers.authorization;
  let raw: string;
  try {
    raw = await readBody(req);
  } catch {
    return;
  }
  let body: unknown;
  let parsed = true;
  try {
    body = JSON.parse(raw);
  } catch {
    parsed = false;
  }
  // A rejected request does not take a queued behaviour: the queue is for requests the real API would accept.
  const reject = (kind: FakeBehaviourKind, answer: ErrorAnswer) => {
    context.requests.push({ at, ...looseSummary(body), authorization, behaviour: kind });
    sendError(res, answer);
  };
  const unauthorized = authProblem(authorization, context.apiKey);
  if (unauthorized) return reject('unauthorized', unauthorized);
  if (!parsed) return reject('bad_request', unparsableJson());
  const request = parseChatRequest(body);
  if (isErrorAnswer(request)) return reject('bad_request', request);
  const behaviour = context.behaviours.next();
  context.requests.push({ at, model: request.model, messages: request.messages, authorization, behaviour: behaviour.kind });
  await act(res, request, behaviour, context);
}
