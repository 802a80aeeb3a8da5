import {
  SUBJECTS,
  inboxCommandSchema,
  markReadCommandSchema,
  sendDirectMessageCommandSchema,
  threadCommandSchema,
} from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { MessagesService } from './messages.service.ts';

/** Request/reply subjects of the inbox and job threads. */
export function messageHandlers(messages: MessagesService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.messaging;
  return {
    [subjects.inbox]: handler(inboxCommandSchema, (input) => messages.inbox(input.agent_id, input.query)),
    [subjects.markRead]: handler(markReadCommandSchema, (input) => messages.markRead(input.agent_id, input.message_id)),
    [subjects.send]: handler(sendDirectMessageCommandSchema, (input) => messages.sendDirect(input)),
    [subjects.thread]: handler(threadCommandSchema, (input) => messages.thread(input.job_id, input.query)),
  };
}
