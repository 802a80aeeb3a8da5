export * from './inbox.ts';
export * from './migrate.ts';
export * from './orm.ts';
export * from './outbox.ts';
export * from './outbox-schema.ts';
export * from './idempotency-schema.ts';
export * from './ttl-cache.ts';
export * from './prepared-statements.ts';
