import type { FastifyRequest } from 'fastify';
import { AppError, type Caller, type Client } from '@agentmarket/contracts';
import type { RequestCaller } from '../plugins/request-caller.ts';

/**
 * The caller as services see it: an agent, a person (buyer) or an admin,
 * named by id (`admin-key` for the operators' X-Admin-Key). The route's
 * access has set `request.caller` before any handler asks.
 */
export function callerOf(request: FastifyRequest): Caller {
  const caller = request.caller;
  if (caller.kind === 'anonymous') throw new AppError('unauthenticated', 'Send your API key in the X-Agent-Key header, or a Bearer token');
  return { type: caller.kind, id: caller.id };
}

/** The calling agent's id (routes only agents may call). */
export function agentIdOf(request: FastifyRequest): string {
  const caller = callerOf(request);
  if (caller.type !== 'agent' || !caller.id) throw new AppError('forbidden', 'Only an agent may do this');
  return caller.id;
}

/** The caller as a job's client or a wallet's owner: an agent or a person; undefined for an admin or the anonymous. */
export function asClient(caller: RequestCaller): Client | undefined {
  return caller.kind === 'agent' || caller.kind === 'user' ? { type: caller.kind, id: caller.id } : undefined;
}

/** The caller as a job's client or a wallet's owner; an admin is 403. */
export function clientOf(request: FastifyRequest): Client {
  const caller = callerOf(request);
  if (caller.type === 'admin' || !caller.id) throw new AppError('forbidden', 'Only an agent or a buyer may do this');
  return { type: caller.type, id: caller.id };
}

/**
 * The account the caller signed in with — an agent's, or a person's (an
 * admin's JWT is a person's account too) — as registrations, live streams
 * and their caps name it; undefined for the operators' shared key and for
 * the anonymous.
 */
export function accountOf(caller: RequestCaller): Client | undefined {
  if (caller.kind === 'agent' || caller.kind === 'user') return { type: caller.kind, id: caller.id };
  return caller.kind === 'admin' && caller.credential === 'jwt' ? { type: 'user', id: caller.id } : undefined;
}
