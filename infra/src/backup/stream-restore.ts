import { jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { StreamDeclaration } from '@agentmarket/contracts';
import { streamConfig } from '@agentmarket/messaging';
import { messageIdOf, readArchive, type ArchivedMessage, type StreamRange } from './stream-archive.ts';

export interface StreamRestoreResult {
  restored: number;
  /** Messages of the archive left out by `keep` (their sequences stay unused). */
  dropped: number;
  lastSeq: number;
}

/**
 * Recreates a stream with every archived message at its original sequence,
 * so that sequence-based positions (the SSE feed's event ids) mean what
 * they meant before. nats-server 2.9 cannot create a stream at a given
 * sequence, so: a purge up to the first sequence moves an empty stream's
 * start there, and each gap (a deleted message, or one `keep` leaves out)
 * is filled with a placeholder that is deleted at once. Nothing reads the
 * stream meanwhile: the services are not running during a restore.
 */
export async function restoreStream(
  connection: NatsConnection,
  manager: JetStreamManager,
  options: { declaration: StreamDeclaration; replicas: number; file: string; range: StreamRange; keep: (message: ArchivedMessage) => boolean },
): Promise<StreamRestoreResult> {
  const { declaration, range } = options;
  await createEmptyStream(manager, declaration, options.replicas);
  const js = jetstream(connection);
  const placeholderSubject = declaration.subjects[0]!.replace('>', 'restore_placeholder');
  let restored = 0;
  let dropped = 0;
  let nextSeq = Math.max(range.firstSeq, 1);
  if (range.firstSeq > 1) await manager.streams.purge(declaration.name, { seq: range.firstSeq });
  const restoredIds = new Set<string>();
  for await (const message of readArchive(options.file)) {
    if (!options.keep(message)) {
      dropped += 1;
      continue;
    }
    nextSeq = await fillGapUntil(js, manager, declaration.name, placeholderSubject, nextSeq, message.seq);
    const header = natsHeaders();
    for (const [key, values] of Object.entries(message.headers)) {
      // A message id seen twice (republished after the duplicate window) would be dropped as a duplicate now.
      if (key === 'Nats-Msg-Id' && restoredIds.has(values[0] ?? '')) continue;
      for (const value of values) header.append(key, value);
    }
    const id = messageIdOf(message);
    if (id) restoredIds.add(id);
    await publishAt(js, declaration.name, message.subject, Buffer.from(message.data, 'base64'), message.seq, header);
    nextSeq = message.seq + 1;
    restored += 1;
  }
  // The ids handed out must never be handed out again: the stream ends where it ended, even if its last ones were dropped.
  nextSeq = await fillGapUntil(js, manager, declaration.name, placeholderSubject, nextSeq, range.lastSeq + 1);
  return { restored, dropped, lastSeq: nextSeq - 1 };
}

async function createEmptyStream(manager: JetStreamManager, declaration: StreamDeclaration, replicas: number): Promise<void> {
  const existing = await manager.streams.info(declaration.name).catch((error: Error) => {
    if (/not found/i.test(error.message)) return undefined;
    throw error;
  });
  if (existing && existing.state.last_seq > 0) {
    throw new Error(`stream ${declaration.name} already holds messages (last sequence ${existing.state.last_seq}): restore into a NATS whose JetStream store is empty`);
  }
  if (!existing) await manager.streams.add(streamConfig(declaration, replicas));
}

/** Occupies and frees every sequence from `from` up to (not including) `until`; returns `until`. */
async function fillGapUntil(js: JetStreamClient, manager: JetStreamManager, stream: string, subject: string, from: number, until: number): Promise<number> {
  for (let seq = from; seq < until; seq += 1) {
    await publishAt(js, stream, subject, new Uint8Array(), seq);
    await manager.streams.deleteMessage(stream, seq, false);
  }
  return Math.max(from, until);
}

async function publishAt(js: JetStreamClient, stream: string, subject: string, data: Uint8Array, seq: number, header?: ReturnType<typeof natsHeaders>): Promise<void> {
  // The expectation makes the server refuse a message that would not land at its sequence, instead of silently shifting ids.
  const ack = await js.publish(subject, data, { expect: { streamName: stream, lastSequence: seq - 1 }, ...(header ? { headers: header } : {}) });
  if (ack.seq !== seq) throw new Error(`stream ${stream}: a restored message landed at sequence ${ack.seq} instead of ${seq}`);
}
