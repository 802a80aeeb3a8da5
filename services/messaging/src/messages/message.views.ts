import type { MessageView } from '@agentmarket/contracts';
import type { Message } from './message.entity.ts';

/** A stored message as the bus and the HTTP API show it. */
export function toMessageView(message: Message): MessageView {
  return {
    id: message.id,
    from_agent_id: message.fromAgentId ?? null,
    to_agent_id: message.toAgentId,
    job_id: message.jobId ?? null,
    message_type: message.messageType,
    content: message.content,
    read_at: message.readAt?.toISOString() ?? null,
    created_at: message.createdAt.toISOString(),
  };
}
