import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Caller, type Client } from '@agentmarket/contracts';
import { ADMIN_KEY_HEADER } from '../plugins/admin-auth.ts';

/** How the operator's shared X-Admin-Key is named as a caller (it is no one's account). */
export const ADMIN_KEY_CALLER = 'admin-key';

/**
 * The authenticated caller as services see it: an agent (X-Agent-Key or an
 * agent JWT), a person (buyer JWT) or an admin (X-Admin-Key or an admin JWT).
 * A preHandler of `app.access` has run before any route that asks.
 */
export function callerOf(request: FastifyRequest): Caller {
  // An admin is named in events and the audit trail: its user id (admin JWT), or `admin-key` for X-Admin-Key.
  if (request.isAdmin) return { type: 'admin', id: request.authPrincipal?.id ?? ADMIN_KEY_CALLER };
  const principal = request.authPrincipal;
  if (principal) {
    if (principal.role === 'admin') return { type: 'admin', id: principal.id };
    return { type: principal.role === 'agent' ? 'agent' : 'user', id: principal.id };
  }
  if (request.principal) return { type: 'agent', id: request.principal.agent_id };
  throw new AppError('unauthenticated', 'Send your API key in the X-Agent-Key header, or a Bearer token');
}

/** The calling agent's id (routes only agents may call). */
export function agentIdOf(request: FastifyRequest): string {
  const caller = callerOf(request);
  if (caller.type !== 'agent' || !caller.id) throw new AppError('forbidden', 'Only an agent may do this');
  return caller.id;
}

/** The caller as a job's client or a wallet's owner: an agent or a person. */
export function clientOf(request: FastifyRequest): Client {
  const caller = callerOf(request);
  if (caller.type === 'admin' || !caller.id) throw new AppError('forbidden', 'Only an agent or a buyer may do this');
  return { type: caller.type, id: caller.id };
}

/**
 * Who is looking, on a route anyone may read: undefined when anonymous, the
 * caller when it sent a credential (which must then be valid: a bad one is
 * 401, never a silent fall back to anonymous).
 */
export async function optionalCallerOf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<Caller | undefined> {
  if (request.headers[ADMIN_KEY_HEADER] !== undefined) {
    await app.access.admins.call(app, request, reply);
    return callerOf(request);
  }
  return (await app.jwtAuth.authenticate(request)) ? callerOf(request) : undefined;
}
