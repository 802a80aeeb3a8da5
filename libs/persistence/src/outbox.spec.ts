import { describe, expect, it } from 'vitest';
import { AppError } from '@agentmarket/contracts';
import { toOutboxRows, type NewEvent } from './outbox.ts';

const system = { type: 'system' as const, id: null };

describe('toOutboxRows', () => {
  it('refuses a payload its readers could not parse, before anything is written', () => {
    const malformed: NewEvent = { type: 'agent_suspended', aggregateId: 'a1', aggregateVersion: 2, actor: system, data: { reason: 'no agent_id' } };
    expect(() => toOutboxRows([malformed])).toThrow(AppError);
  });

  it('writes one row per event on its EVENTS subject, and a second on AUDIT for an admin act', () => {
    const { envelopes, rows } = toOutboxRows([
      { type: 'agent_suspended', aggregateId: 'a1', aggregateVersion: 2, actor: { type: 'user', id: 'root-admin' }, data: { agent_id: 'a1' } },
      { type: 'wallet_credited', aggregateId: 'a1', aggregateVersion: 1, actor: system, data: { currency: 'USD', amount: 100 } },
    ]);
    expect(envelopes).toHaveLength(2);
    expect(rows.map((row) => row.subject)).toEqual(['evt.agent.suspended', 'audit.agent.suspended', 'evt.wallet.credited']);
    // The audit copy carries the same envelope (its id is the event's) under a row id of its own.
    expect(rows[1]!.envelope).toBe(rows[0]!.envelope);
    expect(rows[1]!.id).not.toBe(rows[0]!.id);
  });
});
