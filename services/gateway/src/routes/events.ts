import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { z } from 'zod';
import { AppError } from '@agentmarket/contracts';
import type { EventHub } from '../sse/event-hub.ts';
import { replayMissed, type ReplayStart } from '../sse/replay.ts';
import { SseClient } from '../sse/sse-client.ts';
import type { StreamSlots } from '../sse/stream-slots.ts';
import { STREAM_SECURITY_HEADERS } from '../plugins/security-headers.ts';
import { accountOf } from './caller.ts';
import { errorResponseSchema } from './schemas.ts';
import { zodRoute } from '../plugins/zod-routes.ts';

const eventsQuerySchema = z.strictObject({
  types: z.string().max(1000).optional().describe('comma-separated event types to receive'),
  since: z.string().max(64).optional().describe('a stream position (as in Last-Event-ID) or an ISO-8601 time'),
});

function replayStart(request: FastifyRequest, since: string | undefined): ReplayStart | undefined {
  const header = request.headers['last-event-id'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? since;
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) return { afterSeq: Number(raw) };
  const time = Date.parse(raw);
  if (Number.isNaN(time)) {
    throw new AppError('validation_failed', 'Last-Event-ID / since must be an event id or an ISO-8601 time', { since: raw });
  }
  return { fromTime: new Date(time) };
}

export function eventRoutes(
  app: FastifyInstance,
  deps: {
    hub: EventHub;
    slots: StreamSlots;
    jetstream: JetStreamClient;
    manager: JetStreamManager;
    heartbeatMs: number;
    maxBufferBytes: number;
    maxReplay: number;
  },
): void {
  zodRoute(app, {
    method: 'GET',
    url: '/api/events',
    summary: 'Live feed of platform events (Server-Sent Events); resumes with Last-Event-ID or ?since=',
    tags: ['events'],
    // Credentials are optional here, but one that is sent and invalid is 401.
    access: 'optional_account',
    querystring: eventsQuerySchema,
    responses: { 200: z.string().describe('A stream of `id:`/`event:`/`data:` records, one per platform event'), 401: errorResponseSchema },
    contentType: 'text/event-stream',
    handler: async (request, reply) => {
      // An agent key or a Bearer token (agent or person): the stream then carries that party's private events too.
      const caller = accountOf(request.caller);
      const agent = request.caller.kind === 'agent' ? request.caller : undefined;
      const principal = caller ? { agent_id: caller.id, name: agent?.name ?? '', key_id: agent?.keyId ?? '' } : undefined;
      const start = replayStart(request, request.query.since);
      const types = request.query.types ? new Set(request.query.types.split(',').map((type) => type.trim())) : undefined;
      // Caps per caller (anonymous: per address) and per replica; a refusal is 429 too_many_streams.
      let releaseSlot: () => void;
      try {
        releaseSlot = deps.slots.open({ ip: request.ip, caller });
      } catch (error) {
        if (error instanceof AppError) reply.header('retry-after', error.details.retry_after_seconds);
        throw error;
      }
      reply.hijack();
      const response = reply.raw;
      // A stream is a long response, not a slow request: the idle-socket timeout must not cut it (heartbeats flow anyway).
      request.raw.socket.setTimeout(0);
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
        ...STREAM_SECURITY_HEADERS,
      });
      const client = new SseClient({
        response,
        principal,
        types,
        maxBufferBytes: deps.maxBufferBytes,
        onDrop: (reason) => request.log.warn({ reason }, 'SSE client dropped'),
      });
      // Register before replaying so nothing published meanwhile is lost; the client holds it back.
      deps.hub.add(client);
      // An agent's streams end when its key is rotated or it is suspended: they were opened with a credential no longer good.
      const untrack = caller?.type === 'agent' ? deps.slots.track(caller.id, client) : () => {};
      const heartbeat = setInterval(() => client.comment('heartbeat'), deps.heartbeatMs);
      const cleanup = () => {
        clearInterval(heartbeat);
        deps.hub.remove(client);
        untrack();
        releaseSlot();
        client.close();
      };
      response.on('close', cleanup);
      client.comment('connected');
      try {
        if (start) await replayMissed(deps.jetstream, deps.manager, start, deps.maxReplay, (event) => client.send(event));
        client.goLive();
      } catch (error) {
        request.log.warn({ err: error }, 'SSE replay failed');
        cleanup();
      }
    },
  });
}
