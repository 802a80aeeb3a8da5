import { describe, expect, it } from 'vitest';
import { AppError, CONSUMERS, SYSTEM_ACTOR, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type PreparedEvent } from './event-consumer.ts';

const event = (type: string, data: Record<string, unknown>): EventEnvelope => ({
  id: uuidv7(),
  type,
  occurred_at: new Date().toISOString(),
  aggregate_id: uuidv7(),
  aggregate_version: 1,
  actor: SYSTEM_ACTOR,
  data,
});
const credit = (amount: number) => event('wallet_credited', { currency: 'USD', amount });

describe('eventConsumer', () => {
  it('hands apply only the types it reads and the events prepare keeps, in order, with checked payloads', async () => {
    const applied: PreparedEvent<number>[][] = [];
    const consumer = eventConsumer<number>({
      declaration: CONSUMERS.payments.starterGrants,
      reads: ['wallet_credited'],
      prepare: (envelope) => (envelope.data.amount === 0 ? undefined : (envelope.data.amount as number)),
      applyIdempotently: async (events) => void applied.push(events),
    });
    await consumer.handleBatch?.([credit(5), event('agent_key_rotated', {}), credit(0), credit(7)], { logger: undefined as never });
    expect(applied.map((batch) => batch.map((item) => item.change))).toEqual([[5, 7]]);
    // Nothing to do: apply is not called at all.
    expect(await consumer.handle(credit(0), { logger: undefined as never })).toBe('applied');
    expect(applied).toHaveLength(1);
  });

  it('refuses a payload that breaks its contract before applying anything, permanently', async () => {
    let calls = 0;
    const consumer = eventConsumer({
      declaration: CONSUMERS.payments.starterGrants,
      reads: ['wallet_credited'],
      applyIdempotently: async () => void (calls += 1),
    });
    await expect(consumer.handle(event('wallet_credited', { currency: 'EUR', amount: 1 }), { logger: undefined as never })).rejects.toThrow(AppError);
    expect(calls).toBe(0);
  });
});
