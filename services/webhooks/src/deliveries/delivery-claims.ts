import type { MikroORM } from '@mikro-orm/postgresql';
import { WEBHOOKS_SCHEMA } from '../webhooks-schema.ts';

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
 * Claims up to `limit` due attempts for this replica, each leased for
 * `leaseSeconds` (an attempt's timeout and a margin): a replica that dies
 * mid-attempt leaves the lease to run out, and another one tries again.
 *
 * Only an endpoint's OLDEST pending delivery is ever eligible, so an endpoint
 * has one attempt in flight at a time and gets its events in order: a newer
 * delivery waits while the older one is in flight or backing off. Rows
 * another replica is claiming right now are skipped (SKIP LOCKED), never
 * waited for; a row it has claimed carries a live lease and is not eligible.
 */
export async function claimDueAttempts(orm: MikroORM, limit: number, leaseSeconds: number): Promise<ClaimedAttempt[]> {
  if (limit <= 0) return [];
  return orm.em.fork().transactional((em) =>
    em.execute<ClaimedAttempt[]>(
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
    ),
  );
}
