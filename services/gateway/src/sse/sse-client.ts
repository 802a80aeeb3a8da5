import type { ServerResponse } from 'node:http';
import type { AgentPrincipal } from '@agentmarket/contracts';
import type { EventBatch } from './event-batch.ts';
import type { StreamedEvent } from './streamed-event.ts';
import { StreamWriter } from './stream-writer.ts';
import { WireBytes } from './wire-bytes.ts';

/**
 * One SSE client. Holds back live events while its replay runs, never sends
 * a sequence twice or out of order, shows an event only as its viewer may
 * see it, and is dropped when it reads too slowly. It writes the frames the
 * events and batches built once for everyone (see StreamedEvent): per client
 * there is only the choice of frames and one write per batch (see StreamWriter).
 */
export class SseClient {
  private readonly response: ServerResponse;
  private readonly writer: StreamWriter;
  private readonly principal: AgentPrincipal | undefined;
  private readonly types: Set<string> | undefined;
  private readonly maxBufferBytes: number;
  private readonly onDrop: (reason: string) => void;
  private held: StreamedEvent[] | undefined = [];
  lastSentSeq = 0;
  closed = false;

  constructor(options: {
    response: ServerResponse;
    principal: AgentPrincipal | undefined;
    types: Set<string> | undefined;
    maxBufferBytes: number;
    onDrop: (reason: string) => void;
  }) {
    this.response = options.response;
    this.writer = new StreamWriter(options.response);
    this.principal = options.principal;
    this.types = options.types;
    this.maxBufferBytes = options.maxBufferBytes;
    this.onDrop = options.onDrop;
  }

  /** Live events from the hub: sent now, or held until the replay is done. */
  offer(batch: EventBatch): void {
    if (this.held) {
      this.held.push(...batch.events);
      return;
    }
    // The common case: an anonymous, unfiltered client that has seen none of the batch takes the shared bytes as they are.
    if (!this.principal && !this.types && batch.firstSeq > this.lastSentSeq) {
      if (this.closed) return;
      this.lastSentSeq = batch.lastSeq;
      const frames = batch.publicFrames();
      if (frames) this.write(frames);
      return;
    }
    this.sendAll(batch.events);
  }

  /** Ends the replay phase: held live events newer than the replay go out in order. */
  goLive(): void {
    const held = this.held ?? [];
    this.held = undefined;
    this.sendAll(held);
  }

  /** One replayed event. */
  send(event: StreamedEvent): void {
    this.sendAll([event]);
  }

  comment(text: string): void {
    this.write(new WireBytes(Buffer.from(`: ${text}\n\n`)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.response.end();
  }

  private sendAll(events: readonly StreamedEvent[]): void {
    if (this.closed) return;
    const frames: Buffer[] = [];
    for (const event of events) {
      if (event.seq <= this.lastSentSeq) continue;
      this.lastSentSeq = event.seq;
      if (this.types && !this.types.has(event.type)) continue;
      const frame = event.frameFor(this.principal?.agent_id);
      if (frame) frames.push(frame);
    }
    if (frames.length === 1 && frames[0]) this.write(new WireBytes(frames[0]));
    else if (frames.length > 1) this.write(new WireBytes(Buffer.concat(frames)));
  }

  private write(bytes: WireBytes): void {
    if (this.closed) return;
    // Unsent bytes past the limit: the client reads slower than events come. Its backlog is bounded and
    // it cannot hold others back; it resumes where it stopped with Last-Event-ID.
    if (this.writer.unsentBytes > this.maxBufferBytes) {
      this.closed = true;
      this.response.destroy();
      this.onDrop('slow client: send buffer full');
      return;
    }
    this.writer.write(bytes);
  }
}
