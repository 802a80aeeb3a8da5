import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '@agentmarket/contracts';
import type { Keyring } from '@agentmarket/auth';
import type { BusClient } from '@agentmarket/messaging';
import { callerUnder, readsCredentials, type Credentials, type RouteAccess } from './access.ts';
import { adminKeyChecker } from './admin-key.ts';
import { AGENT_KEY_HEADER, createAgentKeys } from './agent-keys.ts';
import { bearerTokenOf, createBearerTokens } from './bearer-tokens.ts';
import { ANONYMOUS, type RequestCaller } from './request-caller.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, as the route's access reads it; anonymous on public routes. */
    readonly caller: RequestCaller;
  }
  interface FastifyInstance {
    authentication: Authentication;
  }
  interface FastifyContextConfig {
    /** Who may call the route; undeclared is public. */
    access?: RouteAccess;
  }
}

export interface Authentication {
  /**
   * Who the request proves to be with whatever credential it carries —
   * X-Admin-Key first, then X-Agent-Key or a Bearer token — anonymous with
   * none; a bad credential is 401. For what runs before the route's own
   * access (the rate limiter, Idempotency-Keys): the verdict is the same.
   */
  identify(request: FastifyRequest): Promise<RequestCaller>;
  /** Called for every agent event; a rotation or (un)suspension drops what is remembered of that agent's credentials. */
  onAgentEvent(envelope: { type: string; aggregate_id: string }): void;
  /** Forgets an agent's remembered keys and credential state on this replica now (the others follow the event). */
  forgetAgent(agentId: string): void;
}

/** Verifies each credential once per request, however many hooks ask (a failure is remembered too). */
function oncePerRequest<T>(verify: (request: FastifyRequest) => Promise<T>): (request: FastifyRequest) => Promise<T> {
  const verdicts = new WeakMap<FastifyRequest, Promise<T>>();
  return (request) => {
    let verdict = verdicts.get(request);
    if (!verdict) verdicts.set(request, (verdict = verify(request)));
    return verdict;
  };
}

/**
 * The gateway's one authentication plugin. A request may carry an agent's
 * X-Agent-Key (checked with identity), a Bearer JWT (an agent's, a buyer's
 * or an admin's, checked here with the keyring) or the operators'
 * X-Admin-Key. Each route's `access` (plugins/access.ts) decides which of
 * them it reads and who may call; one preHandler, put in front of every
 * route that reads credentials, enforces it and sets `request.caller`. A
 * credential the route reads is never dropped for anonymous: a bad one is 401.
 * The 401 and 403 are the route's, after the global hooks, as the routes'
 * own preHandlers always were (an Idempotency-Key is checked before them).
 */
export function registerAuthentication(
  app: FastifyInstance,
  options: { bus: BusClient; adminApiKey: string; keyring: Keyring | undefined; cacheTtlMs: number; cacheMaxEntries: number },
): void {
  const agentKeys = createAgentKeys({ bus: options.bus, ttlMs: options.cacheTtlMs, maxEntries: options.cacheMaxEntries });
  const bearerTokens = createBearerTokens({ keyring: options.keyring, agentKeys });

  const account = oncePerRequest(async (request): Promise<RequestCaller> => {
    const token = bearerTokenOf(request);
    const hasAgentKey = request.headers[AGENT_KEY_HEADER] !== undefined;
    if (token !== undefined && hasAgentKey) throw new AppError('unauthenticated', 'Send one credential: X-Agent-Key or Authorization: Bearer, not both');
    if (token !== undefined) return bearerTokens.verify(token);
    if (!hasAgentKey) return ANONYMOUS;
    const agent = await agentKeys.verify(request);
    return { kind: 'agent', id: agent.agent_id, credential: 'agent_key', name: agent.name, keyId: agent.key_id };
  });
  const credentials: Credentials = { adminKey: adminKeyChecker(options.adminApiKey), account };

  app.decorate('authentication', {
    identify: async (request) => credentials.adminKey(request) ?? (await account(request)),
    onAgentEvent: agentKeys.onAgentEvent,
    forgetAgent: agentKeys.forgetAgent,
  } satisfies Authentication);

  // Set by the route's access preHandler alone; read-only everywhere else.
  const callers = new WeakMap<FastifyRequest, RequestCaller>();
  app.decorateRequest('caller', {
    getter(this: FastifyRequest) {
      return callers.get(this) ?? ANONYMOUS;
    },
  });

  // A route-level preHandler: it runs after the global hooks (rate limit, Idempotency-Key), as route doors always did.
  app.addHook('onRoute', (route) => {
    const access = route.config?.access ?? 'public';
    if (!readsCredentials(access)) return;
    const enforce: preHandlerAsyncHookHandler = async (request) => {
      callers.set(request, await callerUnder(access, request, credentials));
    };
    route.preHandler = [enforce, ...(route.preHandler === undefined ? [] : [route.preHandler].flat())];
  });
}
