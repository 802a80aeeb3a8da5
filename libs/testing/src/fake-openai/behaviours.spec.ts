import { describe, expect, it } from 'vitest';
import { BehaviourQueue, parseBehaviour } from './behaviours.ts';

describe('behaviours', () => {
  it('accepts every kind with valid fields and drops fields a kind does not have', () => {
    expect(parseBehaviour({ kind: 'ok', latencyMs: 5, content: 'x' })).toEqual({ behaviour: { kind: 'ok', latencyMs: 5, content: 'x' } });
    expect(parseBehaviour({ kind: 'ok' })).toEqual({ behaviour: { kind: 'ok' } });
    expect(parseBehaviour({ kind: 'rate_limited', retryAfterSeconds: 3 })).toEqual({ behaviour: { kind: 'rate_limited', retryAfterSeconds: 3 } });
    expect(parseBehaviour({ kind: 'server_error', status: 502 })).toEqual({ behaviour: { kind: 'server_error', status: 502 } });
    for (const kind of ['hang', 'malformed', 'insufficient_quota', 'bad_request', 'unauthorized']) {
      expect(parseBehaviour({ kind, extra: true })).toEqual({ behaviour: { kind } });
    }
  });

  it('says what is wrong with an invalid behaviour', () => {
    expect(parseBehaviour(null)).toHaveProperty('problem');
    expect(parseBehaviour({ kind: 'explode' })).toEqual({ problem: 'unknown behaviour kind "explode"' });
    expect(parseBehaviour({ kind: 'ok', latencyMs: -1 })).toHaveProperty('problem');
    expect(parseBehaviour({ kind: 'ok', content: 3 })).toHaveProperty('problem');
    expect(parseBehaviour({ kind: 'rate_limited' })).toHaveProperty('problem');
    expect(parseBehaviour({ kind: 'server_error', status: 429 })).toHaveProperty('problem');
  });

  it('hands out queued behaviours in order, then the default, and resets to the first default', () => {
    const queue = new BehaviourQueue({ kind: 'ok', latencyMs: 7 });
    queue.enqueue([{ kind: 'hang' }, { kind: 'malformed' }]);
    queue.setDefault({ kind: 'bad_request' });
    expect([queue.next(), queue.next(), queue.next()].map((behaviour) => behaviour.kind)).toEqual(['hang', 'malformed', 'bad_request']);
    queue.enqueue([{ kind: 'hang' }]);
    queue.reset();
    expect(queue.length).toBe(0);
    expect(queue.next()).toEqual({ kind: 'ok', latencyMs: 7 });
  });
});
