import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError } from '@agentmarket/contracts';

/**
 * A job changed since it was read: the write checked the version and wrote
 * nothing. Retried; should every attempt lose, the caller hears `conflict`.
 */
export class JobVersionConflict extends AppError {
  constructor(jobId: string) {
    super('conflict', 'The job was changed concurrently; retry', { job_id: jobId });
  }
}

/**
 * Runs a unit of work again when it lost a race: a version conflict on the
 * job, or a unique key taken by a concurrent twin (two deliveries numbering
 * the same deliverable version). The retry reloads the row, so the machine
 * decides against the winner's state.
 */
export async function withConflictRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const lostRace = error instanceof JobVersionConflict || error instanceof OptimisticLockError || error instanceof UniqueConstraintViolationException;
      if (!lostRace || attempt >= attempts) throw error;
    }
  }
}
