import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.ts';

describe('SseParser', () => {
  it('parses events and comments split across chunks anywhere', () => {
    const stream = ': connected\n\nid: 41\nevent: job_created\ndata: {"a":1}\n\n: heartbeat\n\nid: 42\nevent: job_started\ndata: {"b":2}\n\n';
    for (const size of [1, 3, 7, stream.length]) {
      const parser = new SseParser();
      const messages = [];
      for (let at = 0; at < stream.length; at += size) messages.push(...parser.push(stream.slice(at, at + size)));
      expect(messages).toEqual([
        { kind: 'comment', text: 'connected' },
        { kind: 'event', id: '41', event: 'job_created', data: '{"a":1}' },
        { kind: 'comment', text: 'heartbeat' },
        { kind: 'event', id: '42', event: 'job_started', data: '{"b":2}' },
      ]);
    }
  });

  it('joins multi-line data, accepts CRLF and CR, and defaults the type to message', () => {
    const parser = new SseParser();
    expect(parser.push('data: one\r\ndata: two\r\n\r\ndata:three\r\r: done\n')).toEqual([
      { kind: 'event', id: undefined, event: 'message', data: 'one\ntwo' },
      { kind: 'event', id: undefined, event: 'message', data: 'three' },
      { kind: 'comment', text: 'done' },
    ]);
  });

  it('keeps the last id for later events, and dispatches nothing for a block without data', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\n\n')).toEqual([]);
    expect(parser.push('event: x\ndata: y\n\n')).toEqual([{ kind: 'event', id: '7', event: 'x', data: 'y' }]);
  });

  it('waits for the LF that may follow a CR at the end of a chunk', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ kind: 'event', id: undefined, event: 'message', data: 'a' }]);
  });
});
