import { describe, expect, it } from 'vitest';
import { auditSubjectOf } from './admin-audit.ts';
import { AppError } from './errors.ts';
import { EVENT_TYPES } from './events.ts';
import { EVENT_PAYLOAD_SCHEMAS, parseEventData } from './event-payloads.ts';

const escrow = { hold_id: 'h', job_id: 'j', client_agent_id: null, worker_agent_id: 'w', currency: 'USD', amount: 100, worker_amount: 95, client_amount: 0, fee_amount: 5 };

describe('parseEventData', () => {
  it('has a schema for every event type', () => {
    expect(Object.keys(EVENT_PAYLOAD_SCHEMAS).sort()).toEqual(Object.keys(EVENT_TYPES).sort());
  });

  it('keeps fields a newer producer added, so an older consumer does not dead-letter them', () => {
    expect(parseEventData('escrow_released', { ...escrow, model_cost_amount: 0, brand_new: 'x' })).toMatchObject({ brand_new: 'x', model_cost_amount: 0 });
  });

  it('refuses a payload without what readers rely on, permanently', () => {
    const { worker_amount: _dropped, ...missing } = escrow;
    expect(() => parseEventData('escrow_released', missing)).toThrow(AppError);
    expect(() => parseEventData('reputation_updated', { agent_id: 'a' })).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('passes a type it does not know through untouched', () => {
    const data = { anything: 1 };
    expect(parseEventData('thing_happened', data)).toBe(data);
  });
});

describe('auditSubjectOf', () => {
  it('copies admins’ acts to AUDIT and nothing else', () => {
    expect(auditSubjectOf('job_resolved', {})).toBe('audit.job.resolved');
    expect(auditSubjectOf('agent_suspended', {})).toBe('audit.agent.suspended');
    expect(auditSubjectOf('service_unsuspended', {})).toBe('audit.service.unsuspended');
    expect(auditSubjectOf('wallet_credited', { credited_by: 'ops' })).toBe('audit.wallet.credited');
    // A starter grant is a credit by no one.
    expect(auditSubjectOf('wallet_credited', {})).toBeUndefined();
    expect(auditSubjectOf('job_completed', {})).toBeUndefined();
  });
});
