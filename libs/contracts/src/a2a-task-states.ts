import { TaskState } from '@a2a-js/sdk';
import type { JobStatus } from './jobs.ts';

/**
 * Job status ↔ A2A task state: the one table, read in both directions. From
 * a job to a task every row counts; from a task state back to a job status
 * (ListTasks' filter, an outbound seller's updates) the first row of that
 * state is the job status meant.
 */
export const JOB_TASK_STATES: readonly (readonly [JobStatus, TaskState])[] = [
  ['pending', TaskState.TASK_STATE_SUBMITTED],
  ['in_progress', TaskState.TASK_STATE_WORKING],
  ['revision_requested', TaskState.TASK_STATE_WORKING],
  // Delivered: the client's turn (complete, request a revision or dispute).
  ['delivered', TaskState.TASK_STATE_INPUT_REQUIRED],
  ['disputed', TaskState.TASK_STATE_INPUT_REQUIRED],
  ['completed', TaskState.TASK_STATE_COMPLETED],
  ['resolved', TaskState.TASK_STATE_COMPLETED],
  ['cancelled', TaskState.TASK_STATE_CANCELED],
  ['expired', TaskState.TASK_STATE_CANCELED],
  ['failed', TaskState.TASK_STATE_FAILED],
];

const TASK_STATE_OF = new Map<JobStatus, TaskState>(JOB_TASK_STATES);
const JOB_STATUS_OF = new Map<TaskState, JobStatus>();
for (const [status, state] of JOB_TASK_STATES) if (!JOB_STATUS_OF.has(state)) JOB_STATUS_OF.set(state, status);

export function taskStateOf(status: JobStatus): TaskState {
  return TASK_STATE_OF.get(status) ?? TaskState.TASK_STATE_UNSPECIFIED;
}

export function jobStatusOf(state: TaskState): JobStatus | undefined {
  return JOB_STATUS_OF.get(state);
}

const TERMINAL_TASK_STATES = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_REJECTED]);

export function isTerminalTaskState(state: TaskState): boolean {
  return TERMINAL_TASK_STATES.has(state);
}
