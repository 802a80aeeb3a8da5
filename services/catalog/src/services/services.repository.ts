import type { EntityDictionary, RequiredEntityData } from '@mikro-orm/core';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CATALOG_SCHEMA } from '../schema.ts';
import type { ServiceListPlan } from './service-list-plan.ts';
import { serviceListSql } from './service-list-sql.ts';
import { ServiceSchema, type Service } from './service.entity.ts';

type ListedRow = EntityDictionary<Service> & { rank?: number | string };

/** A listed service and, in a text search, its rank (the cursor needs it). */
export interface ListedService {
  service: Service;
  rank: number | string | undefined;
}

/** Adds a published service to the unit of work (written at the transaction's flush). */
export function addService(em: EntityManager, service: RequiredEntityData<Service>): Service {
  return em.create(ServiceSchema, service);
}

export async function findService(em: EntityManager, id: string): Promise<Service | null> {
  return em.findOne(ServiceSchema, { id });
}

/** The service, locked until the transaction ends. */
export async function findServiceForUpdate(em: EntityManager, id: string): Promise<Service | null> {
  return em.findOne(ServiceSchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** The rows of one listing page as the plan asks for them (one more than the page, see boundedPage). */
export async function findServicePage(em: EntityManager, plan: ServiceListPlan): Promise<ListedService[]> {
  const { sql, params } = serviceListSql(plan);
  const rows = await em.execute<ListedRow[]>(sql, params, 'all');
  return rows.map(({ rank, ...row }) => ({ service: em.map(ServiceSchema, row), rank }));
}

export async function countServices(em: EntityManager): Promise<{ active: number; total: number }> {
  const [row] = await em.execute<{ active: number; total: number }[]>(
    `select count(*) filter (where is_active)::int as active, count(*)::int as total from ${CATALOG_SCHEMA}.services`,
    [],
    'all',
  );
  return { active: row?.active ?? 0, total: row?.total ?? 0 };
}

/** Shows the agent's new name and score on its services; services already showing them are not rewritten. */
export async function showAgentOnServices(em: EntityManager, agentId: string, name: string, score: string): Promise<void> {
  await em.execute(
    `update ${CATALOG_SCHEMA}.services set agent_name = ?, agent_reputation = ? where agent_id = ? and (agent_name <> ? or agent_reputation <> ?)`,
    [name, score, agentId, name, score],
    'run',
  );
}

/** Marks every service of the agent as its agent's suspension says. */
export async function setAgentSuspendedOnServices(em: EntityManager, agentId: string, suspended: boolean): Promise<void> {
  await em.execute(`update ${CATALOG_SCHEMA}.services set agent_suspended = ? where agent_id = ? and agent_suspended <> ?`, [suspended, agentId, suspended], 'run');
}
