/** This service's Postgres schema: its tables, outbox, inbox and idempotency keys. */
export const WEBHOOKS_SCHEMA = 'webhooks';
