import type { MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  type InboxQuery,
  type InboxView,
  type JobParties,
  type MarkedRead,
  type MessagePage,
  type MessageView,
} from '@agentmarket/contracts';
import { commandTransaction, markKeyRecordedByUseCase, cursorId, idPageOf } from '@agentmarket/messaging';
import { MESSAGING_SCHEMA } from '../schema.ts';
import { writeMessage } from './message-writer.ts';
import { toMessageView } from './message.views.ts';
import { inboxSlice, markMessageRead, threadSlice } from './messages.repository.ts';
import { threadRecipient } from './thread-recipient.ts';

export interface DirectMessage {
  job_id: string;
  from_agent_id: string;
  /** The recipient, when the sender names it; otherwise it is the other one of `parties`. */
  to_agent_id?: string | undefined;
  /** The job's parties, as the jobs service told the gateway that checked the sender is one of them. */
  parties?: JobParties | undefined;
  content: string;
}

/** Who receives a direct message: the other party, given the job's parties; else the recipient the command names. */
function recipientOf(command: DirectMessage): string {
  if (command.parties) return threadRecipient(command.parties, command.from_agent_id);
  if (command.to_agent_id) return command.to_agent_id;
  throw new AppError('validation_failed', 'Name the recipient (to_agent_id) or the job’s parties', { parties: 'Required' });
}

/** Inboxes, read receipts, direct messages and job threads. Each public method owns its transaction. */
export class MessagesService {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async sendDirect(command: DirectMessage): Promise<MessageView> {
    const toAgentId = recipientOf(command);
    return commandTransaction(this.orm, MESSAGING_SCHEMA, async (em) => {
      const view = await writeMessage(
        em,
        {
          fromAgentId: command.from_agent_id,
          toAgentId,
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

  /** Messages to one agent, newest first, with the counts the inbox shows; `unread=true` narrows to unread ones. */
  async inbox(agentId: string, query: InboxQuery): Promise<InboxView> {
    const after = cursorId(query.cursor, 'inbox');
    const slice = await inboxSlice(this.orm.em.fork(), {
      agentId,
      jobId: query.job_id,
      unreadOnly: query.unread === 'true',
      after,
      limit: query.limit + 1,
    });
    const page = idPageOf(slice.messages, query.limit, toMessageView, 'inbox');
    return { messages: page.data, total: slice.total, unread_count: slice.unreadCount, next_cursor: page.next_cursor };
  }

  /** Marks a message to `agentId` read; a repeat returns the first read time. Anyone else's message is not_found. */
  async markRead(agentId: string, messageId: string): Promise<MarkedRead> {
    // Idempotent by nature: a repeat keeps the first read_at and answers the same.
    markKeyRecordedByUseCase();
    const readAt = await markMessageRead(this.orm.em.fork(), messageId, agentId);
    if (!readAt) throw new AppError('not_found', 'Message not found', { message_id: messageId });
    return { message_id: messageId, read_at: readAt.toISOString() };
  }

  /** Every message about one job, to either party, oldest first. */
  async thread(jobId: string, query: { limit: number; cursor?: string | undefined }): Promise<MessagePage> {
    const after = cursorId(query.cursor, 'thread');
    const rows = await threadSlice(this.orm.em.fork(), jobId, after, query.limit + 1);
    return idPageOf(rows, query.limit, toMessageView, 'thread');
  }
}
