import type { ServerResponse } from 'node:http';
import { eventParties, publicView, type AgentPrincipal, type EventEnvelope } from '@agentmarket/contracts';

export interface StreamedEvent {
  seq: number;
  envelope: EventEnvelope;
}

/**
 * One SSE client. Holds back live events while its replay runs, never sends
 * a sequence twice or out of order, shows an event only as its viewer may
 * see it, and is dropped when it reads too slowly.
 */
export class SseClient {
  private readonly response: ServerResponse;
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
    this.principal = options.principal;
    this.types = options.types;
    this.maxBufferBytes = options.maxBufferBytes;
    this.onDrop = options.onDrop;
  }

  /** A live event from the hub: sent now, or held until the replay is done. */
  offer(event: StreamedEvent): void {
    if (this.held) this.held.push(event);
    else this.send(event);
  }

  /** Ends the replay phase: held live events newer than the replay go out in order. */
  goLive(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.send(event);
  }

  send(event: StreamedEvent): void {
    if (this.closed || event.seq <= this.lastSentSeq) return;
    this.lastSentSeq = event.seq;
    const visible = this.viewOf(event.envelope);
    if (!visible || (this.types && !this.types.has(visible.type))) return;
    this.write(`id: ${event.seq}\nevent: ${visible.type}\ndata: ${JSON.stringify(visible)}\n\n`);
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.response.end();
  }

  private viewOf(envelope: EventEnvelope): EventEnvelope | undefined {
    if (this.principal && eventParties(envelope).includes(this.principal.agent_id)) return envelope;
    return publicView(envelope);
  }

  private write(chunk: string): void {
    if (this.closed) return;
    if (this.response.writableLength > this.maxBufferBytes) {
      this.closed = true;
      this.response.destroy();
      this.onDrop('slow client: send buffer full');
      return;
    }
    this.response.write(chunk);
  }
}
