/**
 * The least an SSE reader of the bench must do with the bytes of one HTTP
 * response: skip the head, undo chunked transfer coding if the server used
 * it, cut the stream into frames and, per event frame, read the `id:` line
 * and the envelope's `occurred_at` (without parsing the JSON). Bytes are
 * read as latin1, so one character is one byte and chunk sizes are lengths.
 */
export class SseWireReader {
  private readonly onEvent: (seq: number, occurredMs: number, bytes: number) => void;
  private readonly onComment: (text: string) => void;
  private head = '';
  private inBody = false;
  private chunked = false;
  /** Chunked coding: bytes of the current chunk still to come, or -1 while its size line is being read. */
  private chunkLeft = -1;
  private pending = '';
  private frames = '';
  status = 0;

  constructor(handlers: { onEvent: (seq: number, occurredMs: number, bytes: number) => void; onComment: (text: string) => void }) {
    this.onEvent = handlers.onEvent;
    this.onComment = handlers.onComment;
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
    else this.frames += text;
    this.cutFrames();
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
      this.frames += input.slice(0, take);
      input = input.slice(take);
      this.chunkLeft -= take;
      if (this.chunkLeft === 0) this.chunkLeft = -1;
    }
  }

  private cutFrames(): void {
    let start = 0;
    let end: number;
    while ((end = this.frames.indexOf('\n\n', start)) >= 0) {
      this.frame(start, end);
      start = end + 2;
    }
    this.frames = start === 0 ? this.frames : this.frames.slice(start);
  }

  private frame(start: number, end: number): void {
    const frames = this.frames;
    if (frames.charCodeAt(start) === 58 /* ':' */) {
      this.onComment(frames.slice(start + 1, end).trim());
      return;
    }
    if (!frames.startsWith('id: ', start)) return;
    const idEnd = frames.indexOf('\n', start);
    const seq = Number(frames.slice(start + 4, idEnd));
    const at = frames.indexOf('"occurred_at":"', idEnd);
    if (at < 0 || at > end) return;
    const from = at + 15;
    const occurredMs = Date.parse(frames.slice(from, frames.indexOf('"', from)));
    this.onEvent(seq, occurredMs, end + 2 - start);
  }
}
