import type { EntityManager } from '@mikro-orm/postgresql';
import { WEBHOOKS_SCHEMA } from '../schema.ts';

/** One attempt a worker has claimed: what to send, where, and with which secrets. */
export interface ClaimedAttempt {
  id: string;
  endpoint_id: string;
  event_id: string;
  body: string;
  /** This attempt's number; the result is recorded only if the delivery is still at it (a fence against a stale worker). */
  attempts: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  authorization_header: string | null;
  /** An A2A push config's token, sent as X-A2A-Notification-Token. */
  push_token: string | null;
  /** `a2a` for an A2A push config (its body is an A2A StreamResponse), else `standard`. */
  format: string;
}

/**
 * Leases up to `limit` due attempts in one statement: an endpoint's oldest
 * pending delivery only, rows another replica is claiming skipped (SKIP
 * LOCKED), each attempt counted (see claimDueAttempts in attempts.service.ts).
 */
export async function leaseDueAttempts(em: EntityManager, limit: number, leaseSeconds: number): Promise<ClaimedAttempt[]> {
  return em.execute<ClaimedAttempt[]>(
    `with due as (
       select d.id from ${WEBHOOKS_SCHEMA}.deliveries d
       join ${WEBHOOKS_SCHEMA}.endpoints e on e.id = d.endpoint_id and e.is_active
       where d.status = 'pending' and d.next_attempt_at <= now()
         and (d.lease_until is null or d.lease_until < now())
         and not exists (
           select 1 from ${WEBHOOKS_SCHEMA}.deliveries older
           where older.endpoint_id = d.endpoint_id and older.status = 'pending' and older.id < d.id
         )
       order by d.next_attempt_at, d.id
       limit ?
       for update of d skip locked
     )
     update ${WEBHOOKS_SCHEMA}.deliveries d
     set lease_until = now() + make_interval(secs => ?), attempts = d.attempts + 1
     from due, ${WEBHOOKS_SCHEMA}.endpoints e
     where d.id = due.id and e.id = d.endpoint_id
     returning d.id, d.endpoint_id, d.event_id, d.body, d.attempts, e.url, e.secret, e.previous_secret,
               e.previous_secret_expires_at, e.authorization_header, e.push_token, e.format`,
    [limit, leaseSeconds],
    'all',
  );
}

/** Marks the attempt's delivery delivered, unless it has moved on since (another attempt, deleted); whether it was. */
export async function markDelivered(em: EntityManager, attempt: ClaimedAttempt, statusCode: number): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update ${WEBHOOKS_SCHEMA}.deliveries
     set status = 'delivered', delivered_at = now(), last_status_code = ?, last_error = null, lease_until = null, next_attempt_at = null
     where id = ? and attempts = ? and status = 'pending' returning id`,
    [statusCode, attempt.id, attempt.attempts],
    'all',
  );
  return rows.length > 0;
}

/** Ends the endpoint's run of failures. */
export async function clearFailingSince(em: EntityManager, endpointId: string): Promise<void> {
  await em.execute(`update ${WEBHOOKS_SCHEMA}.endpoints set failing_since = null where id = ? and failing_since is not null`, [endpointId], 'run');
}

/** Makes the endpoint's pending deliveries that were waiting behind a later time due now. */
export async function releaseQueue(em: EntityManager, endpointId: string): Promise<void> {
  await em.execute(
    `update ${WEBHOOKS_SCHEMA}.deliveries set next_attempt_at = now()
     where endpoint_id = ? and status = 'pending' and next_attempt_at > now()`,
    [endpointId],
    'run',
  );
}

/** Records a failed attempt: pending again at `next`, or failed without one; whether the delivery was still at this attempt. */
export async function markFailed(
  em: EntityManager,
  attempt: ClaimedAttempt,
  next: Date | undefined,
  outcome: { statusCode: number | null; error: string },
): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update ${WEBHOOKS_SCHEMA}.deliveries
     set status = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?, lease_until = null
     where id = ? and attempts = ? and status = 'pending' returning id`,
    [next ? 'pending' : 'failed', next ?? null, outcome.statusCode, outcome.error, attempt.id, attempt.attempts],
    'all',
  );
  return rows.length > 0;
}

/** Keeps the endpoint's newer pending deliveries from being due before `next`. */
export async function holdNewerDeliveries(em: EntityManager, attempt: ClaimedAttempt, next: Date): Promise<void> {
  await em.execute(
    `update ${WEBHOOKS_SCHEMA}.deliveries set next_attempt_at = ?
     where endpoint_id = ? and status = 'pending' and id > ? and next_attempt_at < ?`,
    [next, attempt.endpoint_id, attempt.id, next],
    'run',
  );
}

/** An active endpoint in a run of failures: its owner, url, when the run began, and whether it has lasted long enough to disable it. */
export interface FailingEndpoint {
  owner_type: 'agent' | 'user';
  owner_id: string;
  url: string;
  failing_since: Date;
  disable: boolean;
}

/** Starts (or continues) the active endpoint's run of failures; undefined for an inactive or deleted endpoint. */
export async function markEndpointFailing(em: EntityManager, endpointId: string, disableAfterSeconds: number): Promise<FailingEndpoint | undefined> {
  const [endpoint] = await em.execute<FailingEndpoint[]>(
    `update ${WEBHOOKS_SCHEMA}.endpoints set failing_since = coalesce(failing_since, now())
     where id = ? and is_active
     returning owner_type, owner_id, url, failing_since, failing_since <= now() - make_interval(secs => ?) as disable`,
    [endpointId, disableAfterSeconds],
    'all',
  );
  return endpoint;
}

export async function disableEndpoint(em: EntityManager, endpointId: string, reason: string): Promise<void> {
  await em.execute(`update ${WEBHOOKS_SCHEMA}.endpoints set is_active = false, disabled_reason = ?, updated_at = now() where id = ?`, [reason, endpointId], 'run');
}
