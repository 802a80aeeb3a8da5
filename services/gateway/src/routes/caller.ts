import type { FastifyRequest } from 'fastify';
import { AppError, type Caller, type Client } from '@agentmarket/contracts';

/**
 * The authenticated caller as services see it: an agent (X-Agent-Key or an
 * agent JWT), a person (buyer JWT) or an admin (X-Admin-Key or an admin JWT).
 * A preHandler of `app.access` has run before any route that asks.
 */
export function callerOf(request: FastifyRequest): Caller {
  if (request.isAdmin) return { type: 'admin', id: request.authPrincipal?.id ?? 'admin' };
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
