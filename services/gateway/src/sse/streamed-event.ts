import { eventParties, eventViewFor, type EventEnvelope } from '@agentmarket/contracts';

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
    // The visibility rule is eventViewFor's (webhook deliveries apply the same one); this only caches its two answers' bytes.
    const parties = viewerAgentId === undefined ? EMPTY : this.partyIds();
    const view = eventViewFor(this.envelope, viewerAgentId, parties);
    if (view === this.envelope) return (this.fullBytes ??= frame(this.seq, this.envelope));
    if (this.publicBytes === undefined) this.publicBytes = view ? frame(this.seq, view) : null;
    return this.publicBytes;
  }

  private partyIds(): Set<string> {
    return (this.parties ??= new Set(eventParties(this.envelope)));
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function frame(seq: number, view: EventEnvelope): Buffer {
  return Buffer.from(`id: ${seq}\nevent: ${view.type}\ndata: ${JSON.stringify(view)}\n\n`);
}
