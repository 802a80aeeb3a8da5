import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type {} from '@fastify/rate-limit';
import { AppError, SUBJECTS, isAppError } from '@agentmarket/contracts';
import {
  ACCOUNT_SUBJECTS,
  agentAccessTokenSchema,
  loginInputSchema,
  registerUserInputSchema,
  registeredUserSchema,
  userAccessTokenSchema,
  userAccountSchema,
  type AgentAccessToken,
  type RegisteredUser,
  type UserAccessToken,
  type UserAccount,
} from '@agentmarket/auth';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf } from '../plugins/idempotency.ts';
import { zodRoute } from '../plugins/zod-routes.ts';
import { agentIdOf } from './caller.ts';
import { errorResponseSchema, errorResponses } from './schemas.ts';

const tags = ['auth'];

export interface AuthRouteLimits {
  /** Sign-ups, and separately logins, one client IP may send per window: each costs an scrypt run. */
  perIp: number;
  windowMs: number;
}

/**
 * A tighter per-IP limit for one route, beside the global one: its own
 * counters (`<name>:<ip>`) in the rate-limit plugin's store.
 */
function perIpLimit(app: FastifyInstance, name: string, limits: AuthRouteLimits): preHandlerAsyncHookHandler {
  const check = app.createRateLimit({ max: limits.perIp, timeWindow: limits.windowMs, keyGenerator: (request) => `${name}:${request.ip}` });
  return async (request, reply) => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', result.ttlInSeconds);
    throw new AppError('rate_limited', `Too many attempts from this address; retry in ${result.ttlInSeconds} s`, {
      limit: result.max,
      retry_after_seconds: result.ttlInSeconds,
    });
  };
}

/** Identity's own lockout (per email) carries its wait in the details; HTTP clients get it as Retry-After too. */
function withRetryAfter(reply: FastifyReply, error: unknown): never {
  if (isAppError(error) && error.code === 'rate_limited' && typeof error.details.retry_after_seconds === 'number') {
    reply.header('retry-after', error.details.retry_after_seconds);
  }
  throw error;
}

/** People's accounts and tokens: sign-up, login, agent key → JWT, and a user's own account. */
export function authRoutes(app: FastifyInstance, bus: BusClient, limits: AuthRouteLimits): void {
  const subjects = SUBJECTS.identity;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));

  zodRoute(app, {
    method: 'POST',
    url: '/api/users',
    summary: 'Sign up as a buyer (an email already registered gets the same answer and changes nothing)',
    tags,
    body: registerUserInputSchema,
    preHandler: perIpLimit(app, 'sign-up', limits),
    responses: { 201: registeredUserSchema, ...errorResponses },
    handler: async (request, reply) => {
      const registered = await call<RegisteredUser>(subjects.registerUser, request.body, request);
      return reply.status(201).send(registered);
    },
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/auth/login',
    summary: 'Log in with email and password: a short-lived access token (JWT)',
    tags,
    body: loginInputSchema,
    preHandler: perIpLimit(app, 'login', limits),
    responses: { 200: userAccessTokenSchema, ...errorResponses },
    handler: async (request, reply) =>
      call<UserAccessToken>(subjects.login, { ...request.body, client_ip: request.ip }, request).catch((error: unknown) =>
        withRetryAfter(reply, error),
      ),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/auth/token',
    summary: "Exchange the agent's API key for a short-lived access token (role agent)",
    tags,
    auth: 'agent',
    preHandler: app.access.agents,
    responses: { 200: agentAccessTokenSchema, ...errorResponses },
    handler: async (request) => call<AgentAccessToken>(subjects.agentToken, { agent_id: agentIdOf(request) }, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/users/me',
    summary: 'My account (people: buyers and admins)',
    tags,
    preHandler: app.jwtAuth.requireRole('buyer', 'admin'),
    responses: { 200: userAccountSchema, ...errorResponses, 403: errorResponseSchema },
    handler: async (request) => call<UserAccount>(ACCOUNT_SUBJECTS.getUser, { user_id: request.authPrincipal?.id }, request),
  });
}
