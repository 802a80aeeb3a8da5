import type { FastifyRequest } from 'fastify';
import { AppError, type Caller } from '@agentmarket/contracts';

/** The authenticated caller as services see it; requireAgent has run before any route that asks. */
export function callerOf(request: FastifyRequest): Caller {
  if (request.isAdmin) return { type: 'admin', id: 'admin' };
  const principal = request.principal;
  if (!principal) throw new AppError('unauthenticated', 'Send your API key in the X-Agent-Key header');
  return { type: 'agent', id: principal.agent_id };
}

/** The calling agent's id. */
export function agentIdOf(request: FastifyRequest): string {
  const id = callerOf(request).id;
  if (!id) throw new AppError('unauthenticated', 'Send your API key in the X-Agent-Key header');
  return id;
}
