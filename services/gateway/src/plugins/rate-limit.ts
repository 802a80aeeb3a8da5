import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@agentmarket/contracts';
import type { LimitDecision, WindowLimiter } from '../limits/window-limiter.ts';
import { callerKeyOf } from './request-caller.ts';

/** Served from memory (the dashboard's files, figures shared for STATS_CACHE_MS): no reason to count them. */
export const UNCOUNTED = new Set(['/healthz', '/readyz', '/metrics', '/', '/api/stats', '/api/graph']);

/** Routes with an hourly per-IP budget of their own (each costs a key, a grant or an scrypt run), matched by method and route. */
const HOURLY_BUDGETS: Record<string, 'registration' | 'login'> = {
  'POST /api/agents': 'registration',
  'POST /api/users': 'registration',
  'POST /api/auth/login': 'login',
  'POST /api/auth/token': 'login',
};

export interface RateLimits {
  /** Requests per window of one verified caller (agent, person, admin). */
  perCaller: number;
  /** Requests per window of one address without a verified credential. */
  perIp: number;
  /** Per address and hour. */
  registrationsPerHour: number;
  loginsPerHour: number;
}

/**
 * The caller the request proved to be — `agent:<id>`, `user:<id>`,
 * `admin:<id>` — or undefined when it proved nothing. A missing, malformed,
 * unknown, expired or suspended credential is undefined here (the request
 * is then counted by address) and answered by the route itself, which sees
 * the same verdict (authentication runs once per request).
 */
async function verifiedCallerOf(app: FastifyInstance, request: FastifyRequest): Promise<string | undefined> {
  try {
    return callerKeyOf(await app.authentication.identify(request));
  } catch {
    return undefined;
  }
}

function refuse(reply: FastifyReply, decision: LimitDecision, what: string): never {
  reply.header('retry-after', decision.resetSeconds);
  setLimitHeaders(reply, decision);
  throw new AppError('rate_limited', `Too many ${what}; retry in ${decision.resetSeconds} s`, {
    limit: decision.limit,
    retry_after_seconds: decision.resetSeconds,
  });
}

function setLimitHeaders(reply: FastifyReply, decision: LimitDecision): void {
  reply
    .header('x-ratelimit-limit', decision.limit)
    .header('x-ratelimit-remaining', decision.remaining)
    .header('x-ratelimit-reset', decision.resetSeconds);
}

/**
 * Limits keyed by who the caller really is, counted once authentication has
 * run: a verified agent, person or admin has its own budget per window; a
 * request without a verified credential (none, made up, rotated, expired)
 * counts against its client address — before the route answers its 401, so
 * made-up keys cannot escape the address limit. Registration and login have
 * hourly per-address budgets on top. Counts are shared by every gateway
 * replica (WindowLimiter over NATS KV), so N replicas do not give N times
 * the limit. Every refusal is 429 `rate_limited` with Retry-After.
 */
export function registerRateLimit(app: FastifyInstance, deps: { perWindow: WindowLimiter; perHour: WindowLimiter; limits: RateLimits }): void {
  const { limits } = deps;
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (UNCOUNTED.has(path) || path.startsWith('/assets/')) return;
    const caller = await verifiedCallerOf(app, request);
    const general = caller
      ? await deps.perWindow.take(`caller:${caller}`, limits.perCaller)
      : await deps.perWindow.take(`ip:${request.ip}`, limits.perIp);
    if (!general.allowed) refuse(reply, general, caller ? 'requests from this caller' : 'requests from this address');
    setLimitHeaders(reply, general);

    const budget = HOURLY_BUDGETS[`${request.method} ${request.routeOptions.url ?? ''}`];
    if (budget) {
      const perHour = budget === 'registration' ? limits.registrationsPerHour : limits.loginsPerHour;
      const decision = await deps.perHour.take(`${budget}:${request.ip}`, perHour);
      if (!decision.allowed) refuse(reply, decision, budget === 'registration' ? 'registrations from this address' : 'logins from this address');
    }
  });
}
