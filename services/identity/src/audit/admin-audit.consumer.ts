import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import { auditRecordOf } from './audit-entry.ts';

const declaration = CONSUMERS.identity.adminAudit;

/** Writes one audit row per admin action, once per event (the row's id is the event's, and the inbox guards redelivery). */
export async function recordAdminAction(orm: MikroORM, envelope: EventEnvelope): Promise<HandleOutcome> {
  const record = auditRecordOf(envelope);
  // Every other event is acknowledged without touching the database.
  if (!record) return 'applied';
  return applyOnce(orm, 'identity', declaration.durable, envelope, async (em) => {
    await em.execute(
      `insert into identity.admin_audit (id, admin, action, target_type, target_id, details, at)
       values (?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (id) do nothing`,
      [record.id, record.admin, record.action, record.targetType, record.targetId, JSON.stringify(record.details), record.at],
      'run',
    );
  });
}

/** The durable consumer of every event that keeps the admin audit trail. */
export function adminAuditConsumer(orm: MikroORM): ConsumerSpec {
  return { declaration, handle: (envelope) => recordAdminAction(orm, envelope) };
}
