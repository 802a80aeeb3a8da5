import { describe, expect, it } from 'vitest';
import { AppError, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { parseJobEventData } from './job-event-data.ts';

const data = {
  job_id: uuidv7(),
  service_id: uuidv7(),
  client_agent_id: uuidv7(),
  worker_agent_id: uuidv7(),
  parent_job_id: null,
  title: null,
  status: 'in_progress',
  from_status: 'pending',
  currency: 'USD',
  amount: 100,
  revision_count: 0,
};
const envelope = (payload: Record<string, unknown>): EventEnvelope => ({
  id: uuidv7(),
  type: 'job_started',
  occurred_at: new Date().toISOString(),
  aggregate_id: data.job_id,
  aggregate_version: 2,
  actor: { type: 'system', id: null },
  data: payload,
});

describe('parseJobEventData', () => {
  it('keeps the common fields and the specific ones', () => {
    expect(parseJobEventData(envelope({ ...data, extra: 1 }))).toEqual({ ...data, extra: 1 });
  });

  it('fails permanently, naming the field, on a missing field or an id that is not a UUID', () => {
    const { client_agent_id: _dropped, ...missing } = data;
    for (const [payload, field] of [
      [missing, 'client_agent_id'],
      [{ ...data, job_id: 'j-1' }, 'job_id'],
    ] as const) {
      try {
        parseJobEventData(envelope(payload));
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('validation_failed');
        expect((error as AppError).details).toHaveProperty(field);
      }
    }
  });
});
