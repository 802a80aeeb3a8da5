import type { MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  type InboxQuery,
  type InboxView,
  type MarkedRead,
  type MessagePage,
  type MessageView,
} from '@agentmarket/contracts';
import { commandTransaction, markKeyRecordedByUseCase, cursorId, idPageOf } from '@agentmarket/messaging';
import { MessageSchema, type Message } from './message.entity.ts';
import { MESSAGING_SCHEMA, writeMessage } from './message-writer.ts';
import { toMessageView } from './message.views.ts';

export interface DirectMessage {
  job_id: string;
  from_agent_id: string;
  to_agent_id: string;
  content: string;
}

interface InboxRow extends Record<string, unknown> {
  total: number;
  unread_count: number;
  id: string | null;
}

// `unread=true` narrows to unread messages; `unread=false` is every message, as in the original API.
const UNREAD_ONLY = 'read_at is null';

/** Inboxes, read receipts, direct messages and job threads. Each public method owns its transaction. */
export class MessagesService {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async sendDirect(command: DirectMessage): Promise<MessageView> {
    return commandTransaction(this.orm, MESSAGING_SCHEMA, async (em) => {
      const view = await writeMessage(
        em,
        {
          fromAgentId: command.from_agent_id,
          toAgentId: command.to_agent_id,
          jobId: command.job_id,
          messageType: 'direct_message',
          content: { message: command.content },
          sourceEventId: null,
        },
        { type: 'agent', id: command.from_agent_id },
      );
      // Only an automatic message can collide with an earlier one; a direct one has no source event.
      if (!view) throw new Error('direct message was not stored');
      return view;
    });
  }

  /**
   * Messages to one agent, newest first, with the counts the inbox shows.
   * One statement: the counts come from a single pass over the agent's
   * messages, and the page is joined to them, so an empty page still has them.
   */
  async inbox(agentId: string, query: InboxQuery): Promise<InboxView> {
    const after = cursorId(query.cursor, 'inbox');
    const scope = query.job_id ? 'to_agent_id = ? and job_id = ?' : 'to_agent_id = ?';
    const scopeParams = query.job_id ? [agentId, query.job_id] : [agentId];
    const readFilter = query.unread === 'true' ? UNREAD_ONLY : 'true';
    const em = this.orm.em.fork();
    const rows = await em.execute<InboxRow[]>(
      `select counts.total, counts.unread_count, page.*
       from (
         select count(*) filter (where ${readFilter})::int as total,
                count(*) filter (where read_at is null)::int as unread_count
         from ${MESSAGING_SCHEMA}.messages where ${scope}
       ) counts
       left join lateral (
         select * from ${MESSAGING_SCHEMA}.messages
         where ${scope} and ${readFilter}${after ? ' and id < ?' : ''}
         order by id desc limit ?
       ) page on true
       order by page.id desc`,
      [...scopeParams, ...scopeParams, ...(after ? [after] : []), query.limit + 1],
      'all',
    );
    const first = rows[0];
    const messages = rows
      .filter((row) => row.id !== null)
      .map(({ total: _total, unread_count: _unread, ...columns }) => em.map(MessageSchema, columns) as Message);
    const page = idPageOf(messages, query.limit, toMessageView, 'inbox');
    return { messages: page.data, total: first?.total ?? 0, unread_count: first?.unread_count ?? 0, next_cursor: page.next_cursor };
  }

  /** Marks a message to `agentId` read; a repeat returns the first read time. Anyone else's message is not_found. */
  async markRead(agentId: string, messageId: string): Promise<MarkedRead> {
    // Idempotent by nature: a repeat keeps the first read_at and answers the same.
    markKeyRecordedByUseCase();
    const rows = await this.orm.em
      .fork()
      .execute<{ read_at: Date | string }[]>(
        `update ${MESSAGING_SCHEMA}.messages set read_at = coalesce(read_at, now()) where id = ? and to_agent_id = ? returning read_at`,
        [messageId, agentId],
        'all',
      );
    const row = rows[0];
    if (!row) throw new AppError('not_found', 'Message not found', { message_id: messageId });
    return { message_id: messageId, read_at: new Date(row.read_at).toISOString() };
  }

  /** Every message about one job, to either party, oldest first. */
  async thread(jobId: string, query: { limit: number; cursor?: string | undefined }): Promise<MessagePage> {
    const after = cursorId(query.cursor, 'thread');
    const rows = await this.orm.em
      .fork()
      .find(MessageSchema, after ? { jobId, id: { $gt: after } } : { jobId }, { orderBy: { id: 'asc' }, limit: query.limit + 1 });
    return idPageOf(rows, query.limit, toMessageView, 'thread');
  }
}
