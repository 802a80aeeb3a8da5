import type { MikroORM } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, idCursor, type AuditEntry, type AuditPage, type AuditQuery } from '@agentmarket/contracts';
import { boundedPage } from '@agentmarket/messaging';
import { findAuditRows, type AuditRow } from './admin-audit.repository.ts';

const LIST = 'admin_audit';

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  admin: row.admin,
  action: row.action,
  target: { type: row.target_type, id: row.target_id },
  details: row.details,
  at: new Date(row.at).toISOString(),
});

/** GET /api/admin/audit: the attributed admin actions, newest first (ids are the events' UUID v7s, so id order is time order). */
export class AdminAudit {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    const after = query.cursor ? decodeCursor(query.cursor, idCursor(LIST)).id : undefined;
    const rows = await findAuditRows(this.orm.em.fork(), after, query.limit + 1);
    return boundedPage(rows, query.limit, toEntry, (last) => encodeCursor({ value: last.id, id: last.id }, LIST));
  }
}
