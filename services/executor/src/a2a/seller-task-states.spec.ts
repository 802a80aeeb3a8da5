import { Role, TaskState, type TaskStatus } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { sellerStep } from './seller-task-states.ts';

const status = (state: TaskState, words?: string): TaskStatus => ({
  state,
  message: words
    ? { messageId: 'm', contextId: '', taskId: '', role: Role.ROLE_AGENT, parts: [{ content: { $case: 'text', value: words }, metadata: undefined, filename: '', mediaType: '' }], metadata: undefined, extensions: [], referenceTaskIds: [] }
    : undefined,
  timestamp: undefined,
});

describe('sellerStep: a seller task state read as a job step', () => {
  it('follows a submitted or working task (the job is started)', () => {
    expect(sellerStep(status(TaskState.TASK_STATE_SUBMITTED))).toEqual({ kind: 'follow' });
    expect(sellerStep(status(TaskState.TASK_STATE_WORKING))).toEqual({ kind: 'follow' });
    expect(sellerStep(undefined)).toEqual({ kind: 'follow' });
  });

  it('delivers a completed task', () => {
    expect(sellerStep(status(TaskState.TASK_STATE_COMPLETED))).toEqual({ kind: 'deliver' });
  });

  it('fails the job with the seller’s own words when the task fails or is rejected', () => {
    expect(sellerStep(status(TaskState.TASK_STATE_FAILED, 'out of ink'))).toEqual({ kind: 'fail', reason: "The seller's A2A agent failed the job: out of ink" });
    expect(sellerStep(status(TaskState.TASK_STATE_REJECTED, 'not my topic'))).toEqual({ kind: 'fail', reason: "The seller's A2A agent rejected the job: not my topic" });
    expect(sellerStep(status(TaskState.TASK_STATE_FAILED))).toEqual({ kind: 'fail', reason: "The seller's A2A agent failed the job" });
  });

  it('fails a canceled task, and one that asks for input or authentication (not supported yet)', () => {
    expect(sellerStep(status(TaskState.TASK_STATE_CANCELED))).toMatchObject({ kind: 'fail', reason: expect.stringContaining('canceled') });
    expect(sellerStep(status(TaskState.TASK_STATE_INPUT_REQUIRED, 'which sea?'))).toEqual({
      kind: 'fail',
      reason: "The seller's A2A agent asked for more input, which the market cannot give yet: which sea?",
    });
    expect(sellerStep(status(TaskState.TASK_STATE_AUTH_REQUIRED))).toMatchObject({ kind: 'fail', reason: expect.stringContaining('authentication') });
  });
});
