import type { Candidate, CreatedTask, JobView, TaskView } from '@agentmarket/contracts';
import { budgetFields } from './task-events.ts';
import type { Task, TaskAttempt } from './task.entity.ts';

/** The assignment of a task: its current job's candidate, with every candidate as scored. */
export function assignmentOf(task: Task, attempts: TaskAttempt[]): TaskView['assignment'] {
  const current = attempts.find((attempt) => attempt.jobId === task.currentJobId);
  if (!current) return null;
  const chosen = task.candidates.find((candidate: Candidate) => candidate.service_id === current.serviceId);
  return { agent_id: current.agentId, service_id: current.serviceId, score: chosen?.score ?? 0, candidates: task.candidates };
}

/**
 * A task as one viewer may see it. Its poster, its hired worker and admins
 * (`party`) see everything; anyone else sees a bidding task's terms only:
 * no inputs, job, assignment or attempts.
 */
export function toTaskView(task: Task, attempts: TaskAttempt[], job: JobView | null, viewer: 'party' | 'public' = 'party'): TaskView {
  const party = viewer === 'party';
  return {
    task_id: task.id,
    client_agent_id: task.clientAgentId ?? null,
    client_user_id: task.clientUserId ?? null,
    title: task.title,
    description: task.description,
    mode: task.mode as TaskView['mode'],
    status: task.status as TaskView['status'],
    complexity: task.complexity,
    capabilities_required: task.capabilitiesRequired,
    currency: task.currency as TaskView['currency'],
    ...budgetFields(task),
    closes_at: task.closesAt?.toISOString() ?? null,
    auto_accept: task.autoAccept,
    bid_count: task.bidCount,
    input_data: party ? task.inputData : null,
    job: party ? job : null,
    assignment: party ? assignmentOf(task, attempts) : null,
    attempts: party
      ? attempts
          .toSorted((a, b) => a.attempt - b.attempt)
          .map((attempt) => ({ job_id: attempt.jobId, service_id: attempt.serviceId, agent_id: attempt.agentId, at: attempt.createdAt.toISOString() }))
      : [],
    created_at: task.createdAt.toISOString(),
  };
}

/** The answer to POST /api/tasks. */
export function toCreatedTask(task: Task, job: JobView | null, assignment: TaskView['assignment']): CreatedTask {
  return { task_id: task.id, status: task.status as CreatedTask['status'], mode: task.mode as CreatedTask['mode'], closes_at: task.closesAt?.toISOString() ?? null, job, assignment };
}
