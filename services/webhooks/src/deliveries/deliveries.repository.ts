import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7 } from '@agentmarket/contracts';
import { WEBHOOKS_SCHEMA } from '../schema.ts';
import { DELIVERY_COLUMNS, type DeliveryRow } from './delivery.views.ts';

/** What a receiver gets: the event as the SSE stream shows it to the endpoint's owner. */
export interface DeliveredEvent {
  id: string;
  type: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

export interface DeliveryDraft {
  endpointId: string;
  event: DeliveredEvent;
  /** The bytes to send when they are not the event itself (an A2A push notification for it). */
  body?: string;
}

/** Rows per insert statement: well under Postgres's 65,535 bind parameters. */
const CHUNK = 1000;

/**
 * Queues deliveries in the caller's transaction. The body is fixed here as
 * text, so every attempt sends and signs the same bytes. A delivery is due
 * at once, or when its endpoint's queue moves again: not before the older
 * pending delivery it must wait for (backing off), and not at all while the
 * endpoint is disabled (next_attempt_at null) — so the delivery loop never
 * looks at rows that cannot go yet. A (endpoint, event) pair queued before
 * is skipped by the unique key: an event redelivered by the bus never makes
 * a second delivery. Returns the rows stored.
 */
export async function insertDeliveries(em: EntityManager, drafts: DeliveryDraft[]): Promise<DeliveryRow[]> {
  const stored: DeliveryRow[] = [];
  for (let start = 0; start < drafts.length; start += CHUNK) {
    const chunk = drafts.slice(start, start + CHUNK);
    const now = new Date();
    const rows = await em.execute<DeliveryRow[]>(
      `insert into ${WEBHOOKS_SCHEMA}.deliveries (id, endpoint_id, event_id, event_type, body, next_attempt_at, created_at)
       select v.id, v.endpoint_id, v.event_id, v.event_type, v.body,
              case when e.is_active then greatest(v.created_at, queue.due_at) end, v.created_at
       from (values ${chunk.map(() => '(?::uuid, ?::uuid, ?::uuid, ?, ?, ?::timestamptz)').join(', ')})
            as v (id, endpoint_id, event_id, event_type, body, created_at)
       join ${WEBHOOKS_SCHEMA}.endpoints e on e.id = v.endpoint_id
       left join lateral (
         select max(p.next_attempt_at) as due_at from ${WEBHOOKS_SCHEMA}.deliveries p
         where p.endpoint_id = v.endpoint_id and p.status = 'pending'
       ) queue on true
       order by v.id
       on conflict (endpoint_id, event_id) do nothing returning ${DELIVERY_COLUMNS}`,
      chunk.flatMap((draft) => [uuidv7(), draft.endpointId, draft.event.id, draft.event.type, draft.body ?? JSON.stringify(draft.event), now]),
      'all',
    );
    stored.push(...rows);
  }
  return stored;
}

/** A disabled endpoint's pending deliveries are not due (next_attempt_at null) until it is enabled again (resumeQueue). */
export async function pauseQueue(em: EntityManager, endpointId: string): Promise<void> {
  await em.execute(`update ${WEBHOOKS_SCHEMA}.deliveries set next_attempt_at = null where endpoint_id = ? and status = 'pending'`, [endpointId], 'run');
}

/** An enabled endpoint's pending deliveries are due at once, oldest first (the claim keeps the order). */
export async function resumeQueue(em: EntityManager, endpointId: string): Promise<void> {
  await em.execute(`update ${WEBHOOKS_SCHEMA}.deliveries set next_attempt_at = now() where endpoint_id = ? and status = 'pending'`, [endpointId], 'run');
}

/** A page of an endpoint's deliveries, newest first, optionally one status; one row more than `limit` says another page follows. */
export async function findDeliveryPage(
  em: EntityManager,
  endpointId: string,
  page: { status?: string | undefined; after: string | undefined; limit: number },
): Promise<DeliveryRow[]> {
  return em.execute<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS} from ${WEBHOOKS_SCHEMA}.deliveries
     where endpoint_id = ?${page.status ? ' and status = ?' : ''}${page.after ? ' and id < ?' : ''}
     order by id desc limit ?`,
    [endpointId, ...(page.status ? [page.status] : []), ...(page.after ? [page.after] : []), page.limit + 1],
    'all',
  );
}

/** Makes a delivery pending again, due at once when its endpoint is active (else when it is enabled again); undefined when the endpoint has no such delivery. */
export async function requeueDelivery(em: EntityManager, endpointId: string, deliveryId: string, endpointActive: boolean): Promise<DeliveryRow | undefined> {
  const [row] = await em.execute<DeliveryRow[]>(
    `update ${WEBHOOKS_SCHEMA}.deliveries set status = 'pending', next_attempt_at = case when ? then now() end
     where id = ? and endpoint_id = ? returning ${DELIVERY_COLUMNS}`,
    [endpointActive, deliveryId, endpointId],
    'all',
  );
  return row;
}
