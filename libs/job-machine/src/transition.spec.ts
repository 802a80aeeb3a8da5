import { describe, expect, it } from 'vitest';
import type { JobStatus } from '@agentmarket/contracts';
import { ALL_ROLES, deepFreeze, EXPECTED_EDGES, EXPECTED_EVENTS, EXPECTED_STATUSES, expectedOutcome } from './expected-lifecycle.ts';
import { createJobSnapshot } from './snapshot.ts';
import { acceptedEvents, transitionJob } from './transition.ts';
import type { JobCircumstances, JobMachineContext, JobMachineEvent, JobTransitionResult, PersistedJobSnapshot } from './types.ts';

const at = (status: JobStatus, context: JobMachineContext): PersistedJobSnapshot => ({ machineVersion: 1, status, context });

/** Before and after the job's delivery deadline. */
const DEADLINE_PASSED = [false, true] as const;

const CIRCUMSTANCE_FLAGS = ['deliveryDeadlinePassed', 'extensionPending', 'disputeAnswered', 'proposalPending', 'refundAccepted', 'hasEvaluator'] as const;
/** Every combination of what the caller knows beside the snapshot: the deadline, a pending extension, the dispute's answer. */
const CIRCUMSTANCES: readonly JobCircumstances[] = CIRCUMSTANCE_FLAGS.reduce<JobCircumstances[]>(
  (combinations, flag) => combinations.flatMap((combination) => [{ ...combination, [flag]: false }, { ...combination, [flag]: true }]),
  [{}],
);

/** Revisions left, none left after some were used, and none allowed at all. */
const CONTEXTS: readonly JobMachineContext[] = [
  { revisionCount: 0, maxRevisions: 2 },
  { revisionCount: 2, maxRevisions: 2 },
  { revisionCount: 0, maxRevisions: 0 },
];

function run(snapshot: PersistedJobSnapshot, events: readonly JobMachineEvent[]): { snapshot: PersistedJobSnapshot; emitted: string[] } {
  let current = snapshot;
  const emitted: string[] = [];
  for (const event of events) {
    const result = transitionJob(current, event);
    if (!result.ok) throw new Error(`${event.type} by ${event.role} refused in ${current.status}: ${result.reason}`);
    current = result.snapshot;
    emitted.push(...result.emitted);
  }
  return { snapshot: current, emitted };
}

describe('transitionJob, every state × event × role', () => {
  describe.each(EXPECTED_STATUSES)('from %s', (status) => {
    it.each(EXPECTED_EVENTS)('%s', (event) => {
      for (const context of CONTEXTS) {
        for (const role of ALL_ROLES) {
          for (const circumstances of CIRCUMSTANCES) {
            const snapshot = at(status, context);
            expect(transitionJob(snapshot, { ...circumstances, type: event, role }), `${role}, ${JSON.stringify(context)}, ${JSON.stringify(circumstances)}`).toEqual(
              expectedOutcome(snapshot, event, role, circumstances),
            );
          }
        }
      }
    });
  });

  it('covers every outcome kind', () => {
    const reasons = new Set<string>();
    for (const status of EXPECTED_STATUSES)
      for (const event of EXPECTED_EVENTS)
        for (const role of ALL_ROLES)
          for (const context of CONTEXTS)
            for (const circumstances of CIRCUMSTANCES) {
              const result = transitionJob(at(status, context), { ...circumstances, type: event, role });
              reasons.add(result.ok ? 'ok' : result.reason);
            }
    expect([...reasons].sort()).toEqual([
      'delivery_deadline_not_passed',
      'dispute_already_answered',
      'evaluator_decides',
      'extension_already_pending',
      'forbidden',
      'invalid_transition',
      'no_pending_extension',
      'no_pending_proposal',
      'ok',
      'revision_limit_reached',
    ]);
  });

  it('checks the role before the state, and the state before the revision cap', () => {
    const exhausted = at('delivered', { revisionCount: 1, maxRevisions: 1 });
    expect(transitionJob(exhausted, { type: 'request_revision', role: 'worker' })).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(transitionJob(at('pending', { revisionCount: 1, maxRevisions: 1 }), { type: 'request_revision', role: 'client' })).toMatchObject({
      ok: false,
      reason: 'invalid_transition',
    });
    expect(transitionJob(at('completed', { revisionCount: 0, maxRevisions: 3 }), { type: 'start', role: 'client' })).toEqual({
      ok: false,
      reason: 'forbidden',
      from: 'completed',
      event: 'start',
    });
  });

  it('refuses an event type that does not exist', () => {
    const event = { type: 'teleport', role: 'admin' } as unknown as JobMachineEvent;
    expect(() => transitionJob(createJobSnapshot({ maxRevisions: 1 }), event)).toThrow(/Unknown job event "teleport"/);
  });

  it('refuses a snapshot of another machine version', () => {
    const stale = { ...createJobSnapshot({ maxRevisions: 1 }), machineVersion: 2 };
    expect(() => transitionJob(stale, { type: 'start', role: 'worker' })).toThrow(/migrateJobSnapshot/);
  });
});

describe('delivery deadline', () => {
  const cancel = (deliveryDeadlinePassed: boolean): JobMachineEvent => ({ type: 'cancel', role: 'client', deliveryDeadlinePassed });

  it.each(['in_progress', 'revision_requested'] as const)('lets the client cancel a job %s only once its delivery deadline has passed', (status) => {
    const started = at(status, { revisionCount: status === 'revision_requested' ? 1 : 0, maxRevisions: 2 });
    expect(transitionJob(started, cancel(false))).toEqual({ ok: false, reason: 'delivery_deadline_not_passed', from: status, event: 'cancel' });
    expect(transitionJob(started, { type: 'cancel', role: 'client' })).toMatchObject({ ok: false, reason: 'delivery_deadline_not_passed' });
    expect(transitionJob(started, cancel(true))).toEqual({
      ok: true,
      snapshot: { machineVersion: 1, status: 'cancelled', context: started.context },
      emitted: ['job_cancelled'],
    });
  });

  it('changes nothing for a pending job (cancellable at any time) nor for a delivered one (never cancellable)', () => {
    for (const passed of DEADLINE_PASSED) {
      expect(transitionJob(createJobSnapshot({ maxRevisions: 1 }), cancel(passed))).toMatchObject({ ok: true, emitted: ['job_cancelled'] });
      expect(transitionJob(at('delivered', { revisionCount: 0, maxRevisions: 1 }), cancel(passed))).toMatchObject({
        ok: false,
        reason: 'invalid_transition',
      });
    }
  });

  it('never lets the worker or the system cancel, deadline or not', () => {
    for (const role of ['worker', 'system', 'admin'] as const) {
      expect(transitionJob(at('in_progress', { revisionCount: 0, maxRevisions: 1 }), { type: 'cancel', role, deliveryDeadlinePassed: true })).toMatchObject({
        ok: false,
        reason: 'forbidden',
      });
    }
  });
});

describe('revision cap', () => {
  const toDelivered: JobMachineEvent[] = [
    { type: 'start', role: 'worker' },
    { type: 'deliver', role: 'worker' },
  ];
  const revise: JobMachineEvent = { type: 'request_revision', role: 'client' };
  const redeliver: JobMachineEvent = { type: 'deliver', role: 'worker' };

  it('allows maxRevisions revisions, then reports the limit', () => {
    const delivered = run(createJobSnapshot({ maxRevisions: 2 }), toDelivered).snapshot;
    const first = run(delivered, [revise, redeliver]).snapshot;
    expect(first.context).toEqual({ revisionCount: 1, maxRevisions: 2 });
    const second = run(first, [revise, redeliver]).snapshot;
    expect(second).toEqual({ machineVersion: 1, status: 'delivered', context: { revisionCount: 2, maxRevisions: 2 } });
    expect(transitionJob(second, revise)).toEqual({ ok: false, reason: 'revision_limit_reached', from: 'delivered', event: 'request_revision' });
    expect(acceptedEvents(second, 'client').sort()).toEqual(['complete', 'dispute']);
  });

  it('never allows a revision when maxRevisions is 0', () => {
    const delivered = run(createJobSnapshot({ maxRevisions: 0 }), toDelivered).snapshot;
    expect(transitionJob(delivered, revise)).toEqual({ ok: false, reason: 'revision_limit_reached', from: 'delivered', event: 'request_revision' });
    expect(run(delivered, [{ type: 'complete', role: 'client' }]).snapshot.status).toBe('completed');
  });
});

describe('dispute ladder', () => {
  const disputed = at('disputed', { revisionCount: 0, maxRevisions: 1 });
  const answer = (circumstances: JobCircumstances = {}): JobMachineEvent => ({ type: 'respond_dispute', role: 'worker', ...circumstances });

  it('lets the worker answer once: a proposal or a contest keeps the job disputed and announces the answer', () => {
    expect(transitionJob(disputed, answer())).toEqual({ ok: true, snapshot: disputed, emitted: ['dispute_responded'] });
    expect(transitionJob(disputed, answer({ disputeAnswered: true }))).toEqual({
      ok: false,
      reason: 'dispute_already_answered',
      from: 'disputed',
      event: 'respond_dispute',
    });
    expect(transitionJob(disputed, answer({ disputeAnswered: true, refundAccepted: true }))).toMatchObject({ ok: false, reason: 'dispute_already_answered' });
  });

  it('ends the dispute at once when the worker accepts a refund', () => {
    expect(transitionJob(disputed, answer({ refundAccepted: true }))).toEqual({
      ok: true,
      snapshot: { ...disputed, status: 'resolved' },
      emitted: ['job_resolved'],
    });
  });

  it('lets the client accept a pending split proposal, and only then', () => {
    const accept: JobMachineEvent = { type: 'accept_proposal', role: 'client' };
    expect(transitionJob(disputed, accept)).toEqual({ ok: false, reason: 'no_pending_proposal', from: 'disputed', event: 'accept_proposal' });
    expect(transitionJob(disputed, { ...accept, disputeAnswered: true })).toMatchObject({ ok: false, reason: 'no_pending_proposal' });
    expect(transitionJob(disputed, { ...accept, disputeAnswered: true, proposalPending: true })).toMatchObject({
      ok: true,
      snapshot: { status: 'resolved' },
      emitted: ['job_resolved'],
    });
    expect(transitionJob(disputed, { type: 'accept_proposal', role: 'worker', proposalPending: true })).toMatchObject({ ok: false, reason: 'forbidden' });
  });

  it('refunds on the response window only while the worker has not answered', () => {
    const timeout: JobMachineEvent = { type: 'dispute_timeout', role: 'system' };
    expect(transitionJob(disputed, timeout)).toMatchObject({ ok: true, snapshot: { status: 'resolved' }, emitted: ['job_resolved'] });
    expect(transitionJob(disputed, { ...timeout, disputeAnswered: true })).toMatchObject({ ok: false, reason: 'dispute_already_answered' });
    expect(transitionJob(at('delivered', disputed.context), timeout)).toMatchObject({ ok: false, reason: 'invalid_transition' });
  });

  it('leaves a contested dispute to the admin', () => {
    const contested = { disputeAnswered: true } as const;
    expect(acceptedEvents(disputed, 'worker', contested)).toEqual([]);
    expect(acceptedEvents(disputed, 'client', contested)).toEqual([]);
    expect(acceptedEvents(disputed, 'system', contested)).toEqual([]);
    expect(acceptedEvents(disputed, 'admin', contested)).toEqual(['resolve']);
  });
});

describe('full lifecycles', () => {
  it('hire → start → deliver → revision → deliver → complete, one event each', () => {
    const { snapshot, emitted } = run(createJobSnapshot({ maxRevisions: 3 }), [
      { type: 'start', role: 'worker' },
      { type: 'deliver', role: 'worker' },
      { type: 'request_revision', role: 'client' },
      { type: 'deliver', role: 'worker' },
      { type: 'complete', role: 'client' },
    ]);
    expect(emitted).toEqual(['job_started', 'job_delivered', 'revision_requested', 'job_delivered', 'job_completed']);
    expect(snapshot).toEqual({ machineVersion: 1, status: 'completed', context: { revisionCount: 1, maxRevisions: 3 } });
  });

  it.each([
    [[{ type: 'cancel', role: 'client' }], 'cancelled', ['job_cancelled']],
    [[{ type: 'expire', role: 'system' }], 'expired', ['job_expired']],
    [[{ type: 'start', role: 'worker' }, { type: 'fail', role: 'worker' }], 'failed', ['job_started', 'job_failed']],
    [
      [{ type: 'start', role: 'worker' }, { type: 'deliver', role: 'worker' }, { type: 'auto_complete', role: 'system' }],
      'completed',
      ['job_started', 'job_delivered', 'job_completed'],
    ],
    [
      [{ type: 'start', role: 'worker' }, { type: 'deliver', role: 'worker' }, { type: 'request_revision', role: 'client' }, { type: 'fail', role: 'worker' }],
      'failed',
      ['job_started', 'job_delivered', 'revision_requested', 'job_failed'],
    ],
    [
      [{ type: 'start', role: 'worker' }, { type: 'deliver', role: 'worker' }, { type: 'dispute', role: 'client' }, { type: 'resolve', role: 'admin' }],
      'resolved',
      ['job_started', 'job_delivered', 'job_disputed', 'job_resolved'],
    ],
    [
      [
        { type: 'start', role: 'worker' },
        { type: 'deliver', role: 'worker' },
        { type: 'dispute', role: 'client' },
        { type: 'respond_dispute', role: 'worker' },
        { type: 'accept_proposal', role: 'client', disputeAnswered: true, proposalPending: true },
      ],
      'resolved',
      ['job_started', 'job_delivered', 'job_disputed', 'dispute_responded', 'job_resolved'],
    ],
    [
      [{ type: 'start', role: 'worker' }, { type: 'deliver', role: 'worker' }, { type: 'dispute', role: 'client' }, { type: 'dispute_timeout', role: 'system' }],
      'resolved',
      ['job_started', 'job_delivered', 'job_disputed', 'job_resolved'],
    ],
  ] as [JobMachineEvent[], JobStatus, string[]][])('%j ends %s', (events, status, expectedEmitted) => {
    const { snapshot, emitted } = run(createJobSnapshot({ maxRevisions: 1 }), events);
    expect(snapshot.status).toBe(status);
    expect(emitted).toEqual(expectedEmitted);
  });
});

describe('acceptedEvents', () => {
  it('lists, for every state, context and role, exactly the events of the table that would succeed', () => {
    for (const status of EXPECTED_STATUSES)
      for (const context of CONTEXTS)
        for (const role of ALL_ROLES)
          for (const circumstances of CIRCUMSTANCES) {
            const snapshot = at(status, context);
            const expected = EXPECTED_EVENTS.filter((event) => expectedOutcome(snapshot, event, role, circumstances).ok);
            expect(acceptedEvents(snapshot, role, circumstances), `${status}, ${role}, ${JSON.stringify(context)}, ${JSON.stringify(circumstances)}`).toEqual(expected);
          }
  });

  it('names what each party can do on a fresh job', () => {
    const fresh = createJobSnapshot({ maxRevisions: 3 });
    expect(acceptedEvents(fresh, 'worker')).toEqual(['start']);
    expect(acceptedEvents(fresh, 'client')).toEqual(['cancel']);
    expect(acceptedEvents(fresh, 'system')).toEqual(['expire']);
    expect(acceptedEvents(fresh, 'admin')).toEqual([]);
  });
});

describe('purity', () => {
  it('never mutates a deep-frozen input, and shares nothing with its output', () => {
    for (const status of EXPECTED_STATUSES)
      for (const context of CONTEXTS)
        for (const event of EXPECTED_EVENTS)
          for (const role of ALL_ROLES) {
            const input = deepFreeze(at(status, { ...context }));
            const message = deepFreeze({ type: event, role });
            const copy = structuredClone(input);
            const result: JobTransitionResult = transitionJob(input, message);
            expect(input).toEqual(copy);
            if (result.ok) {
              expect(result.snapshot).not.toBe(input);
              expect(result.snapshot.context).not.toBe(input.context);
            }
          }
  });

  it('returns equal results for equal inputs', () => {
    const delivered = at('delivered', { revisionCount: 0, maxRevisions: 1 });
    const event: JobMachineEvent = { type: 'request_revision', role: 'client' };
    expect(transitionJob(delivered, event)).toEqual(transitionJob(structuredClone(delivered), event));
  });

  it('only ever produces edges of the table', () => {
    for (const edge of EXPECTED_EDGES) {
      const result = transitionJob(at(edge.from, { revisionCount: 0, maxRevisions: 1 }), {
        type: edge.event,
        role: edge.role,
        deliveryDeadlinePassed: edge.pastDeliveryDeadline === true,
        extensionPending: edge.extension === 'answer',
        proposalPending: edge.dispute === 'accept_proposal',
        refundAccepted: edge.dispute === 'answer_refund',
      });
      expect(result).toMatchObject({ ok: true, snapshot: { status: edge.to }, emitted: [edge.emits] });
    }
  });
});
