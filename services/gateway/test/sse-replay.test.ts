import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { STREAMS } from '@agentmarket/contracts';
import { startNatsServer, type RunningNats } from '@agentmarket/local-infra';
import { replayMissed } from '../src/sse/replay.ts';

/**
 * A reconnecting SSE client is sent what it missed, then goes live. A replay
 * that stops before the end must say so (the stream then ends and the client
 * resumes with Last-Event-ID): ending quietly would let the client go live
 * past events it never got.
 */
const EVENTS = 3000;
let dir: string;
let nats: RunningNats;
let connection: NatsConnection;
let js: JetStreamClient;
let manager: JetStreamManager;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'agentmarket-replay-'));
  nats = await startNatsServer({ storeDir: dir });
  connection = await connect({ servers: nats.url });
  js = jetstream(connection);
  manager = await jetstreamManager(connection);
  await manager.streams.add({ name: STREAMS.events.name, subjects: ['evt.>'] });
  const envelope = (i: number) => ({
    id: randomUUID(),
    type: 'service_updated',
    occurred_at: new Date().toISOString(),
    aggregate_id: `service-${i}`,
    aggregate_version: 1,
    actor: { type: 'system', id: null },
    data: {},
  });
  await Promise.all(Array.from({ length: EVENTS }, (_, i) => js.publish('evt.service.updated', JSON.stringify(envelope(i)))));
});

afterAll(async () => {
  await connection?.close();
  await nats?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function deleteReaders(): Promise<void> {
  for await (const consumer of manager.consumers.list(STREAMS.events.name)) await manager.consumers.delete(STREAMS.events.name, consumer.name);
}

describe('SSE replay', () => {
  it('sends every missed event, in order', async () => {
    const seqs: number[] = [];
    await replayMissed(js, manager, { afterSeq: 0 }, 10_000, (event) => seqs.push(event.seq));
    expect(seqs).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
  });

  it('fails, instead of ending quietly, when its reader is lost midway', async () => {
    const seqs: number[] = [];
    const replay = replayMissed(js, manager, { afterSeq: 0 }, 10_000, (event) => {
      seqs.push(event.seq);
      // The reader holds at most one pull's worth (512): the next pull finds its consumer gone.
      if (seqs.length === 10) void deleteReaders();
    });
    await expect(replay).rejects.toThrow(/replay stopped after sequence \d+, before 3000/);
    expect(seqs.length).toBeLessThan(EVENTS);
  });

  it('ends quietly when nothing happened after the requested time', async () => {
    const seqs: number[] = [];
    await replayMissed(js, manager, { fromTime: new Date(Date.now() + 60_000) }, 10_000, (event) => seqs.push(event.seq));
    expect(seqs).toEqual([]);
  });
});
