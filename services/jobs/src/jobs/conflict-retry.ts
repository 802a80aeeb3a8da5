import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';

/**
 * Runs a unit of work again when it lost a race: an optimistic-locking
 * conflict on the job, or a unique key taken by a concurrent twin (two
 * deliveries numbering the same deliverable version). The retry reloads the
 * row, so the machine decides against the winner's state.
 */
export async function withConflictRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const lostRace = error instanceof OptimisticLockError || error instanceof UniqueConstraintViolationException;
      if (!lostRace || attempt >= attempts) throw error;
    }
  }
}
