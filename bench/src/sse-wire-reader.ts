import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

/**
 * The least an SSE reader of the bench must do with the bytes of one HTTP
 * response: skip the head, undo chunked transfer coding if the server used
 * it, hand the body to eventsource-parser and, per event, take its id and
 * the envelope's `occurred_at` (without parsing the JSON). Bytes are read
 * as latin1, so one character is one byte and chunk sizes are lengths.
 */
export class SseWireReader {
  private readonly onEvent: (seq: number, occurredMs: number, bytes: number) => void;
  private readonly parser: EventSourceParser;
  private head = '';
  private inBody = false;
  private chunked = false;
  /** Chunked coding: bytes of the current chunk still to come, or -1 while its size line is being read. */
  private chunkLeft = -1;
  private pending = '';
  status = 0;

  constructor(handlers: { onEvent: (seq: number, occurredMs: number, bytes: number) => void; onComment: (text: string) => void }) {
    this.onEvent = handlers.onEvent;
    this.parser = createParser({ onEvent: (message) => this.event(message), onComment: (text) => handlers.onComment(text.trim()) });
  }

  push(chunk: Buffer): void {
    let text = chunk.toString('latin1');
    if (!this.inBody) {
      this.head += text;
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.head.slice(0, end);
      this.status = Number(head.slice(9, 12));
      this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      this.inBody = true;
      text = this.head.slice(end + 4);
      this.head = '';
    }
    if (this.chunked) this.dechunk(text);
    else this.parser.feed(text);
  }

  private dechunk(text: string): void {
    let input = this.pending + text;
    this.pending = '';
    while (input.length > 0) {
      if (this.chunkLeft < 0) {
        const lineEnd = input.indexOf('\r\n');
        if (lineEnd < 0) {
          this.pending = input;
          return;
        }
        // An empty line is the CRLF that closes the previous chunk's data.
        const line = input.slice(0, lineEnd);
        input = input.slice(lineEnd + 2);
        if (line === '') continue;
        this.chunkLeft = parseInt(line, 16);
        continue;
      }
      const take = Math.min(this.chunkLeft, input.length);
      this.parser.feed(input.slice(0, take));
      input = input.slice(take);
      this.chunkLeft -= take;
      if (this.chunkLeft === 0) this.chunkLeft = -1;
    }
  }

  private event(message: EventSourceMessage): void {
    if (message.id === undefined) return;
    const data = message.data;
    const at = data.indexOf('"occurred_at":"');
    if (at < 0) return;
    const from = at + 15;
    const occurredMs = Date.parse(data.slice(from, data.indexOf('"', from)));
    // The frame's size on the wire, as the gateway writes it (streamed-event.ts): `id: …\nevent: …\ndata: …\n\n`.
    const bytes = `id: ${message.id}\nevent: ${message.event ?? ''}\ndata: \n\n`.length + data.length;
    this.onEvent(Number(message.id), occurredMs, bytes);
  }
}
