import { describe, expect, it } from 'vitest';
import { formatAmount } from './amounts.ts';
import { toLedgerEntryView, toWalletView, type LedgerRow } from './wallet.views.ts';

const owner = { type: 'agent' as const, id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c' };

describe('formatAmount', () => {
  it('writes USD cents as a two-decimal string and leaves satoshis as integers', () => {
    expect(formatAmount('USD', 1000)).toBe('10.00');
    expect(formatAmount('USD', 5)).toBe('0.05');
    expect(formatAmount('USD', -975)).toBe('-9.75');
    expect(formatAmount('SAT', 250_000)).toBe(250_000);
    expect(formatAmount('SAT', -1)).toBe(-1);
  });
});

describe('toWalletView', () => {
  it('lists both currencies, zero where no account exists yet', () => {
    expect(toWalletView(owner, [{ currency: 'SAT', balance: '1000000', held: '2500' }])).toEqual({
      owner,
      balances: [
        { currency: 'USD', available: '0.00', held: '0.00' },
        { currency: 'SAT', available: 1_000_000, held: 2500 },
      ],
    });
  });

  it('shows USD available and held as money strings', () => {
    const view = toWalletView(owner, [{ currency: 'USD', balance: '9000', held: '1000' }]);
    expect(view.balances[0]).toEqual({ currency: 'USD', available: '90.00', held: '10.00' });
  });
});

describe('toLedgerEntryView', () => {
  const row: LedgerRow = {
    seq: '42',
    id: 'hold:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    kind: 'hold',
    currency: 'USD',
    amount: '1000',
    hold_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    created_at: new Date('2026-11-21T10:00:00Z'),
    direction: -1,
  };

  it('signs money that left the owner negative, and names the job', () => {
    expect(toLedgerEntryView(row)).toEqual({
      id: '42',
      transfer_id: row.id,
      kind: 'hold',
      currency: 'USD',
      amount: '-10.00',
      job_id: row.hold_id,
      created_at: '2026-11-21T10:00:00.000Z',
    });
  });

  it('signs money that came in positive; credits belong to no job', () => {
    const credit = toLedgerEntryView({ ...row, id: 'credit:1', kind: 'credit', currency: 'SAT', amount: '5000', hold_id: null, direction: 1 });
    expect(credit).toMatchObject({ amount: 5000, job_id: null, kind: 'credit' });
  });
});
