import { and, assign, not, or, setup } from 'xstate';
import type { EventType, JobStatus } from '@agentmarket/contracts';
import type { JobMachineContext, JobMachineEvent, JobRole } from './types.ts';

/** Statuses a job never leaves; they are the machine's final states. */
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = Object.freeze([
  'completed',
  'cancelled',
  'failed',
  'expired',
  'resolved',
]);

/** Why the machine refused an event although the sender's role was right. */
export type JobMachineRefusal =
  | 'evaluator_decides'
  | 'revision_limit_reached'
  | 'delivery_deadline_not_passed'
  | 'extension_already_pending'
  | 'no_pending_extension'
  | 'dispute_already_answered'
  | 'no_pending_proposal';

/** Parameters of the marker actions the caller reads from `transition()`. */
export interface JobMachineMarkers {
  emitJobEvent: { eventType: EventType };
  refuse: { reason: JobMachineRefusal };
}

const sentBy = (role: JobRole) => ({ type: 'sentBy', params: { role } }) as const;
/** The client's own verdicts (complete, request a revision) on a job whose hire named an evaluator: refused, saying why. */
const clientLockedOut = { guard: and([sentBy('client'), 'hasEvaluator']), actions: { type: 'refuse', params: { reason: 'evaluator_decides' } } } as const;
const announce = (eventType: EventType) => ({ type: 'emitJobEvent', params: { eventType } }) as const;

/**
 * A started job the worker has not delivered by its delivery deadline may be
 * cancelled by its client (escrow refunded), so a client's money is never
 * locked for good; before the deadline the refusal says why.
 */
const cancelPastDeliveryDeadline = [
  { guard: and([sentBy('client'), 'deliveryDeadlinePassed']), target: 'cancelled', actions: announce('job_cancelled') },
  { guard: sentBy('client'), actions: { type: 'refuse', params: { reason: 'delivery_deadline_not_passed' } } },
] as const;

/**
 * Deadline extensions of a started, undelivered job: the worker asks (one
 * request at a time), the client grants or declines the pending one. Each
 * keeps the status (a self-transition that still announces its event); the
 * jobs service moves the deadline on a grant.
 */
const answerExtension = (eventType: EventType) =>
  [
    { guard: and([sentBy('client'), 'extensionPending']), actions: announce(eventType) },
    { guard: sentBy('client'), actions: { type: 'refuse', params: { reason: 'no_pending_extension' } } },
  ] as const;
const extensionSteps = {
  request_extension: [
    { guard: and([sentBy('worker'), not('extensionPending')]), actions: announce('extension_requested') },
    { guard: sentBy('worker'), actions: { type: 'refuse', params: { reason: 'extension_already_pending' } } },
  ],
  grant_extension: answerExtension('extension_granted'),
  decline_extension: answerExtension('extension_declined'),
} as const;

const refuse = (reason: JobMachineRefusal) => ({ type: 'refuse', params: { reason } }) as const;

/**
 * The dispute ladder, before an admin has to decide. The worker answers once:
 * accepting a refund ends the job (resolved, nothing to the worker); a split
 * proposal or a contest keeps it disputed (a self-transition that announces
 * the answer). The client may accept a pending proposal (resolved at its
 * share). Unanswered when the response window passes, the client is refunded
 * (resolved, nothing to the worker). An admin's `resolve` ends any of them.
 */
const disputeSteps = {
  respond_dispute: [
    { guard: and([sentBy('worker'), 'disputeAnswered']), actions: refuse('dispute_already_answered') },
    { guard: and([sentBy('worker'), 'refundAccepted']), target: 'resolved', actions: announce('job_resolved') },
    { guard: sentBy('worker'), actions: announce('dispute_responded') },
  ],
  accept_proposal: [
    { guard: and([sentBy('client'), 'proposalPending']), target: 'resolved', actions: announce('job_resolved') },
    { guard: sentBy('client'), actions: refuse('no_pending_proposal') },
  ],
  dispute_timeout: [
    { guard: and([sentBy('system'), not('disputeAnswered')]), target: 'resolved', actions: announce('job_resolved') },
    { guard: sentBy('system'), actions: refuse('dispute_already_answered') },
  ],
} as const;

/**
 * The job lifecycle. Pure: it is only ever stepped with xstate's
 * `transition()`, which returns the actions instead of running them, so the
 * named actions below are markers read by the caller (see transition.ts).
 */
export const jobMachine = setup({
  types: {
    context: {} as JobMachineContext,
    events: {} as JobMachineEvent,
    input: {} as { maxRevisions: number },
  },
  guards: {
    sentBy: ({ event }, params: { role: JobRole }) => event.role === params.role,
    hasRevisionsLeft: ({ context }) => context.revisionCount < context.maxRevisions,
    deliveryDeadlinePassed: ({ event }) => event.deliveryDeadlinePassed === true,
    extensionPending: ({ event }) => event.extensionPending === true,
    disputeAnswered: ({ event }) => event.disputeAnswered === true,
    proposalPending: ({ event }) => event.proposalPending === true,
    refundAccepted: ({ event }) => event.refundAccepted === true,
    hasEvaluator: ({ event }) => event.hasEvaluator === true,
  },
  actions: {
    /** The domain event the transition publishes (one per accepted transition). */
    emitJobEvent: (_args, _params: JobMachineMarkers['emitJobEvent']) => {},
    /** A refusal the caller must tell apart from "not possible in this state". */
    refuse: (_args, _params: JobMachineMarkers['refuse']) => {},
    countRevision: assign({ revisionCount: ({ context }) => context.revisionCount + 1 }),
  },
}).createMachine({
  id: 'job',
  context: ({ input }) => ({ revisionCount: 0, maxRevisions: input.maxRevisions }),
  initial: 'pending',
  states: {
    pending: {
      on: {
        start: { guard: sentBy('worker'), target: 'in_progress', actions: announce('job_started') },
        cancel: { guard: sentBy('client'), target: 'cancelled', actions: announce('job_cancelled') },
        expire: { guard: sentBy('system'), target: 'expired', actions: announce('job_expired') },
      },
    },
    in_progress: {
      on: {
        deliver: { guard: sentBy('worker'), target: 'delivered', actions: announce('job_delivered') },
        fail: { guard: sentBy('worker'), target: 'failed', actions: announce('job_failed') },
        cancel: cancelPastDeliveryDeadline,
        ...extensionSteps,
      },
    },
    delivered: {
      on: {
        request_revision: [
          // A job with an evaluator is judged by it: the client hears why it may not.
          clientLockedOut,
          {
            guard: and([or([sentBy('client'), sentBy('evaluator')]), 'hasRevisionsLeft']),
            target: 'revision_requested',
            actions: ['countRevision', announce('revision_requested')],
          },
          // Stays put, but says why, so the client hears "limit reached" rather than "invalid".
          { guard: or([sentBy('client'), sentBy('evaluator')]), actions: { type: 'refuse', params: { reason: 'revision_limit_reached' } } },
        ],
        complete: [
          clientLockedOut,
          { guard: or([sentBy('client'), sentBy('evaluator')]), target: 'completed', actions: announce('job_completed') },
        ],
        // The evaluator's third verdict: the delivery fails (refund to the client, a failure on the worker's record).
        reject: { guard: sentBy('evaluator'), target: 'failed', actions: announce('job_failed') },
        auto_complete: { guard: sentBy('system'), target: 'completed', actions: announce('job_completed') },
        dispute: { guard: sentBy('client'), target: 'disputed', actions: announce('job_disputed') },
      },
    },
    revision_requested: {
      on: {
        deliver: { guard: sentBy('worker'), target: 'delivered', actions: announce('job_delivered') },
        fail: { guard: sentBy('worker'), target: 'failed', actions: announce('job_failed') },
        cancel: cancelPastDeliveryDeadline,
        ...extensionSteps,
      },
    },
    disputed: {
      on: {
        resolve: { guard: sentBy('admin'), target: 'resolved', actions: announce('job_resolved') },
        ...disputeSteps,
      },
    },
    completed: { type: 'final' },
    cancelled: { type: 'final' },
    failed: { type: 'final' },
    expired: { type: 'final' },
    resolved: { type: 'final' },
  },
});
