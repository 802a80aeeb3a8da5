import type { EntityManager } from '@mikro-orm/postgresql';
import { MESSAGING_SCHEMA } from '../schema.ts';
import { MessageSchema, type Message } from './message.entity.ts';

const MESSAGES = `${MESSAGING_SCHEMA}.messages`;

/**
 * Inserts messages in one statement; one whose source event already wrote a
 * message to the same recipient is skipped. Returns the ids stored.
 */
export async function insertMessages(em: EntityManager, messages: Message[]): Promise<Set<string>> {
  const rows = await em.execute<{ id: string }[]>(
    `insert into ${MESSAGES} (id, from_agent_id, to_agent_id, job_id, message_type, content, source_event_id, created_at)
     values ${messages.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     on conflict (source_event_id, to_agent_id) do nothing returning id`,
    messages.flatMap((m) => [m.id, m.fromAgentId, m.toAgentId, m.jobId, m.messageType, JSON.stringify(m.content), m.sourceEventId, m.createdAt]),
    'all',
  );
  return new Set(rows.map((row) => row.id));
}

export interface InboxSlice {
  total: number;
  unreadCount: number;
  messages: Message[];
}

/**
 * Up to `limit` messages to one agent below `after`, newest first, with the
 * inbox's counts. One statement: the counts come from a single pass over the
 * agent's messages and the page is joined to them, so an empty page still has them.
 */
export async function inboxSlice(
  em: EntityManager,
  filter: { agentId: string; jobId?: string | undefined; unreadOnly: boolean; after?: string | undefined; limit: number },
): Promise<InboxSlice> {
  const scope = filter.jobId ? 'to_agent_id = ? and job_id = ?' : 'to_agent_id = ?';
  const scopeParams = filter.jobId ? [filter.agentId, filter.jobId] : [filter.agentId];
  const readFilter = filter.unreadOnly ? 'read_at is null' : 'true';
  const rows = await em.execute<({ total: number; unread_count: number; id: string | null } & Record<string, unknown>)[]>(
    `select counts.total, counts.unread_count, page.*
     from (
       select count(*) filter (where ${readFilter})::int as total,
              count(*) filter (where read_at is null)::int as unread_count
       from ${MESSAGES} where ${scope}
     ) counts
     left join lateral (
       select * from ${MESSAGES}
       where ${scope} and ${readFilter}${filter.after ? ' and id < ?' : ''}
       order by id desc limit ?
     ) page on true
     order by page.id desc`,
    [...scopeParams, ...scopeParams, ...(filter.after ? [filter.after] : []), filter.limit],
    'all',
  );
  const first = rows[0];
  const messages = rows
    .filter((row) => row.id !== null)
    .map(({ total: _total, unread_count: _unread, ...columns }) => em.map(MessageSchema, columns) as Message);
  return { total: first?.total ?? 0, unreadCount: first?.unread_count ?? 0, messages };
}

/** Marks a message to `agentId` read, keeping the first read time; undefined when no such message is theirs. */
export async function markMessageRead(em: EntityManager, messageId: string, agentId: string): Promise<Date | undefined> {
  const rows = await em.execute<{ read_at: Date | string }[]>(
    `update ${MESSAGES} set read_at = coalesce(read_at, now()) where id = ? and to_agent_id = ? returning read_at`,
    [messageId, agentId],
    'all',
  );
  const row = rows[0];
  return row ? new Date(row.read_at) : undefined;
}

/** Up to `limit` messages of one job after `after`, oldest first. */
export async function threadSlice(em: EntityManager, jobId: string, after: string | undefined, limit: number): Promise<Message[]> {
  return em.find(MessageSchema, after ? { jobId, id: { $gt: after } } : { jobId }, { orderBy: { id: 'asc' }, limit });
}
