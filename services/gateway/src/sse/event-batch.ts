import type { StreamedEvent } from './streamed-event.ts';

/**
 * The events the hub received in one turn of the event loop, fanned out
 * together: each client gets them in one write. Most clients are anonymous
 * and unfiltered and so receive the same bytes: those are joined once per
 * batch and shared.
 */
export class EventBatch {
  readonly events: readonly StreamedEvent[];
  private publicBytes: Buffer | undefined;

  constructor(events: readonly StreamedEvent[]) {
    this.events = events;
  }

  get firstSeq(): number {
    return this.events[0]?.seq ?? 0;
  }

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** The public frames of the whole batch, in order (empty when every event is private). */
  publicFrames(): Buffer {
    if (this.publicBytes) return this.publicBytes;
    const frames: Buffer[] = [];
    for (const event of this.events) {
      const frame = event.frameFor(undefined);
      if (frame) frames.push(frame);
    }
    this.publicBytes = frames.length === 1 && frames[0] ? frames[0] : Buffer.concat(frames);
    return this.publicBytes;
  }
}
