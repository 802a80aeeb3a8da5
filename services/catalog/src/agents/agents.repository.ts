import type { EntityManager } from '@mikro-orm/postgresql';
import { CATALOG_SCHEMA } from '../schema.ts';
import { AgentProjectionSchema, type AgentProjection } from './agent-projection.entity.ts';

/** What an agent event tells the catalog of the agent. */
export interface AgentShown {
  id: string;
  name: string;
  reputation_score: string;
}

/** The name and score an agent's services show, as the projection now stores them. */
export interface StoredAgent {
  name: string;
  reputation_score: string;
}

/** An agent's newest score in a batch, and the reputation version it comes with. */
export interface VersionedScore {
  agentId: string;
  score: string;
  version: number;
}

export async function findAgentProjection(em: EntityManager, agentId: string): Promise<AgentProjection | null> {
  return em.findOne(AgentProjectionSchema, { agentId });
}

/**
 * Stores the agent's name (and identity's copy of its score, until
 * reputation's own events have arrived) over an older agent version only;
 * the stored row when it was written, undefined for a stale event.
 */
export async function storeAgentIfNewer(em: EntityManager, agent: AgentShown, version: number): Promise<StoredAgent | undefined> {
  const stored = await em.execute<StoredAgent[]>(
    `insert into ${CATALOG_SCHEMA}.agents as a (agent_id, name, reputation_score, version) values (?, ?, ?, ?)
     on conflict (agent_id) do update set name = excluded.name, version = excluded.version,
       reputation_score = case when a.reputation_version = 0 then excluded.reputation_score else a.reputation_score end
     where a.version < excluded.version
     returning name, reputation_score::text`,
    [agent.id, agent.name, agent.reputation_score, version],
    'all',
  );
  return stored[0];
}

/**
 * Stores each score over an older reputation version only and shows the
 * written ones on the agent's services, in one statement: atomic without a
 * transaction, so a redelivered event (whose score is no longer newer)
 * changes nothing, and no crash can leave services showing an older score
 * than their agent's.
 */
export async function storeScoresIfNewer(em: EntityManager, scores: VersionedScore[]): Promise<void> {
  await em.execute(
    `with stored as (
       insert into ${CATALOG_SCHEMA}.agents as a (agent_id, name, reputation_score, version, reputation_version)
       values ${scores.map(() => '(?, null, ?::numeric, 0, ?)').join(', ')}
       on conflict (agent_id) do update set reputation_score = excluded.reputation_score, reputation_version = excluded.reputation_version
       where a.reputation_version < excluded.reputation_version
       returning agent_id, reputation_score
     )
     update ${CATALOG_SCHEMA}.services s set agent_reputation = stored.reputation_score
     from stored where s.agent_id = stored.agent_id and s.agent_reputation <> stored.reputation_score`,
    scores.flatMap(({ agentId, score, version }) => [agentId, score, version]),
    'run',
  );
}

/** Stores an agent's suspension over an older agent version only; whether it was written. */
export async function storeAgentSuspensionIfNewer(em: EntityManager, agentId: string, suspended: boolean, version: number): Promise<boolean> {
  const stored = await em.execute<{ agent_id: string }[]>(
    `insert into ${CATALOG_SCHEMA}.agent_suspensions (agent_id, suspended, version) values (?, ?, ?)
     on conflict (agent_id) do update set suspended = excluded.suspended, version = excluded.version
     where ${CATALOG_SCHEMA}.agent_suspensions.version < excluded.version
     returning agent_id`,
    [agentId, suspended, version],
    'all',
  );
  return stored.length > 0;
}
