import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { SseClient } from './sse-client.ts';

function fakeResponse() {
  const chunks: string[] = [];
  const response = {
    writableLength: 0,
    destroyed: false,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    end() {},
    destroy() {
      this.destroyed = true;
    },
  };
  return { response, chunks };
}

const event = (seq: number, type = 'agent_registered', aggregate = 'a1'): { seq: number; envelope: EventEnvelope } => ({
  seq,
  envelope: { id: uuidv7(), type, occurred_at: '', aggregate_id: aggregate, aggregate_version: 1, actor: { type: 'system', id: null }, data: {} },
});

const client = (response: object, drops: string[] = [], principal?: { agent_id: string; name: string; key_id: string }) =>
  new SseClient({ response: response as ServerResponse, principal, types: undefined, maxBufferBytes: 1000, onDrop: (reason) => drops.push(reason) });

describe('SseClient', () => {
  it('holds live events during replay and sends each sequence once, in order', () => {
    const { response, chunks } = fakeResponse();
    const sse = client(response);
    sse.offer(event(3));
    sse.offer(event(4));
    sse.send(event(1));
    sse.send(event(2));
    sse.send(event(3));
    sse.goLive();
    sse.offer(event(4));
    sse.offer(event(5));
    expect(chunks.map((chunk) => chunk.match(/^id: (\d+)/)?.[1])).toEqual(['1', '2', '3', '4', '5']);
  });

  it('shows private events to their party only', () => {
    const anonymous = fakeResponse();
    const owner = fakeResponse();
    const anonymousClient = client(anonymous.response);
    const ownerClient = client(owner.response, [], { agent_id: 'a1', name: 'a', key_id: 'k' });
    for (const sse of [anonymousClient, ownerClient]) {
      sse.goLive();
      sse.offer(event(1, 'agent_key_rotated', 'a1'));
    }
    expect(anonymous.chunks).toEqual([]);
    expect(owner.chunks).toHaveLength(1);
  });

  it('drops a client whose unsent buffer is over the limit', () => {
    const { response } = fakeResponse();
    const drops: string[] = [];
    const sse = client(response, drops);
    sse.goLive();
    response.writableLength = 5000;
    sse.offer(event(1));
    expect(response.destroyed).toBe(true);
    expect(drops).toHaveLength(1);
    expect(sse.closed).toBe(true);
  });
});
