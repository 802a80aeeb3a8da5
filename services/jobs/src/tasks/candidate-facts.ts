import type { EntityManager } from '@mikro-orm/postgresql';
import {
  SUBJECTS,
  centsToUsd,
  usdToCents,
  type Client,
  type Currency,
  type ServicePage,
  type ServiceView,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import type { CandidateFacts } from './candidate-scoring.ts';
import { activeJobsByService, recordsByAgent } from './candidates.repository.ts';

/** At most this many services are considered per task (the cheapest first, from the catalog). */
const MAX_CANDIDATES = 300;
const PAGE = 100;

export interface TaskTerms {
  capabilities: string[];
  currency: Currency;
  budget: number;
  complexity: number;
  inputKeys: string[];
}

interface AgentFigures {
  id: string;
  reputation_score: string;
  success_rate: number | null;
  jobs_completed: number;
}

/**
 * Everything the scoring needs, each part from the service that owns it:
 * services from the catalog (paged by price, within budget), agents' figures
 * from identity in one batch, load and complexity records from this schema in
 * one grouped query each. Services the client owns, or whose required inputs
 * the task cannot fill, are left out.
 */
export async function gatherCandidates(
  em: EntityManager,
  bus: BusClient,
  client: Client,
  terms: TaskTerms,
  requestId?: string,
): Promise<{ facts: CandidateFacts[]; services: Map<string, ServiceView> }> {
  const services = await servicesWithin(bus, terms, requestId);
  const usable = services.filter(
    (service) =>
      !(client.type === 'agent' && service.agent_id === client.id) &&
      service.required_inputs.every((input) => terms.inputKeys.includes(input.name)),
  );
  if (usable.length === 0) return { facts: [], services: new Map() };
  const facts = await factsOf(em, bus, usable, terms.complexity, requestId);
  return { facts, services: new Map(usable.map((service) => [service.id, service])) };
}

/**
 * The scoring facts of the given services (at their listed prices; a bid
 * lays its own over them): agents' figures from identity in one batch, load
 * and complexity records from this schema in one grouped query each.
 */
export async function factsOf(em: EntityManager, bus: BusClient, services: ServiceView[], complexity: number, requestId?: string): Promise<CandidateFacts[]> {
  if (services.length === 0) return [];
  const agentIds = [...new Set(services.map((service) => service.agent_id))];
  const [figures, load, records] = await Promise.all([
    bus.request<AgentFigures[]>(SUBJECTS.identity.batchGet, { ids: agentIds }, { requestId }),
    activeJobsByService(em, services.map((service) => service.id)),
    recordsByAgent(em, agentIds, complexity),
  ]);
  const figuresOf = new Map(figures.map((agent) => [agent.id, agent]));
  return services.map((service): CandidateFacts => {
    const agent = figuresOf.get(service.agent_id);
    return {
      serviceId: service.id,
      agentId: service.agent_id,
      price: service.currency === 'USD' ? usdToCents(service.price_usd ?? '0') : (service.price_sats ?? 0),
      capabilities: service.capabilities_required,
      maxConcurrent: service.max_concurrent,
      activeJobs: load.get(service.id) ?? 0,
      createdAt: service.created_at,
      reputationScore: agent && agent.jobs_completed > 0 ? Number(agent.reputation_score) : null,
      successRate: agent?.success_rate ?? null,
      record: records.get(service.agent_id) ?? { completed: 0, finished: 0 },
    };
  });
}

async function servicesWithin(bus: BusClient, terms: TaskTerms, requestId?: string): Promise<ServiceView[]> {
  const found: ServiceView[] = [];
  let cursor: string | null = null;
  do {
    const page: ServicePage = await bus.request<ServicePage>(
      SUBJECTS.catalog.list,
      {
        capability: terms.capabilities[0],
        currency: terms.currency,
        max_price: terms.currency === 'USD' ? centsToUsd(terms.budget) : String(terms.budget),
        sort: 'price',
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      },
      { requestId },
    );
    found.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && found.length < MAX_CANDIDATES);
  return found;
}
