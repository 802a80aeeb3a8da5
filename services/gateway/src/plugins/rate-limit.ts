import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '@agentmarket/contracts';
import { agentKeyOf } from './auth.ts';

/** Served from memory (the dashboard's files, figures shared for STATS_CACHE_MS): no reason to count them. */
const UNCOUNTED = new Set(['/healthz', '/readyz', '/metrics', '/', '/api/stats', '/api/graph']);

/**
 * Requests that carry an API key are limited per key; the rest per client
 * IP. Counters live in this replica's memory: with N replicas behind a
 * balancer the effective limit is up to N times higher.
 */
export async function registerRateLimit(
  app: FastifyInstance,
  limits: { perKey: number; perIp: number; windowMs: number },
): Promise<void> {
  const bucketOf = (request: FastifyRequest) => {
    const key = agentKeyOf(request);
    // Bearer tokens are not verified yet at this point: counting them per token would let made-up tokens
    // escape the per-IP limit, so people are counted by IP.
    return key ? `key:${key.digest}` : `ip:${request.ip}`;
  };
  await app.register(rateLimit, {
    global: true,
    timeWindow: limits.windowMs,
    keyGenerator: bucketOf,
    max: (_request, bucket) => (bucket.startsWith('key:') ? limits.perKey : limits.perIp),
    allowList: (request) => {
      const path = request.url.split('?')[0] ?? '';
      return UNCOUNTED.has(path) || path.startsWith('/assets/');
    },
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`, {
        limit: context.max,
        retry_after_seconds: Math.ceil(context.ttl / 1000),
      }),
  });
}
