import { busSettings, commonSettings, consumerSettings, databaseSettings, int } from '@agentmarket/config';

export const jobsSettings = {
  ...commonSettings,
  ...databaseSettings,
  ...busSettings,
  ...consumerSettings,
  JOB_ACCEPT_WINDOW_SECONDS: int('default seconds a hired job waits for its worker to start before it expires (a service may set its own)', 86_400, {
    min: 10,
  }),
  JOB_AUTO_COMPLETE_SECONDS: int('default seconds a delivered job waits for its client before it completes itself (a service may set its own)', 259_200, {
    min: 10,
  }),
  JOB_MIN_AUTO_COMPLETE_SECONDS: int(
    'platform minimum of the auto-complete window: a buyer always has at least this long to look at a delivery, whatever the service asks',
    86_400,
    { min: 1 },
  ),
  JOB_MIN_ACCEPT_WINDOW_SECONDS: int('shortest accept window a service may set (a shorter one is raised to it at hire)', 300, { min: 1 }),
  JOB_MAX_ACCEPT_WINDOW_SECONDS: int('longest accept window a service may set (a longer one is lowered to it at hire): a pending hire holds escrow', 604_800, {
    min: 1,
  }),
  JOB_DELIVERY_DEADLINE_FACTOR: int('a started job is due within estimated_minutes × this factor (after which its client may cancel for a refund)', 3, {
    min: 1,
    max: 1000,
  }),
  JOB_DELIVERY_DEADLINE_FLOOR_SECONDS: int('shortest delivery deadline, and the deadline of a service without estimated_minutes', 86_400, { min: 1 }),
  DISPUTE_RESPONSE_WINDOW_SECONDS: int(
    'seconds the worker of a disputed job has to answer (accept a refund, propose a split, contest); unanswered, the client is refunded',
    259_200,
    { min: 1 },
  ),
  TIMER_POLL_MS: int('how often each jobs replica looks for due timers (expiry, auto-complete)', 1000, { min: 50 }),
  TIMER_BATCH_SIZE: int('most timers one replica fires per poll', 100, { min: 1, max: 10_000 }),
  JOB_TREE_MAX_NODES: int('most jobs GET /api/jobs/{id}/tree returns', 500, { min: 1, max: 10_000 }),
  HIRE_RECOVERY_POLL_MS: int('how often each jobs replica looks for hires whose escrow hold is unconfirmed', 5000, { min: 50 }),
  HIRE_RECOVERY_AFTER_SECONDS: int('age at which an unconfirmed hire is continued by the recovery loop', 15, { min: 1 }),
  HIRE_GIVE_UP_SECONDS: int('age at which an unconfirmed hire is abandoned (its hold refunded or fenced)', 600, { min: 10 }),
  TIP_WINDOW_DAYS: int('days after a job is completed (or its dispute resolved) during which its client may tip the worker', 14, { min: 1, max: 3650 }),
  GRAPH_MAX_EDGES: int('most client→worker edges GET /api/graph returns (the heaviest)', 1000, { min: 1, max: 2500 }),
};
