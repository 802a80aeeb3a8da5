/**
 * A job as an A2A task, and its deliverables as artifacts: the one
 * conversion, used by the gateway's A2A endpoint and by webhooks' A2A push
 * notifications.
 */
import { Role, type Artifact, type Message, type Part, type Task } from '@a2a-js/sdk';
import type { DeliverableView, JobView } from './jobs.ts';
import { taskStateOf } from './a2a-task-states.ts';

const part = (content: Part['content']): Part => ({ content, metadata: undefined, filename: '', mediaType: '' });

export const textPart = (text: string): Part => part({ $case: 'text', value: text });
export const dataPart = (value: unknown): Part => ({ ...part({ $case: 'data', value }), mediaType: 'application/json' });

/**
 * A task groups with the other jobs of its tree: its context is the tree's
 * root job (a top-level job is its own context), so a job, its sub-jobs and
 * theirs share one contextId. A job event older than root_job_id names only
 * the parent, the root of all but grandchildren.
 */
export function contextIdOf(job: { id: string; parent_job_id?: string | null; root_job_id?: string | null }): string {
  return job.root_job_id ?? job.parent_job_id ?? job.id;
}

/** One deliverable version as an A2A artifact: text content as a text part, anything else as a data part. */
export function artifactOf(deliverable: DeliverableView): Artifact {
  const content = deliverable.content;
  return {
    artifactId: deliverable.id,
    name: `deliverable v${deliverable.version}`,
    description: deliverable.artifact_type,
    parts: [typeof content === 'string' ? textPart(content) : dataPart(content)],
    metadata: { version: deliverable.version, artifact_type: deliverable.artifact_type, ...deliverable.artifact_metadata },
    extensions: [],
  };
}

function statusMessage(job: JobView): Message {
  return {
    messageId: `${job.id}:${job.status}:${job.updated_at}`,
    contextId: contextIdOf(job),
    taskId: job.id,
    role: Role.ROLE_AGENT,
    parts: [textPart(`Job ${job.status}`)],
    metadata: { job_status: job.status },
    extensions: [],
    referenceTaskIds: [],
  };
}

/** The job as an A2A task: id = job id, deliverables as artifacts, the whole job in metadata. */
export function taskOf(job: JobView): Task {
  const { deliverables: _inArtifacts, ...summary } = job;
  return {
    id: job.id,
    contextId: contextIdOf(job),
    status: { state: taskStateOf(job.status), message: statusMessage(job), timestamp: job.updated_at },
    artifacts: job.deliverables.map(artifactOf),
    history: [],
    metadata: { job: summary },
  };
}
