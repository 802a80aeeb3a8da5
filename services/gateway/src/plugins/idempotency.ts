import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@agentmarket/contracts';
import type { IdempotencyRecord, IdempotencyStore } from '../idempotency/idempotency-store.ts';
import type { RequestOptions } from '@agentmarket/messaging';
import { callerOf } from '../routes/caller.ts';
import { callerKeyOf } from './request-caller.ts';
import { sentBodyOf } from './zod-routes.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const POLL_MS = 25;

const claims = new WeakMap<FastifyRequest, { storeKey: string; fingerprint: string }>();

/** The Idempotency-Key the client sent, if any (already validated by the hook). */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_HEADER];
  return Array.isArray(raw) ? raw[0] : raw;
}

/**
 * What a bus command carries besides its payload: the request id, and on a
 * POST with an Idempotency-Key that key scoped by the verified caller (or,
 * for anonymous routes, the client IP) and the route. The owning service
 * records it with the effect: that record, not the KV store here, is what
 * makes a retry safe.
 */
export function busOptionsOf(request: FastifyRequest): RequestOptions {
  const key = idempotencyKeyOf(request);
  if (request.method !== 'POST' || key === undefined || !KEY_PATTERN.test(key) || STATELESS.has(request.routeOptions.url ?? '')) {
    return { requestId: request.id };
  }
  let scope: string;
  try {
    const caller = callerOf(request);
    scope = `${caller.type}:${caller.id}`;
  } catch {
    scope = `ip:${request.ip}`;
  }
  return { requestId: request.id, idempotencyKey: `${scope}\n${request.routeOptions.url ?? request.url}\n${key}` };
}

/**
 * Routes whose service needs no key: login and token minting change nothing durable, and a
 * person's sign-up is idempotent by email already (a repeat stores nothing).
 */
export const STATELESS = new Set(['/api/auth/login', '/api/auth/token', '/api/users']);

/** Routes whose bodies and answers hold secrets (passwords, access tokens): never stored. */
const NOT_STORED = new Set(['/api/users', '/api/auth/login', '/api/auth/token']);

/**
 * Routes whose answer is a secret shown once (a new API key): the answer is never stored. A repeat of
 * one that succeeded gets 409 `key_already_issued` (the record says only that it succeeded), never the key.
 */
/** Routes whose answer holds a secret shown once (an API key, a webhook signing secret), with what to do if it was lost. */
const SECRET_ANSWERS = new Map([
  ['/api/agents', 'API key'],
  ['/api/agents/me/keys', 'API key'],
  ['/api/webhooks', 'webhook secret'],
  ['/api/webhooks/:id/rotate-secret', 'webhook secret'],
]);
const RECOVERY: Record<string, string> = {
  'API key': 'rotate it with POST /api/agents/me/keys (with a key that still works) or register a new agent with a new Idempotency-Key',
  'webhook secret': 'rotate it with POST /api/webhooks/{id}/rotate-secret (with a new Idempotency-Key)',
};

const shownOnce = (secret: string) =>
  JSON.stringify({
    error: {
      code: 'key_already_issued',
      message: `This request succeeded before and its ${secret} was shown once, in that answer; it is not kept and is never shown again. If it was lost, ${RECOVERY[secret]}.`,
      details: {},
    },
  });

/**
 * Keys belong to the verified caller: the same key from two agents is two keys. The credential is
 * verified first (a bad one is 401 here), so a stored answer is never replayed to a request whose
 * credential is invalid — a rotated key, a made-up one — even when it repeats the same header.
 */
async function scopeOf(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  return callerKeyOf(await app.authentication.identify(request)) ?? `ip:${request.ip}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `Idempotency-Key` on POST (API.md): the first request with a key runs and
 * its response (status and body) is stored for 24 h; a repeat with the same
 * body gets that response again with no new effect, a repeat with another
 * body (or on another route) is 409 `idempotency_key_reused`. Concurrent
 * duplicates wait for the first to finish. A 5xx is not stored, so the
 * client may retry; a claim whose gateway died is taken over after `leaseMs`.
 * This store is a fast path: when it cannot be reached the request goes on,
 * and the owning service's record of the key keeps the retry safe.
 */
export function registerIdempotency(app: FastifyInstance, options: { store: IdempotencyStore; waitMs: number; leaseMs: number }): void {
  const { store } = options;

  // A preHandler: it runs once the body is parsed and validated, and verifies the caller itself first.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || NOT_STORED.has(request.routeOptions.url ?? '')) return;
    const key = idempotencyKeyOf(request);
    if (key === undefined) return;
    if (!KEY_PATTERN.test(key)) {
      throw new AppError('validation_failed', 'Invalid Idempotency-Key', { 'headers.idempotency-key': '1 to 200 visible ASCII characters' });
    }
    // Outside the try: an unverifiable credential (401/403) or an unreachable identity (503) answers the request.
    const scope = await scopeOf(app, request);
    try {
      return await fastPath(request, reply, scope, key);
    } catch (error) {
      if (error instanceof AppError) throw error;
      // The KV store is unreachable (NATS down or slow): go on without the fast path. The owning
      // service's record of the key is the guarantee; the request itself answers 503 if the bus is down.
      request.log.warn({ err: error }, 'idempotency fast path unavailable; relying on the service record');
    }
  });

  /** Replays a stored answer, waits for a concurrent twin, or claims the key for this request. */
  const fastPath = async (request: FastifyRequest, reply: FastifyReply, scope: string, key: string) => {
    const storeKey = sha256(`${scope}\n${key}`);
    const fingerprint = sha256(`${request.method} ${request.url}\n${JSON.stringify(sentBodyOf(request) ?? null)}`);
    const pending: IdempotencyRecord = { state: 'pending', fingerprint, claimed_at: Date.now() };
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      if (await store.claim(storeKey, pending)) {
        claims.set(request, { storeKey, fingerprint });
        return;
      }
      const current = await store.read(storeKey);
      if (!current) continue;
      if (current.record.fingerprint !== fingerprint) {
        throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with another request', {});
      }
      if (current.record.state === 'done') {
        return reply
          .status(current.record.status)
          .header('content-type', current.record.content_type)
          .header('idempotent-replayed', 'true')
          .send(current.record.body);
      }
      const abandoned = Date.now() - current.record.claimed_at > options.leaseMs;
      if (abandoned && (await store.replace(storeKey, pending, current.revision))) {
        claims.set(request, { storeKey, fingerprint });
        return;
      }
      if (Date.now() > deadline) {
        throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress; retry later', {});
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    try {
      const secret = reply.statusCode < 300 ? SECRET_ANSWERS.get(request.routeOptions.url ?? '') : undefined;
      if (reply.statusCode >= 500) await store.release(claim.storeKey);
      else {
        await store.store(claim.storeKey, {
          state: 'done',
          fingerprint: claim.fingerprint,
          status: secret ? 409 : reply.statusCode,
          body: secret ? shownOnce(secret) : typeof payload === 'string' ? payload : String(payload ?? ''),
          content_type: secret ? 'application/json; charset=utf-8' : String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        });
      }
    } catch (error) {
      // The response still goes out; a repeat then waits for the lease and runs again (hire is idempotent by key in jobs too).
      request.log.error({ err: error }, 'could not record the idempotent response');
    }
    return payload;
  });
}
