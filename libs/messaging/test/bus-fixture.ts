import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { jetstream } from '@nats-io/jetstream';
import { STREAMS, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { dropDatabase, ensureDatabase, startNatsServer } from '@agentmarket/local-infra';
import { createMetrics } from '@agentmarket/observability';
import { openOrm, outboxAndInboxDdl } from '@agentmarket/persistence';
import { applyBusTopology, connectBus } from '../src/index.ts';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const SCHEMA = 'bus_test';

/** A private nats-server, a fresh database with one schema's outbox/inbox, and a bus connection. */
export async function startBusFixture() {
  const workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-bus-'));
  const databaseName = `am_bus_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  const nats = await startNatsServer({ storeDir: path.join(workDir, 'nats') });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics('bus-test');
  const orm = await openOrm({ databaseUrl, schema: SCHEMA, entities: [], migrations: [] });
  const sql = orm.em.getConnection();
  await sql.execute(`create schema ${SCHEMA}`);
  for (const statement of outboxAndInboxDdl(SCHEMA)) await sql.execute(statement);
  await sql.execute(`create table ${SCHEMA}.effects (event_id uuid not null, note text)`);
  const connection = await connectBus({ servers: nats.url, name: 'bus-test', logger });
  await applyBusTopology(connection, { streams: Object.values(STREAMS), consumers: [], replicas: 1, logger });
  return {
    databaseUrl,
    nats,
    orm,
    connection,
    jetstream: jetstream(connection),
    logger,
    metrics,
    async stop() {
      await connection.close();
      await orm.close();
      await nats.stop();
      await dropDatabase(ADMIN_URL, databaseName);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** An `agent_updated` event carrying `note`, as a consumer test publishes it. */
export function testEnvelope(note: string): EventEnvelope {
  return {
    id: uuidv7(),
    type: 'agent_updated',
    occurred_at: new Date().toISOString(),
    aggregate_id: uuidv7(),
    aggregate_version: 1,
    actor: { type: 'system', id: null },
    data: { note },
  };
}

export { waitUntil } from '@agentmarket/testing';
