import type { EntityManager } from '@mikro-orm/postgresql';
import { PAYMENTS_SCHEMA } from '../schema.ts';

/** Stores the executor's running total of a hold's model cost; an older (lower) figure never replaces a newer one. Returns the stored total. */
export async function raiseModelCost(em: EntityManager, cost: { holdId: string; sellerAgentId: string; costMicroUsd: number }): Promise<string | undefined> {
  const [row] = await em.execute<{ cost_micro_usd: string }[]>(
    `insert into ${PAYMENTS_SCHEMA}.hold_model_costs (hold_id, seller_agent_id, cost_micro_usd) values (?, ?, ?)
         on conflict (hold_id) do update set cost_micro_usd = greatest(${PAYMENTS_SCHEMA}.hold_model_costs.cost_micro_usd, excluded.cost_micro_usd), updated_at = now()
         returning cost_micro_usd`,
    [cost.holdId, cost.sellerAgentId, cost.costMicroUsd],
    'all',
  );
  return row?.cost_micro_usd;
}

/** The model costs reported for these holds, those above zero. */
export function reportedModelCosts(em: EntityManager, holdIds: string[]): Promise<{ hold_id: string; cost_micro_usd: string }[]> {
  return em.execute<{ hold_id: string; cost_micro_usd: string }[]>(
    `select hold_id, cost_micro_usd from ${PAYMENTS_SCHEMA}.hold_model_costs where hold_id in (?) and cost_micro_usd > 0`,
    [holdIds],
    'all',
  );
}
