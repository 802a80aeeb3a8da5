import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, EVENT_TYPES, auditSubjectsOfType, type EventType } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { IDENTITY_SCHEMA } from '../schema.ts';
import { auditRecordOf, type AuditRecord } from './audit-entry.ts';
import { insertAuditRecords } from './admin-audit.repository.ts';

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
    schema: IDENTITY_SCHEMA,
    reads: AUDITED_TYPES,
    prepare: auditRecordOf,
    apply: (em, events) => insertAuditRecords(em, events.map((event) => event.change)),
  });
}
