import { afterEach, describe, expect, it, vi } from 'vitest';
import { UNSCOPED_WAKE_DELAYS_MS, noteOutboxWrite, onOutboxCommitted, runUnitOfWork } from './outbox-wake.ts';

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  vi.useRealTimers();
});

function countWakes(): { count(): number } {
  let wakes = 0;
  unregister = onOutboxCommitted(() => {
    wakes += 1;
  });
  return { count: () => wakes };
}

describe('outbox wake', () => {
  it('wakes the relays once a unit that wrote outbox rows is over, not before, and once however many it wrote', async () => {
    const relay = countWakes();
    const seenInside: number[] = [];
    await runUnitOfWork(async () => {
      noteOutboxWrite();
      await Promise.resolve();
      noteOutboxWrite();
      seenInside.push(relay.count());
    });
    expect(seenInside).toEqual([0]);
    expect(relay.count()).toBe(1);
  });

  it('leaves the relays alone after a unit that wrote nothing', async () => {
    const relay = countWakes();
    await runUnitOfWork(async () => 'read only');
    expect(relay.count()).toBe(0);
  });

  it('wakes them after a unit that failed too (its rows rolled back: the pass finds nothing)', async () => {
    const relay = countWakes();
    await expect(
      runUnitOfWork(async () => {
        noteOutboxWrite();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(relay.count()).toBe(1);
  });

  it('lets a nested unit join the outer one, whose transaction may still be open', async () => {
    const relay = countWakes();
    const afterInner: number[] = [];
    await runUnitOfWork(async () => {
      await runUnitOfWork(async () => noteOutboxWrite());
      afterInner.push(relay.count());
    });
    expect(afterInner).toEqual([0]);
    expect(relay.count()).toBe(1);
  });

  it('wakes them several times over the next seconds after a write outside any unit, or after its unit ended', async () => {
    vi.useFakeTimers();
    const relay = countWakes();
    noteOutboxWrite();
    expect(relay.count()).toBe(0);
    for (const [index, delay] of UNSCOPED_WAKE_DELAYS_MS.entries()) {
      vi.advanceTimersByTime(delay - (UNSCOPED_WAKE_DELAYS_MS[index - 1] ?? 0));
      expect(relay.count()).toBe(index + 1);
    }

    // Work a unit started and did not await: it writes in the unit's context, after the unit is over.
    let release: (() => void) | undefined;
    let leftRunning: Promise<void> | undefined;
    await runUnitOfWork(async () => {
      leftRunning = new Promise<void>((resolve) => {
        release = resolve;
      }).then(() => noteOutboxWrite());
    });
    const before = relay.count();
    release?.();
    await leftRunning;
    expect(relay.count()).toBe(before);
    vi.advanceTimersByTime(UNSCOPED_WAKE_DELAYS_MS.at(-1)!);
    expect(relay.count()).toBe(before + UNSCOPED_WAKE_DELAYS_MS.length);
  });
});
