import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { JetStreamManager } from '@nats-io/jetstream';

/** One stored message of a stream, as one line of `<stream>.jsonl`. */
export interface ArchivedMessage {
  seq: number;
  subject: string;
  /** When the stream stored it (ISO). */
  time: string;
  /** Every header, Nats-Msg-Id included: the outbox's event id, which restore reconciles with Postgres. */
  headers: Record<string, string[]>;
  /** The payload, base64. */
  data: string;
}

export interface StreamRange {
  firstSeq: number;
  lastSeq: number;
}

// Reads by sequence, this many requests in flight: a workqueue stream (WORK) refuses a second consumer, so no consumer is used.
const READS_IN_FLIGHT = 64;

export async function streamRange(manager: JetStreamManager, stream: string): Promise<StreamRange | undefined> {
  try {
    const { state } = await manager.streams.info(stream);
    return { firstSeq: state.first_seq, lastSeq: state.last_seq };
  } catch (error) {
    if (/not found/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

async function readOne(manager: JetStreamManager, stream: string, seq: number): Promise<ArchivedMessage | undefined> {
  try {
    const message = await manager.streams.getMessage(stream, { seq });
    if (!message) return undefined;
    const headers: Record<string, string[]> = {};
    for (const [key, values] of message.header ?? []) headers[key] = values;
    return { seq: message.seq, subject: message.subject, time: message.time.toISOString(), headers, data: Buffer.from(message.data).toString('base64') };
  } catch (error) {
    // A deleted or aged-out sequence is a gap, not a failure.
    if (/no message found|not found/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

/** Writes every message of `range` to `file` in sequence order; returns how many there were. */
export async function archiveStream(manager: JetStreamManager, stream: string, range: StreamRange, file: string): Promise<number> {
  const out = createWriteStream(file);
  let count = 0;
  try {
    for (let start = range.firstSeq; start <= range.lastSeq && range.lastSeq > 0; start += READS_IN_FLIGHT) {
      const sequences = Array.from({ length: Math.min(READS_IN_FLIGHT, range.lastSeq - start + 1) }, (_, index) => start + index);
      const messages = await Promise.all(sequences.map((seq) => readOne(manager, stream, seq)));
      for (const message of messages) {
        if (!message) continue;
        count += 1;
        if (!out.write(`${JSON.stringify(message)}\n`)) await once(out, 'drain');
      }
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}

/** The messages of an archive file, in the order they were written (sequence order). */
export async function* readArchive(file: string): AsyncGenerator<ArchivedMessage> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim()) yield JSON.parse(line) as ArchivedMessage;
  }
}

export function messageIdOf(message: ArchivedMessage): string | undefined {
  return message.headers['Nats-Msg-Id']?.[0];
}
