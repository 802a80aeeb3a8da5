import type { RequiredEntityData } from '@mikro-orm/core';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared, toOutboxRows, type NewEvent } from '@agentmarket/persistence';
import { CATALOG_SCHEMA } from '../schema.ts';
import type { ServiceListPlan } from './service-list-plan.ts';
import { SERVICE_COLUMN_NAMES, serviceFromRow, type ServiceRow } from './service-row.ts';
import { serviceListSql } from './service-list-sql.ts';
import { ServiceSchema, type Service } from './service.entity.ts';

type ListedRow = ServiceRow & { rank?: number | string };

/** A listed service and, in a text search, its rank (the cursor needs it). */
export interface ListedService {
  service: Service;
  rank: number | string | undefined;
}

/** Adds a published service to the unit of work (written at the transaction's flush). */
export function addService(em: EntityManager, service: RequiredEntityData<Service>): Service {
  return em.create(ServiceSchema, service);
}

const FIND_SERVICE = `select ${SERVICE_COLUMN_NAMES.join(', ')} from ${CATALOG_SCHEMA}.services where id = ?`;

/** The service as stored, read without the ORM (see serviceFromRow): for reading, not for a flush. */
export async function findService(em: EntityManager, id: string): Promise<Service | null> {
  const [row] = await executePrepared<ServiceRow>(em, FIND_SERVICE, [id]);
  return row ? serviceFromRow(row) : null;
}

/** The service, locked until the transaction ends. */
export async function findServiceForUpdate(em: EntityManager, id: string): Promise<Service | null> {
  return em.findOne(ServiceSchema, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** The rows of one listing page as the plan asks for them (one more than the page, see boundedPage). */
export async function findServicePage(em: EntityManager, plan: ServiceListPlan): Promise<ListedService[]> {
  const { sql, params } = serviceListSql(plan);
  const rows = await em.execute<ListedRow[]>(sql, params, 'all');
  return rows.map(({ rank, ...row }) => ({ service: serviceFromRow(row), rank }));
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

/**
 * Saves an owner's change to a service in ONE statement, atomic on its own:
 * the row, checked against the version read (a concurrent change makes it
 * update nothing, and then no event is written either: returns false, for
 * the caller's retry), and the event's outbox row, selected from the update.
 * The ORM's flush took a transaction and four round trips for the same.
 */
export async function saveServiceChange(em: EntityManager, service: Service, readVersion: number, event: NewEvent): Promise<boolean> {
  const [outbox] = toOutboxRows([event]).rows;
  if (!outbox) throw new Error(`${event.type} has no outbox row`);
  const rows = await executePrepared<{ saved: number }>(
    em,
    `with updated as (
       update ${CATALOG_SCHEMA}.services set name = ?, description = ?, currency = ?, price_cents = ?::bigint, price_sats = ?::bigint,
         output_description = ?, input_schema = ?::jsonb, estimated_minutes = ?::integer, is_active = ?, max_concurrent = ?::integer,
         max_revisions = ?::integer, accept_window_seconds = ?::integer, auto_complete_seconds = ?::integer, updated_at = ?::timestamptz,
         version = version + 1
       where id = ? and version = ? returning id),
     outbox as (insert into ${CATALOG_SCHEMA}.outbox (id, subject, envelope) select ?::uuid, ?, ?::jsonb from updated)
     select count(*)::int as saved from updated`,
    [
      service.name,
      service.description,
      service.currency,
      service.priceCents ?? null,
      service.priceSats ?? null,
      service.outputDescription ?? null,
      service.inputSchema === null || service.inputSchema === undefined ? null : JSON.stringify(service.inputSchema),
      service.estimatedMinutes ?? null,
      service.isActive,
      service.maxConcurrent,
      service.maxRevisions,
      service.acceptWindowSeconds ?? null,
      service.autoCompleteSeconds ?? null,
      service.updatedAt.toISOString(),
      service.id,
      readVersion,
      outbox.id,
      outbox.subject,
      outbox.envelope,
    ],
  );
  return (rows[0]?.saved ?? 0) > 0;
}
