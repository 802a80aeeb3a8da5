import type { EntityManager } from '@mikro-orm/postgresql';
import type { UpdateWebhookInput, WebhookOwner } from '@agentmarket/contracts';
import { WEBHOOKS_SCHEMA } from '../schema.ts';
import type { Subscriber } from '../fan-out/event-deliveries.ts';
import type { EndpointRow } from './endpoint.views.ts';

/** A webhook as it is created; the row is stored active. */
export interface NewEndpoint {
  id: string;
  owner: WebhookOwner;
  url: string;
  eventTypes: string[];
  description: string | null;
  secret: string;
  authorization: string | null;
  now: Date;
}

/** Makes one owner's concurrent creates (webhooks and push configs alike) take turns until the transaction ends. */
export async function lockOwner(em: EntityManager, ownerId: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`webhooks:${ownerId}`], 'run');
}

/** The owner's webhooks, A2A push configs left out (they have a cap of their own). */
export async function countWebhooks(em: EntityManager, ownerId: string): Promise<number> {
  const [counted] = await em.execute<{ count: number }[]>(
    `select count(*)::int as count from ${WEBHOOKS_SCHEMA}.endpoints where owner_id = ? and push_config_id is null`,
    [ownerId],
    'all',
  );
  return counted?.count ?? 0;
}

export async function insertWebhook(em: EntityManager, endpoint: NewEndpoint): Promise<EndpointRow> {
  const [row] = await em.execute<EndpointRow[]>(
    `insert into ${WEBHOOKS_SCHEMA}.endpoints
       (id, owner_type, owner_id, url, event_types, description, secret, authorization_header, is_active, created_at, updated_at)
     values (?, ?, ?, ?, array[?]::text[], ?, ?, ?, true, ?, ?) returning *`,
    [
      endpoint.id,
      endpoint.owner.type,
      endpoint.owner.id,
      endpoint.url,
      endpoint.eventTypes,
      endpoint.description,
      endpoint.secret,
      endpoint.authorization,
      endpoint.now,
      endpoint.now,
    ],
    'all',
  );
  return row!;
}

/** A page of the owner's endpoints, newest first; one row more than `limit` says another page follows. */
export async function findEndpointPage(em: EntityManager, ownerId: string, after: string | undefined, limit: number): Promise<EndpointRow[]> {
  return em.execute<EndpointRow[]>(
    `select * from ${WEBHOOKS_SCHEMA}.endpoints where owner_id = ?${after ? ' and id < ?' : ''} order by id desc limit ?`,
    [ownerId, ...(after ? [after] : []), limit + 1],
    'all',
  );
}

export async function findOwnedEndpoint(em: EntityManager, ownerId: string, webhookId: string): Promise<EndpointRow | undefined> {
  const [row] = await em.execute<EndpointRow[]>(`select * from ${WEBHOOKS_SCHEMA}.endpoints where id = ? and owner_id = ?`, [webhookId, ownerId], 'all');
  return row;
}

/** Applies an owner's patch; re-enabling forgets the run of failures. Undefined when the owner has no such endpoint. */
export async function updateEndpoint(em: EntityManager, ownerId: string, webhookId: string, changes: UpdateWebhookInput): Promise<EndpointRow | undefined> {
  const [row] = await em.execute<EndpointRow[]>(
    `update ${WEBHOOKS_SCHEMA}.endpoints set
       url = coalesce(?, url),
       event_types = case when ? then array[?]::text[] else event_types end,
       description = coalesce(?, description),
       is_active = coalesce(?, is_active),
       disabled_reason = case when ? then null else disabled_reason end,
       failing_since = case when ? then null else failing_since end,
       updated_at = now()
     where id = ? and owner_id = ? returning *`,
    [
      changes.url ?? null,
      changes.event_types !== undefined,
      changes.event_types ?? [],
      changes.description ?? null,
      changes.is_active ?? null,
      changes.is_active === true,
      changes.is_active === true,
      webhookId,
      ownerId,
    ],
    'all',
  );
  return row;
}

/** Deletes the owner's endpoint (its deliveries go with it); whether there was one. */
export async function deleteEndpoint(em: EntityManager, ownerId: string, webhookId: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(`delete from ${WEBHOOKS_SCHEMA}.endpoints where id = ? and owner_id = ? returning id`, [webhookId, ownerId], 'all');
  return rows.length > 0;
}

/** Puts a new secret in place, the current one kept as the previous one for `graceHours`; undefined when the owner has no such endpoint. */
export async function rotateSecret(em: EntityManager, ownerId: string, webhookId: string, secret: string, graceHours: number): Promise<EndpointRow | undefined> {
  const [row] = await em.execute<EndpointRow[]>(
    `update ${WEBHOOKS_SCHEMA}.endpoints set
       previous_secret = secret,
       previous_secret_expires_at = now() + make_interval(hours => ?),
       secret = ?,
       updated_at = now()
     where id = ? and owner_id = ? returning *`,
    [graceHours, secret, webhookId, ownerId],
    'all',
  );
  return row;
}

/**
 * The active endpoints subscribed to any of `types` (`*` among them) and, when
 * they follow one job, to one of `jobIds`, in id order: one query for a whole
 * batch of events.
 */
export async function findSubscribers(em: EntityManager, types: string[], jobIds: string[]): Promise<Subscriber[]> {
  return em.execute<Subscriber[]>(
    `select id, owner_id, event_types, job_id, format, created_at from ${WEBHOOKS_SCHEMA}.endpoints
     where is_active and event_types && array[?]::text[] and (job_id is null or job_id = any(array[?]::uuid[])) order by id`,
    [types, jobIds],
    'all',
  );
}
