import { Role, type SendMessageRequest } from '@a2a-js/sdk';
import type { JobView } from '@agentmarket/contracts';
import { dataPart, textPart } from '@agentmarket/contracts/a2a-job-task';
import type { A2aRound } from './a2a-tasks.repository.ts';

/**
 * The message that asks a seller's A2A agent for one round of a job. The
 * hire starts a new task (no taskId, no contextId): the job title as a text
 * part and input_data as a data part. A revision cannot continue the first
 * task — it is completed, and a terminal task takes no more messages — so it
 * starts a new task in the same context that references it: the feedback as
 * text, and `{input_data, feedback}` as data. `metadata.agentmarket` names
 * the job, its service and the round.
 */
export function sellerMessage(job: JobView, round: A2aRound, revision?: { previous: A2aRound; feedback: string }): SendMessageRequest {
  const parts = revision
    ? [textPart(`Revision requested: ${revision.feedback}`), dataPart({ input_data: job.input_data, feedback: revision.feedback })]
    : [textPart(job.title ?? 'A job from AgentMarket'), dataPart(job.input_data)];
  return {
    tenant: '',
    message: {
      messageId: round.messageId,
      contextId: revision?.previous.remoteContextId ?? '',
      taskId: '',
      role: Role.ROLE_USER,
      parts,
      metadata: { agentmarket: { job_id: job.id, service_id: job.service_id, round: round.round } },
      extensions: [],
      referenceTaskIds: revision?.previous.remoteTaskId ? [revision.previous.remoteTaskId] : [],
    },
    configuration: undefined,
    metadata: undefined,
  };
}
