import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7, type Actor, type MessageView } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import type { Message, MessageContent } from './message.entity.ts';
import { toMessageView } from './message.views.ts';

export const MESSAGING_SCHEMA = 'messaging';

export interface NewMessage {
  fromAgentId: string | null;
  toAgentId: string;
  jobId: string | null;
  messageType: string;
  content: MessageContent;
  /** The job event an automatic message answers; null for a direct message. */
  sourceEventId: string | null;
}

/**
 * Stores messages in the caller's transaction, one insert, and announces the
 * direct ones as `message_sent`. An automatic message (it has a source event)
 * is not announced: the job event it answers is the fact, and it already
 * reached both parties. A message whose source event already wrote one to the
 * same recipient is skipped (the unique key backs up the consumer's inbox);
 * the stored ones are returned.
 */
export async function writeMessages(em: EntityManager, drafts: NewMessage[], actor: Actor): Promise<MessageView[]> {
  if (drafts.length === 0) return [];
  const createdAt = new Date();
  const messages: Message[] = drafts.map((draft) => ({ id: uuidv7(), ...draft, readAt: null, createdAt }));
  const rows = await em.execute<{ id: string }[]>(
    `insert into ${MESSAGING_SCHEMA}.messages (id, from_agent_id, to_agent_id, job_id, message_type, content, source_event_id, created_at)
     values ${messages.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     on conflict (source_event_id, to_agent_id) do nothing returning id`,
    messages.flatMap((m) => [m.id, m.fromAgentId, m.toAgentId, m.jobId, m.messageType, JSON.stringify(m.content), m.sourceEventId, createdAt]),
    'all',
  );
  const stored = new Set(rows.map((row) => row.id));
  const kept = messages.filter((message) => stored.has(message.id));
  const views = kept.map(toMessageView);
  const direct = views.filter((_view, index) => kept[index]!.sourceEventId === null);
  await appendToOutbox(
    em,
    MESSAGING_SCHEMA,
    direct.map((view) => ({
      type: 'message_sent' as const,
      aggregateId: view.id,
      aggregateVersion: 1,
      actor,
      data: { message: view, from_agent_id: view.from_agent_id, to_agent_id: view.to_agent_id, job_id: view.job_id },
    })),
  );
  return views;
}

/** writeMessages for one message; undefined when it was a duplicate. */
export async function writeMessage(em: EntityManager, draft: NewMessage, actor: Actor): Promise<MessageView | undefined> {
  const [view] = await writeMessages(em, [draft], actor);
  return view;
}
