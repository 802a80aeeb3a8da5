import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AgentCard, SSE_HEADERS, formatSSEEvent, formatSSEErrorEvent } from '@a2a-js/sdk';
import { JsonRpcTransportHandler, ServerCallContext, validateVersion } from '@a2a-js/sdk/server';
import { LegacyJsonRpcTransportHandler } from '@a2a-js/sdk/compat/v0_3/server';
import { AppError } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { forwardedCaller } from '../in-process/route-call.ts';
import { challengeOnUnauthenticated } from '../auth/credential-challenge.ts';
import type { RequestCaller } from '../plugins/request-caller.ts';
import { accountOf, asClient } from '../routes/caller.ts';
import type { EventHub } from '../sse/event-hub.ts';
import type { StreamSlots } from '../sse/stream-slots.ts';
import { A2A_LEGACY_PROTOCOL_VERSION, marketCard } from './agent-cards.ts';
import type { AgentCardSource } from './agent-card-source.ts';
import { JobRequestHandler } from './job-request-handler.ts';

const CARD_MAX_AGE_SECONDS = 60;
const HEARTBEAT_MS = 15_000;
const agentIdParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } as const;

type JsonRpcAnswer = Record<string, unknown>;
type RpcResult = JsonRpcAnswer | AsyncGenerator<JsonRpcAnswer, void, undefined>;
const isStream = (result: RpcResult): result is AsyncGenerator<JsonRpcAnswer, void, undefined> => Symbol.asyncIterator in result;

/** Sends a card with an ETag of its bytes: a client revalidating an unchanged card gets 304. */
function sendCard(request: FastifyRequest, reply: FastifyReply, card: AgentCard): FastifyReply {
  const body = JSON.stringify(AgentCard.toJSON(card));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply.header('cache-control', `public, max-age=${CARD_MAX_AGE_SECONDS}`).header('etag', etag);
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type('application/json').send(body);
}

/**
 * A2A (v1.0, JSON-RPC binding; v0.3 method names too): the market's card,
 * every selling agent's card, and each agent's JSON-RPC endpoint. The SDK's
 * transport handlers parse and answer JSON-RPC; JobRequestHandler does the work.
 */
export function a2aRoutes(app: FastifyInstance, deps: { hub: EventHub; cards: AgentCardSource; slots: StreamSlots; bus: BusClient; publicUrl: string }): void {
  const baseUrlOf = (request: FastifyRequest) => deps.publicUrl || `${request.protocol}://${request.host}`;

  app.get('/.well-known/agent-card.json', { schema: { hide: true } }, async (request, reply) => sendCard(request, reply, marketCard(baseUrlOf(request))));

  app.get<{ Params: { id: string } }>('/a2a/agents/:id/.well-known/agent-card.json', { schema: { hide: true, params: agentIdParams } }, async (request, reply) => {
    const card = await deps.cards.cardOf(request.params.id, baseUrlOf(request), forwardedCaller(request));
    if (!card) throw new AppError('not_found', 'No agent with active services has this id', {});
    return sendCard(request, reply, card);
  });

  app.post<{ Params: { id: string } }>(
    '/a2a/agents/:id',
    {
      schema: { hide: true, params: agentIdParams },
      config: { access: 'party' },
      onSend: challengeOnUnauthenticated,
    },
    async (request, reply) => {
      const card = await deps.cards.cardOf(request.params.id, baseUrlOf(request), forwardedCaller(request));
      if (!card) throw new AppError('not_found', 'No agent with active services has this id', {});
      const requestedVersion = typeof request.headers['a2a-version'] === 'string' ? request.headers['a2a-version'] : A2A_LEGACY_PROTOCOL_VERSION;
      const rpcId = (request.body as { id?: unknown } | undefined)?.id ?? null;
      // The response's 'close' (sent, or the client went away), not the request's: that one fires once the body is read.
      const aborted = new AbortController();
      reply.raw.on('close', () => aborted.abort());
      const handler = new JobRequestHandler({
        app,
        hub: deps.hub,
        caller: forwardedCaller(request),
        agentId: request.params.id,
        card,
        signal: aborted.signal,
        bus: deps.bus,
        // An admin owns no push-notification configs (webhooks): only an agent or a person does.
        owner: asClient(request.caller),
      });
      const legacy = requestedVersion === A2A_LEGACY_PROTOCOL_VERSION;
      const mapError = legacy ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError : JsonRpcTransportHandler.mapToJSONRPCError;
      const context = new ServerCallContext({
        requestedVersion,
        user: { isAuthenticated: true, userName: userNameOf(request.caller) },
        state: new Map([['headers', request.headers]]),
      });
      let result: RpcResult;
      try {
        validateVersion(requestedVersion, card, 'JSONRPC');
        const transport = legacy ? new LegacyJsonRpcTransportHandler(handler) : new JsonRpcTransportHandler(handler);
        result = (await transport.handle(request.body as Record<string, unknown>, context)) as RpcResult;
      } catch (error) {
        return reply.send({ jsonrpc: '2.0', id: rpcId, error: mapError(error) });
      }
      if (!isStream(result)) return reply.send(result);
      return streamAnswers(request, reply, result, { slots: deps.slots, rpcId, mapError });
    },
  );
}

/** The caller's name in the A2A SDK's call context: its account, or `admin` for the operators' key. */
function userNameOf(caller: RequestCaller): string {
  const account = accountOf(caller);
  return account ? `${account.type}:${account.id}` : 'admin';
}

/**
 * A streaming method's answers as SSE. The first answer is awaited before
 * the stream opens, so a request that fails at once is a plain JSON-RPC error.
 */
async function streamAnswers(
  request: FastifyRequest,
  reply: FastifyReply,
  answers: AsyncGenerator<JsonRpcAnswer, void, undefined>,
  options: { slots: StreamSlots; rpcId: unknown; mapError: (error: unknown) => unknown },
): Promise<void> {
  const errorAnswer = (error: unknown) => ({ jsonrpc: '2.0', id: options.rpcId, error: options.mapError(error) });
  let first: IteratorResult<JsonRpcAnswer, void>;
  try {
    first = await answers.next();
  } catch (error) {
    return void reply.send(errorAnswer(error));
  }
  // A task stream counts against the same caps as the live feed (per caller and per replica).
  let releaseSlot: () => void;
  try {
    releaseSlot = options.slots.open({ ip: request.ip, caller: accountOf(request.caller) });
  } catch (error) {
    await answers.return();
    if (error instanceof AppError) reply.header('retry-after', error.details.retry_after_seconds);
    throw error;
  }
  reply.hijack();
  request.raw.socket.setTimeout(0);
  const response = reply.raw;
  response.writeHead(200, { ...SSE_HEADERS, 'x-request-id': request.id });
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
  try {
    if (!first.done) response.write(formatSSEEvent(first.value));
    for await (const answer of { [Symbol.asyncIterator]: () => answers }) response.write(formatSSEEvent(answer));
  } catch (error) {
    if (!response.writableEnded) response.write(formatSSEErrorEvent(errorAnswer(error)));
  } finally {
    clearInterval(heartbeat);
    releaseSlot();
    if (!response.writableEnded) response.end();
  }
}
