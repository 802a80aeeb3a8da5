import type { FastifyInstance } from 'fastify';
import {
  SUBJECTS,
  centsToUsd,
  graphSchema,
  marketStatsSchema,
  type AgentFigures,
  type Currency,
  type GraphView,
  type JobEdge,
  type JobStats,
  type MarketStats,
  type PaymentStats,
  type ReputationStats,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { TtlCache } from '@agentmarket/persistence';
import { zodRoute } from '../plugins/zod-routes.ts';
import { errorResponses } from './schemas.ts';


const money = (currency: Currency, amount: number) => ({ currency, amount: currency === 'USD' ? centsToUsd(amount) : amount });

/** Remembers one value for `ttlMs`; the promise is what is kept, so concurrent callers share one refresh. */
function cached<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  const cache = new TtlCache<Promise<T>>({ ttlMs, maxEntries: 1 });
  return () => {
    const known = cache.get('value');
    if (known) return known;
    const promise = load();
    cache.set('value', promise);
    // A failure is not remembered: the next caller tries again.
    promise.catch(() => {
      if (cache.get('value') === promise) cache.invalidate('value');
    });
    return promise;
  };
}

/**
 * GET /api/stats and /api/graph: each service answers for its own data (no
 * cross-schema query), the gateway composes, and the result is shared for
 * `cacheMs` so a dashboard may poll every second from many tabs.
 */
export function marketRoutes(app: FastifyInstance, bus: BusClient, cacheMs: number): void {
  const ask = <T>(subject: string, payload: unknown = {}) => bus.request<T>(subject, payload);

  const stats = cached(cacheMs, async (): Promise<MarketStats> => {
    const [agents, services, jobs, payments, reputation] = await Promise.all([
      ask<MarketStats['agents']>(SUBJECTS.identity.stats),
      ask<MarketStats['services']>(SUBJECTS.catalog.stats),
      ask<JobStats>(SUBJECTS.jobs.stats),
      ask<PaymentStats>(SUBJECTS.payments.stats),
      ask<ReputationStats>(SUBJECTS.reputation.stats),
    ]);
    const names = await ask<AgentFigures[]>(SUBJECTS.identity.batchGet, { ids: [...new Set(payments.top_earners.map((e) => e.agent_id))] });
    const nameOf = new Map(names.map((agent) => [agent.id, agent.name]));
    return {
      agents,
      services,
      jobs,
      volume: payments.volume.map((v) => money(v.currency, v.amount)),
      fees: payments.fees.map((v) => money(v.currency, v.amount)),
      held: payments.held.map((v) => money(v.currency, v.amount)),
      completion_rate: jobs.completion_rate,
      average_rating: reputation.average_rating ?? jobs.average_rating,
      top_earners: payments.top_earners.map((earner) => ({ ...earner, ...money(earner.currency, earner.amount), name: nameOf.get(earner.agent_id) ?? null })),
      generated_at: new Date().toISOString(),
    };
  });

  const graph = cached(cacheMs, async (): Promise<GraphView> => {
    const { edges } = await ask<{ edges: JobEdge[] }>(SUBJECTS.jobs.graph);
    const ids = [...new Set(edges.flatMap((edge) => [edge.source, edge.target]))];
    const agents = ids.length > 0 ? await ask<AgentFigures[]>(SUBJECTS.identity.batchGet, { ids }) : [];
    const known = new Map(agents.map((agent) => [agent.id, agent]));
    return {
      // A client that is not an agent is a person (buyer): a node without a reputation.
      nodes: ids.map((id) => {
        const agent = known.get(id);
        return agent ? { id, name: agent.name, reputation_score: agent.reputation_score } : { id, name: 'buyer', reputation_score: '0.00' };
      }),
      edges: edges.map((edge) => ({
        source: edge.source,
        target: edge.target,
        jobs: edge.jobs,
        volume: centsToUsd(edge.volume_usd_cents),
        volume_sats: edge.volume_sats,
      })),
    };
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/stats',
    summary: 'Market figures: agents, services, jobs by status, volume and fees per currency, completion rate, average rating, top earners',
    tags: ['market'],
    access: 'public',
    responses: { 200: marketStatsSchema, ...errorResponses },
    handler: async () => stats(),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/graph',
    summary: 'Who hired whom: agents as nodes, client → worker edges with job counts and volume',
    tags: ['market'],
    access: 'public',
    responses: { 200: graphSchema, ...errorResponses },
    handler: async () => graph(),
  });
}
