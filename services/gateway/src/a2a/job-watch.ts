import type { JobView } from '@agentmarket/contracts';
import type { EventHub } from '../sse/event-hub.ts';
import { isTerminalTaskState, taskStateOf } from '@agentmarket/contracts/a2a-task-states';

/** Re-read the job this often even without an event: the hub may have missed some while it reconnected to the bus. */
const RECHECK_MS = 5000;

const fingerprint = (job: JobView) => `${job.status}|${job.deliverables.length}|${job.updated_at}`;

/**
 * The job each time it changes, from its current state until it ends: a
 * job event on the bus (or the periodic re-check) triggers a re-read, and only
 * a changed job is yielded. State, not events, is followed, so nothing is
 * missed or repeated however events and reads interleave.
 */
export async function* jobChanges(hub: EventHub, jobId: string, load: () => Promise<JobView>, signal: AbortSignal): AsyncGenerator<JobView> {
  let wake: (() => void) | undefined;
  let dirty = true;
  const poke = () => {
    dirty = true;
    wake?.();
  };
  const unwatch = hub.watch((events) => {
    if (events.some((event) => event.envelope.aggregate_id === jobId)) poke();
  });
  const timer = setInterval(poke, RECHECK_MS);
  signal.addEventListener('abort', poke);
  try {
    let seen: string | undefined;
    while (!signal.aborted) {
      if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (signal.aborted) return;
      dirty = false;
      const job = await load();
      if (fingerprint(job) === seen) continue;
      seen = fingerprint(job);
      yield job;
      // Ends with the task: a terminal state in the one job ↔ task table.
      if (isTerminalTaskState(taskStateOf(job.status))) return;
    }
  } finally {
    unwatch();
    clearInterval(timer);
    signal.removeEventListener('abort', poke);
  }
}
