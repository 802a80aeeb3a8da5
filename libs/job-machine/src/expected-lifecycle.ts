import type { EventType, JobStatus } from '@agentmarket/contracts';
import type { JobCircumstances, JobMachineEventType, JobRole, JobTransitionResult, PersistedJobSnapshot } from './types.ts';

// Test-only: the lifecycle written out by hand from API.md, so the specs judge
// the machine against an independent statement of it. The library never imports this.

export interface ExpectedEdge {
  event: JobMachineEventType;
  role: JobRole;
  from: JobStatus;
  to: JobStatus;
  emits: EventType;
  /** Taken only once the job's delivery deadline has passed (refused before with delivery_deadline_not_passed). */
  pastDeliveryDeadline?: true;
  /** A deadline extension step: a request is refused while one is pending (extension_already_pending), an answer when none is (no_pending_extension). */
  extension?: 'request' | 'answer';
  /**
   * A dispute ladder step: the worker's answer (refused once answered,
   * dispute_already_answered; `answer_refund` is the one taken when it accepts
   * a refund, `answer` otherwise), the client's acceptance (refused with no
   * proposal pending, no_pending_proposal), the response window (refused once
   * answered).
   */
  dispute?: 'answer' | 'answer_refund' | 'accept_proposal' | 'timeout';
  /** A client's verdict that the job's evaluator gives instead: refused with evaluator_decides when the hire named one. */
  evaluatorDecides?: true;
}

export const EXPECTED_EDGES: readonly ExpectedEdge[] = [
  { event: 'start', role: 'worker', from: 'pending', to: 'in_progress', emits: 'job_started' },
  { event: 'deliver', role: 'worker', from: 'in_progress', to: 'delivered', emits: 'job_delivered' },
  { event: 'deliver', role: 'worker', from: 'revision_requested', to: 'delivered', emits: 'job_delivered' },
  { event: 'request_revision', role: 'client', from: 'delivered', to: 'revision_requested', emits: 'revision_requested', evaluatorDecides: true },
  { event: 'request_revision', role: 'evaluator', from: 'delivered', to: 'revision_requested', emits: 'revision_requested' },
  { event: 'complete', role: 'client', from: 'delivered', to: 'completed', emits: 'job_completed', evaluatorDecides: true },
  { event: 'complete', role: 'evaluator', from: 'delivered', to: 'completed', emits: 'job_completed' },
  { event: 'reject', role: 'evaluator', from: 'delivered', to: 'failed', emits: 'job_failed' },
  { event: 'auto_complete', role: 'system', from: 'delivered', to: 'completed', emits: 'job_completed' },
  { event: 'cancel', role: 'client', from: 'pending', to: 'cancelled', emits: 'job_cancelled' },
  { event: 'cancel', role: 'client', from: 'in_progress', to: 'cancelled', emits: 'job_cancelled', pastDeliveryDeadline: true },
  { event: 'cancel', role: 'client', from: 'revision_requested', to: 'cancelled', emits: 'job_cancelled', pastDeliveryDeadline: true },
  { event: 'fail', role: 'worker', from: 'in_progress', to: 'failed', emits: 'job_failed' },
  { event: 'fail', role: 'worker', from: 'revision_requested', to: 'failed', emits: 'job_failed' },
  { event: 'expire', role: 'system', from: 'pending', to: 'expired', emits: 'job_expired' },
  { event: 'dispute', role: 'client', from: 'delivered', to: 'disputed', emits: 'job_disputed' },
  { event: 'resolve', role: 'admin', from: 'disputed', to: 'resolved', emits: 'job_resolved' },
  { event: 'request_extension', role: 'worker', from: 'in_progress', to: 'in_progress', emits: 'extension_requested', extension: 'request' },
  { event: 'request_extension', role: 'worker', from: 'revision_requested', to: 'revision_requested', emits: 'extension_requested', extension: 'request' },
  { event: 'grant_extension', role: 'client', from: 'in_progress', to: 'in_progress', emits: 'extension_granted', extension: 'answer' },
  { event: 'grant_extension', role: 'client', from: 'revision_requested', to: 'revision_requested', emits: 'extension_granted', extension: 'answer' },
  { event: 'decline_extension', role: 'client', from: 'in_progress', to: 'in_progress', emits: 'extension_declined', extension: 'answer' },
  { event: 'decline_extension', role: 'client', from: 'revision_requested', to: 'revision_requested', emits: 'extension_declined', extension: 'answer' },
  { event: 'respond_dispute', role: 'worker', from: 'disputed', to: 'disputed', emits: 'dispute_responded', dispute: 'answer' },
  { event: 'respond_dispute', role: 'worker', from: 'disputed', to: 'resolved', emits: 'job_resolved', dispute: 'answer_refund' },
  { event: 'accept_proposal', role: 'client', from: 'disputed', to: 'resolved', emits: 'job_resolved', dispute: 'accept_proposal' },
  { event: 'dispute_timeout', role: 'system', from: 'disputed', to: 'resolved', emits: 'job_resolved', dispute: 'timeout' },
];

export const EXPECTED_STATUSES: readonly JobStatus[] = [
  'pending',
  'in_progress',
  'delivered',
  'revision_requested',
  'completed',
  'cancelled',
  'failed',
  'expired',
  'disputed',
  'resolved',
];
export const EXPECTED_TERMINAL: readonly JobStatus[] = ['completed', 'cancelled', 'failed', 'expired', 'resolved'];
export const EXPECTED_EVENTS: readonly JobMachineEventType[] = [
  'start',
  'deliver',
  'request_revision',
  'complete',
  'auto_complete',
  'cancel',
  'fail',
  'expire',
  'dispute',
  'resolve',
  'request_extension',
  'grant_extension',
  'decline_extension',
  'respond_dispute',
  'accept_proposal',
  'dispute_timeout',
  'reject',
];
export const ALL_ROLES: readonly JobRole[] = ['client', 'worker', 'admin', 'system', 'evaluator'];

/** What transitionJob must answer, derived from EXPECTED_EDGES alone. */
export function expectedOutcome(
  snapshot: PersistedJobSnapshot,
  event: JobMachineEventType,
  role: JobRole,
  circumstances: JobCircumstances = {},
): JobTransitionResult {
  const {
    deliveryDeadlinePassed = false,
    extensionPending = false,
    disputeAnswered = false,
    proposalPending = false,
    refundAccepted = false,
    hasEvaluator = false,
  } = circumstances;
  const from = snapshot.status;
  const mayEverSend = EXPECTED_EDGES.some((edge) => edge.event === event && edge.role === role);
  if (!mayEverSend) return { ok: false, reason: 'forbidden', from, event };
  const edge = expectedEdge(event, from, refundAccepted, role);
  if (!edge) return { ok: false, reason: 'invalid_transition', from, event };
  if (edge.evaluatorDecides && hasEvaluator) return { ok: false, reason: 'evaluator_decides', from, event };
  const { revisionCount, maxRevisions } = snapshot.context;
  if (event === 'request_revision' && revisionCount >= maxRevisions) {
    return { ok: false, reason: 'revision_limit_reached', from, event };
  }
  if (edge.pastDeliveryDeadline && !deliveryDeadlinePassed) return { ok: false, reason: 'delivery_deadline_not_passed', from, event };
  if (edge.extension === 'request' && extensionPending) return { ok: false, reason: 'extension_already_pending', from, event };
  if (edge.extension === 'answer' && !extensionPending) return { ok: false, reason: 'no_pending_extension', from, event };
  const answersDispute = edge.dispute === 'answer' || edge.dispute === 'answer_refund' || edge.dispute === 'timeout';
  if (answersDispute && disputeAnswered) return { ok: false, reason: 'dispute_already_answered', from, event };
  if (edge.dispute === 'accept_proposal' && !proposalPending) return { ok: false, reason: 'no_pending_proposal', from, event };
  return {
    ok: true,
    snapshot: {
      machineVersion: 1,
      status: edge.to,
      context: { revisionCount: event === 'request_revision' ? revisionCount + 1 : revisionCount, maxRevisions },
    },
    emitted: [edge.emits],
  };
}

/** The edge `event` takes from `from`: the worker's answer has two, told apart by whether it accepts a refund. */
export function expectedEdge(event: JobMachineEventType, from: JobStatus, refundAccepted = false, role?: JobRole): ExpectedEdge | undefined {
  const candidates = EXPECTED_EDGES.filter((candidate) => candidate.event === event && candidate.from === from && (role === undefined || candidate.role === role));
  if (candidates.length <= 1) return candidates[0];
  return candidates.find((candidate) => (candidate.dispute === 'answer_refund') === refundAccepted);
}

/** Freezes a value and everything it holds, so any write throws (ES modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
