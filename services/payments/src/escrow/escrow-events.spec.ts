import { describe, expect, it } from 'vitest';
import { escrowHeldEvent, escrowSettledEvent, type FundedHold } from './escrow-events.ts';

const client = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';
const worker = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d';
const hold: FundedHold = { holdId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', payerKey: `agent:${client}`, payeeAgentId: worker, currency: 'USD', amount: 1000 };

describe('escrow events', () => {
  it('announces a hold as version 1, acted by the payer, with nothing paid out yet', () => {
    expect(escrowHeldEvent(hold)).toEqual({
      type: 'escrow_held',
      aggregateId: hold.holdId,
      aggregateVersion: 1,
      actor: { type: 'agent', id: client },
      data: {
        hold_id: hold.holdId,
        job_id: hold.holdId,
        client_agent_id: client,
        client_user_id: null,
        worker_agent_id: worker,
        currency: 'USD',
        amount: 1000,
        worker_amount: 0,
        client_amount: 0,
        fee_amount: 0,
        model_cost_amount: 0,
      },
    });
  });

  it('names each settlement by its outcome, as version 2 by the system', () => {
    const parts = { workerAmount: 585, clientAmount: 400, feeAmount: 15 };
    expect(escrowSettledEvent(hold, 'release', parts).type).toBe('escrow_released');
    expect(escrowSettledEvent(hold, 'refund', parts).type).toBe('escrow_refunded');
    const split = escrowSettledEvent(hold, 'split', parts);
    expect(split).toMatchObject({ type: 'escrow_split', aggregateVersion: 2, actor: { type: 'system', id: null } });
    expect(split.data).toMatchObject({ worker_amount: 585, client_amount: 400, fee_amount: 15 });
  });

  it('names a person payer as client_user_id', () => {
    const data = escrowHeldEvent({ ...hold, payerKey: `user:${client}` }).data;
    expect(data).toMatchObject({ client_agent_id: null, client_user_id: client });
  });
});
