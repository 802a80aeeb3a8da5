import { describe, expect, it } from 'vitest';
import { holdProblems, type HoldLedgerRow } from './hold-problems.ts';

const released: HoldLedgerRow = {
  hold_id: 'h1',
  status: 'released',
  amount: '1000',
  settlements: '1',
  settlement_kind: 'release',
  worker_amount: '975',
  client_amount: '0',
  fee_amount: '25',
  held_in: '1000',
  released: '975',
  fees: '25',
  refunded: '0',
};
const held: HoldLedgerRow = {
  ...released,
  status: 'held',
  settlements: '0',
  settlement_kind: null,
  worker_amount: null,
  client_amount: null,
  fee_amount: null,
  released: '0',
  fees: '0',
};

describe('holdProblems', () => {
  it('finds nothing wrong with a sound held, settled or abandoned hold', () => {
    const abandoned = { ...held, status: 'abandoned', amount: '0', held_in: '0' };
    expect(holdProblems([released, held, abandoned])).toEqual([]);
  });

  it('reports a settled hold without its settlement, or with parts that differ from its transfers', () => {
    expect(holdProblems([{ ...released, settlements: '0', settlement_kind: null }])).toEqual(['hold h1 (released): settled without a settlement row']);
    expect(holdProblems([{ ...released, released: '1000', fees: '0' }])[0]).toContain('differ from the settlement');
    expect(holdProblems([{ ...released, worker_amount: '900' }]).join()).toContain('do not add up to 1000');
    expect(holdProblems([{ ...released, status: 'refunded' }]).join()).toContain('does not match the status');
  });

  it('reports a hold settled more than once', () => {
    const twice = { ...released, settlements: '2', worker_amount: '1950', client_amount: '0', fee_amount: '50' };
    expect(holdProblems([twice])).toEqual([
      'hold h1 (released): settled 2 times',
      'hold h1 (released): settlement parts 1950 + 0 + 50 do not add up to 1000',
      'hold h1 (released): transfers (release 975, fee 25, refund 0) differ from the settlement (1950, 50, 0)',
    ]);
  });

  it('reports a held hold that was settled or paid out, and money that never went in', () => {
    expect(holdProblems([{ ...held, settlements: '1', settlement_kind: 'refund' }])).toEqual(['hold h1 (held): still held but settled (refund)']);
    expect(holdProblems([{ ...held, refunded: '1000' }])).toEqual(['hold h1 (held): still held but 1000 already left escrow']);
    expect(holdProblems([{ ...held, held_in: '0' }])).toEqual(['hold h1 (held): 0 went into escrow for a hold of 1000']);
  });
});
