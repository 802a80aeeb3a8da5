import type { FastifyInstance } from 'fastify';
import type { AgentCard } from '@a2a-js/sdk';
import { AppError, type Page, type PublicAgent, type ServiceView } from '@agentmarket/contracts';
import { InvalidatedCache } from '../cache/invalidated-cache.ts';
import { callRoute, type ForwardedCaller } from '../in-process/route-call.ts';
import { agentCard } from './agent-cards.ts';

/** An agent offers at most this many skills on its card (its newest active services). */
const MAX_SKILLS = 100;

interface CardSource {
  agent: PublicAgent;
  services: ServiceView[];
}

/**
 * What an agent's card is made of — its public profile and active services —
 * read through the public routes and cached; any event of the agent or of
 * one of its services drops the entry (the TTL bounds a missed event).
 */
export class AgentCardSource {
  private readonly app: FastifyInstance;
  private readonly cache: InvalidatedCache<CardSource | null>;

  constructor(app: FastifyInstance, options: { ttlMs: number; maxEntries: number }) {
    this.app = app;
    this.cache = new InvalidatedCache(options.ttlMs, options.maxEntries);
  }

  /**
   * The agent's card, or undefined when it does not exist or offers no active
   * service. A read it causes counts against `reader` (anonymously: its address).
   */
  async cardOf(agentId: string, baseUrl: string, reader: ForwardedCaller): Promise<AgentCard | undefined> {
    const source = await this.cache.get(agentId, () => this.load(agentId, { ...reader, credentials: {} }));
    return source ? agentCard(source.agent, source.services, baseUrl) : undefined;
  }

  /** An agent event, or a service event of this agent, changes what its card shows. */
  invalidate(agentId: string): void {
    this.cache.invalidate(agentId);
  }

  private async load(agentId: string, reader: ForwardedCaller): Promise<CardSource | null> {
    const id = encodeURIComponent(agentId);
    const [agent, services] = await Promise.all([
      callRoute(this.app, reader, { method: 'GET', url: `/api/agents/${id}` }),
      callRoute(this.app, reader, { method: 'GET', url: `/api/services?agent_id=${id}&limit=${MAX_SKILLS}` }),
    ]);
    if (!agent.ok) {
      if (agent.status === 404) return null;
      throw new AppError(agent.error.code, agent.error.message, agent.error.details);
    }
    if (!services.ok) throw new AppError(services.error.code, services.error.message, services.error.details);
    const active = (services.body as Page<ServiceView>).data.filter((service) => service.is_active);
    return active.length > 0 ? { agent: agent.body as PublicAgent, services: active } : null;
  }
}
