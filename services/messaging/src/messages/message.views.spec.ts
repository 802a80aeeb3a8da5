import { describe, expect, it } from 'vitest';
import { messageSchema, uuidv7 } from '@agentmarket/contracts';
import { toMessageView } from './message.views.ts';

describe('toMessageView', () => {
  it('shows a stored message in the wire shape, times as ISO strings', () => {
    const message = {
      id: uuidv7(),
      fromAgentId: null,
      toAgentId: uuidv7(),
      jobId: uuidv7(),
      messageType: 'job_expired',
      content: { message: 'Job expired.', job_id: 'j' },
      sourceEventId: uuidv7(),
      readAt: new Date('2026-11-21T10:05:00.000Z'),
      createdAt: new Date('2026-11-21T10:00:00.000Z'),
    };
    const view = toMessageView(message);
    expect(view).toEqual({
      id: message.id,
      from_agent_id: null,
      to_agent_id: message.toAgentId,
      job_id: message.jobId,
      message_type: 'job_expired',
      content: { message: 'Job expired.', job_id: 'j' },
      read_at: '2026-11-21T10:05:00.000Z',
      created_at: '2026-11-21T10:00:00.000Z',
    });
    expect(messageSchema.safeParse(view).success).toBe(true);
    expect(toMessageView({ ...message, readAt: null }).read_at).toBeNull();
    expect(view).not.toHaveProperty('source_event_id');
  });
});
