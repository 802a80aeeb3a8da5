/**
 * The bus topology: stream and consumer declarations and the request
 * subjects of every service. Applied idempotently at start by
 * libs/messaging; `npm run bus:print` shows them to operators.
 */

export const SERVICE_NAMES = ['identity', 'catalog', 'jobs', 'messaging', 'payments', 'reputation', 'executor', 'webhooks'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface StreamDeclaration {
  name: string;
  subjects: string[];
  retention: 'limits' | 'workqueue';
  maxAgeSeconds: number;
  /** Window in which a repeated Nats-Msg-Id is dropped by the server. */
  duplicateWindowSeconds: number;
}

const DAY = 24 * 60 * 60;

export const STREAMS = {
  events: {
    name: 'EVENTS',
    subjects: ['evt.>'],
    retention: 'limits',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 120,
  },
  /** Work for the LLM executor, one message per hosted job and per revision of it: `work.llm.<jobId>`; removed once acknowledged. */
  work: {
    name: 'WORK',
    subjects: ['work.>'],
    retention: 'workqueue',
    maxAgeSeconds: 7 * DAY,
    duplicateWindowSeconds: 120,
  },
  /** A copy of every admin's act (`audit.<aggregate>.<verb>`, same envelope), written by its producer's outbox: the audit trail's only input. */
  audit: {
    name: 'AUDIT',
    subjects: ['audit.>'],
    retention: 'limits',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 120,
  },
  deadLetter: {
    name: 'DEAD_LETTER',
    subjects: ['dlq.>'],
    retention: 'limits',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 120,
  },
} as const satisfies Record<string, StreamDeclaration>;

export interface ConsumerDeclaration {
  stream: string;
  /** Durable name: `<service>__<purpose>`. */
  durable: string;
  /** One subject filter (nats-server 2.9 has no multi-filter consumers). */
  filterSubject: string;
  ackWaitSeconds: number;
  maxDeliver: number;
  maxAckPending: number;
}

export function consumerName(service: string, purpose: string): string {
  return `${service}__${purpose}`;
}

/** The WORK subject of one hosted job. */
export function llmWorkSubject(jobId: string): string {
  return `work.llm.${jobId}`;
}

/** Where a message that can never be processed is copied: `dlq.<durable>`. */
export function deadLetterSubject(durable: string): string {
  return `dlq.${durable}`;
}

/** Request/reply subjects, `<service>.<noun>.<verb>`; each service answers in queue group `<service>`. */
export const SUBJECTS = {
  identity: {
    ping: 'identity.health.ping',
    register: 'identity.agents.register',
    get: 'identity.agents.get',
    getPrivate: 'identity.agents.get_private',
    list: 'identity.agents.list',
    update: 'identity.agents.update',
    setStatus: 'identity.agents.set_status',
    rotateKey: 'identity.agents.rotate_key',
    verifyKey: 'identity.keys.verify',
    registerUser: 'identity.users.register',
    login: 'identity.users.login',
    agentToken: 'identity.tokens.issue',
    batchGet: 'identity.agents.batch_get',
    stats: 'identity.stats.get',
    /** An agent's key generation and suspension, for the gateway's check of agent JWTs. */
    credentialState: 'identity.agents.credential_state',
    suspend: 'identity.agents.suspend',
    unsuspend: 'identity.agents.unsuspend',
    audit: 'identity.audit.list',
  },
  catalog: {
    ping: 'catalog.health.ping',
    create: 'catalog.services.create',
    get: 'catalog.services.get',
    list: 'catalog.services.list',
    update: 'catalog.services.update',
    deactivate: 'catalog.services.deactivate',
    getHosted: 'catalog.services.get_hosted',
    stats: 'catalog.stats.get',
    suspend: 'catalog.services.suspend',
    unsuspend: 'catalog.services.unsuspend',
  },
  jobs: {
    ping: 'jobs.health.ping',
    hire: 'jobs.jobs.hire',
    transition: 'jobs.jobs.transition',
    get: 'jobs.jobs.get',
    parties: 'jobs.jobs.parties',
    list: 'jobs.jobs.list',
    tree: 'jobs.jobs.tree',
    history: 'jobs.jobs.history',
    stats: 'jobs.stats.get',
    graph: 'jobs.graph.get',
    createTask: 'jobs.tasks.create',
    /** The worker of an ended job rates its client, once. */
    rateClient: 'jobs.client_ratings.create',
    /** The client of an ended job tips its worker. */
    tip: 'jobs.tips.create',
    getTask: 'jobs.tasks.get',
    listTasks: 'jobs.tasks.list',
    placeBid: 'jobs.bids.create',
    withdrawBid: 'jobs.bids.withdraw',
    listBids: 'jobs.bids.list',
    acceptBid: 'jobs.bids.accept',
    /** Admins' queue of disputed jobs, the longest waiting first. */
    listDisputes: 'jobs.disputes.list',
  },
  messaging: {
    ping: 'messaging.health.ping',
    inbox: 'messaging.inbox.list',
    markRead: 'messaging.inbox.mark_read',
    send: 'messaging.messages.send',
    thread: 'messaging.threads.get',
    activity: 'messaging.activity.list',
  },
  payments: {
    ping: 'payments.health.ping',
    hold: 'payments.escrow.hold',
    abandon: 'payments.escrow.abandon',
    wallet: 'payments.wallet.get',
    transactions: 'payments.wallet.transactions',
    credit: 'payments.wallet.credit',
    stats: 'payments.stats.get',
    /** The executor reports a hosted job's model cost so far; charged to the seller when the job's hold settles. */
    modelCost: 'payments.escrow.model_cost',
    /** A tip's ledger transfer (jobs asks, once per tip id). */
    tipTransfer: 'payments.tips.transfer',
    /** The subtask budgets of jobs (the tree view's budget, spent and remaining). */
    budgets: 'payments.budgets.get',
  },
  executor: {
    ping: 'executor.health.ping',
    /** Whether a model is configured and the provider's circuit is closed: jobs asks before hiring a hosted service. */
    status: 'executor.status.get',
    /** Whether a hosted configuration is allowed, and whether a price covers its worst-case model cost and the fee (catalog asks at publish). */
    quote: 'executor.hosted.quote',
  },
  reputation: {
    ping: 'reputation.health.ping',
    get: 'reputation.agents.get',
    stats: 'reputation.stats.get',
  },
  webhooks: {
    ping: 'webhooks.health.ping',
    create: 'webhooks.endpoints.create',
    list: 'webhooks.endpoints.list',
    get: 'webhooks.endpoints.get',
    update: 'webhooks.endpoints.update',
    delete: 'webhooks.endpoints.delete',
    rotateSecret: 'webhooks.endpoints.rotate_secret',
    test: 'webhooks.endpoints.test',
    deliveries: 'webhooks.deliveries.list',
    retry: 'webhooks.deliveries.retry',
    /** A2A push-notification configs: webhooks of the caller scoped to one job. */
    createPushConfig: 'webhooks.push_configs.create',
    getPushConfig: 'webhooks.push_configs.get',
    listPushConfigs: 'webhooks.push_configs.list',
    deletePushConfig: 'webhooks.push_configs.delete',
  },
} as const;

const consumer = (durable: string, filterSubject: string, overrides: Partial<ConsumerDeclaration> = {}): ConsumerDeclaration => ({
  stream: STREAMS.events.name,
  durable,
  filterSubject,
  // Short, so a message held by a crashed replica is redelivered within seconds; a long handler calls working().
  ackWaitSeconds: 10,
  maxDeliver: 10,
  maxAckPending: 256,
  ...overrides,
});

/** Every durable consumer, by owning service. */
export const CONSUMERS = {
  identity: {
    /** Copies each agent's figures onto its profile (nothing re-announced: readers follow reputation_updated themselves). */
    reputationProjection: consumer(consumerName('identity', 'reputation_projection'), 'evt.reputation.>'),
    /** The audit trail: the copies of admins' acts (credits, resolutions, suspensions) their producers write to AUDIT. */
    adminAudit: consumer(consumerName('identity', 'admin_audit'), 'audit.>', { stream: STREAMS.audit.name }),
  },
  catalog: {
    /** Agent names and suspensions, from identity's events. */
    agentProjection: consumer(consumerName('catalog', 'agent_projection'), 'evt.agent.>'),
    /** Agents' scores, straight from reputation's events. */
    reputationProjection: consumer(consumerName('catalog', 'reputation_projection'), 'evt.reputation.>'),
  },
  jobs: {
    /** A task's job that expired (its worker never started) goes to the next candidate. */
    taskReassignment: consumer(consumerName('jobs', 'task_reassignment'), 'evt.job.expired'),
  },
  payments: {
    /** Settles a job's hold when the job ends: release, refund or split. */
    jobSettlement: consumer(consumerName('payments', 'job_settlement'), 'evt.job.>'),
    /** The starter grant of a newly registered agent. */
    starterGrants: consumer(consumerName('payments', 'starter_grants'), 'evt.agent.registered'),
  },
  executor: {
    /** One message per hosted job (and per revision of it); MaxAckPending bounds the work in flight across replicas. */
    llmWork: {
      stream: 'WORK',
      durable: consumerName('executor', 'llm_work'),
      filterSubject: 'work.llm.>',
      ackWaitSeconds: 60,
      maxDeliver: 20,
      maxAckPending: 64,
    },
    /** Hires (and revision requests) of agents that sell through their own A2A endpoint: the executor sends them there and follows the task. */
    a2aSellers: consumer(consumerName('executor', 'a2a_sellers'), 'evt.job.>', { ackWaitSeconds: 60, maxDeliver: 20 }),
  },
  reputation: {
    jobOutcomes: consumer(consumerName('reputation', 'job_outcomes'), 'evt.job.>'),
    escrowOutcomes: consumer(consumerName('reputation', 'escrow_outcomes'), 'evt.escrow.>'),
    /** Who registered each agent (registered_by): jobs between agents of one owner do not move reputation. */
    ownerLineage: consumer(consumerName('reputation', 'owner_lineage'), 'evt.agent.registered'),
  },
  messaging: {
    jobNotifications: consumer(consumerName('messaging', 'job_notifications'), 'evt.job.>'),
    activityLog: consumer(consumerName('messaging', 'activity_log'), 'evt.>'),
    /** Tells an endpoint's owner, in the inbox, that the platform switched the endpoint off. */
    webhookNotices: consumer(consumerName('messaging', 'webhook_notices'), 'evt.webhook.disabled'),
    /** Tells a task's poster and its bidders about the bids and the close. */
    bidNotifications: consumer(consumerName('messaging', 'bid_notifications'), 'evt.task.>'),
  },
  webhooks: {
    /** One delivery row per (active endpoint that may see the event and asked for its type, event). */
    fanOut: consumer(consumerName('webhooks', 'fan_out'), 'evt.>'),
  },
} as const satisfies Record<string, Record<string, ConsumerDeclaration>>;

/** The readiness probe subject of a service. */
export function pingSubject(service: ServiceName): string {
  return `${service}.ping`;
}

/** NATS header that carries the HTTP request id, so one id follows a request through every log line. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** NATS header: how many milliseconds the caller will wait for this reply; the responder does not begin a command after that. */
export const TIMEOUT_HEADER = 'am-timeout-ms';

/**
 * NATS header: the sha256 (hex) of the caller's Idempotency-Key scoped by the
 * verified caller and the route (`<scope>\n<route>\n<key>`). The owning service
 * records it with the command's effect, so a retry is answered with the first result.
 */
export const IDEMPOTENCY_HEADER = 'am-idempotency-key';
