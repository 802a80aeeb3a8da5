import { LRUCache } from 'lru-cache';
import type { LoadedJob } from './job-rows.ts';

/** Jobs kept at most, and the most their inputs and deliverables may weigh together (approximately, in UTF-16 code units of JSON). */
const MAX_JOBS = 2000;
const MAX_CHARS = 16 * 1024 * 1024;
/** A job heavier than this is not kept: reading it again costs less than holding it. */
const MAX_JOB_CHARS = 64 * 1024;

/**
 * The jobs this replica wrote last, as committed: a transition on one of
 * them skips the read before its write. The copy is only a hint. The write
 * checks the version it read, so a copy that another replica (or a timer,
 * or a rolled-back transaction) made stale writes nothing, and the retry
 * reads the row. A refusal decided on a copy is decided again on the row
 * (job-transitions.service.ts), so a stale copy can never refuse what the
 * row allows. A copy is taken out when used: a retry never sees it again,
 * and the next success puts the new state back.
 */
export class RecentJobs {
  readonly #jobs = new LRUCache<string, LoadedJob>({ max: MAX_JOBS, maxSize: MAX_CHARS });

  /** The job's last committed state as this replica wrote it, taken out of the cache: the caller may change it. */
  take(jobId: string): LoadedJob | undefined {
    const loaded = this.#jobs.get(jobId);
    if (!loaded) return undefined;
    this.#jobs.delete(jobId);
    return loaded;
  }

  /** Keeps the job as just committed. The caller hands it over and must not change it afterwards. */
  remember(loaded: LoadedJob): void {
    const size = weightOf(loaded);
    if (size > MAX_JOB_CHARS) return;
    this.#jobs.set(loaded.job.id, loaded, { size });
  }

  forget(jobId: string): void {
    this.#jobs.delete(jobId);
  }
}

function weightOf(loaded: LoadedJob): number {
  let chars = 2048 + JSON.stringify(loaded.job.inputData ?? null).length;
  for (const deliverable of loaded.deliverables) chars += 512 + JSON.stringify(deliverable.content ?? null).length;
  return chars;
}
