import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { SYSTEM_ACTOR } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { WEBHOOKS_SCHEMA } from '../schema.ts';
import {
  clearFailingSince,
  disableEndpoint,
  holdNewerDeliveries,
  leaseDueAttempts,
  markDelivered,
  markEndpointFailing,
  markFailed,
  releaseQueue,
  type ClaimedAttempt,
} from './attempts.repository.ts';
import { pauseQueue } from './deliveries.repository.ts';
import { nextAttemptAfterFailure } from './retry-schedule.ts';

export interface FailurePolicy {
  retryScheduleSeconds: readonly number[];
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterSeconds: number;
}

/** Longest error text kept in the log. */
const MAX_ERROR_LENGTH = 500;

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
  return orm.em.fork().transactional((em) => leaseDueAttempts(em, limit, leaseSeconds));
}

/** Records a 2xx: the delivery is done, and the endpoint's run of failures (if any) is over. */
export async function recordSuccess(orm: MikroORM, attempt: ClaimedAttempt, statusCode: number): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    if (!(await markDelivered(em, attempt, statusCode))) return;
    await clearFailingSince(em, attempt.endpoint_id);
    // The queue behind it waited for this one (it may have been sent early by a manual retry): it may go now.
    await releaseQueue(em, attempt.endpoint_id);
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
    if (!(await markFailed(em, attempt, next, { statusCode: outcome.statusCode, error: outcome.error.slice(0, MAX_ERROR_LENGTH) }))) return;
    // The endpoint's newer deliveries wait for this one (order per endpoint): they are not due before it.
    if (next) await holdNewerDeliveries(em, attempt, next);
    await disableIfFailingTooLong(em, attempt.endpoint_id, policy.disableAfterSeconds);
  });
}

async function disableIfFailingTooLong(em: EntityManager, endpointId: string, disableAfterSeconds: number): Promise<void> {
  const endpoint = await markEndpointFailing(em, endpointId, disableAfterSeconds);
  if (!endpoint?.disable) return;
  const failingSince = new Date(endpoint.failing_since).toISOString();
  await disableEndpoint(em, endpointId, `every delivery failed since ${failingSince}`);
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

