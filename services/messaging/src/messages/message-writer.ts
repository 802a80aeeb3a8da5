import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7, type Actor, type MessageView } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { MESSAGING_SCHEMA } from '../schema.ts';
import type { Message, MessageContent } from './message.entity.ts';
import { toMessageView } from './message.views.ts';
import { insertMessages } from './messages.repository.ts';

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
  const stored = await insertMessages(em, messages);
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
