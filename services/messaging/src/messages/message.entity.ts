import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** What every message carries in `content`: a sentence for people, plus fields for programs. */
export type MessageContent = { message: string } & Record<string, unknown>;

export const MessageSchema = defineEntity({
  name: 'Message',
  tableName: 'messages',
  properties: {
    id: p.uuid().primary(),
    fromAgentId: p.uuid().nullable(),
    toAgentId: p.uuid(),
    jobId: p.uuid().nullable(),
    messageType: p.string(),
    content: p.json<MessageContent>(),
    /** The job event an automatic message was written for; null for direct messages. */
    sourceEventId: p.uuid().nullable(),
    readAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export type Message = InferEntity<typeof MessageSchema>;
