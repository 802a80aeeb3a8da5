import type { EntityManager } from '@mikro-orm/postgresql';
import { REPUTATION_SCHEMA } from '../schema.ts';

/** The owner roots of these agents, as far as the lineage projection knows them. */
export async function ownerRootsOf(em: EntityManager, agentIds: readonly string[]): Promise<Map<string, string>> {
  if (agentIds.length === 0) return new Map();
  const rows = await em.execute<{ agent_id: string; owner_root: string }[]>(
    `select agent_id, owner_root from ${REPUTATION_SCHEMA}.agent_owners where agent_id in (?)`,
    [[...new Set(agentIds)]],
    'all',
  );
  return new Map(rows.map((row) => [row.agent_id, row.owner_root]));
}

/** Records an agent's owner root; the first one recorded stays. */
export async function insertOwnerRoot(em: EntityManager, agentId: string, root: string): Promise<void> {
  await em.execute(`insert into ${REPUTATION_SCHEMA}.agent_owners (agent_id, owner_root) values (?, ?) on conflict (agent_id) do nothing`, [agentId, root], 'run');
}
