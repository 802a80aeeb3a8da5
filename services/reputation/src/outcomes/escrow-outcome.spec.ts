import { describe, expect, it } from 'vitest';
import { AppError, SYSTEM_ACTOR, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { escrowOutcomeChanges } from './escrow-outcome.ts';

const client = uuidv7();
const worker = uuidv7();

function escrowEvent(type: string, amounts: Record<string, unknown>, clientAgentId: string | null = client): EventEnvelope {
  const jobId = uuidv7();
  return {
    id: uuidv7(),
    type,
    occurred_at: new Date().toISOString(),
    aggregate_id: jobId,
    aggregate_version: 2,
    actor: SYSTEM_ACTOR,
    data: {
      hold_id: jobId,
      job_id: jobId,
      client_agent_id: clientAgentId,
      client_user_id: clientAgentId === null ? uuidv7() : null,
      worker_agent_id: worker,
      currency: 'USD',
      amount: 1000,
      ...amounts,
    },
  };
}

describe('escrowOutcomeChanges', () => {
  it('pays the worker and charges the client price and fee on a release', () => {
    expect(escrowOutcomeChanges(escrowEvent('escrow_released', { worker_amount: 950, client_amount: 0, fee_amount: 50 }))).toEqual([
      { kind: 'earned', agentId: worker, currency: 'USD', amount: 950 },
      { kind: 'spent', agentId: client, currency: 'USD', amount: 1000 },
    ]);
  });

  it('charges the client only what did not come back on a split', () => {
    expect(escrowOutcomeChanges(escrowEvent('escrow_split', { currency: 'SAT', worker_amount: 570, client_amount: 400, fee_amount: 30 }))).toEqual([
      { kind: 'earned', agentId: worker, currency: 'SAT', amount: 570 },
      { kind: 'spent', agentId: client, currency: 'SAT', amount: 600 },
    ]);
  });

  it('leaves out zero amounts and a client who is a person', () => {
    expect(escrowOutcomeChanges(escrowEvent('escrow_split', { worker_amount: 0, client_amount: 1000, fee_amount: 0 }))).toEqual([]);
    expect(escrowOutcomeChanges(escrowEvent('escrow_released', { worker_amount: 950, client_amount: 0, fee_amount: 50 }, null))).toEqual([
      { kind: 'earned', agentId: worker, currency: 'USD', amount: 950 },
    ]);
  });

  it('changes nothing on a hold or a refund', () => {
    expect(escrowOutcomeChanges(escrowEvent('escrow_held', { worker_amount: 0, client_amount: 0, fee_amount: 0 }))).toEqual([]);
    expect(escrowOutcomeChanges(escrowEvent('escrow_refunded', { worker_amount: 0, client_amount: 1000, fee_amount: 0 }))).toEqual([]);
  });

  it('rejects a malformed settlement permanently', () => {
    expect(() => escrowOutcomeChanges(escrowEvent('escrow_released', { worker_amount: -5, fee_amount: 0 }))).toThrow(AppError);
    expect(() => escrowOutcomeChanges(escrowEvent('escrow_released', { worker_amount: 5 }))).toThrow(AppError);
  });
});
