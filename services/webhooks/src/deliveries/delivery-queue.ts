import type { EntityManager } from '@mikro-orm/postgresql';
import { WEBHOOKS_SCHEMA } from '../webhooks-schema.ts';

/** A disabled endpoint's pending deliveries are not due (next_attempt_at null) until it is enabled again (resumeQueue). */
export async function pauseQueue(em: EntityManager, endpointId: string): Promise<void> {
  await em.execute(`update ${WEBHOOKS_SCHEMA}.deliveries set next_attempt_at = null where endpoint_id = ? and status = 'pending'`, [endpointId], 'run');
}

/** An enabled endpoint's pending deliveries are due at once, oldest first (the claim keeps the order). */
export async function resumeQueue(em: EntityManager, endpointId: string): Promise<void> {
  await em.execute(`update ${WEBHOOKS_SCHEMA}.deliveries set next_attempt_at = now() where endpoint_id = ? and status = 'pending'`, [endpointId], 'run');
}
