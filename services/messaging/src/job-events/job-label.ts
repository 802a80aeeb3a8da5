import type { JobEventData } from '@agentmarket/contracts';

/** How a sentence names a job: its title in quotes, or its id when it has none. */
export function jobLabel(job: Pick<JobEventData, 'job_id' | 'title'>): string {
  return job.title ? `"${job.title}"` : `job ${job.job_id}`;
}

/** The same label at the start of a sentence. */
export function jobLabelCapitalized(job: Pick<JobEventData, 'job_id' | 'title'>): string {
  return job.title ? `"${job.title}"` : `Job ${job.job_id}`;
}
