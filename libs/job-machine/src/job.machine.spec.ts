import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { JOB_STATUSES, type JobStatus } from '@agentmarket/contracts';
import { EVENT_ROLES } from './event-roles.ts';
import { ALL_ROLES, EXPECTED_EDGES, EXPECTED_EVENTS, EXPECTED_STATUSES, EXPECTED_TERMINAL } from './expected-lifecycle.ts';
import { jobMachine, TERMINAL_JOB_STATUSES } from './job.machine.ts';
import { JOB_MACHINE_EVENTS, type JobMachineEventType, type JobRole } from './types.ts';

const machineStatuses = Object.keys(jobMachine.states) as JobStatus[];
const sorted = <T extends string>(values: readonly T[]): T[] => [...values].sort();

/** Whether the machine itself (no EVENT_ROLES in the way) reacts to the event in any state, with or without revisions left. */
function machineReacts(event: JobMachineEventType, role: JobRole): boolean {
  return machineStatuses.some((status) =>
    [
      { revisionCount: 0, maxRevisions: 1 },
      { revisionCount: 1, maxRevisions: 1 },
    ].some((context) => {
      const before = jobMachine.resolveState({ value: status, context });
      const [after, actions] = transition(jobMachine, before, { type: event, role });
      return actions.length > 0 || after.value !== status;
    }),
  );
}

describe('job machine', () => {
  it('has exactly the job statuses of the contracts as its states', () => {
    expect(sorted(machineStatuses)).toEqual(sorted(JOB_STATUSES));
    expect(sorted(machineStatuses)).toEqual(sorted(EXPECTED_STATUSES));
  });

  it('makes exactly the terminal statuses final', () => {
    const finals = machineStatuses.filter((status) => jobMachine.states[status]?.type === 'final');
    expect(sorted(finals)).toEqual(sorted(EXPECTED_TERMINAL));
    expect(sorted(TERMINAL_JOB_STATUSES)).toEqual(sorted(EXPECTED_TERMINAL));
  });

  it('lists the events of the table', () => {
    expect(JOB_MACHINE_EVENTS).toEqual(EXPECTED_EVENTS);
  });

  it('declares a transition only where the table has an edge', () => {
    for (const status of machineStatuses) {
      const declared = jobMachine.states[status]?.ownEvents ?? [];
      const expected = EXPECTED_EDGES.filter((edge) => edge.from === status).map((edge) => edge.event);
      expect(sorted(declared), status).toEqual(sorted([...new Set(expected)]));
    }
  });

  it('starts pending with no revision used', () => {
    const initial = jobMachine.resolveState({ value: 'pending', context: { revisionCount: 0, maxRevisions: 3 } });
    expect(initial.value).toBe('pending');
    expect(initial.status).toBe('active');
  });
});

describe('EVENT_ROLES', () => {
  it('matches the roles the machine guards accept, event by event', () => {
    for (const event of JOB_MACHINE_EVENTS) {
      for (const role of ALL_ROLES) {
        expect(machineReacts(event, role), `${event} sent by ${role}`).toBe(EVENT_ROLES[event].includes(role));
      }
    }
  });

  it('matches the hand-written table', () => {
    for (const event of EXPECTED_EVENTS) {
      const roles = [...new Set(EXPECTED_EDGES.filter((edge) => edge.event === event).map((edge) => edge.role))];
      expect(sorted(EVENT_ROLES[event]), event).toEqual(sorted(roles));
    }
  });
});
