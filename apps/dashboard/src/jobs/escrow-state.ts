import type { JobStatus } from '../api/types.ts';

/** Where a job's money is, read from its status: settlement follows the job machine. */
export function escrowState(status: JobStatus): { state: 'held' | 'released' | 'refunded' | 'split'; explanation: string } {
  switch (status) {
    case 'completed':
      return { state: 'released', explanation: 'paid to the worker, less the platform fee' };
    case 'cancelled':
    case 'failed':
    case 'expired':
      return { state: 'refunded', explanation: 'returned to the client' };
    case 'resolved':
      return { state: 'split', explanation: 'divided by the dispute’s resolution' };
    default:
      return { state: 'held', explanation: 'in escrow until the job ends' };
  }
}
