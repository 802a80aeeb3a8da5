import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SUBJECTS, isAppError } from '@agentmarket/contracts';
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
import { agentIdOf, callerOf } from './caller.ts';
import { errorResponseSchema, errorResponses } from './schemas.ts';

const tags = ['auth'];

/** Identity's own lockout (per email) carries its wait in the details; HTTP clients get it as Retry-After too. */
function withRetryAfter(reply: FastifyReply, error: unknown): never {
  if (isAppError(error) && error.code === 'rate_limited' && typeof error.details.retry_after_seconds === 'number') {
    reply.header('retry-after', error.details.retry_after_seconds);
  }
  throw error;
}

/**
 * People's accounts and tokens: sign-up, login, agent key → JWT, and a user's own account. Sign-ups and
 * logins spend their own per-address hourly budgets (plugins/rate-limit.ts); each costs an scrypt run.
 */
export function authRoutes(app: FastifyInstance, bus: BusClient): void {
  const subjects = SUBJECTS.identity;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));

  zodRoute(app, {
    method: 'POST',
    url: '/api/users',
    summary: 'Sign up as a buyer (an email already registered gets the same answer and changes nothing)',
    tags,
    access: 'public',
    body: registerUserInputSchema,
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
    access: 'public',
    body: loginInputSchema,
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
    // Only the key mints: a token minting tokens would outlive the key it came from, and a stolen token could renew itself forever.
    access: 'agent_key',
    responses: { 200: agentAccessTokenSchema, ...errorResponses, 403: errorResponseSchema },
    handler: async (request) => call<AgentAccessToken>(subjects.agentToken, { agent_id: agentIdOf(request) }, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/users/me',
    summary: 'My account (people: buyers and admins)',
    tags,
    access: 'person',
    responses: { 200: userAccountSchema, ...errorResponses, 403: errorResponseSchema },
    handler: async (request) => call<UserAccount>(ACCOUNT_SUBJECTS.getUser, { user_id: callerOf(request).id }, request),
  });
}
