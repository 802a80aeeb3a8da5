import { describe, expect, it } from 'vitest';
import { escrowState } from './escrow-state.ts';

describe('escrowState', () => {
  it('follows the settlement of each status', () => {
    const states = Object.fromEntries(
      (['pending', 'in_progress', 'delivered', 'revision_requested', 'disputed', 'completed', 'cancelled', 'failed', 'expired', 'resolved'] as const).map((status) => [
        status,
        escrowState(status).state,
      ]),
    );
    expect(states).toEqual({
      pending: 'held',
      in_progress: 'held',
      delivered: 'held',
      revision_requested: 'held',
      disputed: 'held',
      completed: 'released',
      cancelled: 'refunded',
      failed: 'refunded',
      expired: 'refunded',
      resolved: 'split',
    });
  });
});
