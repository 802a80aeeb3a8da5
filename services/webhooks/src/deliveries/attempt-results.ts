import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { SYSTEM_ACTOR } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { WEBHOOKS_SCHEMA } from '../webhooks-schema.ts';
import { pauseQueue } from './delivery-queue.ts';
import type { ClaimedAttempt } from './delivery-claims.ts';
import { nextAttemptAfterFailure } from './retry-schedule.ts';

export interface FailurePolicy {
  retryScheduleSeconds: readonly number[];
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterSeconds: number;
}

/** Longest error text kept in the log. */
const MAX_ERROR_LENGTH = 500;

/** Records a 2xx: the delivery is done, and the endpoint's run of failures (if any) is over. */
export async function recordSuccess(orm: MikroORM, attempt: ClaimedAttempt, statusCode: number): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    const rows = await em.execute<{ id: string }[]>(
      `update ${WEBHOOKS_SCHEMA}.deliveries
       set status = 'delivered', delivered_at = now(), last_status_code = ?, last_error = null, lease_until = null, next_attempt_at = null
       where id = ? and attempts = ? and status = 'pending' returning id`,
      [statusCode, attempt.id, attempt.attempts],
      'all',
    );
    if (rows.length === 0) return;
    await em.execute(`update ${WEBHOOKS_SCHEMA}.endpoints set failing_since = null where id = ? and failing_since is not null`, [attempt.endpoint_id], 'run');
    // The queue behind it waited for this one (it may have been sent early by a manual retry): it may go now.
    await em.execute(
      `update ${WEBHOOKS_SCHEMA}.deliveries set next_attempt_at = now()
       where endpoint_id = ? and status = 'pending' and next_attempt_at > now()`,
      [attempt.endpoint_id],
      'run',
    );
  });
}

/**
 * Records a failed attempt: the next one is scheduled (or, the schedule used
 * up, the delivery is failed), and the endpoint's run of failures goes on.
 * When that run has lasted `disableAfterSeconds`, the endpoint is disabled
 * and `webhook_disabled` announced, in the same transaction: its owner gets
 * an inbox message (messaging) and the event on its own feed.
 */
export async function recordFailure(
  orm: MikroORM,
  attempt: ClaimedAttempt,
  outcome: { statusCode: number | null; error: string },
  policy: FailurePolicy,
): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    const next = nextAttemptAfterFailure(policy.retryScheduleSeconds, attempt.attempts, new Date());
    const rows = await em.execute<{ id: string }[]>(
      `update ${WEBHOOKS_SCHEMA}.deliveries
       set status = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?, lease_until = null
       where id = ? and attempts = ? and status = 'pending' returning id`,
      [next ? 'pending' : 'failed', next ?? null, outcome.statusCode, outcome.error.slice(0, MAX_ERROR_LENGTH), attempt.id, attempt.attempts],
      'all',
    );
    if (rows.length === 0) return;
    // The endpoint's newer deliveries wait for this one (order per endpoint): they are not due before it.
    if (next) {
      await em.execute(
        `update ${WEBHOOKS_SCHEMA}.deliveries set next_attempt_at = ?
         where endpoint_id = ? and status = 'pending' and id > ? and next_attempt_at < ?`,
        [next, attempt.endpoint_id, attempt.id, next],
        'run',
      );
    }
    await disableIfFailingTooLong(em, attempt.endpoint_id, policy.disableAfterSeconds);
  });
}

async function disableIfFailingTooLong(em: EntityManager, endpointId: string, disableAfterSeconds: number): Promise<void> {
  const [endpoint] = await em.execute<{ owner_type: 'agent' | 'user'; owner_id: string; url: string; failing_since: Date; disable: boolean }[]>(
    `update ${WEBHOOKS_SCHEMA}.endpoints set failing_since = coalesce(failing_since, now())
     where id = ? and is_active
     returning owner_type, owner_id, url, failing_since, failing_since <= now() - make_interval(secs => ?) as disable`,
    [endpointId, disableAfterSeconds],
    'all',
  );
  if (!endpoint?.disable) return;
  const failingSince = new Date(endpoint.failing_since).toISOString();
  await em.execute(
    `update ${WEBHOOKS_SCHEMA}.endpoints set is_active = false, disabled_reason = ?, updated_at = now() where id = ?`,
    [`every delivery failed since ${failingSince}`, endpointId],
    'run',
  );
  await pauseQueue(em, endpointId);
  await appendToOutbox(em, WEBHOOKS_SCHEMA, [
    {
      type: 'webhook_disabled',
      aggregateId: endpointId,
      aggregateVersion: 1,
      actor: SYSTEM_ACTOR,
      data: {
        webhook_id: endpointId,
        url: endpoint.url,
        owner_type: endpoint.owner_type,
        // agent_id / user_id: the owner is the event's party (eventParties), so it reaches the owner's feed and inbox.
        [endpoint.owner_type === 'agent' ? 'agent_id' : 'user_id']: endpoint.owner_id,
        failing_since: failingSince,
      },
    },
  ]);
}

