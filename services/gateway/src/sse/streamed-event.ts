import { eventParties, publicView, type EventEnvelope } from '@agentmarket/contracts';

/**
 * One event of the stream as the SSE clients receive it. Its wire frames
 * (`id:`, `event:`, `data:` lines) are built once per view — the public one
 * and the full one its parties see — on first use, and shared as the same
 * bytes by every client that receives them: with 2,000 clients an event is
 * serialised once or twice, not 2,000 times, and a slow client's unsent
 * backlog holds references to these bytes, not copies.
 */
export class StreamedEvent {
  readonly seq: number;
  readonly envelope: EventEnvelope;
  private parties: Set<string> | undefined;
  /** undefined: not built yet; null: the event is private (anonymous clients see nothing). */
  private publicBytes: Buffer | null | undefined;
  private fullBytes: Buffer | undefined;

  constructor(seq: number, envelope: EventEnvelope) {
    this.seq = seq;
    this.envelope = envelope;
  }

  get type(): string {
    return this.envelope.type;
  }

  /** The frame `viewerAgentId` may see (the full event if it is a party, else the public view), or null. */
  frameFor(viewerAgentId: string | undefined): Buffer | null {
    if (viewerAgentId !== undefined && this.partyIds().has(viewerAgentId)) return (this.fullBytes ??= frame(this.seq, this.envelope));
    if (this.publicBytes === undefined) {
      const visible = publicView(this.envelope);
      this.publicBytes = visible ? frame(this.seq, visible) : null;
    }
    return this.publicBytes;
  }

  private partyIds(): Set<string> {
    return (this.parties ??= new Set(eventParties(this.envelope)));
  }
}

function frame(seq: number, view: EventEnvelope): Buffer {
  return Buffer.from(`id: ${seq}\nevent: ${view.type}\ndata: ${JSON.stringify(view)}\n\n`);
}
