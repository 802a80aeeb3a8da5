import type { MikroORM } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, idCursor, type AuditEntry, type AuditPage, type AuditQuery } from '@agentmarket/contracts';
import { boundedPage } from '@agentmarket/messaging';

const LIST = 'admin_audit';

interface AuditRow {
  id: string;
  admin: string;
  action: string;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
  at: Date;
}

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
    const rows = await this.orm.em
      .fork()
      .execute<AuditRow[]>(
        `select id, admin, action, target_type, target_id, details, at from identity.admin_audit
         ${after ? 'where id < ?' : ''} order by id desc limit ?`,
        after ? [after, query.limit + 1] : [query.limit + 1],
        'all',
      );
    return boundedPage(rows, query.limit, toEntry, (last) => encodeCursor({ value: last.id, id: last.id }, LIST));
  }
}
