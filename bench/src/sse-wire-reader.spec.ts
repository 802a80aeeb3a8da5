import { describe, expect, it } from 'vitest';
import { SseWireReader } from './sse-wire-reader.ts';

const frame = (seq: number, occurredAt: string) => `id: ${seq}\nevent: agent_updated\ndata: {"type":"agent_updated","occurred_at":"${occurredAt}"}\n\n`;

function readerWith() {
  const events: [number, number, number][] = [];
  const comments: string[] = [];
  const reader = new SseWireReader({ onEvent: (...event) => events.push(event), onComment: (text) => comments.push(text) });
  return { reader, events, comments };
}

describe('SseWireReader', () => {
  it('reads the comments and events of a chunked response cut anywhere', () => {
    const { reader, events, comments } = readerWith();
    const body = `: connected\n\n${frame(7, '2026-12-05T10:00:00.000Z')}${frame(8, '2026-12-05T10:00:01.000Z')}`;
    const chunked = `${(20).toString(16)}\r\n${body.slice(0, 20)}\r\n${(body.length - 20).toString(16)}\r\n${body.slice(20)}\r\n`;
    const wire = `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`;
    for (let at = 0; at < wire.length; at += 9) reader.push(Buffer.from(wire.slice(at, at + 9), 'latin1'));
    expect(reader.status).toBe(200);
    expect(comments).toEqual(['connected']);
    expect(events).toEqual([
      [7, Date.parse('2026-12-05T10:00:00.000Z'), frame(7, '2026-12-05T10:00:00.000Z').length],
      [8, Date.parse('2026-12-05T10:00:01.000Z'), frame(8, '2026-12-05T10:00:01.000Z').length],
    ]);
  });

  it('reads a response without chunked coding', () => {
    const { reader, events } = readerWith();
    reader.push(Buffer.from(`HTTP/1.1 200 OK\r\n\r\n${frame(1, '2026-12-05T10:00:00.000Z')}`, 'latin1'));
    expect(events.map(([seq]) => seq)).toEqual([1]);
  });
});
