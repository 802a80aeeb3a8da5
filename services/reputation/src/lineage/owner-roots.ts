import type { EntityManager } from '@mikro-orm/postgresql';

/** A party of a job: an agent, or a person (a buyer, or whoever registered an agent). */
export interface PartyRef {
  type: 'agent' | 'user';
  id: string;
}

/**
 * An owner root names whoever ultimately controls an agent: `user:<id>` for
 * an agent a person registered, `agent:<id>` of the first agent of a lineage
 * registered anonymously; an agent registered by another agent has that
 * agent's root. Two parties with one root are one owner trading with itself.
 */
export const ownRoot = (party: PartyRef): string => `${party.type}:${party.id.toLowerCase()}`;

/** The owner roots of these agents, as far as the lineage projection knows them. */
export async function ownerRootsOf(em: EntityManager, agentIds: readonly string[]): Promise<Map<string, string>> {
  if (agentIds.length === 0) return new Map();
  const rows = await em.execute<{ agent_id: string; owner_root: string }[]>(
    'select agent_id, owner_root from reputation.agent_owners where agent_id in (?)',
    [[...new Set(agentIds)]],
    'all',
  );
  return new Map(rows.map((row) => [row.agent_id, row.owner_root]));
}

/** A party's root from the projection; an agent not (yet) in it, and a person, are their own root. */
export function rootOf(party: PartyRef, known: ReadonlyMap<string, string>): string {
  return (party.type === 'agent' ? known.get(party.id.toLowerCase()) : undefined) ?? ownRoot(party);
}
