import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS } from '@agentmarket/contracts';
import { appendToOutbox, runUnitOfWork } from '@agentmarket/persistence';
import { startOutboxRelay } from '../src/index.ts';
import { SCHEMA, startBusFixture, waitUntil } from './bus-fixture.ts';

let fixture: Awaited<ReturnType<typeof startBusFixture>>;
beforeAll(async () => {
  fixture = await startBusFixture();
});
afterAll(async () => fixture?.stop());

const streamCount = async () => (await (await jetstreamManager(fixture.connection)).streams.info(STREAMS.events.name)).state.messages;
const unpublished = async () =>
  Number((await fixture.orm.em.getConnection().execute(`select count(*) as n from ${SCHEMA}.outbox where published_at is null`))[0]?.n ?? 0);

const writeEvent = (name: string) =>
  fixture.orm.em.fork().transactional((em) =>
    appendToOutbox(em, SCHEMA, [
      { type: 'agent_registered', aggregateId: name, aggregateVersion: 1, actor: { type: 'system', id: null }, data: { agent: { id: name }, name } },
    ]),
  );

describe('outbox relay', () => {
  it('publishes committed events promptly, and nothing from a rolled-back transaction', async () => {
    // Neither the poll nor the safety poll comes within a minute: only a wake can make this fast.
    const relay = startOutboxRelay({ ...fixture, schema: SCHEMA, pollIntervalMs: 60_000, safetyPollMs: 60_000 });
    await relay.flush();
    const before = await streamCount();
    // Written by a unit of work (as a request or a batch of events is): the relay is woken when the unit is over.
    const started = Date.now();
    await runUnitOfWork(() => writeEvent('in-a-unit'));
    await waitUntil(async () => (await streamCount()) === before + 1, 3000);
    // Written outside any unit (a script): the relay is woken a few times over the next seconds.
    await writeEvent('outside-any-unit');
    await waitUntil(async () => (await streamCount()) === before + 2, 3000);
    expect(Date.now() - started).toBeLessThan(6000);

    await expect(
      fixture.orm.em.fork().transactional(async (em) => {
        await appendToOutbox(em, SCHEMA, [
          { type: 'agent_registered', aggregateId: 'rolled-back', aggregateVersion: 1, actor: { type: 'system', id: null }, data: { agent: { id: 'rolled-back' } } },
        ]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await relay.flush();
    expect(await streamCount()).toBe(before + 2);
    await relay.stop();
  });

  it('keeps events written while NATS is down and publishes them, once each, when it is back', async () => {
    // Its warnings are kept, to know when a publishing attempt has failed; a short publish timeout makes that quick.
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
    const relay = startOutboxRelay({ ...fixture, logger, schema: SCHEMA, pollIntervalMs: 200, publishTimeoutMs: 500 });
    await relay.flush();
    const before = await streamCount();
    fixture.nats.kill();
    const written = [];
    for (let i = 0; i < 5; i += 1) written.push(...(await writeEvent(`while-down-${i}`)));
    // The outbox was empty before: the first failed attempt is one with these events, and they stay queued.
    await waitUntil(() => warnings.includes('outbox publish failed; events stay queued'), 15_000);
    expect(await unpublished()).toBe(5);

    await fixture.nats.restart();
    await waitUntil(async () => (await unpublished()) === 0, 15_000);
    await waitUntil(async () => (await streamCount()) === before + 5, 5000);
    const manager = await jetstreamManager(fixture.connection);
    const last = await manager.streams.getMessage(STREAMS.events.name, { last_by_subj: 'evt.agent.registered' });
    expect(last?.json<{ id: string }>().id).toBe(written.at(-1)?.id);
    await relay.stop();
  });
});
