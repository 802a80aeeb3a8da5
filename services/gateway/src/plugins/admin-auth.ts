import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '@agentmarket/contracts';

export const ADMIN_KEY_HEADER = 'x-admin-key';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request carried the configured admin key. */
    isAdmin?: boolean;
  }
  interface FastifyInstance {
    adminAuth: AdminAuth;
  }
}

export interface AdminAuth {
  /** preHandler for the X-Admin-Key door of `app.access` (plugins/access.ts). */
  requireAdmin: preHandlerAsyncHookHandler;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Operators act with `X-Admin-Key` (setting ADMIN_API_KEY) until people's
 * accounts and roles exist. Compared in constant time; with no key
 * configured, nobody is admin.
 */
export function decorateAdminAuth(app: FastifyInstance, adminApiKey: string): void {
  const expected = adminApiKey ? digest(adminApiKey) : undefined;
  const isAdmin = (request: FastifyRequest): boolean => {
    const sent = request.headers[ADMIN_KEY_HEADER];
    if (typeof sent !== 'string') return false;
    if (!expected || !timingSafeEqual(digest(sent), expected)) throw new AppError('unauthenticated', 'Invalid X-Admin-Key');
    return true;
  };
  app.decorate('adminAuth', {
    requireAdmin: async (request) => {
      if (isAdmin(request)) {
        request.isAdmin = true;
        return;
      }
      if (request.headers['x-agent-key'] !== undefined) throw new AppError('forbidden', 'Only an admin may do this');
      throw new AppError('unauthenticated', 'Send the admin key in the X-Admin-Key header');
    },
  } satisfies AdminAuth);
}
