import { amountText, priceFields, type Currency, type DeliverableView, type JobStatus, type JobTransitionRecord, type JobTreeNode, type JobView } from '@agentmarket/contracts';
import type { Deliverable, Job, JobTransition } from './job.entity.ts';
import { toDisputeView } from './dispute-view.ts';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function toDeliverableView(deliverable: Deliverable): DeliverableView {
  return {
    id: deliverable.id,
    version: deliverable.version,
    artifact_type: deliverable.artifactType,
    content: deliverable.content,
    artifact_metadata: deliverable.artifactMetadata,
    created_at: deliverable.createdAt.toISOString(),
  };
}

/** Everything of a job but its inputs and deliverables: what a tree node shows. */
export function toJobSummary(job: Job): JobTreeNode['job'] {
  return {
    id: job.id,
    service_id: job.serviceId,
    client_agent_id: job.clientAgentId ?? null,
    client_user_id: job.clientUserId ?? null,
    worker_agent_id: job.workerAgentId,
    parent_job_id: job.parentJobId ?? null,
    root_job_id: job.rootJobId,
    title: job.title ?? null,
    currency: job.currency as Currency,
    ...priceFields({ currency: job.currency as Currency, amount: job.amount }),
    status: job.status as JobStatus,
    rating: job.rating ?? null,
    review: job.review ?? null,
    revision_count: job.revisionCount,
    max_revisions: job.maxRevisions,
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    started_at: iso(job.startedAt),
    delivered_at: iso(job.deliveredAt),
    completed_at: iso(job.completedAt),
    accept_deadline: iso(job.acceptDeadline),
    auto_complete_at: iso(job.autoCompleteAt),
    delivery_deadline: iso(job.deliveryDeadline),
    pending_extension: job.pendingExtension ?? null,
    subtask_budget: job.subtaskBudget > 0 ? amountText(job.currency as Currency, job.subtaskBudget) : null,
    fund_from_parent: job.fundFromParent,
    evaluator_agent_id: job.evaluatorAgentId ?? null,
    evaluator_fee: job.evaluatorAgentId ? amountText(job.currency as Currency, job.evaluatorFee) : null,
    dispute: toDisputeView(job),
  };
}

/** The whole job as its parties see it; deliverables oldest version first. */
export function toJobView(job: Job, deliverables: Deliverable[]): JobView {
  return {
    ...toJobSummary(job),
    input_data: job.inputData,
    deliverables: deliverables.toSorted((a, b) => a.version - b.version).map(toDeliverableView),
  };
}

export function toTransitionRecord(transition: JobTransition): JobTransitionRecord {
  return {
    id: transition.id,
    from: (transition.fromStatus ?? null) as JobStatus | null,
    to: transition.toStatus as JobStatus,
    event: transition.event,
    actor: { type: transition.actorType as 'agent' | 'user' | 'system', id: transition.actorId ?? null },
    at: transition.at.toISOString(),
    details: transition.details,
  };
}
