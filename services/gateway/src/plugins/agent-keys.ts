import type { FastifyRequest } from 'fastify';
import { AppError, SUBJECTS, apiKeyPattern, type AgentPrincipal, type CredentialState } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { CredentialStateCache } from '../auth/credential-state-cache.ts';
import { KeyCache } from '../auth/key-cache.ts';

export const AGENT_KEY_HEADER = 'x-agent-key';

/** Agent events after which what the gateway remembers of an agent's credentials is wrong. */
const CREDENTIAL_EVENTS = new Set(['agent_key_rotated', 'agent_suspended', 'agent_unsuspended']);

export interface AgentKeys {
  /** Each agent's key generation and suspension, for agent JWTs. */
  credentials: CredentialStateCache;
  /** Called for every agent event; a rotation or (un)suspension drops that agent's cached keys and credential state. */
  onAgentEvent(envelope: { type: string; aggregate_id: string }): void;
  /** Forgets an agent's cached keys and credential state on this replica now (the others follow the event). */
  forgetAgent(agentId: string): void;
  /** The agent behind the X-Agent-Key the request sent; a malformed or unknown key is 401, a suspended agent 403. */
  verify(request: FastifyRequest): Promise<AgentPrincipal>;
}

/** X-Agent-Key, checked with identity; verified keys are remembered (by their digest) so most requests ask no one. */
export function createAgentKeys(options: { bus: BusClient; ttlMs: number; maxEntries: number }): AgentKeys {
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

  const verify = async (request: FastifyRequest): Promise<AgentPrincipal> => {
    const header = request.headers[AGENT_KEY_HEADER];
    const apiKey = Array.isArray(header) ? header[0] : header;
    if (!apiKey || !apiKeyPattern.test(apiKey)) throw new AppError('unauthenticated', 'Malformed X-Agent-Key');
    const digest = KeyCache.digest(apiKey);
    const cached = cache.get(digest);
    if (cached) return cached;
    const principal = await options.bus.request<AgentPrincipal>(SUBJECTS.identity.verifyKey, { api_key: apiKey }, { requestId: request.id });
    cache.set(digest, principal);
    return principal;
  };

  return {
    credentials,
    onAgentEvent: (envelope) => {
      if (CREDENTIAL_EVENTS.has(envelope.type)) forgetAgent(envelope.aggregate_id);
    },
    forgetAgent,
    verify,
  };
}
