import { describe, expect, it } from 'vitest';
import { idleCollectionDue } from './idle-collector.ts';

describe('idleCollectionDue', () => {
  it('collects once on the first quiet interval after work, and not again while idle', () => {
    const state = { workedSinceCollection: false };
    expect(idleCollectionDue(state, 0.002)).toBe(false); // idle from the start: nothing to give back
    expect(idleCollectionDue(state, 0.6)).toBe(false); // under load: never
    expect(idleCollectionDue(state, 0.03)).toBe(false); // tailing off, not quiet yet
    expect(idleCollectionDue(state, 0.004)).toBe(true); // quiet after work: once
    expect(idleCollectionDue(state, 0.003)).toBe(false);
    expect(idleCollectionDue(state, 0.2)).toBe(false);
    expect(idleCollectionDue(state, 0.001)).toBe(true); // the next burst's end
  });
});
