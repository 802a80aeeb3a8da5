import { TaskState, type Message, type TaskStatus } from '@a2a-js/sdk';
import { jobStatusOf } from '@agentmarket/contracts/a2a-task-states';

/** What a seller's task state means for the market's job. */
export type SellerStep =
  /** Accepted or at work: the job is started (once) and the task followed. */
  | { kind: 'follow' }
  /** Done: its artifacts are the job's deliverable. */
  | { kind: 'deliver' }
  /** Over without a result, or waiting for something the market cannot give: the job fails (the client is refunded). */
  | { kind: 'fail'; reason: string };

/**
 * The one reading of a seller's task updates, through the market's own
 * job-status ↔ task-state table (jobStatusOf): a state that means a job at
 * work is followed, one that means a completed job is a delivery (the
 * seller's completion is the market's delivery: the client still accepts
 * it), one that means a failed or cancelled job fails it. The states of a
 * turn handed back — input-required, auth-required — mean `delivered` in
 * that table (the client's turn), but a seller asking the market for more
 * input is not supported yet, so they fail the job with a clear reason.
 */
export function sellerStep(status: TaskStatus | undefined): SellerStep {
  const state = status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
  const said = statusText(status?.message);
  switch (state) {
    case TaskState.TASK_STATE_INPUT_REQUIRED:
    case TaskState.TASK_STATE_AUTH_REQUIRED: {
      const what = state === TaskState.TASK_STATE_INPUT_REQUIRED ? 'more input' : 'authentication';
      return { kind: 'fail', reason: withSaid(`The seller's A2A agent asked for ${what}, which the market cannot give yet`, said) };
    }
    case TaskState.TASK_STATE_REJECTED:
      return { kind: 'fail', reason: withSaid("The seller's A2A agent rejected the job", said) };
    default:
      break;
  }
  switch (jobStatusOf(state)) {
    case 'pending':
    case 'in_progress':
    case 'revision_requested':
      return { kind: 'follow' };
    case 'completed':
    case 'resolved':
      return { kind: 'deliver' };
    case 'failed':
      return { kind: 'fail', reason: withSaid("The seller's A2A agent failed the job", said) };
    case 'cancelled':
    case 'expired':
      return { kind: 'fail', reason: withSaid("The seller's A2A agent canceled its task", said) };
    default:
      // An unspecified (or future) state says nothing yet: keep following until the deadline.
      return { kind: 'follow' };
  }
}

/** The text parts of a status message, joined: the seller's own words for what happened. */
export function statusText(message: Message | undefined): string {
  if (!message) return '';
  return message.parts
    .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
    .filter((text) => text.trim() !== '')
    .join('\n')
    .trim();
}

function withSaid(reason: string, said: string): string {
  return said === '' ? reason : `${reason}: ${said}`;
}
