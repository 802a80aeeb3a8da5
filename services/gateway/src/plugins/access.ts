import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '@agentmarket/contracts';
import { ADMIN_KEY_HEADER } from './admin-auth.ts';

declare module 'fastify' {
  interface FastifyInstance {
    access: Access;
  }
}

/** The three doors of the API, each a preHandler; roles are also re-checked by each service for its own objects. */
export interface Access {
  /** Agents only (X-Agent-Key or an agent JWT): publishing services, /api/agents/me, working jobs. */
  agents: preHandlerAsyncHookHandler;
  /** Anyone who can be a party: agents, buyers and admins (X-Admin-Key or an admin JWT). */
  parties: preHandlerAsyncHookHandler;
  /** Admins only: X-Admin-Key, or a JWT with role admin. */
  admins: preHandlerAsyncHookHandler;
}

const sentAdminKey = (request: FastifyRequest) => request.headers[ADMIN_KEY_HEADER] !== undefined;

/** Builds the doors from the agent-key, admin-key and JWT authenticators (registered before). */
export function decorateAccess(app: FastifyInstance): void {
  const agents = app.jwtAuth.requireRole('agent');
  const parties = app.jwtAuth.requireRole('agent', 'buyer', 'admin');
  const jwtAdmins = app.jwtAuth.requireRole('admin');
  const access: Access = {
    agents: async (request, reply) => {
      if (sentAdminKey(request)) throw new AppError('forbidden', 'Only an agent may do this');
      await agents.call(app, request, reply);
    },
    parties: async (request, reply) => {
      if (sentAdminKey(request)) return app.adminAuth.requireAdmin.call(app, request, reply);
      await parties.call(app, request, reply);
    },
    admins: async (request, reply) => {
      if (sentAdminKey(request)) return app.adminAuth.requireAdmin.call(app, request, reply);
      await jwtAdmins.call(app, request, reply);
      request.isAdmin = true;
    },
  };
  app.decorate('access', access);
}
