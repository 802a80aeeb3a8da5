import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { registerSseConnectionsGauge } from '../sse/connections-gauge.ts';

/** Requests no route matched (404s, scanners): one label value, never the raw URL. */
const UNMATCHED_ROUTE = 'unmatched';
/** Node parses any token as a method; only these are label values, the rest are `other`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Routes whose answer is a Server-Sent Event stream (routes/events.ts). */
const EVENT_STREAM_ROUTES = new Set(['/api/events']);

/**
 * Requests by route pattern and status, and their latency, for every
 * request the API listener answers. Labels stay bounded whatever callers
 * send: the route is the pattern Fastify matched (`/api/jobs/:id`), the
 * method one of a fixed set. The latency histogram takes the status class
 * (2xx…5xx) so that its series stay few; an event stream is counted
 * when it ends but not timed (its "latency" is how long the reader stayed).
 */
export function registerHttpMetrics(app: FastifyInstance, deps: { registry: Registry; openStreams: () => number }): void {
  const requests = new Counter({
    name: 'agentmarket_http_requests_total',
    help: 'HTTP requests answered by the gateway, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [deps.registry],
  });
  const seconds = new Histogram({
    name: 'agentmarket_http_request_seconds',
    help: 'Time from request received to response sent, by method, route pattern and status class (event streams excluded)',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [deps.registry],
  });
  registerSseConnectionsGauge(deps.registry, deps.openStreams);

  const labelsOf = (request: FastifyRequest) => ({ method: KNOWN_METHODS.has(request.method) ? request.method : 'other', route: routeOf(request) });

  app.addHook('onResponse', async (request, reply) => {
    if (EVENT_STREAM_ROUTES.has(routeOf(request))) return;
    const labels = labelsOf(request);
    requests.inc({ ...labels, status: String(reply.statusCode) });
    seconds.observe({ ...labels, status_class: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
  });
  // An event stream takes over its response (reply.hijack): Fastify runs no onResponse hook when its reader
  // goes away. It is counted when its connection closes, refused (429) or not, with the status it was answered.
  app.addHook('onRequest', async (request, reply) => {
    if (!EVENT_STREAM_ROUTES.has(routeOf(request))) return;
    reply.raw.once('close', () => requests.inc({ ...labelsOf(request), status: String(reply.raw.statusCode) }));
  });
}

function routeOf(request: FastifyRequest): string {
  // Fastify's not-found handler has no route url: every unknown path shares one label.
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}
