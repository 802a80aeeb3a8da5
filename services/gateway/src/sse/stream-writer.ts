import type { ServerResponse } from 'node:http';
import type { WireBytes } from './wire-bytes.ts';

/**
 * Writes the body of one SSE response. ServerResponse.write costs, per call,
 * a cork, a tick to uncork, a size line and four socket writes gathered into
 * one writev: with 2,000 clients taking every batch, half the gateway's own
 * (user-space) CPU of a fan-out; the system call each write makes is the
 * rest. So once the response has put its head and everything it held on the
 * socket, the bytes go to the socket directly, framed as the response would
 * frame them (one chunk, built once for every client that takes the same
 * bytes): one plain write per client.
 */
export class StreamWriter {
  private readonly response: ServerResponse;
  /** Whether the head went out: writeHead only stores it, the first write through the response sends it. */
  private headSent = false;

  constructor(response: ServerResponse) {
    this.response = response;
  }

  write(bytes: WireBytes): void {
    const socket = this.response.socket;
    // The response still holds bytes (its writable length is more than its socket's) when it waits behind an
    // earlier response on the same connection: those go first, so this goes through the response too.
    if (this.headSent && socket && !socket.destroyed && this.response.writableLength === socket.writableLength) {
      // chunkedEncoding was settled by writeHead: false for an HTTP/1.0 client, whose body ends when the connection does.
      socket.write(this.response.chunkedEncoding ? bytes.chunk : bytes.body);
      return;
    }
    this.response.write(bytes.body);
    this.headSent = true;
  }

  /** Bytes written and not yet taken by the kernel (the response's and its socket's). */
  get unsentBytes(): number {
    return this.response.writableLength;
  }
}
