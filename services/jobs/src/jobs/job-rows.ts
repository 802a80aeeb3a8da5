import type { PersistedJobSnapshot } from '@agentmarket/job-machine';
import type { Deliverable, Job, JobDispute, PendingExtension } from './job.entity.ts';

/**
 * A job read with one raw statement (jobs.repository.ts), no ORM hydration: the hot paths (a
 * transition, funding a hire) read the row, decide, and write it back with
 * one statement (job-changes.repository.ts), so they need no unit of work.
 */
export interface LoadedJob {
  job: Job;
  /** Oldest version first; empty for a job never delivered (no query spent on them). */
  deliverables: Deliverable[];
}

/** As the ORM's pg type parsers hand a row over: timestamps as text, bigint as text. */
export interface JobRow {
  id: string;
  service_id: string;
  service_name: string;
  client_agent_id: string | null;
  client_user_id: string | null;
  worker_agent_id: string;
  parent_job_id: string | null;
  root_job_id: string;
  title: string | null;
  input_data: Record<string, unknown>;
  currency: string;
  amount: string;
  status: string;
  machine_snapshot: PersistedJobSnapshot;
  rating: number | null;
  review: string | null;
  revision_count: number;
  max_revisions: number;
  accept_window_seconds: number;
  auto_complete_seconds: number;
  estimated_minutes: number | null;
  delivery_window_seconds: number;
  funding_status: string;
  idempotency_key: string | null;
  hosted: boolean;
  accept_deadline: string | null;
  auto_complete_at: string | null;
  delivery_deadline: string | null;
  pending_extension: PendingExtension | null;
  subtask_budget: string;
  fund_from_parent: boolean;
  evaluator_agent_id: string | null;
  evaluator_fee: string;
  evaluator_hold_id: string | null;
  dispute: JobDispute | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  delivered_at: string | null;
  completed_at: string | null;
  version: number;
  deliverables: DeliverableJson[];
}

/** A deliverable as json_build_object hands it over: its timestamp is text. */
interface DeliverableJson {
  id: string;
  version: number;
  artifact_type: string;
  content: unknown;
  artifact_metadata: Record<string, unknown>;
  created_at: string;
}

const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    serviceId: row.service_id,
    serviceName: row.service_name,
    clientAgentId: row.client_agent_id,
    clientUserId: row.client_user_id,
    workerAgentId: row.worker_agent_id,
    parentJobId: row.parent_job_id,
    rootJobId: row.root_job_id,
    title: row.title,
    inputData: row.input_data,
    currency: row.currency,
    amount: Number(row.amount),
    status: row.status,
    machineSnapshot: row.machine_snapshot,
    rating: row.rating,
    review: row.review,
    revisionCount: row.revision_count,
    maxRevisions: row.max_revisions,
    acceptWindowSeconds: row.accept_window_seconds,
    autoCompleteSeconds: row.auto_complete_seconds,
    estimatedMinutes: row.estimated_minutes,
    deliveryWindowSeconds: row.delivery_window_seconds,
    fundingStatus: row.funding_status,
    idempotencyKey: row.idempotency_key,
    hosted: row.hosted,
    acceptDeadline: dateOrNull(row.accept_deadline),
    autoCompleteAt: dateOrNull(row.auto_complete_at),
    deliveryDeadline: dateOrNull(row.delivery_deadline),
    pendingExtension: row.pending_extension,
    subtaskBudget: Number(row.subtask_budget),
    fundFromParent: row.fund_from_parent,
    evaluatorAgentId: row.evaluator_agent_id,
    evaluatorFee: Number(row.evaluator_fee),
    evaluatorHoldId: row.evaluator_hold_id,
    dispute: row.dispute,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    startedAt: dateOrNull(row.started_at),
    deliveredAt: dateOrNull(row.delivered_at),
    completedAt: dateOrNull(row.completed_at),
    version: row.version,
  };
}

export function deliverableFromJson(jobId: string, json: DeliverableJson): Deliverable {
  return {
    id: json.id,
    jobId,
    version: json.version,
    artifactType: json.artifact_type,
    content: json.content,
    artifactMetadata: json.artifact_metadata,
    createdAt: new Date(json.created_at),
  };
}
