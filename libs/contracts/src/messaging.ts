import { z } from 'zod';
import { cursorSchema, limitSchema, type Page } from './pagination.ts';
import { jobPartiesSchema } from './jobs.ts';

const uuid = z.string().uuid();

// ---- HTTP inputs ----
export const inboxQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  job_id: uuid.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

export const messageIdParamsSchema = z.strictObject({ id: uuid });
export const sendMessageInputSchema = z.strictObject({ content: z.string().trim().min(1).max(8000) });

export const threadQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional() });

export const activityQuerySchema = z.strictObject({
  agent_id: uuid.optional(),
  job_id: uuid.optional(),
  type: z.string().max(64).regex(/^[a-z]+(_[a-z]+)+$/).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type ActivityQuery = z.infer<typeof activityQuerySchema>;

// ---- commands (gateway → messaging) ----
export const inboxCommandSchema = z.strictObject({ agent_id: uuid, query: inboxQuerySchema });
export const markReadCommandSchema = z.strictObject({ agent_id: uuid, message_id: uuid });
/**
 * The gateway has checked with the jobs service that the sender is one of the job's parties, and passes them on:
 * messaging writes to the other party. `to_agent_id` instead of `parties` names the recipient outright.
 */
export const sendDirectMessageCommandSchema = z
  .strictObject({
    job_id: uuid,
    from_agent_id: uuid,
    to_agent_id: uuid.optional(),
    parties: jobPartiesSchema.optional(),
    content: z.string().trim().min(1).max(8000),
  })
  .refine((command) => command.to_agent_id !== undefined || command.parties !== undefined, {
    message: 'Name the recipient (to_agent_id) or the job’s parties',
    path: ['parties'],
  });
export const threadCommandSchema = z.strictObject({ job_id: uuid, query: threadQuerySchema });

// ---- replies ----
export const messageSchema = z.object({
  id: z.string(),
  from_agent_id: z.string().nullable(),
  to_agent_id: z.string(),
  job_id: z.string().nullable(),
  message_type: z.string(),
  content: z.object({ message: z.string() }).catchall(z.unknown()),
  read_at: z.string().nullable(),
  created_at: z.string(),
});
export type MessageView = z.infer<typeof messageSchema>;
export type MessagePage = Page<MessageView>;

/** The compatibility shape of GET /api/inbox (API.md), plus a cursor for the next page. */
export const inboxSchema = z.object({
  messages: z.array(messageSchema),
  total: z.number(),
  unread_count: z.number(),
  next_cursor: z.string().nullable(),
});
export type InboxView = z.infer<typeof inboxSchema>;

export const markedReadSchema = z.object({ message_id: z.string(), read_at: z.string() });
export type MarkedRead = z.infer<typeof markedReadSchema>;

export const activityEntrySchema = z.object({
  id: z.string(),
  event_id: z.string(),
  type: z.string(),
  actor: z.object({ type: z.enum(['agent', 'user', 'system']), id: z.string().nullable() }),
  agent_ids: z.array(z.string()),
  job_id: z.string().nullable(),
  service_id: z.string().nullable(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
  occurred_at: z.string(),
});
export type ActivityEntry = z.infer<typeof activityEntrySchema>;
export type ActivityPage = Page<ActivityEntry>;
