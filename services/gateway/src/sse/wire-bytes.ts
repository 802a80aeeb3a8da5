const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * Bytes of an event stream's body (frames or a comment), and the same bytes
 * framed as one HTTP/1.1 chunk (size line, bytes, CRLF), built on first use
 * and kept: a batch's bytes are framed once and the same chunk is written to
 * every client that takes them.
 */
export class WireBytes {
  readonly body: Buffer;
  private framed: Buffer | undefined;

  constructor(body: Buffer) {
    this.body = body;
  }

  get chunk(): Buffer {
    if (this.framed) return this.framed;
    const sizeLine = Buffer.from(`${this.body.length.toString(16)}\r\n`, 'latin1');
    this.framed = Buffer.concat([sizeLine, this.body, CRLF], sizeLine.length + this.body.length + CRLF.length);
    return this.framed;
  }
}
