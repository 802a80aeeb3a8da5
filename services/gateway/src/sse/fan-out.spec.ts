import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@agentmarket/contracts';
import { FanOut } from './fan-out.ts';
import { SseClient } from './sse-client.ts';
import { StreamedEvent } from './streamed-event.ts';

/** Every write of every client, in the order they happened, as `name: ids`. */
function recorder() {
  const writes: string[] = [];
  const connect = (name: string) => {
    const response = {
      writableLength: 0,
      write(chunk: string | Buffer) {
        writes.push(`${name}: ${[...chunk.toString().matchAll(/^id: (\d+)$/gm)].map((match) => match[1]).join(',')}`);
        return true;
      },
      end() {},
      destroy() {},
    };
    const client = new SseClient({ response: response as unknown as ServerResponse, principal: undefined, types: undefined, maxBufferBytes: 1 << 20, onDrop: () => undefined });
    client.goLive();
    return client;
  };
  return { writes, connect };
}

const event = (seq: number) =>
  new StreamedEvent(seq, {
    id: uuidv7(),
    type: 'agent_registered',
    occurred_at: '',
    aggregate_id: 'a1',
    aggregate_version: 1,
    actor: { type: 'system', id: null },
    data: {},
  });

/** Lets the sweep's next slice run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A fan-out that writes one client per slice, so that events can be published between any two writes. */
const oneClientPerSlice = () => new FanOut({ sliceMs: 0, clockEvery: 1 });

describe('FanOut', () => {
  it('takes an event that comes mid-sweep to the clients not yet passed, then at once to those passed', async () => {
    const { writes, connect } = recorder();
    const fanOut = oneClientPerSlice();
    for (const name of ['a', 'b', 'c']) fanOut.add(connect(name));

    fanOut.publish([event(1)]);
    fanOut.publish([event(2)]);
    for (let turn = 0; turn < 5; turn += 1) await nextTurn();

    // b and c get both events in one write; a, passed before event 2 came, gets it in the next sweep, before anyone else is written.
    expect(writes).toEqual(['a: 1', 'b: 1,2', 'c: 1,2', 'a: 2']);
  });

  it('gives every client every event once and in order, however publishing and sweeping interleave', async () => {
    const { writes, connect } = recorder();
    const fanOut = oneClientPerSlice();
    const names = Array.from({ length: 7 }, (_, i) => `client${i}`);
    for (const name of names) fanOut.add(connect(name));

    let seq = 0;
    for (let turn = 0; turn < 40; turn += 1) {
      // One, two or no events per turn of the event loop.
      for (let i = 0; i < turn % 3; i += 1) fanOut.publish([event((seq += 1))]);
      await nextTurn();
    }
    for (let turn = 0; turn < names.length * 2; turn += 1) await nextTurn();

    for (const name of names) {
      const received = writes.filter((write) => write.startsWith(`${name}:`)).flatMap((write) => write.split(': ')[1]!.split(',').map(Number));
      expect(received).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
    }
  });

  it('gives a client added mid-sweep only what comes after it, and a removed client nothing more', async () => {
    const { writes, connect } = recorder();
    const fanOut = oneClientPerSlice();
    const leaving = connect('leaving');
    fanOut.add(connect('a'));
    fanOut.add(leaving);
    fanOut.add(connect('b'));

    fanOut.publish([event(1)]);
    fanOut.add(connect('late'));
    fanOut.remove(leaving);
    fanOut.publish([event(2)]);
    for (let turn = 0; turn < 8; turn += 1) await nextTurn();

    expect(writes).toEqual(['a: 1', 'b: 1,2', 'a: 2', 'late: 2']);
    expect(fanOut.size).toBe(3);
  });

  it('writes a client once per sweep when events come in one turn of the event loop', async () => {
    const { writes, connect } = recorder();
    const fanOut = new FanOut();
    for (const name of ['a', 'b']) fanOut.add(connect(name));

    fanOut.publish([event(1), event(2), event(3)]);
    await nextTurn();

    expect(writes).toEqual(['a: 1,2,3', 'b: 1,2,3']);
  });
});
