import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { EventBatch } from './event-batch.ts';
import { SseClient } from './sse-client.ts';
import { StreamedEvent } from './streamed-event.ts';

function fakeResponse() {
  const chunks: string[] = [];
  const response = {
    writableLength: 0,
    destroyed: false,
    write(chunk: string | Buffer) {
      chunks.push(chunk.toString());
      return true;
    },
    end() {},
    destroy() {
      this.destroyed = true;
    },
  };
  return { response, chunks };
}

const envelope = (type: string, aggregate: string): EventEnvelope => ({
  id: uuidv7(),
  type,
  occurred_at: '',
  aggregate_id: aggregate,
  aggregate_version: 1,
  actor: { type: 'system', id: null },
  data: {},
});
const event = (seq: number, type = 'agent_registered', aggregate = 'a1') => new StreamedEvent(seq, envelope(type, aggregate));
const batch = (...events: StreamedEvent[]) => new EventBatch(events);

const client = (response: object, drops: string[] = [], principal?: { agent_id: string; name: string; key_id: string }) =>
  new SseClient({ response: response as ServerResponse, principal, types: undefined, maxBufferBytes: 1000, onDrop: (reason) => drops.push(reason) });

describe('SseClient', () => {
  it('holds live events during replay and sends each sequence once, in order', () => {
    const { response, chunks } = fakeResponse();
    const sse = client(response);
    sse.offer(batch(event(3), event(4)));
    sse.send(event(1));
    sse.send(event(2));
    sse.send(event(3));
    sse.goLive();
    sse.offer(batch(event(4), event(5)));
    sse.offer(batch(event(6)));
    const ids = chunks.flatMap((chunk) => [...chunk.matchAll(/^id: (\d+)$/gm)].map((match) => match[1]));
    expect(ids).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('shows private events to their party only', () => {
    const anonymous = fakeResponse();
    const owner = fakeResponse();
    const anonymousClient = client(anonymous.response);
    const ownerClient = client(owner.response, [], { agent_id: 'a1', name: 'a', key_id: 'k' });
    for (const sse of [anonymousClient, ownerClient]) {
      sse.goLive();
      sse.offer(batch(event(1, 'agent_key_rotated', 'a1')));
    }
    expect(anonymous.chunks).toEqual([]);
    expect(owner.chunks).toHaveLength(1);
  });

  it('sends one batch in one write, the same bytes to every anonymous client', () => {
    const first = fakeResponse();
    const second = fakeResponse();
    const shared = batch(event(1), event(2, 'agent_key_rotated'), event(3));
    for (const { response } of [first, second]) {
      const sse = client(response);
      sse.goLive();
      sse.offer(shared);
    }
    expect(first.chunks).toHaveLength(1);
    expect(first.chunks[0]).toMatch(/^id: 1\nevent: agent_registered\ndata: \{.*\}\n\nid: 3\n/s);
    expect(second.chunks).toEqual(first.chunks);
  });

  it('filters by type and shows a party its full event within a batch', () => {
    const { response, chunks } = fakeResponse();
    const sse = new SseClient({
      response: response as unknown as ServerResponse,
      principal: { agent_id: 'a1', name: 'a', key_id: 'k' },
      types: new Set(['agent_key_rotated']),
      maxBufferBytes: 1000,
      onDrop: () => undefined,
    });
    sse.goLive();
    sse.offer(batch(event(1), event(2, 'agent_key_rotated', 'a1'), event(3, 'agent_key_rotated', 'a2')));
    expect(chunks).toHaveLength(1);
    expect([...(chunks[0] ?? '').matchAll(/^id: (\d+)$/gm)].map((match) => match[1])).toEqual(['2']);
  });

  it('drops a client whose unsent buffer is over the limit', () => {
    const { response } = fakeResponse();
    const drops: string[] = [];
    const sse = client(response, drops);
    sse.goLive();
    response.writableLength = 5000;
    sse.offer(batch(event(1)));
    expect(response.destroyed).toBe(true);
    expect(drops).toHaveLength(1);
    expect(sse.closed).toBe(true);
  });
});
