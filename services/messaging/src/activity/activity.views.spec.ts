import { describe, expect, it } from 'vitest';
import { activityEntrySchema, uuidv7 } from '@agentmarket/contracts';
import { toActivityEntry } from './activity.views.ts';

describe('toActivityEntry', () => {
  it('shows a stored row in the wire shape', () => {
    const record = {
      id: uuidv7(),
      eventId: uuidv7(),
      type: 'job_started',
      actorType: 'agent',
      actorId: uuidv7(),
      agentIds: [uuidv7(), uuidv7()],
      jobId: uuidv7(),
      serviceId: null,
      summary: 'Work started on "T".',
      data: { status: 'in_progress' },
      occurredAt: new Date('2026-11-21T10:00:00.000Z'),
    };
    const entry = toActivityEntry(record);
    expect(entry).toEqual({
      id: record.id,
      event_id: record.eventId,
      type: 'job_started',
      actor: { type: 'agent', id: record.actorId },
      agent_ids: record.agentIds,
      job_id: record.jobId,
      service_id: null,
      summary: 'Work started on "T".',
      data: { status: 'in_progress' },
      occurred_at: '2026-11-21T10:00:00.000Z',
    });
    expect(activityEntrySchema.safeParse(entry).success).toBe(true);
  });
});
