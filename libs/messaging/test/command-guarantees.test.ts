import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, uuidv7 } from '@agentmarket/contracts';
import { idempotencyDdl } from '@agentmarket/persistence';
import { BusClient, commandTransaction, handler, serveRequests } from '../src/index.ts';
import { SCHEMA, startBusFixture } from './bus-fixture.ts';

let fixture: Awaited<ReturnType<typeof startBusFixture>>;
let bus: BusClient;
let responder: { stop(): Promise<void> };
let releaseSlowHandler: () => void = () => {};
let slowRuns = 0;

const countOf = async (metric: string, subject: string) => {
  const values = (await fixture.metrics.registry.getSingleMetric(metric)?.get())?.values ?? [];
  return values.filter((value) => value.labels.subject === subject).reduce((sum, value) => sum + value.value, 0);
};

beforeAll(async () => {
  fixture = await startBusFixture();
  for (const statement of idempotencyDdl(SCHEMA)) await fixture.orm.em.getConnection().execute(statement);
  bus = new BusClient(fixture.connection, 3000);
  responder = serveRequests(fixture.connection, {
    service: 'guarantees',
    logger: fixture.logger,
    metrics: fixture.metrics,
    // One slot: a second request queues behind a slow one, which is how a deadline passes in real life.
    maxConcurrent: 1,
    handlers: {
      'guarantees.huge': handler(z.object({ bytes: z.number() }), async (input) => ({ text: 'x'.repeat(input.bytes) })),
      'guarantees.throws': handler(z.object({}), async () => {
        throw new TypeError('a bug');
      }),
      'guarantees.slow': handler(z.object({}), async () => {
        slowRuns++;
        await new Promise<void>((resolve) => (releaseSlowHandler = resolve));
        return { done: true };
      }),
      'guarantees.effect': handler(z.object({ note: z.string() }), async (input) =>
        commandTransaction(fixture.orm, SCHEMA, async (em) => {
          const eventId = uuidv7();
          await em.execute(`insert into ${SCHEMA}.effects (event_id, note) values (?, ?)`, [eventId, input.note], 'run');
          return { effect_id: eventId, note: input.note };
        }),
      ),
    },
  });
});
afterAll(async () => {
  releaseSlowHandler();
  await responder?.stop();
  await fixture?.stop();
});

describe('the responder', () => {
  it('answers a reply larger than max_payload with reply_too_large and keeps serving', async () => {
    const maxPayload = fixture.connection.info?.max_payload ?? 0;
    expect(maxPayload).toBeGreaterThan(0);
    await expect(bus.request('guarantees.huge', { bytes: maxPayload + 10 })).rejects.toMatchObject({ code: 'reply_too_large' });
    expect(await countOf('agentmarket_bus_replies_too_large_total', 'guarantees.huge')).toBe(1);
    expect(await bus.request('guarantees.huge', { bytes: 10 })).toEqual({ text: 'x'.repeat(10) });
  });

  it('turns a bug into `internal` and NUL in a command into validation_failed', async () => {
    await expect(bus.request('guarantees.throws', {})).rejects.toMatchObject({ code: 'internal' });
    await expect(bus.request('guarantees.effect', { note: 'a\u0000' })).rejects.toMatchObject({ code: 'validation_failed', details: { note: expect.any(String) } });
  });

  it('does not begin a command whose caller stopped waiting while it queued, and counts it', async () => {
    const first = bus.request('guarantees.slow', {}, { timeoutMs: 5000 });
    await expect.poll(() => slowRuns).toBe(1);
    // Queued behind the first; its caller gives up after 200 ms, long before the slot frees.
    const sentAt = Date.now();
    await expect(bus.request('guarantees.slow', {}, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'unavailable' });
    // The passage of time is what is under test: free the slot well after the queued request's deadline.
    await expect.poll(() => Date.now() - sentAt, { interval: 20 }).toBeGreaterThan(400);
    releaseSlowHandler();
    await first;
    await expect.poll(() => countOf('agentmarket_bus_commands_expired_total', 'guarantees.slow')).toBe(1);
    expect(slowRuns).toBe(1);
  });
});

describe('commandTransaction with an Idempotency-Key', () => {
  const effectsWith = async (note: string) =>
    (await fixture.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from ${SCHEMA}.effects where note = ?`, [note], 'all'))[0]?.n;

  it('applies a keyed command once: a retry and concurrent twins get the first reply', async () => {
    const key = `agent:a1\n/api/things\n${uuidv7()}`;
    const first = await bus.request<{ effect_id: string }>('guarantees.effect', { note: 'once' }, { idempotencyKey: key });
    const again = await bus.request('guarantees.effect', { note: 'once' }, { idempotencyKey: key });
    expect(again).toEqual(first);
    const twinsKey = `agent:a1\n/api/things\n${uuidv7()}`;
    const twins = await Promise.all(Array.from({ length: 5 }, () => bus.request('guarantees.effect', { note: 'twins' }, { idempotencyKey: twinsKey })));
    expect(new Set(twins.map((reply) => JSON.stringify(reply))).size).toBe(1);
    expect(await effectsWith('once')).toBe(1);
    expect(await effectsWith('twins')).toBe(1);
    expect(await countOf('agentmarket_idempotent_replays_total', 'guarantees.effect')).toBe(5);
  });

  it('refuses the same key with another command, and keeps keys of two callers apart', async () => {
    const key = uuidv7();
    await bus.request('guarantees.effect', { note: 'mine' }, { idempotencyKey: `agent:a1\n/x\n${key}` });
    await expect(bus.request('guarantees.effect', { note: 'other' }, { idempotencyKey: `agent:a1\n/x\n${key}` })).rejects.toBeInstanceOf(AppError);
    await expect(bus.request('guarantees.effect', { note: 'other' }, { idempotencyKey: `agent:a1\n/x\n${key}` })).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
    await bus.request('guarantees.effect', { note: 'theirs' }, { idempotencyKey: `agent:a2\n/x\n${key}` });
    expect(await effectsWith('theirs')).toBe(1);
  });

  it('stores the reply sealed: the key itself and the reply text are not readable in the table', async () => {
    const key = `agent:a3\n/x\n${uuidv7()}`;
    await bus.request('guarantees.effect', { note: 'secret-reply-text' }, { idempotencyKey: key });
    const rows = await fixture.orm.em.fork().execute<{ key_hash: string; sealed_reply: Buffer }[]>(`select key_hash, sealed_reply from ${SCHEMA}.idempotency_keys`, [], 'all');
    for (const row of rows) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.sealed_reply.toString('utf8')).not.toContain('secret-reply-text');
    }
  });
});
