import type { StreamedEvent } from './streamed-event.ts';
import { WireBytes } from './wire-bytes.ts';

/**
 * The events the hub received in one turn of the event loop, fanned out
 * together: each client gets them in one write. Most clients are anonymous
 * and unfiltered and so receive the same bytes: those are joined (and
 * framed as an HTTP chunk) once per batch and shared.
 */
export class EventBatch {
  readonly events: readonly StreamedEvent[];
  /** Read for every client: kept, not looked up each time. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** undefined: not built yet; null: every event is private. */
  private publicBytes: WireBytes | null | undefined;

  constructor(events: readonly StreamedEvent[]) {
    this.events = events;
    this.firstSeq = events[0]?.seq ?? 0;
    this.lastSeq = events.at(-1)?.seq ?? 0;
  }

  /** The public frames of the whole batch, in order (null when every event is private). */
  publicFrames(): WireBytes | null {
    if (this.publicBytes !== undefined) return this.publicBytes;
    const frames: Buffer[] = [];
    for (const event of this.events) {
      const frame = event.frameFor(undefined);
      if (frame) frames.push(frame);
    }
    this.publicBytes = frames.length === 0 ? null : new WireBytes(frames.length === 1 && frames[0] ? frames[0] : Buffer.concat(frames));
    return this.publicBytes;
  }
}
