import type { EntityManager } from '@mikro-orm/postgresql';
import { IDENTITY_SCHEMA } from '../schema.ts';
import type { AuditRecord } from './audit-entry.ts';

/** A row of `identity.admin_audit` as it is read. */
export interface AuditRow {
  id: string;
  admin: string;
  action: string;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
  at: Date;
}

/** Stores audit records in one statement; a record already stored (a redelivered event) is skipped. */
export async function insertAuditRecords(em: EntityManager, records: AuditRecord[]): Promise<void> {
  await em.execute(
    `insert into ${IDENTITY_SCHEMA}.admin_audit (id, admin, action, target_type, target_id, details, at)
     values ${records.map(() => '(?, ?, ?, ?, ?, ?::jsonb, ?)').join(', ')} on conflict (id) do nothing`,
    records.flatMap((record) => [record.id, record.admin, record.action, record.targetType, record.targetId, JSON.stringify(record.details), record.at]),
    'run',
  );
}

/** Up to `limit` rows older than `after` (all when undefined), newest first. */
export async function findAuditRows(em: EntityManager, after: string | undefined, limit: number): Promise<AuditRow[]> {
  return em.execute<AuditRow[]>(
    `select id, admin, action, target_type, target_id, details, at from ${IDENTITY_SCHEMA}.admin_audit
     ${after ? 'where id < ?' : ''} order by id desc limit ?`,
    after ? [after, limit] : [limit],
    'all',
  );
}
