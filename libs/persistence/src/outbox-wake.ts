import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How a relay learns that outbox rows written in its own process are
 * committed, without LISTEN/NOTIFY.
 *
 * Rows are written by a unit of work: a bus request being answered, a batch
 * of events being applied, one round of a background loop. The runners of
 * those (libs/messaging) run each in `runUnitOfWork`; by the time it
 * resolves, every transaction it opened has committed or rolled back, so a
 * unit that prepared outbox rows wakes the relays then, once. Rows prepared
 * outside any unit (a script, a test, a timer of its own) wake the relays a
 * few times over the next seconds instead, since their commit time is not
 * known; the relay's safety poll covers the rest, such as rows a crashed
 * replica left behind.
 *
 * NOTIFY did the same from a trigger, but every notifying commit took a
 * cluster-wide lock until it was flushed and woke every listening backend of
 * the database (one per service and replica), whatever the channel.
 */

interface UnitOfWork {
  wroteOutbox: boolean;
  ended: boolean;
}

const units = new AsyncLocalStorage<UnitOfWork>();
const relayWakers = new Set<() => void>();
/** Runs a function outside every async context: a relay's pass must not inherit the request or batch that woke it. */
const outsideAnyContext = AsyncLocalStorage.snapshot();

/** After a write outside any unit of work: soon, and again in case its transaction took longer to commit. */
export const UNSCOPED_WAKE_DELAYS_MS: readonly number[] = [5, 50, 500, 2000];

/** Registers a relay of this process (thread); returns its unregistration. */
export function onOutboxCommitted(wake: () => void): () => void {
  relayWakers.add(wake);
  return () => relayWakers.delete(wake);
}

/**
 * Runs `work` as one unit of work and wakes the relays after it if it
 * prepared outbox rows. Inside another unit, `work` joins it: the outer
 * unit's transaction may still be open.
 */
export async function runUnitOfWork<T>(work: () => Promise<T>): Promise<T> {
  if (units.getStore()?.ended === false) return work();
  const unit: UnitOfWork = { wroteOutbox: false, ended: false };
  try {
    return await units.run(unit, work);
  } finally {
    unit.ended = true;
    if (unit.wroteOutbox) wakeRelays();
  }
}

/** Called for every batch of outbox rows prepared (toOutboxRows). */
export function noteOutboxWrite(): void {
  const unit = units.getStore();
  if (unit && !unit.ended) {
    unit.wroteOutbox = true;
    return;
  }
  // Work left running after its unit ended (not awaited) is as unscoped: its commit time is not known either.
  for (const delay of UNSCOPED_WAKE_DELAYS_MS) setTimeout(wakeRelays, delay).unref();
}

function wakeRelays(): void {
  outsideAnyContext(() => {
    for (const wake of relayWakers) wake();
  });
}
