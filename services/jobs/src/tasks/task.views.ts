import type { Candidate, JobView, TaskView } from '@agentmarket/contracts';
import type { Task, TaskAttempt } from './task.entity.ts';

/** The assignment of a task: its current job's candidate, with every candidate as scored. */
export function assignmentOf(task: Task, attempts: TaskAttempt[]): TaskView['assignment'] {
  const current = attempts.find((attempt) => attempt.jobId === task.currentJobId);
  if (!current) return null;
  const chosen = task.candidates.find((candidate: Candidate) => candidate.service_id === current.serviceId);
  return { agent_id: current.agentId, service_id: current.serviceId, score: chosen?.score ?? 0, candidates: task.candidates };
}

export function toTaskView(task: Task, attempts: TaskAttempt[], job: JobView | null): TaskView {
  return {
    task_id: task.id,
    title: task.title,
    status: task.status as TaskView['status'],
    complexity: task.complexity,
    capabilities_required: task.capabilitiesRequired,
    job,
    assignment: assignmentOf(task, attempts),
    attempts: attempts
      .toSorted((a, b) => a.attempt - b.attempt)
      .map((attempt) => ({ job_id: attempt.jobId, service_id: attempt.serviceId, agent_id: attempt.agentId, at: attempt.createdAt.toISOString() })),
    created_at: task.createdAt.toISOString(),
  };
}
