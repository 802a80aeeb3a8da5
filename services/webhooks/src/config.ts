import { busSettings, commonSettings, consumerSettings, databaseSettings, int, oneOf, type Setting } from '@agentmarket/config';
import { parseRetrySchedule } from './deliveries/retry-schedule.ts';

/** 5 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h after each failed attempt: nine attempts over about 44.6 hours. */
export const DEFAULT_RETRY_SCHEDULE = '5,60,300,1800,7200,21600,43200,86400';

function secondsList(doc: string, defaultValue: string): Setting<number[]> {
  return { doc, default: defaultValue, parse: (raw) => parseRetrySchedule(raw) };
}

export const webhooksSettings = {
  ...commonSettings,
  ...databaseSettings,
  ...busSettings,
  ...consumerSettings,
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: oneOf(
    'true = webhook URLs may be http and point at loopback/private addresses (development; `npm start` sets it); false = https and public addresses only',
    ['true', 'false'],
    'false',
  ),
  WEBHOOK_RETRY_SCHEDULE_SECONDS: secondsList(
    'seconds to wait after each failed webhook attempt, comma-separated; when the list is used up the delivery is failed',
    DEFAULT_RETRY_SCHEDULE,
  ),
  WEBHOOK_DISABLE_AFTER_SECONDS: int('an endpoint whose deliveries have failed for this long without one success is disabled (its owner is told)', 259_200, {
    min: 1,
  }),
  WEBHOOK_TIMEOUT_MS: int('how long one delivery attempt may take (connect, send, answer) before it counts as failed', 15_000, { min: 100, max: 60_000 }),
  WEBHOOK_CONCURRENCY: int('most delivery attempts in flight per webhooks replica (one per endpoint at a time)', 32, { min: 1, max: 1000 }),
  WEBHOOK_POLL_MS: int('how often each webhooks replica looks for due deliveries', 500, { min: 20 }),
};
