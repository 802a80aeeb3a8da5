import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, EVENT_TYPES, auditSubjectsOfType, type EventType } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { auditRecordOf, type AuditRecord } from './audit-entry.ts';

/** The event types whose copies reach AUDIT (admins' acts). */
const AUDITED_TYPES = (Object.keys(EVENT_TYPES) as EventType[]).filter((type) => auditSubjectsOfType(type).length > 0);

/**
 * The durable consumer of the AUDIT stream: one audit row per admin act, once
 * per event (the row's id is the event's, and the inbox guards redelivery).
 * Producers copy only admins' acts there, so this no longer reads every event.
 */
export function adminAuditConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<AuditRecord>({
    declaration: CONSUMERS.identity.adminAudit,
    orm,
    schema: 'identity',
    reads: AUDITED_TYPES,
    prepare: auditRecordOf,
    apply: async (em, events) => {
      const records = events.map((event) => event.change);
      await em.execute(
        `insert into identity.admin_audit (id, admin, action, target_type, target_id, details, at)
         values ${records.map(() => '(?, ?, ?, ?, ?, ?::jsonb, ?)').join(', ')} on conflict (id) do nothing`,
        records.flatMap((record) => [record.id, record.admin, record.action, record.targetType, record.targetId, JSON.stringify(record.details), record.at]),
        'run',
      );
    },
  });
}
