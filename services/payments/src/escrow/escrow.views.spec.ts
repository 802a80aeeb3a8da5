import { describe, expect, it } from 'vitest';
import { toHoldView } from './escrow.views.ts';

describe('toHoldView', () => {
  it('shows a hold’s id, status, currency and amount in minor units', () => {
    const view = toHoldView({
      hold_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      payer_account_id: '7',
      payer_key: 'agent:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
      payee_agent_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d',
      currency: 'SAT',
      amount: '250000',
      status: 'held',
    });
    expect(view).toEqual({ hold_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', status: 'held', currency: 'SAT', amount: 250000 });
  });

  it('shows an abandoned id as an empty hold', () => {
    const view = toHoldView({
      hold_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      payer_account_id: null,
      payer_key: null,
      payee_agent_id: null,
      currency: null,
      amount: '0',
      status: 'abandoned',
    });
    expect(view).toEqual({ hold_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', status: 'abandoned', currency: 'USD', amount: 0 });
  });
});
