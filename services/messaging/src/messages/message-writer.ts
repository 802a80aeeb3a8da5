import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7, type Actor, type MessageView } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { MessageSchema, type Message, type MessageContent } from './message.entity.ts';
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
 * Stores one message and its `message_sent` event in the caller's
 * transaction. Returns undefined when this source event already wrote a
 * message to this recipient (the unique key backs up the consumer's inbox).
 */
export async function writeMessage(em: EntityManager, draft: NewMessage, actor: Actor): Promise<MessageView | undefined> {
  const message: Message = { id: uuidv7(), ...draft, readAt: null, createdAt: new Date() };
  const result = await em
    .createQueryBuilder(MessageSchema)
    .insert(message)
    .onConflict(['sourceEventId', 'toAgentId'])
    .ignore()
    .execute('run');
  if (result.affectedRows === 0) return undefined;
  const view = toMessageView(message);
  await appendToOutbox(em, MESSAGING_SCHEMA, [
    {
      type: 'message_sent',
      aggregateId: view.id,
      aggregateVersion: 1,
      actor,
      data: { message: view, from_agent_id: view.from_agent_id, to_agent_id: view.to_agent_id, job_id: view.job_id },
    },
  ]);
  return view;
}
