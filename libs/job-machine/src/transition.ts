import { transition } from 'xstate';
import type { EventType } from '@agentmarket/contracts';
import { EVENT_ROLES } from './event-roles.ts';
import { jobMachine, type JobMachineMarkers } from './job.machine.ts';
import { toMachineSnapshot, toPersisted } from './snapshot.ts';
import {
  JOB_MACHINE_EVENTS,
  type JobCircumstances,
  type JobMachineEvent,
  type JobMachineEventType,
  type JobRole,
  type JobTransitionResult,
  type PersistedJobSnapshot,
} from './types.ts';

/** Outcomes already computed, by everything they depend on; the machine's inputs are few, so this stays small. */
const outcomes = new Map<string, JobTransitionResult>();
const MAX_OUTCOMES = 4096;

/**
 * Pure: never mutates its input. Role is checked first (forbidden), then the state (invalid_transition), then the revision cap, the delivery deadline, the pending extension or the dispute's answer.
 * Being pure, each outcome is computed by the machine once and then remembered (xstate takes tens of microseconds per transition); each caller gets its own copy.
 */
export function transitionJob(snapshot: PersistedJobSnapshot, event: JobMachineEvent): JobTransitionResult {
  const key = outcomeKey(snapshot, event);
  let outcome = outcomes.get(key);
  if (!outcome) {
    outcome = computeTransition(snapshot, event);
    if (outcomes.size >= MAX_OUTCOMES) outcomes.clear();
    outcomes.set(key, outcome);
  }
  return outcome.ok ? { ok: true, snapshot: { ...outcome.snapshot, context: { ...outcome.snapshot.context } }, emitted: [...outcome.emitted] } : { ...outcome };
}

function outcomeKey(snapshot: PersistedJobSnapshot, event: JobMachineEvent): string {
  const flags = [event.deliveryDeadlinePassed, event.extensionPending, event.disputeAnswered, event.proposalPending, event.refundAccepted, event.hasEvaluator]
    .map((flag) => (flag === true ? '1' : '0'))
    .join('');
  const { machineVersion, status, context } = snapshot;
  return `${machineVersion}|${status}|${context.revisionCount}|${context.maxRevisions}|${event.type}|${event.role}|${flags}`;
}

function computeTransition(snapshot: PersistedJobSnapshot, event: JobMachineEvent): JobTransitionResult {
  const from = snapshot.status;
  if (!Object.hasOwn(EVENT_ROLES, event.type)) throw new Error(`Unknown job event ${JSON.stringify(event.type)}`);
  if (!EVENT_ROLES[event.type].includes(event.role)) return { ok: false, reason: 'forbidden', from, event: event.type };

  const [next, actions] = transition(jobMachine, toMachineSnapshot(snapshot), {
    type: event.type,
    role: event.role,
    deliveryDeadlinePassed: event.deliveryDeadlinePassed === true,
    extensionPending: event.extensionPending === true,
    disputeAnswered: event.disputeAnswered === true,
    proposalPending: event.proposalPending === true,
    refundAccepted: event.refundAccepted === true,
    hasEvaluator: event.hasEvaluator === true,
  });
  const emitted: EventType[] = [];
  for (const action of actions) {
    if (isMarker(action, 'refuse')) return { ok: false, reason: action.params.reason, from, event: event.type };
    if (isMarker(action, 'emitJobEvent')) emitted.push(action.params.eventType);
  }
  // No transition was enabled: the machine hands back the state it was given, with no actions.
  if (emitted.length === 0 && next.value === from) return { ok: false, reason: 'invalid_transition', from, event: event.type };
  return { ok: true, snapshot: toPersisted(next), emitted };
}

/** The events `role` could send now with success, given what the caller knows beside the snapshot (the delivery deadline, a pending extension, the dispute's answer). */
export function acceptedEvents(snapshot: PersistedJobSnapshot, role: JobRole, circumstances: JobCircumstances = {}): JobMachineEventType[] {
  return JOB_MACHINE_EVENTS.filter((type) => transitionJob(snapshot, { ...circumstances, type, role }).ok);
}

// xstate types an executable action's params as the union over all named actions; the type names the one.
function isMarker<K extends keyof JobMachineMarkers>(
  action: { type: string; params: unknown },
  type: K,
): action is { type: K; params: JobMachineMarkers[K] } {
  return action.type === type;
}
