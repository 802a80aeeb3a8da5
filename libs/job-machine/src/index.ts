export {
  JOB_MACHINE_VERSION,
  JOB_MACHINE_EVENTS,
  type JobRole,
  type JobMachineEventType,
  type JobMachineEvent,
  type JobCircumstances,
  type JobMachineContext,
  type PersistedJobSnapshot,
  type JobRejectionReason,
  type JobTransitionResult,
} from './types.ts';
export { EVENT_ROLES } from './event-roles.ts';
export { TERMINAL_JOB_STATUSES, jobMachine } from './job.machine.ts';
export { createJobSnapshot, migrateJobSnapshot } from './snapshot.ts';
export { transitionJob, acceptedEvents } from './transition.ts';
