import { z } from 'zod';

/** Who caused an event or a command. */
export const actorSchema = z.object({
  type: z.enum(['agent', 'user', 'system']),
  id: z.string().nullable(),
});
export type Actor = z.infer<typeof actorSchema>;

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

/** The one envelope every domain event travels in (DESIGN.md, "The bus"). */
export const eventEnvelopeSchema = z.object({
  id: z.string().uuid(),
  type: z.string().regex(/^[a-z]+(_[a-z]+)+$/),
  occurred_at: z.string(),
  aggregate_id: z.string(),
  aggregate_version: z.number().int().nonnegative(),
  actor: actorSchema,
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope<TData extends Record<string, unknown> = Record<string, unknown>> = Omit<
  z.infer<typeof eventEnvelopeSchema>,
  'data'
> & { data: TData };

interface EventTypeDefinition {
  /** Aggregate name: the second token of the subject. */
  aggregate: string;
  /** Public events go to anonymous SSE clients; private ones only to their parties. */
  visibility: 'public' | 'private';
  /** Fields of `data` that only the parties may see (inputs, deliverable content...). */
  privateFields: readonly string[];
  /** Last subject token when the type does not start with its aggregate (`revision_requested`). */
  subjectName?: string;
}

/** What the public must not read in a job event: inputs, deliverable content and what the parties wrote to each other. */
const JOB_PRIVATE_FIELDS = ['input_data', 'content', 'artifact_metadata', 'feedback', 'reason', 'note'] as const;
const jobEvent = { aggregate: 'job', visibility: 'public', privateFields: JOB_PRIVATE_FIELDS } as const;
/** A bid concerns its task's poster and its bidder only; it travels under the task (`evt.task.bid_placed`). */
const bidEvent = (subjectName: string) => ({ aggregate: 'task', visibility: 'private', privateFields: [], subjectName }) as const;

/**
 * Every event type on the bus. The subject is derived from the name:
 * `agent_key_rotated` → `evt.agent.key_rotated`.
 */
export const EVENT_TYPES = {
  agent_registered: { aggregate: 'agent', visibility: 'public', privateFields: [] },
  agent_updated: { aggregate: 'agent', visibility: 'public', privateFields: [] },
  agent_key_rotated: { aggregate: 'agent', visibility: 'private', privateFields: [] },
  // An admin's act: the agent (and its services) leave the market until unsuspended; `reason` stays between the agent and the admins.
  agent_suspended: { aggregate: 'agent', visibility: 'public', privateFields: ['reason', 'admin'] },
  agent_unsuspended: { aggregate: 'agent', visibility: 'public', privateFields: ['reason', 'admin'] },
  service_created: { aggregate: 'service', visibility: 'public', privateFields: [] },
  service_updated: { aggregate: 'service', visibility: 'public', privateFields: [] },
  service_deactivated: { aggregate: 'service', visibility: 'public', privateFields: [] },
  service_suspended: { aggregate: 'service', visibility: 'public', privateFields: ['reason', 'admin'] },
  service_unsuspended: { aggregate: 'service', visibility: 'public', privateFields: ['reason', 'admin'] },
  job_created: jobEvent,
  job_started: jobEvent,
  job_delivered: jobEvent,
  revision_requested: { ...jobEvent, subjectName: 'revision_requested' },
  job_completed: jobEvent,
  job_cancelled: jobEvent,
  job_failed: jobEvent,
  job_expired: jobEvent,
  job_disputed: jobEvent,
  job_resolved: jobEvent,
  /** An in-progress (or revision-requested) job passed its delivery deadline: the client may now cancel it for a full refund. No status change. */
  job_deadline_passed: jobEvent,
  /** The worker of a completed or resolved job rated its client (POST /api/jobs/{id}/rate-client). No status change. */
  client_rated: { ...jobEvent, subjectName: 'client_rated' },
  /** The worker of a started job asked for more time (POST /api/jobs/{id}/request-extension). No status change. */
  extension_requested: { ...jobEvent, subjectName: 'extension_requested' },
  /** The client granted the pending extension: the delivery deadline moved. No status change. */
  extension_granted: { ...jobEvent, subjectName: 'extension_granted' },
  /** The client declined the pending extension: the deadline stays. No status change. */
  extension_declined: { ...jobEvent, subjectName: 'extension_declined' },
  /** The worker answered a dispute with a split proposal or a contest (a refund it accepts is job_resolved). No status change. */
  dispute_responded: { ...jobEvent, subjectName: 'dispute_responded' },
  /** The client of a completed or resolved job tipped its worker (POST /api/jobs/{id}/tip). No status change. */
  job_tipped: jobEvent,
  /** A bidding task opened (POST /api/tasks with mode "bidding"); its inputs stay with the poster. */
  task_posted: { aggregate: 'task', visibility: 'public', privateFields: ['input_data'] },
  /** A bidding task closed without a hire; nothing was charged. */
  task_expired: { aggregate: 'task', visibility: 'public', privateFields: ['input_data'] },
  bid_placed: bidEvent('bid_placed'),
  bid_withdrawn: bidEvent('bid_withdrawn'),
  /** The poster (or auto_accept at closing) accepted the bid: the job is hired at the bid's price. */
  bid_accepted: bidEvent('bid_accepted'),
  /** Another bid was accepted, or the task closed without one. */
  bid_rejected: bidEvent('bid_rejected'),
  message_sent: { aggregate: 'message', visibility: 'private', privateFields: [] },
  escrow_held: { aggregate: 'escrow', visibility: 'private', privateFields: [] },
  escrow_released: { aggregate: 'escrow', visibility: 'private', privateFields: [] },
  escrow_refunded: { aggregate: 'escrow', visibility: 'private', privateFields: [] },
  escrow_split: { aggregate: 'escrow', visibility: 'private', privateFields: [] },
  wallet_credited: { aggregate: 'wallet', visibility: 'private', privateFields: [] },
  // What an agent spends and how often it hires are on its private profile only.
  /** A hosted job's work item; travels on WORK (`work.llm.<jobId>`), not on EVENTS. */
  llm_work_requested: { aggregate: 'job', visibility: 'private', privateFields: [] },
  reputation_updated: { aggregate: 'reputation', visibility: 'public', privateFields: ['spent', 'jobs_hired'] },
  /** Sent by POST /api/webhooks/{id}/test to that one endpoint; never on the bus. */
  webhook_test: { aggregate: 'webhook', visibility: 'private', privateFields: [] },
  /** An endpoint failing for the configured time was switched off; its owner is told (inbox, SSE). */
  webhook_disabled: { aggregate: 'webhook', visibility: 'private', privateFields: [] },
} as const satisfies Record<string, EventTypeDefinition>;

export type EventType = keyof typeof EVENT_TYPES;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_TYPES, type);
}

export function eventDefinition(type: string): EventTypeDefinition | undefined {
  return isEventType(type) ? EVENT_TYPES[type] : undefined;
}

/** `agent_key_rotated` → `evt.agent.key_rotated`; `revision_requested` → `evt.job.revision_requested`. */
export function subjectForEvent(type: EventType): string {
  const definition: EventTypeDefinition = EVENT_TYPES[type];
  return `evt.${definition.aggregate}.${definition.subjectName ?? type.slice(definition.aggregate.length + 1)}`;
}

const TYPE_BY_SUBJECT = new Map(Object.keys(EVENT_TYPES).map((type) => [subjectForEvent(type as EventType), type]));

/** The inverse of subjectForEvent: `evt.agent.key_rotated` → `agent_key_rotated`. */
export function eventTypeForSubject(subject: string): string {
  const known = TYPE_BY_SUBJECT.get(subject);
  if (known) return known;
  const [, aggregate, ...rest] = subject.split('.');
  return `${aggregate}_${rest.join('_')}`;
}

/** Agent and user ids that may see the private view of an event. */
export function eventParties(envelope: EventEnvelope): string[] {
  const parties = new Set<string>();
  const definition = eventDefinition(envelope.type);
  if (definition?.aggregate === 'agent') parties.add(envelope.aggregate_id);
  for (const key of ['client_agent_id', 'client_user_id', 'worker_agent_id', 'evaluator_agent_id', 'agent_id', 'user_id', 'to_agent_id', 'from_agent_id']) {
    const value = envelope.data[key];
    if (typeof value === 'string') parties.add(value);
  }
  if ((envelope.actor.type === 'agent' || envelope.actor.type === 'user') && envelope.actor.id) parties.add(envelope.actor.id);
  return [...parties];
}

/** The event as an anonymous client may see it, or undefined when it is private. */
export function publicView(envelope: EventEnvelope): EventEnvelope | undefined {
  const definition = eventDefinition(envelope.type);
  if (!definition || definition.visibility === 'private') return undefined;
  if (definition.privateFields.length === 0) return envelope;
  const data = { ...envelope.data };
  for (const field of definition.privateFields) delete data[field];
  return { ...envelope, data };
}

/**
 * The view of an event one viewer may see: the whole event for its parties,
 * the public view for anyone else (anonymous: `viewerId` undefined), or
 * undefined when it is private. The one rule for the SSE stream and webhook
 * deliveries; `parties` lets a caller that asks often pass them computed once.
 */
export function eventViewFor(
  envelope: EventEnvelope,
  viewerId: string | undefined,
  parties: ReadonlySet<string> = new Set(eventParties(envelope)),
): EventEnvelope | undefined {
  if (viewerId !== undefined && parties.has(viewerId)) return envelope;
  return publicView(envelope);
}
