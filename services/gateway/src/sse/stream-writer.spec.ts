import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { StreamWriter } from './stream-writer.ts';
import { WireBytes } from './wire-bytes.ts';

function fakeResponse(options: { chunked: boolean }) {
  const viaResponse: string[] = [];
  const viaSocket: string[] = [];
  const socket = {
    writableLength: 0,
    destroyed: false,
    write(chunk: Buffer) {
      viaSocket.push(chunk.toString('latin1'));
      return true;
    },
  };
  const response = {
    socket,
    chunkedEncoding: options.chunked,
    /** What the response holds itself (a head or body waiting behind an earlier response), beyond its socket's. */
    held: 0,
    get writableLength() {
      return this.held + socket.writableLength;
    },
    write(chunk: Buffer) {
      viaResponse.push(chunk.toString('latin1'));
      return true;
    },
  };
  return { writer: new StreamWriter(response as unknown as ServerResponse), response, socket, viaResponse, viaSocket };
}

const bytes = (text: string) => new WireBytes(Buffer.from(text, 'latin1'));

describe('StreamWriter', () => {
  it('sends the head through the response, then one chunk straight to the socket', () => {
    const { writer, viaResponse, viaSocket } = fakeResponse({ chunked: true });
    writer.write(bytes(': connected\n\n'));
    writer.write(bytes('id: 1\ndata: {}\n\n'));
    expect(viaResponse).toEqual([': connected\n\n']);
    expect(viaSocket).toEqual(['10\r\nid: 1\ndata: {}\n\n\r\n']);
  });

  it('writes the bare bytes to the socket of a response without chunked coding (HTTP/1.0)', () => {
    const { writer, viaSocket } = fakeResponse({ chunked: false });
    writer.write(bytes(': connected\n\n'));
    writer.write(bytes('id: 1\ndata: {}\n\n'));
    expect(viaSocket).toEqual(['id: 1\ndata: {}\n\n']);
  });

  it('goes through the response while it holds bytes, so that nothing overtakes them', () => {
    const { writer, response, viaResponse, viaSocket } = fakeResponse({ chunked: true });
    writer.write(bytes(': connected\n\n'));
    response.held = 100;
    writer.write(bytes('id: 1\ndata: {}\n\n'));
    response.held = 0;
    writer.write(bytes('id: 2\ndata: {}\n\n'));
    expect(viaResponse).toEqual([': connected\n\n', 'id: 1\ndata: {}\n\n']);
    expect(viaSocket).toEqual(['10\r\nid: 2\ndata: {}\n\n\r\n']);
  });

  it('counts the unsent bytes of the response and its socket', () => {
    const { writer, response, socket } = fakeResponse({ chunked: true });
    response.held = 10;
    socket.writableLength = 5;
    expect(writer.unsentBytes).toBe(15);
  });

  it('frames a chunk once, for every client that takes the same bytes', () => {
    const shared = bytes('id: 1\ndata: {}\n\n');
    expect(shared.chunk).toBe(shared.chunk);
  });
});
