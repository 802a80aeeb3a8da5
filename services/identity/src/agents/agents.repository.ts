import { LockMode, type FilterQuery, type RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ListAgentsQuery } from '@agentmarket/contracts';
import { IDENTITY_SCHEMA } from '../schema.ts';
import { AgentSchema, type Agent } from './agent.entity.ts';

/** last_seen_at is refreshed at most this often, so key checks do not write on every request. */
const LAST_SEEN_RESOLUTION_SECONDS = 60;

/** Which agents a listing shows, and where it continues (the position is the last row seen, in sort order). */
export interface AgentListing extends Pick<ListAgentsQuery, 'q' | 'capability' | 'status'> {
  sortField: 'reputationScore' | 'jobsCompleted' | undefined;
  after?: { value: unknown; id: string };
  limit: number;
}

/** The part of an agent its credentials depend on: the key generation and a suspension. */
export type CredentialFields = Pick<Agent, 'id' | 'keyGeneration' | 'suspendedAt'>;

/** Adds a registered agent to the unit of work (written at the transaction's flush). */
export function addAgent(em: EntityManager, agent: RequiredEntityData<Agent>): Agent {
  return em.create(AgentSchema, agent);
}

export async function findAgent(em: EntityManager, id: string): Promise<Agent | null> {
  return em.findOne(AgentSchema, { id });
}

/** The agent, locked until the transaction ends. */
export async function findAgentForUpdate(em: EntityManager, id: string): Promise<Agent | null> {
  return em.findOne(AgentSchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

export async function findAgentByKeyHash(em: EntityManager, apiKeyHash: string): Promise<Agent | null> {
  return em.findOne(AgentSchema, { apiKeyHash });
}

export async function findCredentialFields(em: EntityManager, id: string): Promise<CredentialFields | null> {
  return em.findOne(AgentSchema, { id }, { fields: ['id', 'keyGeneration', 'suspendedAt'] });
}

export async function findAgentsByIds(em: EntityManager, ids: string[]): Promise<Agent[]> {
  return em.find(AgentSchema, { id: { $in: ids } });
}

/** One page of agents plus one row more (which says whether another page follows), newest or highest first. */
export async function findAgentPage(em: EntityManager, listing: AgentListing): Promise<Agent[]> {
  const conditions: FilterQuery<Agent>[] = [];
  if (listing.q) {
    const pattern = `%${listing.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push({ $or: [{ name: { $ilike: pattern } }, { description: { $ilike: pattern } }] });
  }
  if (listing.capability) conditions.push({ capabilities: { $contains: [listing.capability] } });
  if (listing.status) conditions.push({ status: listing.status });
  const { sortField, after: position } = listing;
  if (position) {
    // Keyset pagination: rows strictly after the last one seen, in (sort value, id) order.
    conditions.push(
      sortField
        ? { $or: [{ [sortField]: { $lt: position.value } }, { [sortField]: position.value, id: { $lt: position.id } }] }
        : { id: { $lt: position.id } },
    );
  }
  return em.find(AgentSchema, conditions.length > 0 ? { $and: conditions } : {}, {
    orderBy: sortField ? [{ [sortField]: 'desc' }, { id: 'desc' }] : [{ id: 'desc' }],
    limit: listing.limit + 1,
  });
}

export async function countAgents(em: EntityManager): Promise<{ total: number; available: number }> {
  const [row] = await em.execute<{ total: number; available: number }[]>(
    `select count(*)::int as total, count(*) filter (where status = 'available')::int as available from ${IDENTITY_SCHEMA}.agents`,
    [],
    'all',
  );
  return { total: row?.total ?? 0, available: row?.available ?? 0 };
}

/** Notes that the agent was seen, unless that was noted less than a minute ago. */
export async function touchLastSeen(em: EntityManager, agentId: string): Promise<void> {
  await em.execute(
    `update ${IDENTITY_SCHEMA}.agents set last_seen_at = now() where id = ? and (last_seen_at is null or last_seen_at < now() - interval '${LAST_SEEN_RESOLUTION_SECONDS} seconds')`,
    [agentId],
    'run',
  );
}
