import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookOwner } from '@agentmarket/contracts';
import type { EndpointRow } from '../endpoints/endpoint.views.ts';
import { WEBHOOKS_SCHEMA } from '../schema.ts';

/** Which config of which owner on which job: A2A names a config by its id within the task. */
export interface PushConfigKey {
  ownerId: string;
  jobId: string;
  configId: string;
}

/** Where and how a config's notifications are sent. */
export interface PushTarget {
  url: string;
  token: string | null;
  authorization: string | null;
}

/** A push config as it is created: an endpoint limited to the job, sent in the A2A format. */
export interface NewPushConfig extends PushTarget {
  id: string;
  owner: WebhookOwner;
  jobId: string;
  configId: string;
  eventTypes: string[];
  description: string;
  secret: string;
  now: Date;
}

/** Replaces the target of the owner's config with this id on the job; undefined when there is none. */
export async function replacePushTarget(em: EntityManager, key: PushConfigKey, target: PushTarget, now: Date): Promise<EndpointRow | undefined> {
  const [replaced] = await em.execute<EndpointRow[]>(
    `update ${WEBHOOKS_SCHEMA}.endpoints set url = ?, push_token = ?, authorization_header = ?, updated_at = ?
     where owner_id = ? and job_id = ? and push_config_id = ? returning *`,
    [target.url, target.token, target.authorization, now, key.ownerId, key.jobId, key.configId],
    'all',
  );
  return replaced;
}

/** The owner's push configs over all jobs. */
export async function countPushConfigs(em: EntityManager, ownerId: string): Promise<number> {
  const [counted] = await em.execute<{ count: number }[]>(
    `select count(*)::int as count from ${WEBHOOKS_SCHEMA}.endpoints where owner_id = ? and push_config_id is not null`,
    [ownerId],
    'all',
  );
  return counted?.count ?? 0;
}

export async function insertPushConfig(em: EntityManager, config: NewPushConfig): Promise<EndpointRow> {
  const [row] = await em.execute<EndpointRow[]>(
    `insert into ${WEBHOOKS_SCHEMA}.endpoints
       (id, owner_type, owner_id, url, event_types, description, secret, authorization_header, job_id, format, push_config_id, push_token,
        is_active, created_at, updated_at)
     values (?, ?, ?, ?, array[?]::text[], ?, ?, ?, ?, 'a2a', ?, ?, true, ?, ?) returning *`,
    [
      config.id,
      config.owner.type,
      config.owner.id,
      config.url,
      config.eventTypes,
      config.description,
      config.secret,
      config.authorization,
      config.jobId,
      config.configId,
      config.token,
      config.now,
      config.now,
    ],
    'all',
  );
  return row!;
}

export async function findPushConfig(em: EntityManager, key: PushConfigKey): Promise<EndpointRow | undefined> {
  const [row] = await em.execute<EndpointRow[]>(
    `select * from ${WEBHOOKS_SCHEMA}.endpoints where owner_id = ? and job_id = ? and push_config_id = ?`,
    [key.ownerId, key.jobId, key.configId],
    'all',
  );
  return row;
}

/** A page of the owner's configs on the job, oldest first; one row more than `limit` says another page follows. */
export async function findPushConfigPage(em: EntityManager, ownerId: string, jobId: string, after: string | undefined, limit: number): Promise<EndpointRow[]> {
  return em.execute<EndpointRow[]>(
    `select * from ${WEBHOOKS_SCHEMA}.endpoints
     where owner_id = ? and job_id = ? and push_config_id is not null${after ? ' and id > ?' : ''} order by id limit ?`,
    [ownerId, jobId, ...(after ? [after] : []), limit + 1],
    'all',
  );
}

/** Deletes the config's endpoint (its deliveries go with it); the endpoint's id, undefined when there was none. */
export async function deletePushConfig(em: EntityManager, key: PushConfigKey): Promise<string | undefined> {
  const rows = await em.execute<{ id: string }[]>(
    `delete from ${WEBHOOKS_SCHEMA}.endpoints where owner_id = ? and job_id = ? and push_config_id = ? returning id`,
    [key.ownerId, key.jobId, key.configId],
    'all',
  );
  return rows[0]?.id;
}
