import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, SUBJECTS, apiKeyPattern, type AgentPrincipal, type CredentialState } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { CredentialStateCache } from '../auth/credential-state-cache.ts';
import { KeyCache } from '../auth/key-cache.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: AgentPrincipal;
  }
}

export const AGENT_KEY_HEADER = 'x-agent-key';

const digests = new WeakMap<FastifyRequest, string>();

/** The request's X-Agent-Key and its digest, hashed once per request (the rate limiter and auth both need it). */
export function agentKeyOf(request: FastifyRequest): { apiKey: string; digest: string } | undefined {
  const header = request.headers[AGENT_KEY_HEADER];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (!apiKey) return undefined;
  let digest = digests.get(request);
  if (digest === undefined) digests.set(request, (digest = KeyCache.digest(apiKey)));
  return { apiKey, digest };
}

/** Agent events after which what the gateway remembers of an agent's credentials is wrong. */
const CREDENTIAL_EVENTS = new Set(['agent_key_rotated', 'agent_suspended', 'agent_unsuspended']);

export interface Authenticator {
  cache: KeyCache;
  /** Each agent's key generation and suspension, for agent JWTs. */
  credentials: CredentialStateCache;
  /** Called for every agent event; a rotation or (un)suspension drops that agent's cached keys and credential state. */
  onAgentEvent(envelope: { type: string; aggregate_id: string }): void;
  /** Forgets an agent's cached keys and credential state on this replica now (the others follow the event). */
  forgetAgent(agentId: string): void;
  /** The agent behind the request's X-Agent-Key, or undefined without one; a bad key is 401. */
  identify(request: FastifyRequest): Promise<AgentPrincipal | undefined>;
}

export function createAuthenticator(options: {
  bus: BusClient;
  ttlMs: number;
  maxEntries: number;
}): Authenticator {
  const cache = new KeyCache(options.ttlMs, options.maxEntries);
  const credentials = new CredentialStateCache({
    ttlMs: options.ttlMs,
    maxEntries: options.maxEntries,
    load: (agentId) => options.bus.request<CredentialState>(SUBJECTS.identity.credentialState, { agent_id: agentId }),
  });
  const forgetAgent = (agentId: string) => {
    cache.revokeAgent(agentId);
    credentials.invalidate(agentId);
  };

  const identify = async (request: FastifyRequest): Promise<AgentPrincipal | undefined> => {
    if (request.headers[AGENT_KEY_HEADER] === undefined) return undefined;
    const key = agentKeyOf(request);
    if (!key || !apiKeyPattern.test(key.apiKey)) throw new AppError('unauthenticated', 'Malformed X-Agent-Key');
    const { apiKey, digest } = key;
    const cached = cache.get(digest);
    if (cached) return cached;
    const principal = await options.bus.request<AgentPrincipal>(
      SUBJECTS.identity.verifyKey,
      { api_key: apiKey },
      { requestId: request.id },
    );
    cache.set(digest, principal);
    return principal;
  };

  return {
    cache,
    credentials,
    onAgentEvent: (envelope) => {
      if (CREDENTIAL_EVENTS.has(envelope.type)) forgetAgent(envelope.aggregate_id);
    },
    forgetAgent,
    identify,
  };
}

/** Makes the authenticator available to route modules. */
export function decorateAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorate('auth', authenticator);
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: Authenticator;
  }
}
