/**
 * Who may do what on the bus. Every NATS user's permissions are DERIVED here
 * from the declarations in bus.ts and events.ts (streams, consumers, request
 * subjects, event aggregates) plus three small lists that say what the code
 * does and nothing else can: which aggregates a service writes, which other
 * services' subjects it calls, which work subjects it produces. The unit test
 * beside this file scans every service's source and fails when a subject it
 * uses is not permitted here, so new code cannot silently break under the
 * permissioned server. `npm run nats:config` and the launcher render these
 * into a nats-server config.
 */
import { CONSUMERS, SERVICE_NAMES, STREAMS, SUBJECTS, deadLetterSubject, pingSubject, type ServiceName } from './bus.ts';
import { EVENT_TYPES, subjectForEvent, type EventType } from './events.ts';
import { auditSubjectsOfType } from './admin-audit.ts';

/** Every NATS user: one per service, the gateway, and `operator` (tools, tests, bench, admin scripts) with full rights. */
export const BUS_USERS = [...SERVICE_NAMES, 'gateway', 'operator'] as const;
export type BusUser = (typeof BUS_USERS)[number];
/** The processes that run with restricted rights. */
export type BusProcess = Exclude<BusUser, 'operator'>;

/** The service whose outbox writes the events of each aggregate (the second token of `evt.<aggregate>.<verb>`). */
export const EVENT_AGGREGATE_OWNERS = {
  agent: 'identity',
  service: 'catalog',
  job: 'jobs',
  task: 'jobs',
  message: 'messaging',
  escrow: 'payments',
  wallet: 'payments',
  reputation: 'reputation',
  webhook: 'webhooks',
} as const satisfies Record<string, ServiceName>;

/** An event type written by another service than its aggregate's owner (none today). */
export const EVENT_TYPE_OWNERS: Partial<Record<EventType, ServiceName>> = {};

/** Work subjects (stream WORK) a service produces, by the consumer that reads them. */
export const WORK_PRODUCERS: Partial<Record<ServiceName, string[]>> = {
  jobs: [CONSUMERS.executor.llmWork.filterSubject],
};

/**
 * The request subjects of OTHER services each process calls (its own it
 * answers). The gateway's list is every subject a route forwards to, plus
 * every service's ping for /readyz and /api/system.
 */
export const BUS_CALLS: Record<BusProcess, readonly string[]> = {
  identity: [],
  catalog: [SUBJECTS.executor.quote],
  jobs: [
    SUBJECTS.catalog.get,
    SUBJECTS.catalog.list,
    SUBJECTS.executor.status,
    SUBJECTS.identity.batchGet,
    SUBJECTS.payments.hold,
    SUBJECTS.payments.abandon,
    SUBJECTS.payments.budgets,
    SUBJECTS.payments.tipTransfer,
  ],
  messaging: [],
  payments: [],
  reputation: [],
  webhooks: [],
  executor: [SUBJECTS.catalog.getHosted, SUBJECTS.identity.get, SUBJECTS.jobs.get, SUBJECTS.jobs.transition, SUBJECTS.payments.modelCost],
  gateway: [
    ...SERVICE_NAMES.map((service) => pingSubject(service)),
    SUBJECTS.identity.register,
    SUBJECTS.identity.get,
    SUBJECTS.identity.getPrivate,
    SUBJECTS.identity.list,
    SUBJECTS.identity.update,
    SUBJECTS.identity.setStatus,
    SUBJECTS.identity.rotateKey,
    SUBJECTS.identity.verifyKey,
    SUBJECTS.identity.registerUser,
    SUBJECTS.identity.login,
    SUBJECTS.identity.agentToken,
    SUBJECTS.identity.batchGet,
    SUBJECTS.identity.stats,
    SUBJECTS.identity.credentialState,
    SUBJECTS.identity.suspend,
    SUBJECTS.identity.unsuspend,
    SUBJECTS.identity.audit,
    // ACCOUNT_SUBJECTS.getUser (libs/auth): a person's account, for GET /api/auth/me.
    'identity.users.get',
    SUBJECTS.catalog.create,
    SUBJECTS.catalog.get,
    SUBJECTS.catalog.list,
    SUBJECTS.catalog.update,
    SUBJECTS.catalog.deactivate,
    SUBJECTS.catalog.stats,
    SUBJECTS.catalog.suspend,
    SUBJECTS.catalog.unsuspend,
    SUBJECTS.jobs.hire,
    SUBJECTS.jobs.transition,
    SUBJECTS.jobs.get,
    SUBJECTS.jobs.parties,
    SUBJECTS.jobs.list,
    SUBJECTS.jobs.tree,
    SUBJECTS.jobs.history,
    SUBJECTS.jobs.stats,
    SUBJECTS.jobs.graph,
    SUBJECTS.jobs.createTask,
    SUBJECTS.jobs.getTask,
    SUBJECTS.jobs.listTasks,
    SUBJECTS.jobs.placeBid,
    SUBJECTS.jobs.withdrawBid,
    SUBJECTS.jobs.listBids,
    SUBJECTS.jobs.acceptBid,
    SUBJECTS.jobs.rateClient,
    SUBJECTS.jobs.tip,
    SUBJECTS.jobs.listDisputes,
    SUBJECTS.messaging.inbox,
    SUBJECTS.messaging.markRead,
    SUBJECTS.messaging.send,
    SUBJECTS.messaging.thread,
    SUBJECTS.messaging.activity,
    SUBJECTS.payments.wallet,
    SUBJECTS.payments.transactions,
    SUBJECTS.payments.credit,
    SUBJECTS.payments.stats,
    SUBJECTS.reputation.stats,
    SUBJECTS.executor.status,
    SUBJECTS.webhooks.create,
    SUBJECTS.webhooks.list,
    SUBJECTS.webhooks.get,
    SUBJECTS.webhooks.update,
    SUBJECTS.webhooks.delete,
    SUBJECTS.webhooks.rotateSecret,
    SUBJECTS.webhooks.test,
    SUBJECTS.webhooks.deliveries,
    SUBJECTS.webhooks.retry,
    SUBJECTS.webhooks.createPushConfig,
    SUBJECTS.webhooks.getPushConfig,
    SUBJECTS.webhooks.listPushConfigs,
    SUBJECTS.webhooks.deletePushConfig,
  ],
};

/**
 * Core-NATS (not JetStream) subscriptions to events: the gateway drops cached
 * profiles, keys and A2A agent cards on any agent event (cards on any service
 * event too), and lays reputation's figures over cached profiles as they are announced; jobs drops the service terms it
 * caches for hires on any service event and on an agent's suspension; the executor drops the A2A endpoints it caches on any agent event.
 */
export const CORE_EVENT_SUBSCRIPTIONS: Partial<Record<BusProcess, readonly string[]>> = {
  gateway: ['evt.agent.>', 'evt.reputation.>', 'evt.service.>'],
  jobs: ['evt.service.>', 'evt.agent.suspended'],
  executor: ['evt.agent.>'],
};

/** The gateway's shared rate-limit counters: one KV bucket per limit window (RATE_LIMIT_WINDOW_MS, and the hourly budgets). */
export const RATE_LIMIT_BUCKETS = { perWindow: 'RATE_LIMITS_WINDOW', hourly: 'RATE_LIMITS_HOURLY' } as const;

/** KV buckets the gateway owns: the idempotency store and the rate-limit counters. */
export const GATEWAY_KV_BUCKETS = ['IDEMPOTENCY', RATE_LIMIT_BUCKETS.perWindow, RATE_LIMIT_BUCKETS.hourly] as const;

/** A user's permissions, in nats-server's terms. `'all'`: publish and subscribe to everything. */
export interface BusPermissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[]; deny: string[] };
}

/** Each user's request replies arrive under its own inbox prefix, so no user can read another's replies (an API key, a balance). */
export function inboxPrefixOf(user: string): string {
  return `_INBOX_${user}`;
}

/** The inbox prefix of clients that set none: the operator's tools (the nats CLI, the tests' helpers). */
const DEFAULT_INBOX_PREFIX = '_INBOX';

/**
 * Where a service may publish its answers: the inboxes of the processes that
 * call it (BUS_CALLS), its own, and the operator's (its own prefix, when it
 * connects with its credentials through connectBus, or the default one of
 * tools that set none), which only the operator may read. Granted as publish
 * rights rather than with nats-server's `allow_responses`: that option
 * records the reply subject of every message delivered to the user,
 * JetStream deliveries included (each carries its ack subject), keeps each
 * record two minutes, and once it holds more than 4,096 scans them all on
 * every delivery, so its cost grows with the traffic of the last two minutes. Measured on nats-server 2.9: a consumer catching up
 * on 70,000 events cost the server 670 µs per message with it, 11 µs
 * without; in the bench's lifecycle run, nats-server's CPU per lifecycle fell
 * from 3.3 to 1.8 ms, and consumers that fell behind no longer stay behind.
 */
function replyInboxesOf(service: ServiceName): string[] {
  const callers = (Object.keys(BUS_CALLS) as BusProcess[]).filter((caller) => BUS_CALLS[caller].some((subject) => subject.startsWith(`${service}.`)));
  return [...new Set<string>([...callers, service, 'operator'])].map((user) => `${inboxPrefixOf(user)}.>`).concat(`${DEFAULT_INBOX_PREFIX}.>`);
}

const JS_API = '$JS.API';

/** What every process does at start: read account info, and create or update every declared stream. */
function topologyPermissions(): string[] {
  return [
    `${JS_API}.INFO`,
    ...Object.values(STREAMS).flatMap((stream) => ['INFO', 'CREATE', 'UPDATE'].map((verb) => `${JS_API}.STREAM.${verb}.${stream.name}`)),
  ];
}

/** A durable pull consumer: declare it (new and legacy create APIs), read its info, pull, and ack/nak/term/working. */
function durableConsumerPermissions(stream: string, durable: string): string[] {
  return [
    `${JS_API}.CONSUMER.INFO.${stream}.${durable}`,
    `${JS_API}.CONSUMER.CREATE.${stream}.${durable}`,
    `${JS_API}.CONSUMER.CREATE.${stream}.${durable}.>`,
    `${JS_API}.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
    `${JS_API}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ];
}

/** The event subjects a service may publish: `evt.<aggregate>.>` for each aggregate whose every type it writes, single subjects otherwise. */
export function eventSubjectsOf(service: ServiceName): string[] {
  const ownerOf = (type: EventType): ServiceName =>
    EVENT_TYPE_OWNERS[type] ?? (EVENT_AGGREGATE_OWNERS as Record<string, ServiceName>)[EVENT_TYPES[type].aggregate]!;
  const types = Object.keys(EVENT_TYPES) as EventType[];
  const subjects: string[] = [];
  for (const aggregate of new Set(types.map((type) => EVENT_TYPES[type].aggregate))) {
    const ofAggregate = types.filter((type) => EVENT_TYPES[type].aggregate === aggregate);
    const mine = ofAggregate.filter((type) => ownerOf(type) === service);
    if (mine.length === 0) continue;
    if (mine.length === ofAggregate.length) subjects.push(`evt.${aggregate}.>`);
    else subjects.push(...mine.map((type) => subjectForEvent(type)));
  }
  return subjects;
}

/** The audit copies (`audit.<aggregate>.<verb>`, stream AUDIT) of the admin acts among the events a service writes. */
export function auditSubjectsOf(service: ServiceName): string[] {
  const ownerOf = (type: EventType): ServiceName =>
    EVENT_TYPE_OWNERS[type] ?? (EVENT_AGGREGATE_OWNERS as Record<string, ServiceName>)[EVENT_TYPES[type].aggregate]!;
  return (Object.keys(EVENT_TYPES) as EventType[]).filter((type) => ownerOf(type) === service).flatMap(auditSubjectsOfType);
}

function servicePermissions(service: ServiceName): BusPermissions {
  const consumers = Object.values((CONSUMERS as Record<string, Record<string, { stream: string; durable: string }>>)[service] ?? {});
  return {
    publish: {
      allow: [
        ...topologyPermissions(),
        ...eventSubjectsOf(service),
        ...auditSubjectsOf(service),
        ...(WORK_PRODUCERS[service] ?? []),
        ...consumers.flatMap((consumer) => [...durableConsumerPermissions(consumer.stream, consumer.durable), deadLetterSubject(consumer.durable)]),
        ...BUS_CALLS[service],
        ...replyInboxesOf(service),
      ],
      deny: [],
    },
    // Answers its own request subjects (all declared as `<service>.…`), and reads its replies and pulled messages.
    subscribe: { allow: [`${service}.>`, `${inboxPrefixOf(service)}.>`, ...(CORE_EVENT_SUBSCRIPTIONS[service] ?? [])], deny: [] },
  };
}

function kvBucketPermissions(bucket: string): string[] {
  const stream = `KV_${bucket}`;
  return [
    `$KV.${bucket}.>`,
    ...['INFO', 'CREATE', 'UPDATE', 'MSG.GET'].map((verb) => `${JS_API}.STREAM.${verb}.${stream}`),
    `${JS_API}.DIRECT.GET.${stream}`,
    `${JS_API}.DIRECT.GET.${stream}.>`,
  ];
}

function gatewayPermissions(): BusPermissions {
  const events = STREAMS.events.name;
  const durablesOnEvents = Object.values(CONSUMERS)
    .flatMap((group) => Object.values(group as Record<string, { stream: string; durable: string }>))
    .filter((consumer) => consumer.stream === events)
    .map((consumer) => consumer.durable);
  return {
    publish: {
      allow: [
        ...topologyPermissions(),
        ...BUS_CALLS.gateway,
        // SSE: ordered consumers on EVENTS, whose names the client library makes up.
        ...['INFO', 'CREATE', 'DELETE', 'MSG.NEXT'].map((verb) => `${JS_API}.CONSUMER.${verb}.${events}.*`),
        `${JS_API}.CONSUMER.CREATE.${events}.*.>`,
        ...GATEWAY_KV_BUCKETS.flatMap(kvBucketPermissions),
      ],
      deny: [
        // Never an event, a work item or a dead letter: those come from the services' outboxes only.
        'evt.>',
        'audit.>',
        'work.>',
        'dlq.>',
        // The ordered-consumer wildcard must not reach the services' durables: no hijacking, deleting or draining them.
        ...durablesOnEvents.flatMap((durable) =>
          ['INFO', 'CREATE', 'DURABLE.CREATE', 'DELETE', 'MSG.NEXT'].map((verb) => `${JS_API}.CONSUMER.${verb}.${events}.${durable}`),
        ),
        ...durablesOnEvents.map((durable) => `${JS_API}.CONSUMER.CREATE.${events}.${durable}.>`),
      ],
    },
    subscribe: { allow: [...(CORE_EVENT_SUBSCRIPTIONS.gateway ?? []), `${inboxPrefixOf('gateway')}.>`], deny: [] },
  };
}

/** The permissions of one user, derived from the declarations; `'all'` for the operator. */
export function busPermissionsOf(user: BusUser): BusPermissions | 'all' {
  if (user === 'operator') return 'all';
  if (user === 'gateway') return gatewayPermissions();
  return servicePermissions(user);
}
