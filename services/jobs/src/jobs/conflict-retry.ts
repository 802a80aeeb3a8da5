import { OptimisticLockError } from '@mikro-orm/core';

/**
 * Runs a unit of work again when it lost an optimistic-locking race: the
 * retry reloads the row, so the machine decides against the winner's state.
 */
export async function withConflictRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof OptimisticLockError) || attempt >= attempts) throw error;
    }
  }
}
