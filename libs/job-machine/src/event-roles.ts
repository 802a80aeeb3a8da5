import type { JobMachineEventType, JobRole } from './types.ts';

/**
 * Which roles may ever send each event, whatever the state. The machine's
 * guards decide on their own; this table only lets transitionJob answer
 * `forbidden` rather than `invalid_transition` (a spec keeps the two equal).
 */
export const EVENT_ROLES: Record<JobMachineEventType, readonly JobRole[]> = Object.freeze({
  start: ['worker'],
  deliver: ['worker'],
  request_revision: ['client', 'evaluator'],
  complete: ['client', 'evaluator'],
  auto_complete: ['system'],
  cancel: ['client'],
  fail: ['worker'],
  expire: ['system'],
  dispute: ['client'],
  resolve: ['admin'],
  request_extension: ['worker'],
  grant_extension: ['client'],
  decline_extension: ['client'],
  respond_dispute: ['worker'],
  accept_proposal: ['client'],
  dispute_timeout: ['system'],
  reject: ['evaluator'],
});
