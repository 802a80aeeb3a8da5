import type { EntityManager } from '@mikro-orm/postgresql';
import type { BidStatus } from '@agentmarket/contracts';
import { JOBS_SCHEMA } from '../schema.ts';
import type { BidRow } from './bid-rows.ts';

const BID_COLUMNS = 'id, task_id, agent_id, service_id, currency, price::float8 as price, eta_minutes, note, status, job_id, created_at';

/** Raw rows carry timestamps as text: every read goes through here. */
async function selectBids(em: EntityManager, sql: string, params: unknown[]): Promise<BidRow[]> {
  const rows = await em.execute<(Omit<BidRow, 'created_at'> & { created_at: string | Date })[]>(sql, params, 'all');
  return rows.map((row) => ({ ...row, created_at: new Date(row.created_at) }));
}

export async function findBid(em: EntityManager, taskId: string, bidId: string): Promise<BidRow | undefined> {
  const rows = await selectBids(em, `select ${BID_COLUMNS} from ${JOBS_SCHEMA}.bids where id = ? and task_id = ?`, [bidId, taskId]);
  return rows[0];
}

export async function activeBids(em: EntityManager, taskId: string): Promise<BidRow[]> {
  return selectBids(em, `select ${BID_COLUMNS} from ${JOBS_SCHEMA}.bids where task_id = ? and status = 'active' order by id`, [taskId]);
}

/** One page of a task's bids, oldest first; `agentId` narrows it to one bidder's. */
export async function bidPage(em: EntityManager, taskId: string, agentId: string | undefined, after: string | undefined, limit: number): Promise<BidRow[]> {
  return selectBids(
    em,
    `select ${BID_COLUMNS} from ${JOBS_SCHEMA}.bids
     where task_id = ? and (?::uuid is null or agent_id = ?::uuid) and (?::uuid is null or id > ?::uuid)
     order by id limit ?`,
    [taskId, agentId ?? null, agentId ?? null, after ?? null, after ?? null, limit],
  );
}

/** Stores a new active bid; the bidder's earlier active bid on the task (if any) becomes `replaced` and is returned. */
export async function insertBid(em: EntityManager, bid: BidRow): Promise<BidRow | undefined> {
  const [replaced] = await selectBids(
    em,
    `update ${JOBS_SCHEMA}.bids set status = 'replaced', updated_at = now() where task_id = ? and agent_id = ? and status = 'active' returning ${BID_COLUMNS}`,
    [bid.task_id, bid.agent_id],
  );
  await em.execute(
    `insert into ${JOBS_SCHEMA}.bids (id, task_id, agent_id, service_id, currency, price, eta_minutes, note, status, job_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [bid.id, bid.task_id, bid.agent_id, bid.service_id, bid.currency, bid.price, bid.eta_minutes, bid.note, bid.status, bid.job_id, bid.created_at, bid.created_at],
    'run',
  );
  return replaced;
}

/** Moves one bid from `active` to `status`; false when it was no longer active. */
export async function settleBid(em: EntityManager, bidId: string, status: Exclude<BidStatus, 'active'>, jobId: string | null = null): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update ${JOBS_SCHEMA}.bids set status = ?, job_id = coalesce(?, job_id), updated_at = now() where id = ? and status = 'active' returning id`,
    [status, jobId, bidId],
    'all',
  );
  return rows.length > 0;
}

/** Every other active bid of the task becomes `rejected`; they are returned. */
export async function rejectOtherBids(em: EntityManager, taskId: string, exceptBidId: string | null): Promise<BidRow[]> {
  return selectBids(
    em,
    `update ${JOBS_SCHEMA}.bids set status = 'rejected', updated_at = now()
     where task_id = ? and status = 'active' and (?::uuid is null or id <> ?::uuid) returning ${BID_COLUMNS}`,
    [taskId, exceptBidId, exceptBidId],
  );
}
