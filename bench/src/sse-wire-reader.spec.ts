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

  it('keeps nothing of the caller\'s buffer, which the next read overwrites', () => {
    const { reader, events } = readerWith();
    const shared = Buffer.alloc(64);
    const wire = `HTTP/1.1 200 OK\r\n\r\n${frame(1, '2026-12-05T10:00:00.000Z')}${frame(2, '2026-12-05T10:00:02.000Z')}`;
    for (let at = 0; at < wire.length; at += 50) {
      const length = shared.write(wire.slice(at, at + 50), 'latin1');
      reader.push(shared, length);
      shared.fill(0x58);
    }
    expect(events).toEqual([
      [1, Date.parse('2026-12-05T10:00:00.000Z'), frame(1, '2026-12-05T10:00:00.000Z').length],
      [2, Date.parse('2026-12-05T10:00:02.000Z'), frame(2, '2026-12-05T10:00:02.000Z').length],
    ]);
  });

  it('reads times in other ISO-8601 forms too', () => {
    const { reader, events } = readerWith();
    const times = ['2026-12-05T10:00:00.123456Z', '2026-12-05T11:00:00+01:00', '2026-12-05T10:00:00Z'];
    reader.push(Buffer.from(`HTTP/1.1 200 OK\r\n\r\n${times.map((time, i) => frame(i + 1, time)).join('')}`, 'latin1'));
    expect(events.map(([, occurredMs]) => occurredMs)).toEqual(times.map((time) => Date.parse(time)));
  });

  it('finds the time wherever it is in the data, even for a sequence read before with another layout', () => {
    const { reader, events } = readerWith();
    const shifted = `id: 9\nevent: agent_updated\ndata: {"extra":"abc","occurred_at":"2026-12-05T10:00:09.000Z"}\n\n`;
    reader.push(Buffer.from(`HTTP/1.1 200 OK\r\n\r\n${frame(9, '2026-12-05T10:00:00.000Z')}${shifted}`, 'latin1'));
    expect(events.map(([, occurredMs]) => occurredMs)).toEqual([Date.parse('2026-12-05T10:00:00.000Z'), Date.parse('2026-12-05T10:00:09.000Z')]);
  });

  it('stops at the last chunk', () => {
    const { reader, events } = readerWith();
    const body = frame(3, '2026-12-05T10:00:00.000Z');
    reader.push(Buffer.from(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`, 'latin1'));
    reader.push(Buffer.from(frame(4, '2026-12-05T10:00:00.000Z'), 'latin1'));
    expect(events.map(([seq]) => seq)).toEqual([3]);
  });

  it('reads a response without chunked coding', () => {
    const { reader, events } = readerWith();
    reader.push(Buffer.from(`HTTP/1.1 200 OK\r\n\r\n${frame(1, '2026-12-05T10:00:00.000Z')}`, 'latin1'));
    expect(events.map(([seq]) => seq)).toEqual([1]);
  });
});
