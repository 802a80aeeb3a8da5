import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@agentmarket/contracts';
import { ADMIN_KEY_CALLER, type IdentifiedCaller } from './request-caller.ts';

export const ADMIN_KEY_HEADER = 'x-admin-key';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Operators act with `X-Admin-Key` (setting ADMIN_API_KEY) beside admins'
 * own accounts. Compared in constant time; with no key configured, nobody
 * is admin by key. The checker answers undefined when the header is not
 * sent, the admin when it matches, and 401 otherwise.
 */
export function adminKeyChecker(adminApiKey: string): (request: FastifyRequest) => IdentifiedCaller | undefined {
  const expected = adminApiKey ? digest(adminApiKey) : undefined;
  return (request) => {
    const sent = request.headers[ADMIN_KEY_HEADER];
    if (sent === undefined) return undefined;
    if (typeof sent !== 'string' || !expected || !timingSafeEqual(digest(sent), expected)) throw new AppError('unauthenticated', 'Invalid X-Admin-Key');
    return { kind: 'admin', id: ADMIN_KEY_CALLER, credential: 'admin_key' };
  };
}
